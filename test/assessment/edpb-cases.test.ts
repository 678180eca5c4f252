import { describe, expect, it } from 'vitest';
import { assessmentFactsSchema } from '../../src/domain/assessment/assessment-facts.js';
import { enisaSeverity } from '../../src/domain/assessment/enisa-severity.js';
import { assess, SMALL_SCALE_SUBJECTS } from '../../src/domain/assessment/notification-decision.js';
import { facts, WEB12_BREACH } from './facts.js';

// Issue 13: the Art. 33 outcome weighs severity and scale, the reasons cite the EDPB case
// that resembles the breach, and nothing the user did not say is assumed as an answer.
// The table is the EDPB's own outcome per worked case (Guidelines 01/2021, version 2.0)
// and per example of Guidelines 9/2022 Annex B, each modelled as facts; docs/assessment.md
// has the same table with the caveats of the modelling.

interface Row {
  source: string;
  input: Parameters<typeof facts>[0];
  authority: boolean;
  /** null: the EDPB makes it depend on details the example does not fix. */
  subjects: boolean | null;
}

const TABLE: Row[] = [
  {
    source: '01/2021 Case 01: ransomware with proper backup, no exfiltration',
    input: {
      incidentKind: 'ransomware',
      dataCategories: ['simple', 'financial'],
      availability: 'temporary',
      backupAvailable: true,
      restoreHours: 5,
      maliciousIntent: true,
      dataSubjects: 2000,
    },
    authority: false,
    subjects: false,
  },
  {
    source: '01/2021 Case 02: ransomware without proper backup',
    input: {
      incidentKind: 'ransomware',
      dataCategories: ['simple'],
      availability: 'permanent',
      maliciousIntent: true,
      dataSubjects: 300,
    },
    authority: true,
    subjects: false,
  },
  {
    source: '01/2021 Case 03: ransomware in a hospital',
    input: {
      incidentKind: 'ransomware',
      dataCategories: ['sensitive'],
      availability: 'temporary',
      backupAvailable: true,
      restoreHours: 48,
      maliciousIntent: true,
    },
    authority: true,
    subjects: true,
  },
  {
    source: '01/2021 Case 04: ransomware without backup and with exfiltration',
    input: {
      incidentKind: 'ransomware',
      dataCategories: ['simple', 'financial'],
      confidentiality: 'unknown-recipients',
      exfiltration: 'confirmed',
      availability: 'permanent',
      maliciousIntent: true,
      dataSubjects: 5000,
    },
    authority: true,
    subjects: true,
  },
  {
    source: '01/2021 Case 05: job application data exfiltrated from a website',
    input: {
      incidentKind: 'break-in',
      dataCategories: ['simple', 'identity-documents'],
      confidentiality: 'unknown-recipients',
      exfiltration: 'confirmed',
      maliciousIntent: true,
      dataSubjects: 213,
    },
    authority: true,
    subjects: true,
  },
  {
    source: '01/2021 Case 06: strongly hashed passwords exfiltrated from a website',
    input: {
      incidentKind: 'break-in',
      dataCategories: ['credentials'],
      passwordStorage: 'strong-salted-hash',
      confidentiality: 'unknown-recipients',
      exfiltration: 'confirmed',
      maliciousIntent: true,
      dataSubjects: 1200,
    },
    authority: false,
    subjects: false,
  },
  {
    source: '01/2021 Case 07: credential stuffing on a banking website',
    input: {
      incidentKind: 'break-in',
      dataCategories: ['credentials', 'financial'],
      passwordStorage: 'plain',
      dpcContext: { financialDetail: 'full' },
      confidentiality: 'unknown-recipients',
      maliciousIntent: true,
      dataSubjects: 2000,
    },
    authority: true,
    subjects: true,
  },
  {
    source: '01/2021 Case 08: business data taken by a former employee',
    input: {
      incidentKind: 'insider',
      dataCategories: ['simple'],
      confidentiality: 'known-recipients',
      exfiltration: 'confirmed',
      maliciousIntent: true,
      dataSubjects: 1500,
    },
    authority: true,
    subjects: false,
  },
  {
    source: '01/2021 Case 09: accidental transmission to a trusted third party',
    input: {
      incidentKind: 'insider',
      dataCategories: ['simple', 'financial'],
      confidentiality: 'known-recipients',
      recipientsKnownTrusted: true,
      deletionConfirmed: true,
      dataSubjects: 400,
    },
    authority: false,
    subjects: false,
  },
  {
    source: '01/2021 Case 10: stolen material with encrypted data',
    input: {
      incidentKind: 'lost-device',
      dataCategories: ['simple', 'financial'],
      confidentiality: 'unknown-recipients',
      encryption: 'state-of-the-art-key-safe',
      availability: 'recoverable',
      backupAvailable: true,
      maliciousIntent: true,
      dataSubjects: 3000,
    },
    authority: false,
    subjects: false,
  },
  {
    source: '01/2021 Case 11: stolen laptop, unencrypted, no backup, >100 000 customers',
    input: {
      incidentKind: 'lost-device',
      dataCategories: ['simple'],
      confidentiality: 'unknown-recipients',
      availability: 'permanent',
      maliciousIntent: true,
      dataSubjects: 100_000,
    },
    authority: true,
    subjects: true,
  },
  {
    source: '01/2021 Case 12: stolen paper files with sensitive data',
    input: {
      incidentKind: 'lost-device',
      dataCategories: ['sensitive'],
      confidentiality: 'unknown-recipients',
      availability: 'permanent',
      maliciousIntent: true,
      dataSubjects: 150,
    },
    authority: true,
    subjects: true,
  },
  {
    source: '01/2021 Case 13: postal mail mistake, two customers got each other’s invoice',
    input: {
      incidentKind: 'misdelivery',
      dataCategories: ['simple'],
      confidentiality: 'known-recipients',
      dataSubjects: 2,
    },
    authority: false,
    subjects: false,
  },
  {
    source: '01/2021 Case 14: highly confidential (health) data mailed by mistake',
    input: {
      incidentKind: 'misdelivery',
      dataCategories: ['simple', 'sensitive'],
      confidentiality: 'known-recipients',
      dataSubjects: 60,
    },
    authority: true,
    subjects: true,
  },
  {
    source: '01/2021 Case 17: identity theft through a call centre',
    input: {
      incidentKind: 'social-engineering',
      dataCategories: ['simple', 'financial'],
      dpcContext: { financialDetail: 'limited' },
      confidentiality: 'unknown-recipients',
      maliciousIntent: true,
      dataSubjects: 1,
    },
    authority: true,
    subjects: true,
  },
  {
    source: '9/2022 Annex B: encrypted backup on a stolen USB key',
    input: {
      incidentKind: 'lost-device',
      dataCategories: ['simple'],
      confidentiality: 'unknown-recipients',
      encryption: 'state-of-the-art-key-safe',
      availability: 'recoverable',
      backupAvailable: true,
      maliciousIntent: true,
    },
    authority: false,
    subjects: false,
  },
  {
    source: '9/2022 Annex B: a power outage of minutes at a call centre',
    input: { incidentKind: 'other', dataCategories: ['simple'], availability: 'recoverable' },
    authority: false,
    subjects: false,
  },
  {
    source: '9/2022 Annex B: online service, data exfiltrated in a cyber attack',
    input: {
      incidentKind: 'break-in',
      dataCategories: ['simple'],
      confidentiality: 'unknown-recipients',
      exfiltration: 'confirmed',
      maliciousIntent: true,
    },
    authority: true,
    subjects: null,
  },
  {
    source: '9/2022 Annex B: bank statement sent to another customer',
    input: {
      incidentKind: 'misdelivery',
      dataCategories: ['simple', 'financial'],
      confidentiality: 'known-recipients',
      dataSubjects: 1,
    },
    authority: true,
    subjects: null,
  },
  {
    source: '9/2022 Annex B: marketing e-mail with the addresses in To/Cc, a handful',
    input: {
      incidentKind: 'misdelivery',
      dataCategories: ['simple'],
      confidentiality: 'known-recipients',
      dataSubjects: 8,
    },
    authority: false,
    subjects: false,
  },
  {
    source: '9/2022 Annex B: marketing e-mail with the addresses in To/Cc, a large number',
    input: {
      incidentKind: 'misdelivery',
      dataCategories: ['simple'],
      confidentiality: 'known-recipients',
      dataSubjects: 5000,
    },
    authority: true,
    subjects: null,
  },
];

