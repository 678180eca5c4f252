import { createHash } from 'node:crypto';
import { parseEmbargo } from './embargo.js';
import { internalNameMatcher, type InternalName } from './internal-names.js';

/**
 * The disclosure check: what must not slip into a public or customer notice by accident.
 * Pure rules over the notice's texts; the author fixes each finding or accepts it with a
 * reason, and approval is refused while an unaccepted finding remains.
 */

export const DISCLOSURE_RULES = [
  'internal-host',
  'internal-name',
  'private-ip',
  'file-path',
  'credential',
  'embargo-leak',
  'embargo-syntax',
] as const;
export type DisclosureRule = (typeof DISCLOSURE_RULES)[number];

export interface DisclosureFinding {
  rule: DisclosureRule;
  language: string;
  part: 'subject' | 'body';
  line: number;
  /** The text that matched (credentials are masked). */
  excerpt: string;
  message: string;
  /** Stable over edits elsewhere in the text: rule, language and the matched text. */
  fingerprint: string;
}

export interface DisclosureText {
  language: string;
  subject: string;
  body: string;
}

export interface DisclosureOptions {
  /** Internal DNS suffixes, e.g. ["corp.example.com", "int.example.net"]. */
  internalDomains: readonly string[];
  /**
   * The provider's own names (servers, clusters) to flag; give them only for texts everybody
   * reads (INTERNAL_NAME_AUDIENCES), as a customer's notice may name the customer's own server.
   */
  internalNames?: readonly InternalName[];
}

/** Suffixes that are internal everywhere (RFC 6762, RFC 8375, common practice). */
export const BUILTIN_INTERNAL_SUFFIXES = [
  'local',
  'internal',
  'intranet',
  'lan',
  'corp',
  'home.arpa',
  'localdomain',
];

const HOST = /\b((?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z][a-z0-9-]{1,62})\b/gi;
const IPV4 = /(?<![\d.])((?:\d{1,3}\.){3}\d{1,3})(?![\d.]*\d)/g;
const IPV6 =
  /(?<![\w:])((?:[0-9a-f]{1,4}:){1,7}:?(?:[0-9a-f]{1,4}(?::[0-9a-f]{1,4})*)?|::1)(?![\w:])/gi;
const UNIX_PATH =
  /(?<![\w/.:~-])(~?\/(?:etc|var|usr|home|root|opt|srv|tmp|proc|sys|mnt|data|app|bin|sbin|lib|www|backup|backups)(?:\/[\w.@+-]+)+\/?)/g;
