import { isIP } from 'node:net';

/**
 * Which proxies may tell Candor a client's address (X-Forwarded-For) and scheme
 * (X-Forwarded-Proto): `false` (none: the peer's own address counts) or a list of addresses,
 * CIDR ranges and the proxy-addr names `loopback`, `linklocal`, `uniquelocal`. Handed to
 * Fastify's `trustProxy`, so `request.ip` and `request.protocol` follow it.
 */
export type TrustProxy = false | readonly string[];

/** proxy-addr's named ranges (Fastify resolves them). */
const NAMED_RANGES = new Set(['loopback', 'linklocal', 'uniquelocal']);

/** The outcome of reading CANDOR_TRUST_PROXY: the setting, or why it is refused. */
export type TrustProxyParse = { ok: true; value: TrustProxy } | { ok: false; message: string };

/**
 * Reads CANDOR_TRUST_PROXY. `true` is refused rather than passed on: Fastify would then trust
 * every hop, so whoever sends an X-Forwarded-For header picks the address the login throttle,
 * the personal-page limiter and the audit log see. Mapping `true` to loopback instead would
 * keep a deployment whose proxy is elsewhere running with every visitor on the proxy's
 * address, silently; an error at start names the fix.
 */
export function parseTrustProxy(raw: string): TrustProxyParse {
  const value = raw.trim();
  if (value === '' || value === 'false' || value === '0') return { ok: true, value: false };
  if (value === 'true') {
    return {
      ok: false,
      message:
        '"true" would trust every hop, so any client could choose its own address; list the ' +
        'addresses or CIDR ranges of your proxies (e.g. 127.0.0.1,::1 or 10.0.0.0/8)',
    };
  }
  // A hop count cannot tell a proxy from a client that connects directly with a made-up
  // X-Forwarded-For; Fastify 5.12 therefore ignores one (its request.js "fails closed" and
  // trusts nobody), which would leave every visitor on the proxy's address without a word.
  if (/^\d+$/.test(value)) {
    return {
      ok: false,
      message:
        'a hop count cannot tell your proxy from a client that connects directly (Fastify ' +
        'ignores it); list the addresses or CIDR ranges of your proxies instead ' +
        '(e.g. 127.0.0.1,::1 or 10.0.0.0/8)',
    };
  }
  const entries = value.split(',').map((e) => e.trim());
  const bad = entries.filter((e) => !isTrustEntry(e));
  if (bad.length > 0) {
    return {
      ok: false,
      message:
        `${bad.map((b) => JSON.stringify(b)).join(', ')} is not an address, a CIDR range ` +
        '(prefix above 0) or one of loopback, linklocal, uniquelocal',
    };
  }
  return { ok: true, value: Object.freeze(entries) };
}

function isTrustEntry(entry: string): boolean {
  if (NAMED_RANGES.has(entry)) return true;
  const [address = '', prefix, ...rest] = entry.split('/');
  const family = isIP(address);
  if (family === 0 || rest.length > 0) return false;
  if (prefix === undefined) return true;
  if (!/^\d{1,3}$/.test(prefix)) return false;
  const bits = Number(prefix);
  // A /0 trusts the whole internet: the same as `true`.
  return bits >= 1 && bits <= (family === 4 ? 32 : 128);
}

/** The form Fastify's `trustProxy` option takes. */
export function fastifyTrustProxy(value: TrustProxy): false | string[] {
  return typeof value === 'object' ? [...value] : value;
}
