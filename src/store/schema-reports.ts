// The tables of the regulator reports and the breach register.
// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- filled in by its part
export interface ReportTables {}
