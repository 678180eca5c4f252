import { isIP } from 'node:net';
import ipaddr from 'ipaddr.js';

/**
 * Which addresses an outgoing webhook may connect to. Webhook targets come from integrators,
 * so without a guard they are a server-side request forgery: a URL that resolves to
 * 127.0.0.1, the cloud metadata service or an office LAN would let anyone with
 * webhooks:manage probe the inside. Everything that is not globally routable unicast is
 * refused unless its host is explicitly allow-listed (CANDOR_WEBHOOK_ALLOW_HOSTS).
 *
 * The special-purpose ranges (IANA registries) come from the maintained `ipaddr.js`, which
 * Fastify's proxy-addr already uses; Candor adds the names people read and the rule that an
 * IPv6 address carrying an IPv4 one (mapped, translated, NAT64, the old "compatible" ::/96) is
 * judged by the IPv4 address inside.
 */

/** ipaddr.js range names, as people read them; any other non-unicast range keeps its name. */
const RANGE_NAMES: Record<string, string> = {
  unspecified: 'unspecified',
  private: 'private',
  carrierGradeNat: 'carrier-grade NAT',
  loopback: 'loopback',
  linkLocal: 'link-local',
  multicast: 'multicast',
  reserved: 'reserved',
  broadcast: 'reserved',
  benchmarking: 'benchmarking',
  uniqueLocal: 'unique local (private)',
  discard: 'discard-only',
  teredo: 'IETF protocol assignments',
  deprecatedSiteLocal: 'site-local',
};
/** IPv6 ranges whose last 32 bits are an IPv4 address that decides. */
const EMBEDDING_V4 = new Set(['ipv4Mapped', 'rfc6145', 'rfc6052']);
/** Still routable: 6to4 reaches its IPv4 host only through public relays. */
const ROUTABLE = new Set(['unicast', '6to4']);

/**
 * Why an IP address may not be a webhook target ("loopback", "private", …), or null when
 * it is globally routable unicast. A string that is not an IP address is refused too.
 */
export function forbiddenAddressReason(address: string): string | null {
  const ip = address.replace(/^\[|\]$/g, '').replace(/%.*$/, '');
  if (isIP(ip) === 0) return 'not an IP address';
  const parsed = ipaddr.parse(ip);
  if (parsed.kind() === 'ipv4') return v4Reason(parsed as ipaddr.IPv4);
  const v6 = parsed as ipaddr.IPv6;
  const range = v6.range();
  const bytes = v6.toByteArray();
  const compatible = range === 'unicast' && bytes.slice(0, 12).every((b) => b === 0);
  if (EMBEDDING_V4.has(range) || compatible) {
    const reason = v4Reason(ipaddr.fromByteArray(bytes.slice(12)) as ipaddr.IPv4);
    return reason ? `${reason} (IPv4 inside IPv6)` : null;
  }
  return ROUTABLE.has(range) ? null : (RANGE_NAMES[range] ?? range);
}

function v4Reason(v4: ipaddr.IPv4): string | null {
  const range = v4.range();
  if (range === 'unicast') return null;
  if (range === 'unspecified') return 'unspecified ("this network")';
  return RANGE_NAMES[range] ?? range;
}

/** Whether the host (name or IP literal) is on the allow-list. */
export function isAllowListed(host: string, allowHosts: readonly string[]): boolean {
  const h = host
    .toLowerCase()
    .replace(/^\[|\]$/g, '')
    .replace(/\.$/, '');
  return allowHosts.includes(h);
}
