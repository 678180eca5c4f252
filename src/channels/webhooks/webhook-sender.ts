import dns from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import { isIP, type LookupFunction } from 'node:net';
import { forbiddenAddressReason, isAllowListed } from '../../domain/network-guard.js';

/** The outcome of one POST. */
export type WebhookSendOutcome =
  { kind: 'delivered'; status: number } | { kind: 'failed'; status: number | null; error: string };

export interface WebhookRequest {
  url: string;
  body: string;
  headers: Record<string, string>;
}

/** What is wrong with a target, for a message in the reader's language. */
export type WebhookTargetProblem = 'not-url' | 'scheme' | 'credentials' | 'address';

/** Thrown (and reported as the failure) when the target is not allowed. */
export class WebhookTargetError extends Error {
  constructor(
    message: string,
    readonly problem: WebhookTargetProblem = 'address',
  ) {
    super(message);
  }
}

/**
 * Checks a target URL before it is stored: https (http only for allow-listed hosts), no
 * credentials in it, and an IP literal must not be in a forbidden range. Host names are
 * checked again at every send, on the address actually connected to.
 */
export function checkWebhookUrl(raw: string, allowHosts: readonly string[]): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new WebhookTargetError('is not a URL', 'not-url');
  }
  const allowed = isAllowListed(url.hostname, allowHosts);
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && allowed)) {
    throw new WebhookTargetError(
      'must be https:// (http:// only for hosts in CANDOR_WEBHOOK_ALLOW_HOSTS)',
      'scheme',
    );
  }
  if (url.username || url.password)
    throw new WebhookTargetError('must not contain credentials', 'credentials');
  const literal = url.hostname.replace(/^\[|\]$/g, '');
  if (isIP(literal) && !allowed) {
    const reason = forbiddenAddressReason(literal);
    if (reason)
      throw new WebhookTargetError(`points at a ${reason} address; allow-list the host to use it`);
  }
  return url;
}

/**
 * The lookup the socket uses: resolves, then refuses if any address is in a forbidden range.
 * Because the check runs inside the connection's own lookup, the address checked is the
 * address connected to: a DNS answer that changes between a check and the connection (DNS
 * rebinding) cannot slip through.
 */
function guardedLookup(allowHosts: readonly string[]): LookupFunction {
  return (hostname, options, callback) => {
    dns.lookup(hostname, { ...options, all: true }, (error, addresses) => {
      if (error) return callback(error, '', 0);
      const list = addresses;
      if (!isAllowListed(hostname, allowHosts)) {
        for (const a of list) {
          const reason = forbiddenAddressReason(a.address);
          if (reason) {
            return callback(
              new WebhookTargetError(`${hostname} resolves to ${a.address} (${reason})`),
              '',
              0,
            );
          }
        }
      }
      if (options.all)
        return (callback as unknown as (e: null, a: dns.LookupAddress[]) => void)(null, list);
      const first = list[0];
      if (!first) return callback(new WebhookTargetError(`${hostname} has no address`), '', 0);
      callback(null, first.address, first.family);
    });
  };
}

/** POSTs one delivery: no redirects followed, a timeout, and at most 1 KB of the answer read. */
export async function sendWebhook(
  request: WebhookRequest,
  options: { allowHosts: readonly string[]; timeoutMs?: number },
): Promise<WebhookSendOutcome> {
  let url: URL;
  try {
    url = checkWebhookUrl(request.url, options.allowHosts);
  } catch (error) {
    return { kind: 'failed', status: null, error: (error as Error).message };
  }
  const client = url.protocol === 'https:' ? https : http;
  return new Promise((resolve) => {
    const req = client.request(
      url,
      {
        method: 'POST',
        headers: { ...request.headers, 'content-length': Buffer.byteLength(request.body) },
        lookup: guardedLookup(options.allowHosts),
        timeout: options.timeoutMs ?? 10_000,
        agent: false,
      },
      (res) => {
        const status = res.statusCode ?? 0;
        let seen = 0;
        res.on('data', (chunk: Buffer) => {
          seen += chunk.length;
          if (seen > 1024) res.destroy();
        });
        res.on('close', () => {
          if (status >= 200 && status < 300) resolve({ kind: 'delivered', status });
          else if (status >= 300 && status < 400) {
            resolve({
              kind: 'failed',
              status,
              error: `redirect to ${res.headers.location ?? '?'} not followed`,
            });
          } else resolve({ kind: 'failed', status, error: `HTTP ${status}` });
        });
        res.resume();
      },
    );
    req.on('timeout', () => req.destroy(new Error('timed out')));
    req.on('error', (error) => resolve({ kind: 'failed', status: null, error: error.message }));
    req.end(request.body);
  });
}
