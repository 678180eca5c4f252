import { describe, expect, it } from 'vitest';
import { checkPlainText, medianMs, retryAt } from './question.js';

describe('checkPlainText', () => {
  it('keeps newlines, normalises CRLF, trims', () => {
    expect(checkPlainText('  Hoi\r\nDag\r\n ', 100)).toEqual({ ok: true, text: 'Hoi\nDag' });
  });
  it('counts characters, not UTF-16 units', () => {
    expect(checkPlainText('😀'.repeat(10), 10).ok).toBe(true);
    expect(checkPlainText('😀'.repeat(11), 10)).toEqual({
      ok: false,
      problem: { kind: 'too-long', length: 11, max: 10 },
    });
  });
  it('refuses control characters and direction overrides with their position', () => {
    expect(checkPlainText('ab\u0007c', 10)).toEqual({
      ok: false,
      problem: { kind: 'control', position: 3, code: 'U+0007' },
    });
    expect(checkPlainText('a\tb', 10).ok).toBe(false);
    expect(checkPlainText('x\u202Ey', 10).ok).toBe(false);
    expect(checkPlainText(' \n ', 10)).toEqual({ ok: false, problem: { kind: 'empty' } });
  });
});

describe('retryAt and medianMs', () => {
  it('frees a slot when the oldest question leaves the window', () => {
    expect(retryAt({ count: 4, oldest: '2026-12-07T10:00:00.000Z' }, 5, 3_600_000)).toBeNull();
    expect(retryAt({ count: 5, oldest: '2026-12-07T10:00:00.000Z' }, 5, 3_600_000)).toBe(
      '2026-12-07T11:00:00.000Z',
    );
  });
  it('takes the middle, or the mean of the middle two', () => {
    expect(medianMs([])).toBeNull();
    expect(medianMs([30, 10, 20])).toBe(20);
    expect(medianMs([40, 10, 20, 30])).toBe(25);
  });
});
