// The tables of the CSAF provider, subscribers and webhooks.
// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- filled in by its part
export interface CsafTables {}
