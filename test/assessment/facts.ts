import {
  assessmentFactsSchema,
  type AssessmentFacts,
  type AssessmentFactsInput,
} from '../../src/domain/assessment/assessment-facts.js';

/** A parsed facts document: the defaults plus what a test cares about. */
export function facts(input: Partial<AssessmentFactsInput> = {}): AssessmentFacts {
  return assessmentFactsSchema.parse({ personalData: true, ...input });
}

/** The demo incident: names, email addresses and weakly hashed passwords taken from web12. */
export const WEB12_BREACH: AssessmentFactsInput = {
  personalData: true,
  confidentiality: 'unknown-recipients',
  dataCategories: ['simple', 'credentials'],
  passwordStorage: 'weak-hash',
  dataSubjects: 1840,
  records: 1840,
  exfiltration: 'confirmed',
  maliciousIntent: true,
  identifiability: 'maximum',
  incidentKind: 'break-in',
};
