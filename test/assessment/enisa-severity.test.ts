import { describe, expect, it } from 'vitest';
import {
  CB_AVAILABILITY,
  CB_CONFIDENTIALITY,
  CB_INTEGRITY,
  EI_SCORES,
  categoryScore,
  enisaSeverity,
  severityLevel,
} from '../../src/domain/assessment/enisa-severity.js';
import { facts } from './facts.js';

describe('ENISA severity: SE = DPC × EI + CB', () => {
  it('bands the score: low < 2 ≤ medium < 3 ≤ high < 4 ≤ very high', () => {
    expect(severityLevel(0)).toBe('low');
    expect(severityLevel(1.99)).toBe('low');
    expect(severityLevel(2)).toBe('medium');
    expect(severityLevel(2.99)).toBe('medium');
    expect(severityLevel(3)).toBe('high');
    expect(severityLevel(3.99)).toBe('high');
    expect(severityLevel(4)).toBe('very-high');
    expect(severityLevel(6.5)).toBe('very-high');
  });

  it.each([
    ['negligible', 0.25],
    ['limited', 0.5],
    ['significant', 0.75],
    ['maximum', 1],
  ] as const)('EI %s = %s multiplies the DPC', (identifiability, ei) => {
    expect(EI_SCORES[identifiability]).toBe(ei);
    const r = enisaSeverity(facts({ dataCategories: ['sensitive'], identifiability }));
    expect(r.dpc).toBe(4);
    expect(r.ei).toBe(ei);
    expect(r.score).toBe(4 * ei);
    expect(r.explanation[1]).toContain(`EI = ${ei}`);
  });

  it.each([
    ['none', 0],
    ['exposed', 0],
    ['known-recipients', 0.25],
    ['unknown-recipients', 0.5],
  ] as const)('loss of confidentiality %s adds %s', (confidentiality, add) => {
    expect(CB_CONFIDENTIALITY[confidentiality]).toBe(add);
    expect(enisaSeverity(facts({ confidentiality })).score).toBe(1 + add);
  });

  it.each([
    ['none', 0],
    ['recoverable', 0],
    ['unrecoverable', 0.25],
    ['unrecoverable-used', 0.5],
  ] as const)('loss of integrity %s adds %s', (integrity, add) => {
    expect(CB_INTEGRITY[integrity]).toBe(add);
    expect(enisaSeverity(facts({ integrity })).score).toBe(1 + add);
  });

  it.each([
    ['none', 0],
    ['recoverable', 0],
    ['temporary', 0.25],
    ['permanent', 0.5],
  ] as const)('loss of availability %s adds %s', (availability, add) => {
    expect(CB_AVAILABILITY[availability]).toBe(add);
    expect(enisaSeverity(facts({ availability })).score).toBe(1 + add);
  });

  it('malicious intent adds 0.5, and the CB parts add up', () => {
    expect(enisaSeverity(facts({ maliciousIntent: true })).score).toBe(1.5);
    const all = enisaSeverity(
      facts({
        confidentiality: 'unknown-recipients',
        integrity: 'unrecoverable-used',
        availability: 'permanent',
        maliciousIntent: true,
      }),
    );
    expect(all.cb).toBe(2);
    expect(all.score).toBe(3);
    expect(all.explanation[2]).toMatch(
      /^CB = 2 \(confidentiality unknown-recipients \+0.5; integrity unrecoverable-used \+0.5; availability permanent \+0.5; malicious intent yes \+0.5\)$/,
    );
  });

  describe('DPC base scores and adjustments', () => {
    const score = (
      cat: Parameters<typeof categoryScore>[0],
      input: Parameters<typeof facts>[0] = {},
    ) => categoryScore(cat, facts({ dataCategories: [cat], ...input })).score;

    it('simple data: 1; +1 profiling; +2 sensitive inference', () => {
      expect(score('simple')).toBe(1);
      expect(score('simple', { dpcContext: { profiling: true } })).toBe(2);
      expect(score('simple', { dpcContext: { sensitiveInference: true } })).toBe(3);
    });
    it('behavioural data: 2; -1 public; +1 profiling; +2 sensitive profile', () => {
      expect(score('behavioural')).toBe(2);
      expect(score('behavioural', { dpcContext: { publiclyAvailable: true } })).toBe(1);
      expect(score('behavioural', { dpcContext: { profiling: true } })).toBe(3);
      expect(score('behavioural', { dpcContext: { sensitiveInference: true } })).toBe(4);
    });
    it('financial data: 3; -2 existence only; -1 limited; +1 full', () => {
      expect(score('financial')).toBe(3);
      expect(score('financial', { dpcContext: { financialDetail: 'existence-only' } })).toBe(1);
      expect(score('financial', { dpcContext: { financialDetail: 'limited' } })).toBe(2);
      expect(score('financial', { dpcContext: { financialDetail: 'full' } })).toBe(4);
    });
    it('sensitive data: 4; -3 public; -2 general assumptions; -1 assumptions', () => {
      expect(score('sensitive')).toBe(4);
      expect(score('sensitive', { dpcContext: { publiclyAvailable: true } })).toBe(1);
      expect(score('sensitive', { dpcContext: { sensitiveDetail: 'public' } })).toBe(1);
      expect(score('sensitive', { dpcContext: { sensitiveDetail: 'general-assumptions' } })).toBe(
        2,
      );
      expect(score('sensitive', { dpcContext: { sensitiveDetail: 'assumptions' } })).toBe(3);
    });
    it('identity documents score 3 (Candor mapping: identity fraud)', () => {
      expect(score('identity-documents')).toBe(3);
    });
    it('credentials score as the data they open, at least 3 while usable; strong hashes as simple data', () => {
      const f = facts({
        dataCategories: ['credentials', 'financial'],
        passwordStorage: 'plain',
        dpcContext: { financialDetail: 'full' },
      });
      expect(categoryScore('credentials', f).score).toBe(4);
      // Issue 13: a plain-text password dump used to score 1, as a list of names.
      for (const passwordStorage of ['plain', 'weak-hash', 'none'] as const)
        expect(
          categoryScore('credentials', facts({ dataCategories: ['credentials'], passwordStorage }))
            .score,
        ).toBe(3);
      const names = enisaSeverity(facts({ dataCategories: ['simple'] })).score;
      const withPasswords = enisaSeverity(
        facts({ dataCategories: ['simple', 'credentials'], passwordStorage: 'plain' }),
      ).score;
      expect(withPasswords).toBeGreaterThan(names);
      expect(
        categoryScore(
          'credentials',
          facts({
            dataCategories: ['credentials', 'sensitive'],
            passwordStorage: 'strong-salted-hash',
          }),
        ).score,
      ).toBe(1);
    });
    it('takes the most critical category; vulnerable persons +1, invalid data -1, within 1–4', () => {
      expect(
        enisaSeverity(facts({ dataCategories: ['simple', 'financial', 'behavioural'] })).dpc,
      ).toBe(3);
      expect(enisaSeverity(facts({ dataCategories: ['simple', 'vulnerable-persons'] })).dpc).toBe(
        2,
      );
      expect(
        enisaSeverity(facts({ dataCategories: ['sensitive', 'vulnerable-persons'] })).dpc,
      ).toBe(4);
      expect(
        enisaSeverity(
          facts({ dataCategories: ['financial'], dpcContext: { invalidOrInaccurate: true } }),
        ).dpc,
      ).toBe(2);
      expect(
        enisaSeverity(
          facts({ dataCategories: ['simple'], dpcContext: { invalidOrInaccurate: true } }),
        ).dpc,
      ).toBe(1);
      expect(enisaSeverity(facts({ dataCategories: [] })).explanation[0]).toContain(
        'assumed simple data',
      );
    });
  });

  it('explains each component in one line, in English or Dutch', () => {
    const f = facts({
      dataCategories: ['financial'],
      dpcContext: { financialDetail: 'full' },
      identifiability: 'significant',
      confidentiality: 'unknown-recipients',
      maliciousIntent: true,
    });
    const en = enisaSeverity(f, 'en');
    expect(en.score).toBe(4);
    expect(en.level).toBe('very-high');
    expect(en.explanation.slice(0, 4)).toEqual([
      'DPC = 4 (financial data 3, +1: full detail)',
      'EI = 0.75 (ease of identification: significant)',
      'CB = 1 (confidentiality unknown-recipients +0.5; integrity none +0; availability none +0; malicious intent yes +0.5)',
      'SE = 4 × 0.75 + 1 = 4: very high (low < 2 ≤ medium < 3 ≤ high < 4 ≤ very high)',
    ]);
    const nl = enisaSeverity(f, 'nl');
    expect(nl.explanation[3]).toContain('zeer hoog');
    expect(nl.explanation[1]).toContain('identificeerbaarheid: aanzienlijk');
    // The circumstances in Dutch too, not the English values of the facts document.
    expect(nl.explanation[2]).toContain('vertrouwelijkheid onbekende ontvangers +0.5');
    expect(nl.explanation[2]).toContain('integriteit geen +0');
  });

  it('does not score an incident without personal data', () => {
    const r = enisaSeverity(facts({ personalData: false, dataCategories: ['sensitive'] }));
    expect(r.score).toBe(0);
    expect(r.level).toBe('low');
    expect(r.explanation[0]).toMatch(/No personal data/);
  });
});