const WINDOWS_PATH = /(?<![\w])([a-z]:\\(?:[^\\\s"'<>|*?]+\\?)+|\\\\[\w.-]+\\[^\s"'<>|*?]+)/gi;
const AWS_KEY = /\b((?:AKIA|ASIA|AGPA|AIDA|AROA)[0-9A-Z]{16})\b/g;
const PRIVATE_KEY = /(-----BEGIN [A-Z ]*PRIVATE KEY-----)/g;
const JWT = /\b(eyJ[\w-]{8,}\.eyJ[\w-]{8,}\.[\w-]{8,})/g;
const ASSIGNMENT =
  /\b((?:password|passwd|pwd|wachtwoord|secret|api[_-]?key|apikey|access[_-]?key|token|client[_-]?secret)\s*[:=]\s*["']?[^\s"',;]{4,})/gi;
const LONG_TOKEN = /(?<![\w/+=.-])([A-Za-z0-9+/_=-]{32,})(?![\w/+=-])/g;

/** Runs every rule over every language version. */
export function checkDisclosure(
  texts: readonly DisclosureText[],
  options: DisclosureOptions,
): DisclosureFinding[] {
  const findings: DisclosureFinding[] = [];
  const suffixes = [
    ...BUILTIN_INTERNAL_SUFFIXES,
    ...options.internalDomains.map((d) =>
      d
        .trim()
        .toLowerCase()
        .replace(/^\.+|\.+$/g, ''),
    ),
  ].filter(Boolean);
  const embargoed = collectEmbargoed(texts);
  const findInternalNames = internalNameMatcher(options.internalNames ?? []);
  for (const t of texts) {
    for (const part of ['subject', 'body'] as const) {
      const source = t[part];
      const add = (rule: DisclosureRule, index: number, match: string, message: string) => {
        const excerpt = rule === 'credential' ? mask(match) : match;
        findings.push({
          rule,
          language: t.language,
          part,
          line: lineAt(source, index),
          excerpt,
          message,
          fingerprint: fingerprint(rule, t.language, match),
        });
      };
      scan(source, HOST, (m, i) => {
        const host = m.toLowerCase();
        const suffix = suffixes.find((s) => host === s || host.endsWith(`.${s}`));
        if (suffix) add('internal-host', i, m, `internal host name (${suffix})`);
      });
      for (const { index, match, name } of findInternalNames(source)) {
        const from =
          name.source.kind === 'attribute'
            ? `value of the registry attribute \`${name.source.key}\``
            : 'listed as an internal name in settings';
        // The fingerprint holds the name, not its spelling: accepting "cp3" covers "CP3".
        findings.push({
          rule: 'internal-name',
          language: t.language,
          part,
          line: lineAt(source, index),
          excerpt: match,
          message: `'${match}' is an internal name: ${from}`,
          fingerprint: fingerprint('internal-name', t.language, name.name.toLowerCase()),
        });
      }
      scan(source, IPV4, (m, i) => {
        if (isPrivateIpv4(m)) add('private-ip', i, m, 'private or loopback IPv4 address');
      });
      scan(source, IPV6, (m, i) => {
        if (isPrivateIpv6(m))
          add('private-ip', i, m, 'loopback, link-local or unique-local IPv6 address');
      });
      scan(source, UNIX_PATH, (m, i) => add('file-path', i, m, 'file-system path'));
      scan(source, WINDOWS_PATH, (m, i) => add('file-path', i, m, 'Windows file-system path'));
      const spans: [number, number][] = [];
      const credential = (message: string) => (m: string, i: number) => {
        spans.push([i, i + m.length]);
        add('credential', i, m, message);
      };
      scan(source, AWS_KEY, credential('looks like an AWS access key'));
      scan(source, PRIVATE_KEY, credential('a private key block'));
      scan(source, JWT, credential('looks like a JSON Web Token'));
      scan(source, ASSIGNMENT, credential('looks like a password or secret'));
      // URL hosts and paths (slugs) are not secrets; query strings still are checked.
      const withoutUrlPaths = source.replace(/https?:\/\/[^\s?#)\]]+/g, (u) =>
        ' '.repeat(u.length),
      );
      scan(withoutUrlPaths, LONG_TOKEN, (m, i) => {
        if (spans.some(([a, b]) => i < b && i + m.length > a)) return;
        if (looksRandom(m)) credential('long random-looking token (a key or secret?)')(m, i);
      });
      if (part === 'body') {
        const parsed = parseEmbargo(source);
        for (const e of parsed.errors)
          findings.push({
            rule: 'embargo-syntax',
            language: t.language,
            part,
            line: e.line,
            excerpt: source.split(/\r?\n/)[e.line - 1]?.trim() ?? '',
            message: e.message,
            fingerprint: fingerprint('embargo-syntax', t.language, `${e.line}:${e.message}`),
          });
      }
      const open = part === 'body' ? parseEmbargo(source).openText : source;
      const openNorm = normalise(open);
      for (const item of embargoed) {
        if (item.kind === 'sentence' ? openNorm.includes(item.norm) : hasToken(open, item.text)) {
          const index = Math.max(0, source.indexOf(item.text));
          add(
            'embargo-leak',
            index,
            item.text,
            `embargoed ${item.kind} also appears outside the embargo (${item.language})`,
          );
        }
      }
    }
  }
  return dedupe(findings);
}

/** Findings not covered by an acceptance. */
export function unacceptedFindings(
  findings: readonly DisclosureFinding[],
  accepted: ReadonlySet<string>,
): DisclosureFinding[] {
  return findings.filter((f) => !accepted.has(f.fingerprint));
}

/** RFC 1918, loopback, link-local, CGNAT shared space and "this network". */
export function isPrivateIpv4(ip: string): boolean {
  const p = ip.split('.').map(Number);
  if (p.length !== 4 || p.some((n) => !Number.isInteger(n) || n > 255)) return false;
  const [a, b] = p as [number, number, number, number];
  return (
    a === 10 ||
    a === 127 ||
    a === 0 ||
    (a === 172 && b >= 16 && b <= 31) ||
    (a === 192 && b === 168) ||
    (a === 169 && b === 254) ||
    (a === 100 && b >= 64 && b <= 127)
  );
}

/** ::1, fe80::/10 (link-local), fc00::/7 (unique local). */
export function isPrivateIpv6(ip: string): boolean {
  const v = ip.toLowerCase();
  if (!v.includes(':') || !/[0-9a-f]/.test(v)) return false;
  if (v === '::1') return true;
  if (/^::/.test(v) || !/::|(?:[0-9a-f]{1,4}:){7}/.test(v)) return false;
  const first = Number.parseInt(v.split(':')[0]!, 16);
  if (!Number.isFinite(first)) return false;
  return (first & 0xffc0) === 0xfe80 || (first & 0xfe00) === 0xfc00;
}

/** Whether a long token looks random: mixed classes and high Shannon entropy. */
export function looksRandom(token: string): boolean {
  const classes = [/[a-z]/, /[A-Z]/, /\d/].filter((r) => r.test(token)).length;
  if (classes < 2 || !/\d/.test(token)) return false;
  return shannonEntropy(token) >= 3.5;
}

export function shannonEntropy(s: string): number {
  const counts = new Map<string, number>();
  for (const ch of s) counts.set(ch, (counts.get(ch) ?? 0) + 1);
  let h = 0;
  for (const c of counts.values()) {
    const p = c / s.length;
    h -= p * Math.log2(p);
  }
  return h;
}

interface EmbargoedItem {
  kind: 'sentence' | 'token';
  text: string;
  norm: string;
  language: string;
}

/**
 * What an embargo holds back, to look for elsewhere: its sentences of five words or more, and
 * its distinctive tokens (identifiers, file names, versions: letters mixed with . _ / : or digits).
 */
function collectEmbargoed(texts: readonly DisclosureText[]): EmbargoedItem[] {
  const items = new Map<string, EmbargoedItem>();
  for (const t of texts) {
    for (const block of parseEmbargo(t.body).blocks) {
      for (const sentence of block.text.split(/(?<=[.!?])\s+|\n+/)) {
        const clean = sentence.replace(/[*_`>#]/g, '').trim();
        if (clean.split(/\s+/).length >= 5)
          items.set(`s:${normalise(clean)}`, {
            kind: 'sentence',
            text: clean,
            norm: normalise(clean),
            language: t.language,
          });
      }
      for (const m of block.text.matchAll(/[\w./:-]+/g)) {
        const token = m[0].replace(/^[.:/-]+|[.:/-]+$/g, '');
        if (token.length >= 6 && /[a-z]/i.test(token) && /[\d._/:]/.test(token))
          items.set(`t:${token}`, {
            kind: 'token',
            text: token,
            norm: token,
            language: t.language,
          });
      }
    }
  }
  return [...items.values()];
}

function hasToken(text: string, token: string): boolean {
  const escaped = token.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`(?<![\\w.])${escaped}(?![\\w])`).test(text);
}

function normalise(s: string): string {
  return s
    .toLowerCase()
    .replace(/[*_`>#]/g, '')
    .replace(/\s+/g, ' ')
    .trim();
}

function scan(source: string, re: RegExp, found: (match: string, index: number) => void) {
  for (const m of source.matchAll(re)) found(m[1] ?? m[0], m.index + m[0].indexOf(m[1] ?? m[0]));
}

function lineAt(source: string, index: number): number {
  return source.slice(0, index).split('\n').length;
}

function mask(secret: string): string {
  if (secret.length <= 8) return '****';
  return `${secret.slice(0, 4)}…${secret.slice(-2)} (${secret.length} chars)`;
}

function fingerprint(rule: string, language: string, match: string): string {
  return createHash('sha256')
    .update(`${rule}\u0000${language}\u0000${match}`)
    .digest('hex')
    .slice(0, 24);
}

function dedupe(findings: DisclosureFinding[]): DisclosureFinding[] {
  const seen = new Set<string>();
  return findings.filter((f) => {
    const key = `${f.fingerprint}:${f.part}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
