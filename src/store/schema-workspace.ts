// The tables of the workspace (sessions, login throttling, TOTP).
// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- filled in by its part
export interface WorkspaceTables {}
