import { describe, expect, it } from 'vitest';
import { assess, effectiveDecision } from '../../src/domain/assessment/notification-decision.js';
import { facts, WEB12_BREACH } from './facts.js';

// The worked cases of EDPB Guidelines 01/2021 (examples regarding personal data breach
// notification), with the outcome the EDPB gives for each, plus the rules of Art. 34(3).

const cite = (reasons: string[], text: string) => expect(reasons.join('\n')).toContain(text);

describe('GDPR Art. 33/34 advice on the EDPB worked cases', () => {
  it('ransomware with proper backup and without exfiltration: no notification, only the register', () => {
    const a = assess(
      facts({
        dataCategories: ['simple', 'financial'],
        availability: 'temporary',
        backupAvailable: true,
        restoreHours: 4,
        maliciousIntent: true,
        incidentKind: 'ransomware',
      }),
    );
    expect(a.authority.notify).toBe(false);
    expect(a.subjects.notify).toBe(false);
    cite(a.authority.reasons, 'Ransomware with proper backup and without exfiltration');
    cite(a.authority.reasons, 'GDPR Art. 33(5)');
  });

  it('ransomware without proper backup: notify the authority', () => {
    const a = assess(
      facts({
        dataCategories: ['simple'],
        availability: 'permanent',
        backupAvailable: false,
        maliciousIntent: true,
        incidentKind: 'ransomware',
      }),
    );
    expect(a.authority.notify).toBe(true);
    cite(a.authority.reasons, 'GDPR Art. 33(1)');
    cite(a.authority.reasons, 'Ransomware without proper backup');
  });

  it('ransomware in a hospital, restore takes days: notify authority and patients', () => {
    const a = assess(
      facts({
        dataCategories: ['sensitive'],
        availability: 'temporary',
        backupAvailable: true,
        restoreHours: 48,
        maliciousIntent: true,
      }),
    );
    expect(a.authority.notify).toBe(true);
    expect(a.subjects.notify).toBe(true);
    expect(a.severity.level).toBe('very-high');
  });

  it('ransomware without backup and with exfiltration: notify both', () => {
    const a = assess(
      facts({
        dataCategories: ['simple', 'financial'],
        confidentiality: 'unknown-recipients',
        exfiltration: 'confirmed',
        availability: 'permanent',
        maliciousIntent: true,
      }),
    );
    expect(a.authority.notify).toBe(true);
    expect(a.subjects.notify).toBe(true);
    cite(a.authority.reasons, 'Exfiltration confirmed');
  });

  it('exfiltration of strongly hashed passwords only: no notification', () => {
    const a = assess(
      facts({
        dataCategories: ['credentials'],
        passwordStorage: 'strong-salted-hash',
        confidentiality: 'unknown-recipients',
        exfiltration: 'confirmed',
        maliciousIntent: true,
      }),
    );
    expect(a.authority.notify).toBe(false);
    expect(a.subjects.notify).toBe(false);
    cite(a.authority.reasons, 'Exfiltration of hashed password from a website');
  });

  it('exfiltration of weakly hashed credentials with names and emails (the web12 breach): notify both', () => {
    const a = assess(facts(WEB12_BREACH));
    // Usable (weakly hashed) passwords score 3 as data: 3 × 1 + 0.5 + 0.5 (issue 13).
    expect(a.severity).toMatchObject({ score: 4, level: 'very-high' });
    expect(a.authority.notify).toBe(true);
    expect(a.subjects.notify).toBe(true);
    expect(a.subjects.publicCommunication).toBe(false);
    cite(a.subjects.reasons, 'passwords stored with a weak hash');
    cite(a.subjects.reasons, 'GDPR Art. 34(1)');
  });

  it('exfiltration of job applications with identity documents: notify both', () => {
    const a = assess(
      facts({
        dataCategories: ['simple', 'identity-documents'],
        confidentiality: 'unknown-recipients',
        exfiltration: 'confirmed',
        maliciousIntent: true,
      }),
    );
    expect(a.authority.notify).toBe(true);
    expect(a.subjects.notify).toBe(true);
    cite(a.subjects.reasons, 'identity theft');
  });

  it('accidental transmission to a trusted third party who deleted the data: no notification', () => {
    const a = assess(
      facts({
        dataCategories: ['simple', 'financial'],
        confidentiality: 'known-recipients',
        recipientsKnownTrusted: true,
        deletionConfirmed: true,
      }),
    );
    expect(a.authority.notify).toBe(false);
    expect(a.subjects.notify).toBe(false);
    cite(a.authority.reasons, 'trusted recipient');
  });

  it('a mis-sent email with participant names to untrusted recipients: authority yes, persons no', () => {
    const a = assess(
      facts({ dataCategories: ['simple'], confidentiality: 'known-recipients', dataSubjects: 15 }),
    );
    expect(a.severity.level).toBe('low');
    expect(a.authority.notify).toBe(true);
    expect(a.subjects.notify).toBe(false);
    cite(a.subjects.reasons, 'Art. 34(4)');
  });

  it('highly confidential (health) data mailed by mistake: notify both', () => {
    const a = assess(
      facts({
        dataCategories: ['simple', 'sensitive'],
        confidentiality: 'known-recipients',
        dataSubjects: 60,
      }),
    );
    expect(a.authority.notify).toBe(true);
    expect(a.subjects.notify).toBe(true);
    cite(a.subjects.reasons, 'special categories');
  });

  it('stolen device with state-of-the-art encryption, key safe, backup: no notification', () => {
    const a = assess(
      facts({
        dataCategories: ['simple', 'sensitive'],
        confidentiality: 'unknown-recipients',
        encryption: 'state-of-the-art-key-safe',
        availability: 'recoverable',
        backupAvailable: true,
        maliciousIntent: true,
        incidentKind: 'lost-device',
      }),
    );
    expect(a.authority.notify).toBe(false);
    expect(a.subjects.notify).toBe(false);
    cite(a.authority.reasons, 'Stolen material storing encrypted personal data');
  });

  it('stolen device without encryption and without backup: notify both', () => {
    const a = assess(
      facts({
        dataCategories: ['simple', 'sensitive'],
        confidentiality: 'unknown-recipients',
        availability: 'permanent',
        maliciousIntent: true,
      }),
    );
    expect(a.authority.notify).toBe(true);
    expect(a.subjects.notify).toBe(true);
  });

  it('key compromised: encryption does not help', () => {
    const a = assess(
      facts({
        dataCategories: ['simple'],
        confidentiality: 'unknown-recipients',
        encryption: 'key-compromised',
      }),
    );
    expect(a.authority.notify).toBe(true);
  });
});

