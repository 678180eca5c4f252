import { describe, expect, it } from 'vitest';
import { localInputToUtc, utcToLocalInput } from './case-workspace-time.js';

describe('datetime-local in the user time zone', () => {
  it('reads winter and summer time in Amsterdam', () => {
    expect(localInputToUtc('2026-11-27T03:12', 'Europe/Amsterdam')).toBe(
      '2026-11-27T02:12:00.000Z',
    );
    expect(localInputToUtc('2026-07-01T03:12', 'Europe/Amsterdam')).toBe(
      '2026-07-01T01:12:00.000Z',
    );
    expect(localInputToUtc('2026-07-01T03:12:30', 'UTC')).toBe('2026-07-01T03:12:30.000Z');
    expect(localInputToUtc('2026-07-01T09:00', 'America/New_York')).toBe(
      '2026-07-01T13:00:00.000Z',
    );
  });

  it('settles around the daylight-saving changes', () => {
    // 02:30 on 29 March does not exist in Amsterdam; it lands one hour on, never crashes.
    expect(localInputToUtc('2026-03-29T01:59', 'Europe/Amsterdam')).toBe(
      '2026-03-29T00:59:00.000Z',
    );
    expect(localInputToUtc('2026-03-29T03:00', 'Europe/Amsterdam')).toBe(
      '2026-03-29T01:00:00.000Z',
    );
    expect(localInputToUtc('2026-10-25T01:30', 'Europe/Amsterdam')).toBe(
      '2026-10-24T23:30:00.000Z',
    );
  });

  it('refuses what is not a date and time', () => {
    for (const bad of [
      '',
      'yesterday',
      '2026-02-31T10:00',
      '2026-13-01T10:00',
      '2026-11-27T24:00',
      '2026-11-27 03:12',
    ]) {
      expect(localInputToUtc(bad, 'Europe/Amsterdam')).toBeNull();
    }
  });

  it('turns a stored instant back into the form value', () => {
    expect(utcToLocalInput('2026-07-01T01:12:00.000Z', 'Europe/Amsterdam')).toBe(
      '2026-07-01T03:12',
    );
    expect(utcToLocalInput('2026-11-27T02:12:00.000Z', 'Europe/Amsterdam')).toBe(
      '2026-11-27T03:12',
    );
  });
});
