import { describe, expect, it } from 'vitest';
import {
  formatReferenceCode,
  layoutForId,
  normalizeReferenceCode,
  packReferenceCode,
  REFERENCE_CODE_LAYOUTS,
  unpackReferenceCode,
} from './reference-code.js';

const [SHORT, LONG] = REFERENCE_CODE_LAYOUTS as [
  (typeof REFERENCE_CODE_LAYOUTS)[number],
  (typeof REFERENCE_CODE_LAYOUTS)[number],
];

describe('reference code layout', () => {
  it('packs and unpacks the id field and the MAC, in groups of four', () => {
    const code = packReferenceCode(SHORT, 0x2a5a5a5an, 0x1234567n);
    expect(code).toMatch(/^[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}$/);
    expect(unpackReferenceCode(code)).toMatchObject({
      layout: SHORT,
      idField: 0x2a5a5a5an,
      mac: 0x1234567n,
    });
    const long = packReferenceCode(LONG, (1n << 50n) - 1n, (1n << 30n) - 1n);
    expect(long).toBe('ZZZZ-ZZZZ-ZZZZ-ZZZZ');
    expect(unpackReferenceCode(long)).toMatchObject({ layout: LONG, mac: (1n << 30n) - 1n });
    expect(packReferenceCode(SHORT, 0n, 1n)).toBe('0000-0000-0001');
  });

  it('refuses fields that do not fit', () => {
    expect(() => packReferenceCode(SHORT, 1n << 30n, 0n)).toThrow(RangeError);
    expect(() => packReferenceCode(SHORT, 0n, 1n << 30n)).toThrow(RangeError);
  });

  it('picks the short layout while the id fits, the long one after', () => {
    expect(layoutForId(1)).toBe(SHORT);
    expect(layoutForId(2 ** 30 - 1)).toBe(SHORT);
    expect(layoutForId(2 ** 30)).toBe(LONG);
    expect(() => layoutForId(0)).toThrow(RangeError);
    expect(() => layoutForId(2 ** 50)).toThrow(RangeError);
  });
});

describe('normalizeReferenceCode', () => {
  it('takes codes as people type them', () => {
    for (const typed of [
      'K7Q4-M2XP-9ABC',
      'k7q4-m2xp-9abc',
      'K7Q4 M2XP 9ABC',
      ' k7q4m2xp9abc ',
      'K7Q4–M2XP—9ABC',
      'K7Q4--M2XP-9A-BC',
    ]) {
      expect(normalizeReferenceCode(typed)).toBe('K7Q4M2XP9ABC');
    }
    // O is read as zero, I and L as one.
    expect(normalizeReferenceCode('1O00-IL00-0000')).toBe('100011000000');
  });

  it('refuses what cannot be a code', () => {
    for (const bad of [
      '',
      'K7Q4-M2XP-9AB',
      'K7Q4-M2XP-9ABCD',
      'K7Q4-M2XP-9ABU',
      'K7Q4-M2XP-9AB!',
      'K7Q4-M2XP-9ÁBC',
      '<script>alert(1)</script>',
      'x'.repeat(1000),
    ]) {
      expect(normalizeReferenceCode(bad)).toBeNull();
      expect(unpackReferenceCode(bad)).toBeNull();
    }
  });

  it('groups symbols by four', () => {
    expect(formatReferenceCode('ABCDEFGHJKMNPQRS')).toBe('ABCD-EFGH-JKMN-PQRS');
  });
});