describe('GDPR Art. 34(3) exceptions', () => {
  it('(a) unintelligible data: high risk, but no communication', () => {
    const a = assess(
      facts({
        dataCategories: ['sensitive'],
        confidentiality: 'unknown-recipients',
        encryption: 'state-of-the-art-key-safe',
        availability: 'temporary',
      }),
    );
    expect(a.authority.notify).toBe(true);
    expect(a.subjects.notify).toBe(false);
    cite(a.subjects.reasons, 'GDPR Art. 34(3)(a)');
  });

  it('(b) subsequent measures: no communication', () => {
    const a = assess(facts({ ...WEB12_BREACH, subsequentMeasures: true }));
    expect(a.authority.notify).toBe(true);
    expect(a.subjects.notify).toBe(false);
    cite(a.subjects.reasons, 'GDPR Art. 34(3)(b)');
  });

  it('(c) disproportionate effort: a public communication instead', () => {
    const a = assess(facts({ ...WEB12_BREACH, disproportionateEffort: true }));
    expect(a.subjects).toMatchObject({ notify: true, publicCommunication: true });
    cite(a.subjects.reasons, 'GDPR Art. 34(3)(c)');
  });

  it('no personal data: Art. 33/34 do not apply', () => {
    const a = assess(facts({ personalData: false, confidentiality: 'unknown-recipients' }));
    expect(a.authority.notify).toBe(false);
    expect(a.subjects.notify).toBe(false);
    cite(a.authority.reasons, 'GDPR Art. 4(12)');
  });

  it('cross-border processing names the lead authority; reasons come in Dutch too', () => {
    const a = assess(facts({ ...WEB12_BREACH, crossBorder: true }));
    cite(a.authority.reasons, 'GDPR Art. 56(1)');
    const nl = assess(facts({ ...WEB12_BREACH, crossBorder: true }), 'nl');
    cite(nl.authority.reasons, 'AVG art. 33 lid 1');
    cite(nl.authority.reasons, 'AVG art. 56 lid 1');
  });
});

describe('effective decision', () => {
  const advice = assess(facts(WEB12_BREACH));
  it('is the advice without overrides', () => {
    const e = effectiveDecision(true, advice, []);
    expect(e.authority).toEqual({ notify: true, source: 'advice', rationale: null });
    expect(e.nis2.significant).toBe(false);
  });
  it('takes the latest override per decision', () => {
    const e = effectiveDecision(true, advice, [
      { decision: 'subjects', notify: false, publicCommunication: null, rationale: 'first' },
      { decision: 'subjects', notify: true, publicCommunication: true, rationale: 'second' },
      {
        decision: 'nis2',
        notify: true,
        publicCommunication: null,
        rationale: 'cloud customers affected',
      },
    ]);
    expect(e.subjects).toEqual({
      notify: true,
      publicCommunication: true,
      source: 'override',
      rationale: 'second',
    });
    expect(e.nis2).toEqual({
      significant: true,
      source: 'override',
      rationale: 'cloud customers affected',
    });
    expect(e.authority.source).toBe('advice');
  });
});
