import { describe, expect, it } from 'vitest';
import type { AssessmentFactsInput } from '../../src/domain/assessment/assessment-facts.js';
import {
  financialLossThreshold,
  nis2Decision,
} from '../../src/domain/assessment/nis2-significance.js';
import { facts } from './facts.js';

const nis2 = (
  n: NonNullable<AssessmentFactsInput['nis2']>,
  extra: Partial<AssessmentFactsInput> = {},
) => nis2Decision(facts({ ...extra, nis2: { entityType: 'important', ...n } }));

describe('NIS2 Art. 23 significant incident (Implementing Regulation (EU) 2024/2690)', () => {
  it('does not apply outside NIS2 scope', () => {
    const d = nis2Decision(
      facts({
        nis2: {
          entityType: 'not-in-scope',
          serviceType: 'cloud',
          unavailability: 'complete',
          unavailabilityMinutes: 600,
        },
      }),
    );
    expect(d.significant).toBe(false);
    expect(d.reasons[0]).toContain('not in scope');
  });

  it('Art. 3(1)(a): loss above EUR 500 000 or 5 % of turnover, whichever is lower', () => {
    expect(financialLossThreshold(null)).toBe(500_000);
    expect(financialLossThreshold(1_000_000)).toBe(50_000);
    expect(financialLossThreshold(100_000_000)).toBe(500_000);
    expect(nis2({ financialLossEur: 500_000 }).significant).toBe(false);
    expect(nis2({ financialLossEur: 500_001 }).significant).toBe(true);
    expect(
      nis2({ financialLossEur: 50_001, annualTurnoverEur: 1_000_000 }).reasons.join(),
    ).toContain('Art. 3(1)(a)');
    expect(nis2({ financialLossEur: 50_000, annualTurnoverEur: 1_000_000 }).significant).toBe(
      false,
    );
  });

  it.each([
    ['tradeSecretsExfiltrated', 'Art. 3(1)(b)'],
    ['deathCaused', 'Art. 3(1)(c)'],
    ['healthDamage', 'Art. 3(1)(d)'],
    ['maliciousAccessSevereDisruption', 'Art. 3(1)(e)'],
  ] as const)('general criterion %s (%s)', (field, article) => {
    const d = nis2({ [field]: true });
    expect(d.significant).toBe(true);
    expect(d.reasons.join('\n')).toContain(article);
  });

  describe('cloud computing (Art. 7)', () => {
    it('(a) complete unavailability for more than 30 minutes', () => {
      expect(
        nis2({ serviceType: 'cloud', unavailability: 'complete', unavailabilityMinutes: 30 })
          .significant,
      ).toBe(false);
      const d = nis2({
        serviceType: 'cloud',
        unavailability: 'complete',
        unavailabilityMinutes: 31,
      });
      expect(d.significant).toBe(true);
      expect(d.reasons.join()).toContain('Art. 7(a)');
    });
    it('(b) limited availability for > 5 % or > 1 million EU users for more than an hour', () => {
      const limited = {
        serviceType: 'cloud',
        unavailability: 'limited',
        unavailabilityMinutes: 61,
      } as const;
      expect(
        nis2({ ...limited, euUsersAffectedPercent: 5, usersAffected: 1_000_000 }).significant,
      ).toBe(false);
      expect(nis2({ ...limited, euUsersAffectedPercent: 5.1 }).reasons.join()).toContain(
        'Art. 7(b)',
      );
      expect(
        nis2({ ...limited, usersAffected: 1_000_001, euUsersAffectedPercent: 1 }).significant,
      ).toBe(true);
      expect(
        nis2({ ...limited, unavailabilityMinutes: 60, euUsersAffectedPercent: 50 }).significant,
      ).toBe(false);
    });
    it('(c) data compromised by a suspectedly malicious action', () => {
      expect(nis2({ serviceType: 'cloud', dataCompromised: true }).significant).toBe(false);
      const d = nis2({ serviceType: 'cloud', dataCompromised: true }, { maliciousIntent: true });
      expect(d.reasons.join()).toContain('Art. 7(c)');
      // Exfiltrated personal data count as compromised service data.
      expect(
        nis2({ serviceType: 'cloud' }, { exfiltration: 'confirmed', maliciousIntent: true })
          .significant,
      ).toBe(true);
    });
    it('(d) data compromised for > 5 % or > 1 million EU users', () => {
      const d = nis2({ serviceType: 'cloud', dataCompromised: true, euUsersAffectedPercent: 6 });
      expect(d.reasons.join()).toContain('Art. 7(d)');
      expect(
        nis2({ serviceType: 'cloud', dataCompromised: true, euUsersAffectedPercent: 4 })
          .significant,
      ).toBe(false);
    });
  });

  describe('data centre (Art. 8)', () => {
    it('(a) complete unavailability, of any duration', () => {
      expect(
        nis2({
          serviceType: 'data-centre',
          unavailability: 'complete',
          unavailabilityMinutes: 5,
        }).reasons.join(),
      ).toContain('Art. 8(a)');
    });
    it('(b) limited availability for more than an hour', () => {
      expect(
        nis2({ serviceType: 'data-centre', unavailability: 'limited', unavailabilityMinutes: 60 })
          .significant,
      ).toBe(false);
      expect(
        nis2({
          serviceType: 'data-centre',
          unavailability: 'limited',
          unavailabilityMinutes: 61,
        }).reasons.join(),
      ).toContain('Art. 8(b)');
    });
    it('(c) malicious compromise and (d) physical access', () => {
      expect(
        nis2(
          { serviceType: 'data-centre', dataCompromised: true },
          { maliciousIntent: true },
        ).reasons.join(),
      ).toContain('Art. 8(c)');
      expect(
        nis2({ serviceType: 'data-centre', physicalAccessCompromised: true }).reasons.join(),
      ).toContain('Art. 8(d)');
    });
  });

  it('other services: only the general criteria, said so', () => {
    const d = nis2({
      serviceType: 'other',
      unavailability: 'complete',
      unavailabilityMinutes: 600,
    });
    expect(d.significant).toBe(false);
    expect(d.reasons[0]).toContain('only these are modelled');
  });

  it('a significant incident lists the 24 h / 72 h / one month reports', () => {
    const d = nis2({ serviceType: 'cloud', unavailability: 'complete', unavailabilityMinutes: 45 });
    expect(d.reasons[0]).toContain('NIS2 Art. 23(3)');
    expect(d.reasons[0]).toContain('early warning within 24 h');
  });
});