describe('Art. 33/34 outcome against the EDPB examples', () => {
  it.each(TABLE.map((r) => [r.source, r] as const))('%s', (_source, row) => {
    const a = assess(facts(row.input));
    expect(a.authority.notify).toBe(row.authority);
    if (row.subjects !== null) expect(a.subjects.notify).toBe(row.subjects);
  });
});

describe('severity and scale (issue 13)', () => {
  const misdelivery = (dataSubjects: number) =>
    facts({
      incidentKind: 'misdelivery',
      dataCategories: ['simple'],
      confidentiality: 'known-recipients',
      dataSubjects,
    });

  it('a low-severity misdelivery of ordinary data to a couple of customers is not reportable', () => {
    const a = assess(misdelivery(2));
    expect(a.severity.level).toBe('low');
    expect(a.authority.notify).toBe(false);
    expect(a.authority.reasons.join('\n')).toContain('Case 13 "Postal mail mistake"');
    expect(a.authority.reasons.join('\n')).toContain('GDPR Art. 33(5)');
  });

  it('the same mistake becomes reportable above the small-scale bound or when unknown', () => {
    expect(assess(misdelivery(SMALL_SCALE_SUBJECTS)).authority.notify).toBe(false);
    expect(assess(misdelivery(SMALL_SCALE_SUBJECTS + 1)).authority.notify).toBe(true);
    expect(
      assess(facts({ dataCategories: ['simple'], confidentiality: 'known-recipients' })).authority
        .notify,
    ).toBe(true);
  });

  it('the number of people raises the level, and says so', () => {
    expect(enisaSeverity(misdelivery(50)).level).toBe('low');
    expect(enisaSeverity(misdelivery(5_000)).level).toBe('medium');
    const big = enisaSeverity(misdelivery(250_000), 'nl');
    expect(big.level).toBe('high');
    expect(big.explanation.join('\n')).toContain('verhoogt het niveau van laag naar hoog');
    // The score itself stays ENISA's.
    expect(big.score).toBe(enisaSeverity(misdelivery(50)).score);
  });

  it('a large number of people turns a medium breach into one the persons must hear about', () => {
    const few = assess(
      facts({
        dataCategories: ['simple'],
        confidentiality: 'unknown-recipients',
        exfiltration: 'confirmed',
        maliciousIntent: true,
        dataSubjects: 40,
      }),
    );
    const many = assess(
      facts({
        dataCategories: ['simple'],
        confidentiality: 'unknown-recipients',
        exfiltration: 'confirmed',
        maliciousIntent: true,
        dataSubjects: 40_000,
      }),
    );
    expect(few.subjects.notify).toBe(false);
    expect(many.subjects.notify).toBe(true);
  });
});

