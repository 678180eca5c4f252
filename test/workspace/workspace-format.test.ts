import { describe, expect, it } from 'vitest';
import {
  formatDate,
  formatDateTime,
  formatDuration,
  formatNumber,
  formatPercent,
} from '../../src/http/views/workspace/workspace-format.js';
import { defineTexts } from '../../src/http/views/workspace/workspace-texts.js';

const nl = { locale: 'nl' as const, timeZone: 'Europe/Amsterdam' };
const en = { locale: 'en' as const, timeZone: 'America/New_York' };

describe('workspace formatting', () => {
  it('shows date-times in the user’s zone, with the zone', () => {
    expect(formatDateTime(nl, '2026-11-27T02:45:00Z')).toBe('27 nov 2026, 03:45 CET');
    expect(formatDateTime(nl, '2026-07-01T12:00:00Z')).toBe('1 jul 2026, 14:00 CEST');
    expect(formatDateTime(en, '2026-11-27T02:45:00Z')).toMatch(/^26 Nov 2026, 21:45 (GMT-5|EST)$/);
    expect(formatDate(nl, '2026-11-27T23:30:00Z')).toBe('28 nov 2026');
    expect(formatDateTime(nl, null)).toBe('—');
  });

  it('formats numbers, percentages and durations per language', () => {
    expect(formatNumber(nl, 1234567)).toBe('1.234.567');
    expect(formatNumber(en, 1234567)).toBe('1,234,567');
    expect(formatPercent(nl, 0.25)).toBe('25%');
    expect(formatPercent(en, 0.1234)).toBe('12.3%');
    expect(formatPercent(nl, null)).toBe('—');
    expect(formatDuration(nl, 45_000)).toBe('45 s');
    expect(formatDuration(nl, 5 * 3_600_000 + 12 * 60_000)).toBe('5 u 12 min');
    expect(formatDuration(en, 5 * 3_600_000 + 12 * 60_000)).toBe('5 h 12 min');
    expect(formatDuration(en, 2 * 86_400_000 + 3 * 3_600_000)).toBe('2 d 3 h');
    expect(formatDuration(en, -90_000)).toBe('−1 min');
  });

  it('picks a screen’s texts by language', () => {
    const t = defineTexts({ nl: { hello: 'Hallo' }, en: { hello: 'Hello' } });
    expect(t('nl').hello).toBe('Hallo');
    expect(t('en').hello).toBe('Hello');
  });
});
