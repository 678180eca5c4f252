/**
 * The provider's own names (servers, clusters, nodes) that must not appear in a public text:
 * values of the registry attributes that name infrastructure, and names listed in the
 * publication settings. Pure: the registry values are read by the store and passed in.
 */

/** Attribute keys whose values name the provider's infrastructure, unless settings say otherwise. */
export const DEFAULT_INFRASTRUCTURE_KEYS: readonly string[] = [
  'server',
  'servers',
  'host',
  'hosts',
  'hostname',
  'cluster',
  'node',
  'nodes',
];

/**
 * Audiences whose texts are checked for internal names. Customer notices legitimately name the
 * customer's own server, so only the texts everybody can read are checked.
 */
export const INTERNAL_NAME_AUDIENCES: readonly string[] = ['public', 'press'];

/** How many names one check uses at most: bounds memory and the registry query. */
export const MAX_INTERNAL_NAMES = 10_000;

export type InternalNameSource = { kind: 'attribute'; key: string } | { kind: 'settings' };

export interface InternalName {
  /** As written in the registry or the settings; matched case-insensitively. */
  name: string;
  source: InternalNameSource;
}

/** One distinct (key, text value) pair of the registry; array items arrive one by one. */
export interface RegistryNameValue {
  key: string;
  value: string;
}

/** A run of characters that continue a token: a match has none of them on either side. */
const NAME_RUN = /[\p{L}\p{N}_-]+/gu;
const EDGE = /^[\p{L}\p{N}]$/u;

/**
 * The key form the registry stores (imports lower-case keys and turn blanks and hyphens into
 * `_`), so that a configured key matches however it was typed.
 */
export function normaliseAttributeKey(key: string): string {
  return key
    .trim()
    .toLowerCase()
    .replace(/[\s-]+/g, '_');
}

/** The items of one registry text value: separated by commas, semicolons or blanks. */
export function splitAttributeValue(value: string): string[] {
  return value.split(/[\s,;]+/).filter(Boolean);
}

/**
 * Whether a name is specific enough to look for: at least two characters, not only digits
 * (a "2" or "443" would flag every date and port), and starting and ending with a letter or
 * digit so that the word boundaries are well defined.
 */
export function isUsableInternalName(name: string): boolean {
  const chars = [...name];
  return (
    chars.length >= 2 &&
    !/^\d+$/.test(name) &&
    EDGE.test(chars[0]!) &&
    EDGE.test(chars[chars.length - 1]!)
  );
}

/**
 * The names to look for: settings first (their message is the more telling one), then the
 * registry values in the order given, each name once (case-insensitively), unusable ones
 * dropped, at most `cap`.
 */
export function collectInternalNames(
  settingsNames: readonly string[],
  registry: readonly RegistryNameValue[],
  cap = MAX_INTERNAL_NAMES,
): InternalName[] {
  const names = new Map<string, InternalName>();
  const add = (name: string, source: InternalNameSource) => {
    const key = lowerSameLength(name);
    if (names.size < cap && isUsableInternalName(name) && !names.has(key))
      names.set(key, { name, source });
  };
  for (const name of settingsNames) add(name.trim(), { kind: 'settings' });
  for (const { key, value } of registry)
    for (const item of splitAttributeValue(value)) add(item, { kind: 'attribute', key });
  return [...names.values()];
}

/** One occurrence of an internal name in a text. */
export interface InternalNameMatch {
  index: number;
  /** The text as written at that place. */
  match: string;
  name: InternalName;
}

/**
 * A matcher for many names at once. A name matches where it stands as a whole token: the
 * characters before and after it are not letters, digits, `_` or `-`, so "cp3" is found in
 * "server cp3." and "cp3.example.com" but not in "cp30" or "old-cp3". Rather than one regular
 * expression per name (10,000 names × every text), each token start of the text is looked
 * up once per distinct name length.
 */
export function internalNameMatcher(
  names: readonly InternalName[],
): (text: string) => InternalNameMatch[] {
  const byLower = new Map<string, InternalName>();
  for (const n of names) if (isUsableInternalName(n.name)) byLower.set(lowerSameLength(n.name), n);
  const lengths = [...new Set([...byLower.keys()].map((k) => k.length))].sort((a, b) => b - a);
  return (text) => {
    if (byLower.size === 0) return [];
    const lower = lowerSameLength(text);
    const starts: number[] = [];
    const ends = new Set<number>();
    for (const run of lower.matchAll(NAME_RUN)) {
      starts.push(run.index);
      ends.add(run.index + run[0].length);
    }
    const found: InternalNameMatch[] = [];
    let covered = 0;
    for (const start of starts) {
      if (start < covered) continue;
      // Longest first, so "db-cluster-2 west" is reported once, as itself, when both are listed.
      // Names end in a letter or digit, so a whole-token match always ends where a run ends.
      for (const length of lengths) {
        const end = start + length;
        if (!ends.has(end)) continue;
        const name = byLower.get(lower.slice(start, end));
        if (name) {
          found.push({ index: start, match: text.slice(start, end), name });
          covered = end;
          break;
        }
      }
    }
    return found;
  };
}

/**
 * Lower case with the same length, so that indexes found in the lowered text hold in the
 * original ("İ" lowers to two code units; such characters keep their case).
 */
function lowerSameLength(s: string): string {
  const lower = s.toLowerCase();
  if (lower.length === s.length) return lower;
  return Array.from(s, (c) => {
    const l = c.toLowerCase();
    return l.length === c.length ? l : c;
  }).join('');
}
