import type { AssessmentFacts, IncidentKind } from './assessment-facts.js';
import type { Locale } from './enisa-severity.js';

// The worked cases of EDPB Guidelines 01/2021 on examples regarding personal data breach
// notification (version 2.0, adopted 14 December 2021), by number and title, so a reason
// cites the case that resembles the breach at hand and never, say, a ransomware case for
// a break-in into a control panel. Which case fits is decided by the facts' incidentKind
// ("what happened") plus the facts the case turns on (backup, encryption, hashing).
// docs/assessment.md lists the cases and how Candor maps them.

export const EDPB_CASES = {
  1: 'Ransomware with proper backup and without exfiltration',
  2: 'Ransomware without proper backup',
  3: 'Ransomware with backup and without exfiltration in a hospital',
  4: 'Ransomware without backup and with exfiltration',
  5: 'Exfiltration of job application data from a website',
  6: 'Exfiltration of hashed password from a website',
  7: 'Credential stuffing attack on a banking website',
  8: 'Exfiltration of business data by a former employee',
  9: 'Accidental transmission of data to a trusted third party',
  10: 'Stolen material storing encrypted personal data',
  11: 'Stolen material storing non-encrypted personal data',
  12: 'Stolen paper files with sensitive data',
  13: 'Postal mail mistake',
  14: 'Highly confidential personal data sent by mail by mistake',
  15: 'Personal data sent by mail by mistake',
  16: 'Postal mail mistake',
  17: 'Identity theft',
  18: 'Email exfiltration',
} as const;
export type EdpbCase = keyof typeof EDPB_CASES;

/** The EDPB 01/2021 family ("chapter") each incident kind belongs to. */
export const FAMILY_CASES: Record<IncidentKind, readonly EdpbCase[]> = {
  ransomware: [1, 2, 3, 4],
  'break-in': [5, 6, 7],
  insider: [8, 9],
  'lost-device': [10, 11, 12],
  misdelivery: [13, 14, 15, 16],
  'social-engineering': [17, 18],
  other: [],
};

/** `EDPB Guidelines 01/2021, Case 05 "…"` in the reader's language. */
export function citeCase(n: EdpbCase, locale: Locale): string {
  const num = String(n).padStart(2, '0');
  return locale === 'nl'
    ? `EDPB-richtsnoeren 01/2021, casus ${num} "${EDPB_CASES[n]}"`
    : `EDPB Guidelines 01/2021, Case ${num} "${EDPB_CASES[n]}"`;
}

/** The general guidelines, for situations no worked case resembles. */
export const citeGeneral = (locale: Locale): string =>
  locale === 'nl' ? 'EDPB-richtsnoeren 9/2022' : 'EDPB Guidelines 9/2022';

const isKind = (f: AssessmentFacts, ...kinds: IncidentKind[]): boolean =>
  f.incidentKind !== null && kinds.includes(f.incidentKind);

/**
 * The worked case closest to a breach in which data were (or may have been) seen or taken,
 * or null when the incident kind is unknown or "other".
 */
export function caseForDisclosure(f: AssessmentFacts): EdpbCase | null {
  if (isKind(f, 'ransomware')) return 4;
  if (isKind(f, 'break-in'))
    return f.dataCategories.includes('credentials') && f.dataCategories.length === 1 ? 7 : 5;
  if (isKind(f, 'insider')) return 8;
  if (isKind(f, 'lost-device')) return f.dataCategories.includes('sensitive') ? 12 : 11;
  if (isKind(f, 'misdelivery'))
    return f.dataCategories.some((c) => c === 'sensitive' || c === 'identity-documents')
      ? 14
      : (f.dataSubjects ?? 0) > 10
        ? 16
        : 15;
  if (isKind(f, 'social-engineering')) return f.exfiltration === 'none' ? 17 : 18;
  return null;
}

/** The worked case for a loss of availability (only ransomware has one). */
export function caseForAvailability(f: AssessmentFacts): EdpbCase | null {
  if (!isKind(f, 'ransomware')) return null;
  if (f.dataCategories.some((c) => c === 'sensitive' || c === 'vulnerable-persons')) return 3;
  return f.backupAvailable ? 1 : 2;
}

/** A citation for a disclosure, worked case if one fits, else the general guidelines. */
export function citeDisclosure(f: AssessmentFacts, locale: Locale): string {
  const n = caseForDisclosure(f);
  return n === null ? citeGeneral(locale) : citeCase(n, locale);
}
