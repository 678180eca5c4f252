// The tables of the assessment (facts, severity, decisions, legal clocks).
// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- filled in by its part
export interface AssessmentTables {}
