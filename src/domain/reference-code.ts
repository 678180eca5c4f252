/**
 * The reference code every personal notice carries ("K7Q4-M2XP-9ABC"), so that a reader can
 * check at /security/verify that a message is really ours. This module is the pure part: the
 * alphabet, tolerant parsing, grouping and how the bits are laid out. Which bits go in (a
 * masked delivery id and a MAC under the installation's key) is decided in
 * src/lib/reference-code.ts.
 *
 * Layout (Crockford base32, 5 bits a symbol, most significant symbol first):
 *
 * | symbols | bits | id field (high bits) | MAC (low bits) | delivery ids          |
 * |---------|------|----------------------|----------------|-----------------------|
 * | 12      | 60   | 30                   | 30             | 1 … 2^30 − 1          |
 * | 16      | 80   | 50                   | 30             | 2^30 … 2^50 − 1       |
 *
 * A delivery id has exactly one code: the short layout while it fits, else the long one.
 */

/** Crockford's base32: digits and letters without I, L, O and U (no look-alikes, no words). */
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const VALUES = new Map<string, number>([...ALPHABET].map((c, i) => [c, i]));
// Read as the symbols they look like, as Crockford specifies.
const LOOK_ALIKES: Readonly<Record<string, string>> = { O: '0', I: '1', L: '1' };
/** Spaces and every kind of dash a mail client or a person may put in. */
const SEPARATORS = /[\s\-\u2010-\u2015\u2212\u00ad.]/g;

export interface ReferenceCodeLayout {
  /** Symbols in the code, dashes not counted. */
  symbols: number;
  /** Bits of the (masked) delivery id. */
  idBits: number;
  /** Bits of the MAC. */
  macBits: number;
}

export const REFERENCE_CODE_LAYOUTS: readonly ReferenceCodeLayout[] = [
  { symbols: 12, idBits: 30, macBits: 30 },
  { symbols: 16, idBits: 50, macBits: 30 },
];

/** The layout of a delivery id's code; throws RangeError for an id no layout holds. */
export function layoutForId(id: number): ReferenceCodeLayout {
  if (!Number.isSafeInteger(id) || id < 1) throw new RangeError(`not a delivery id: ${id}`);
  const layout = REFERENCE_CODE_LAYOUTS.find((l) => id < 2 ** l.idBits);
  if (!layout) throw new RangeError(`delivery id ${id} is too large for a reference code`);
  return layout;
}

/**
 * The code's symbols, upper case and without separators, or null when it cannot be a code
 * (wrong length, a character outside the alphabet). Tolerant of what people do when they
 * copy or type a code: lower case, spaces, missing or extra dashes, O for 0, I or L for 1.
 */
export function normalizeReferenceCode(input: string): string | null {
  if (input.length > 64) return null;
  let out = '';
  for (const raw of input.replace(SEPARATORS, '').toUpperCase()) {
    const c = LOOK_ALIKES[raw] ?? raw;
    if (!VALUES.has(c)) return null;
    out += c;
  }
  return REFERENCE_CODE_LAYOUTS.some((l) => l.symbols === out.length) ? out : null;
}

/** Symbols in groups of four: "K7Q4M2XP9ABC" → "K7Q4-M2XP-9ABC". */
export function formatReferenceCode(symbols: string): string {
  return symbols.match(/.{1,4}/g)?.join('-') ?? '';
}

/** The formatted code of an id field and a MAC in a layout. */
export function packReferenceCode(
  layout: ReferenceCodeLayout,
  idField: bigint,
  mac: bigint,
): string {
  const idLimit = 1n << BigInt(layout.idBits);
  const macLimit = 1n << BigInt(layout.macBits);
  if (idField < 0n || idField >= idLimit || mac < 0n || mac >= macLimit) {
    throw new RangeError('reference code field out of range');
  }
  const value = (idField << BigInt(layout.macBits)) | mac;
  let symbols = '';
  for (let i = layout.symbols - 1; i >= 0; i--) {
    symbols += ALPHABET[Number((value >> BigInt(5 * i)) & 31n)];
  }
  return formatReferenceCode(symbols);
}

/** A typed or pasted code taken apart, or null when it is not well-formed. */
export function unpackReferenceCode(
  input: string,
): { layout: ReferenceCodeLayout; symbols: string; idField: bigint; mac: bigint } | null {
  const symbols = normalizeReferenceCode(input);
  if (symbols === null) return null;
  const layout = REFERENCE_CODE_LAYOUTS.find((l) => l.symbols === symbols.length)!;
  let value = 0n;
  for (const c of symbols) value = (value << 5n) | BigInt(VALUES.get(c)!);
  const macBits = BigInt(layout.macBits);
  return {
    layout,
    symbols,
    idField: value >> macBits,
    mac: value & ((1n << macBits) - 1n),
  };
}
