import { createHmac, hkdfSync, timingSafeEqual } from 'node:crypto';
import {
  formatReferenceCode,
  layoutForId,
  packReferenceCode,
  unpackReferenceCode,
  type ReferenceCodeLayout,
} from '../domain/reference-code.js';

/**
 * The keyed part of notice reference codes (layout in src/domain/reference-code.ts). A code
 * holds a delivery id and a 30-bit MAC of it under a key derived from the installation
 * secret, so only we can make one and nothing needs storing: to check a code, take the id
 * out, compute the MAC again and compare. The id is masked with a keyed function of the MAC
 * (one Feistel round), so codes do not show how many notices were sent or which came next.
 * A random guess is right once in 2^30; the verify page's rate limit does the rest.
 */

// HKDF, like the other keys derived from the installation secret: rotating the secret makes
// every earlier code unverifiable, as it makes every personal link stop working.
const keys = new WeakMap<Buffer, Buffer>();
function keyOf(secret: Buffer): Buffer {
  let key = keys.get(secret);
  if (!key) {
    key = Buffer.from(hkdfSync('sha256', secret, 'candor', 'notice-reference-code v1', 32));
    keys.set(secret, key);
  }
  return key;
}

/** The leading `bits` bits of an HMAC-SHA-256 (bits ≤ 64). */
function prf(key: Buffer, message: string, bits: number): bigint {
  const digest = createHmac('sha256', key).update(message).digest();
  return digest.readBigUInt64BE(0) >> BigInt(64 - bits);
}

const macOf = (key: Buffer, layout: ReferenceCodeLayout, id: bigint) =>
  prf(key, `mac:${layout.symbols}:${id}`, layout.macBits);
const maskOf = (key: Buffer, layout: ReferenceCodeLayout, mac: bigint) =>
  prf(key, `mask:${layout.symbols}:${mac}`, layout.idBits);

/** The reference code of a delivery, e.g. "K7Q4-M2XP-9ABC". */
export function referenceCode(secret: Buffer, deliveryId: number): string {
  const layout = layoutForId(deliveryId);
  const key = keyOf(secret);
  const id = BigInt(deliveryId);
  const mac = macOf(key, layout, id);
  return packReferenceCode(layout, id ^ maskOf(key, layout, mac), mac);
}

/**
 * The delivery id a code stands for, or null when it is malformed or not one of ours. Input
 * is taken as people type it (see normalizeReferenceCode); the MAC is compared in constant time.
 */
export function deliveryIdOfCode(secret: Buffer, input: string): number | null {
  const parts = unpackReferenceCode(input);
  if (!parts) return null;
  const { layout, idField, mac } = parts;
  const key = keyOf(secret);
  const id = idField ^ maskOf(key, layout, mac);
  const expected = macOf(key, layout, id);
  const same = timingSafeEqual(bigintBytes(expected), bigintBytes(mac));
  if (!same || id < 1n || id > BigInt(Number.MAX_SAFE_INTEGER)) return null;
  // One code per id: a long code for an id that fits the short layout is not one we made.
  return layoutForId(Number(id)) === layout ? Number(id) : null;
}

/** The canonical spelling of a well-formed code ("k7q4 m2xp 9abc" → "K7Q4-M2XP-9ABC"). */
export function canonicalCode(input: string): string | null {
  const parts = unpackReferenceCode(input);
  return parts ? formatReferenceCode(parts.symbols) : null;
}

function bigintBytes(value: bigint): Buffer {
  const buffer = Buffer.alloc(8);
  buffer.writeBigUInt64BE(value);
  return buffer;
}