describe('the reasons cite the EDPB case that matches what happened', () => {
  const all = (a: ReturnType<typeof assess>) =>
    [...a.authority.reasons, ...a.subjects.reasons].join('\n');

  it('a control-panel break-in cites the exfiltration cases, never ransomware', () => {
    const text = all(assess(facts(WEB12_BREACH)));
    expect(text).toContain('Case 05 "Exfiltration of job application data from a website"');
    expect(text).not.toMatch(/ransomware/i);
  });

  it('ransomware cites the ransomware cases by backup and exfiltration', () => {
    const base = {
      incidentKind: 'ransomware' as const,
      dataCategories: ['simple' as const],
      maliciousIntent: true,
    };
    expect(all(assess(facts({ ...base, availability: 'permanent' })))).toContain('Case 02');
    expect(
      all(
        assess(
          facts({
            ...base,
            availability: 'permanent',
            exfiltration: 'confirmed',
            confidentiality: 'unknown-recipients',
          }),
        ),
      ),
    ).toContain('Case 04');
  });

  it.each([
    ['insider', 'Case 08'],
    ['lost-device', 'Case 11'],
    ['social-engineering', 'Case 18'],
  ] as const)('%s cites %s', (incidentKind, expected) => {
    const text = all(
      assess(
        facts({
          incidentKind,
          dataCategories: ['simple'],
          confidentiality: 'unknown-recipients',
          exfiltration: 'confirmed',
          maliciousIntent: true,
        }),
      ),
    );
    expect(text).toContain(expected);
    expect(text).not.toMatch(/ransomware/i);
  });

  it('without a stated kind it cites the general guidelines, not a worked case', () => {
    const text = all(
      assess(
        facts({
          dataCategories: ['simple'],
          confidentiality: 'unknown-recipients',
          exfiltration: 'confirmed',
          availability: 'permanent',
        }),
      ),
    );
    expect(text).toContain('EDPB Guidelines 9/2022');
    expect(text).not.toMatch(/Case \d\d/);
  });
});

describe('no surprising defaults (issue 13)', () => {
  it('a fresh facts document answers nothing the user did not say', () => {
    const f = assessmentFactsSchema.parse({ personalData: true });
    expect(f.identifiability).toBeNull();
    expect(f.dpcContext.financialDetail).toBeNull();
    expect(f.dpcContext.sensitiveDetail).toBeNull();
    expect(f.incidentKind).toBeNull();
  });

  it('an unanswered ease of identification is scored cautiously and says it was assumed', () => {
    const s = enisaSeverity(facts({ dataCategories: ['simple'] }));
    expect(s.ei).toBe(1);
    expect(s.explanation.join('\n')).toContain('not answered, the cautious value is assumed');
  });
});
