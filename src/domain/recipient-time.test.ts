import { describe, expect, it } from 'vitest';
import { formatRecipientDate, formatRecipientTime, recipientTimeZone } from './recipient-time.js';

const INSTALLATION = 'Europe/Amsterdam';

describe('recipientTimeZone', () => {
  it('prefers a valid time_zone or timezone attribute', () => {
    expect(
      recipientTimeZone(
        { attributes: { time_zone: 'America/New_York' }, country: 'NL' },
        INSTALLATION,
      ),
    ).toBe('America/New_York');
    expect(
      recipientTimeZone({ attributes: { timezone: 'Asia/Tokyo' }, country: null }, INSTALLATION),
    ).toBe('Asia/Tokyo');
    // Intl's canonical spelling, whatever the registry's case.
    expect(
      recipientTimeZone(
        { attributes: { time_zone: ' europe/london ' }, country: null },
        INSTALLATION,
      ),
    ).toBe('Europe/London');
  });

  it("falls back to the country's single zone when the attribute is missing or invalid", () => {
    expect(
      recipientTimeZone({ attributes: { time_zone: 'Mars/Olympus' }, country: 'GB' }, INSTALLATION),
    ).toBe('Europe/London');
    expect(recipientTimeZone({ attributes: { time_zone: 42 }, country: 'uk' }, INSTALLATION)).toBe(
      'Europe/London',
    );
    expect(recipientTimeZone({ attributes: {}, country: 'PT' }, INSTALLATION)).toBe(
      'Europe/Lisbon',
    );
    expect(recipientTimeZone({ attributes: {}, country: 'FI' }, INSTALLATION)).toBe(
      'Europe/Helsinki',
    );
  });

  it("uses the installation's zone for countries with several zones or none known", () => {
    expect(recipientTimeZone({ attributes: {}, country: 'US' }, INSTALLATION)).toBe(INSTALLATION);
    expect(recipientTimeZone({ attributes: {}, country: null }, 'Europe/London')).toBe(
      'Europe/London',
    );
    expect(
      recipientTimeZone({ attributes: { timezone: '' }, country: 'Nederland' }, INSTALLATION),
    ).toBe(INSTALLATION);
  });
});

describe('formatRecipientTime', () => {
  const at = '2026-12-07T14:05:00Z';

  it("names the zone, in the reader's language", () => {
    expect(formatRecipientTime(at, 'en', 'Europe/London')).toBe('7 December 2026 at 14:05 GMT');
    expect(formatRecipientTime(at, 'nl', 'Europe/Amsterdam')).toBe('7 december 2026 om 15:05 CET');
    expect(formatRecipientTime('2026-07-07T14:05:00Z', 'en', 'Europe/London')).toBe(
      '7 July 2026 at 15:05 BST',
    );
  });

  it('gives the day in the zone', () => {
    expect(formatRecipientDate('2026-12-07T23:30:00Z', 'en', 'Europe/London')).toBe(
      '7 December 2026',
    );
    expect(formatRecipientDate('2026-12-07T23:30:00Z', 'nl', 'Europe/Amsterdam')).toBe(
      '8 december 2026',
    );
  });
});
