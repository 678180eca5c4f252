import { isIP } from 'node:net';

/**
 * Which addresses an outgoing webhook may connect to. Webhook targets come from integrators,
 * so without a guard they are a server-side request forgery: a URL that resolves to
 * 127.0.0.1, the cloud metadata service or an office LAN would let anyone with
 * webhooks:manage probe the inside. Everything that is not globally routable unicast is
 * refused unless its host is explicitly allow-listed (CANDOR_WEBHOOK_ALLOW_HOSTS).
 */

type Range = { bytes: number[]; bits: number; name: string };

const V4: [string, number, string][] = [
  ['0.0.0.0', 8, 'unspecified ("this network")'],
  ['10.0.0.0', 8, 'private'],
  ['100.64.0.0', 10, 'carrier-grade NAT'],
  ['127.0.0.0', 8, 'loopback'],
  ['169.254.0.0', 16, 'link-local'],
  ['172.16.0.0', 12, 'private'],
  ['192.0.0.0', 24, 'IETF protocol assignments'],
  ['192.0.2.0', 24, 'documentation'],
  ['192.88.99.0', 24, '6to4 relay anycast'],
  ['192.168.0.0', 16, 'private'],
  ['198.18.0.0', 15, 'benchmarking'],
  ['198.51.100.0', 24, 'documentation'],
  ['203.0.113.0', 24, 'documentation'],
  ['224.0.0.0', 4, 'multicast'],
  ['240.0.0.0', 4, 'reserved'],
];
const V6: [string, number, string][] = [
  ['::', 128, 'unspecified'],
  ['::1', 128, 'loopback'],
  ['100::', 64, 'discard-only'],
  ['2001::', 23, 'IETF protocol assignments'],
  ['2001:db8::', 32, 'documentation'],
  ['fc00::', 7, 'unique local (private)'],
  ['fe80::', 10, 'link-local'],
  ['fec0::', 10, 'site-local'],
  ['ff00::', 8, 'multicast'],
];
// IPv6 forms that carry an IPv4 address in their last 32 bits: judged by that address.
const EMBEDDED_V4: [string, number][] = [
  ['::ffff:0:0', 96], // IPv4-mapped
  ['::', 96], // IPv4-compatible (deprecated)
  ['64:ff9b::', 96], // NAT64
  ['64:ff9b:1::', 48], // local-use NAT64
];

const v4Ranges: Range[] = V4.map(([a, bits, name]) => ({ bytes: v4Bytes(a)!, bits, name }));
const v6Ranges: Range[] = V6.map(([a, bits, name]) => ({ bytes: v6Bytes(a)!, bits, name }));
const embedded: Range[] = EMBEDDED_V4.map(([a, bits]) => ({ bytes: v6Bytes(a)!, bits, name: '' }));

/**
 * Why an IP address may not be a webhook target ("loopback", "private", …), or null when
 * it is globally routable unicast. A string that is not an IP address is refused too.
 */
export function forbiddenAddressReason(address: string): string | null {
  const ip = address.replace(/^\[|\]$/g, '').replace(/%.*$/, '');
  const family = isIP(ip);
  if (family === 4) return match(v4Bytes(ip)!, v4Ranges);
  if (family !== 6) return 'not an IP address';
  const bytes = v6Bytes(ip)!;
  // The unspecified and loopback addresses also fall in ::/96; name them for what they are.
  const own = match(bytes, v6Ranges.slice(0, 2));
  if (own) return own;
  for (const range of embedded) {
    if (inRange(bytes, range)) {
      const reason = match(bytes.slice(12), v4Ranges);
      return reason ? `${reason} (IPv4 inside IPv6)` : null;
    }
  }
  return match(bytes, v6Ranges);
}

/** Whether the host (name or IP literal) is on the allow-list. */
export function isAllowListed(host: string, allowHosts: readonly string[]): boolean {
  const h = host
    .toLowerCase()
    .replace(/^\[|\]$/g, '')
    .replace(/\.$/, '');
  return allowHosts.includes(h);
}

function match(bytes: number[], ranges: Range[]): string | null {
  return ranges.find((r) => inRange(bytes, r))?.name ?? null;
}

function inRange(bytes: number[], range: Range): boolean {
  if (bytes.length !== range.bytes.length) return false;
  let bits = range.bits;
  for (let i = 0; bits > 0; i++, bits -= 8) {
    const mask = bits >= 8 ? 0xff : (0xff << (8 - bits)) & 0xff;
    if ((bytes[i]! & mask) !== (range.bytes[i]! & mask)) return false;
  }
  return true;
}

function v4Bytes(ip: string): number[] | null {
  const parts = ip.split('.').map(Number);
  return parts.length === 4 && parts.every((p) => Number.isInteger(p) && p >= 0 && p <= 255)
    ? parts
    : null;
}

/** The 16 bytes of an IPv6 address (with "::" and a trailing dotted quad expanded). */
function v6Bytes(ip: string): number[] | null {
  let text = ip.toLowerCase();
  const tail: number[] = [];
  const quad = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (quad) {
    const v4 = v4Bytes(quad[1]!);
    if (!v4) return null;
    tail.push(...v4);
    text = `${text.slice(0, -quad[1]!.length)}0:0`;
  }
  const [head, rest] = text.split('::') as [string, string | undefined];
  const words = (s: string) => (s === '' ? [] : s.split(':').map((w) => parseInt(w, 16)));
  const left = words(head);
  const right = rest === undefined ? [] : words(rest);
  const fill = 8 - left.length - right.length;
  if (fill < 0 || (rest === undefined && fill !== 0)) return null;
  const all = [...left, ...new Array<number>(fill).fill(0), ...right];
  const bytes = all.flatMap((w) => [(w >> 8) & 0xff, w & 0xff]);
  if (tail.length > 0) bytes.splice(12, 4, ...tail);
  return bytes.length === 16 && bytes.every((b) => Number.isInteger(b)) ? bytes : null;
}
