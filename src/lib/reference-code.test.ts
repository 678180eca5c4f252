import { describe, expect, it } from 'vitest';
import { canonicalCode, deliveryIdOfCode, referenceCode } from './reference-code.js';

const secret = Buffer.from('test-secret-test-secret-test-secret-0123');
const other = Buffer.from('another-secret-another-secret-another-01');

/** The code with one symbol replaced by another valid symbol. */
function flip(code: string, at: number): string {
  const c = code[at]!;
  return `${code.slice(0, at)}${c === '7' ? '8' : '7'}${code.slice(at + 1)}`;
}

describe('reference codes', () => {
  it('round-trips delivery ids through their code', () => {
    for (const id of [1, 2, 3, 42, 999_999, 2 ** 30 - 1, 2 ** 30, 2 ** 40 + 7, 2 ** 50 - 1]) {
      const code = referenceCode(secret, id);
      expect(code).toMatch(
        id < 2 ** 30 ? /^(?:[0-9A-Z]{4}-){2}[0-9A-Z]{4}$/ : /^(?:[0-9A-Z]{4}-){3}[0-9A-Z]{4}$/,
      );
      expect(deliveryIdOfCode(secret, code)).toBe(id);
    }
  });

  it('is the same code every time, and neighbouring ids look unrelated', () => {
    expect(referenceCode(secret, 1000)).toBe(referenceCode(secret, 1000));
    const a = referenceCode(secret, 1000).replace(/-/g, '');
    const b = referenceCode(secret, 1001).replace(/-/g, '');
    const same = [...a].filter((c, i) => b[i] === c).length;
    expect(same).toBeLessThan(6);
  });

  it('reads codes typed in lower case, with spaces, without dashes, O for 0 and I/L for 1', () => {
    const code = referenceCode(secret, 4711);
    const typed = code.toLowerCase().replace(/-/g, ' ').replace(/0/g, 'o').replace(/1/g, 'l');
    expect(deliveryIdOfCode(secret, typed)).toBe(4711);
    expect(deliveryIdOfCode(secret, code.replace(/-/g, ''))).toBe(4711);
    expect(canonicalCode(typed)).toBe(code);
  });

  it('refuses a code with any one symbol changed', () => {
    const code = referenceCode(secret, 4711);
    for (let at = 0; at < code.length; at++) {
      if (code[at] === '-') continue;
      expect(deliveryIdOfCode(secret, flip(code, at))).toBeNull();
    }
  });

  it("refuses another installation's code", () => {
    for (const id of [1, 4711, 2 ** 35]) {
      expect(deliveryIdOfCode(other, referenceCode(secret, id))).toBeNull();
      expect(referenceCode(other, id)).not.toBe(referenceCode(secret, id));
    }
  });

  it('refuses malformed input without throwing', () => {
    for (const bad of ['', 'abc', 'K7Q4-M2XP-9AB', '0000-0000-0000', 'ZZZZ-ZZZZ-ZZZZ-ZZZZ', '💥']) {
      expect(deliveryIdOfCode(secret, bad)).toBeNull();
    }
  });
});
