// The tables of the public record (public notices, updates, embargoes, security page).
// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- filled in by its part
export interface PublicationTables {}
