import type { Template } from 'liquidjs';
import type { Language } from '../language.js';
import { createNoticeLiquid, toTemplateProblem, type TemplateProblem } from './liquid-engine.js';
import { collectGuards, formatPath } from './placeholder-guards.js';
import { STATEMENT_KEYS, STATEMENT_LABELS, type LanguageStatements } from '../statements.js';
import { CLAIM_FACTS, FACT_EVIDENCE, type CaseFacts } from './case-facts.js';

/** The customer as a template sees it (`customer.*`). */
export interface CustomerVariables {
  external_id: string;
  name: string | null;
  email: string | null;
  language: Language;
  street: string | null;
  postal_code: string | null;
  city: string | null;
  country: string | null;
  /** Free attributes from the registry (`customer.attributes.plan`…). */
  attributes: Record<string, unknown>;
}

/**
 * The case (`case.*`). Dates are already formatted for the recipient's language. The case's
 * words (headline, what happened…) are `statements.*`, written per language.
 */
export interface CaseVariables {
  kind: 'incident' | 'advisory';
  reference: string;
  detected_at: string | null;
  aware_at: string | null;
  contained_at: string | null;
  resolved_at: string | null;
}

/** The sender (`organisation.*`). */
export interface OrganisationVariables {
  name: string;
  contact_email: string;
  contact_phone: string | null;
  dpo_email: string | null;
  website: string | null;
  security_page_url: string | null;
}

/**
 * Everything one personal render sees. Values must be plain data (strings, numbers, booleans,
 * arrays, plain objects): lookups read own properties only.
 */
export interface NoticeVariables {
  customer: CustomerVariables;
  /** This recipient's row of the affected list: arbitrary keys per case (`impact.domains`…). */
  impact: Record<string, unknown>;
  case: CaseVariables;
  /** The case's statements in the notice's language (never another language's). */
  statements: LanguageStatements;
  /** What the case records: claims are shown only when their fact is true. */
  facts: CaseFacts;
  organisation: OrganisationVariables;
  /** The recipient's unguessable personal page (acknowledge, confirm the remedy). */
  personal_url: string;
  /**
   * The delivery's notice code ("K7Q4-M2XP-9ABC", src/lib/reference-code.ts), set by the
   * dispatcher; the email layout shows it by the button and in the footer. Not a template
   * variable (previews have none).
   */
  reference_code?: string;
}

/** One documented variable. */
export interface VariableDoc {
  path: string;
  description: string;
}

/** The fixed variables with their meaning; `impact.*` and `customer.attributes.*` are open. */
export const NOTICE_VARIABLES: readonly VariableDoc[] = [
  { path: 'customer.external_id', description: "the customer's key in the provider's systems" },
  { path: 'customer.name', description: 'name as in the registry' },
  { path: 'customer.email', description: 'email address' },
  { path: 'customer.language', description: '`nl` or `en`' },
  { path: 'customer.street', description: 'postal address: street and number' },
  { path: 'customer.postal_code', description: 'postal code' },
  { path: 'customer.city', description: 'city' },
  { path: 'customer.country', description: 'country' },
  { path: 'customer.attributes.<key>', description: 'a free attribute from the registry' },
  { path: 'impact.<key>', description: "this recipient's value in the case's affected list" },
  { path: 'case.kind', description: '`incident` or `advisory`' },
  { path: 'case.reference', description: 'case reference, e.g. CND-2025-004' },
  { path: 'case.detected_at', description: 'when it was detected (formatted date)' },
  { path: 'case.aware_at', description: 'when we became aware: starts the legal clocks' },
  { path: 'case.contained_at', description: 'when it was contained; empty while open' },
  { path: 'case.resolved_at', description: 'when it was resolved; empty while open' },
  ...STATEMENT_KEYS.map((key) => ({
    path: `statements.${key}`,
    description: `statement: ${STATEMENT_LABELS[key].en} (in the notice's language)`,
  })),
  ...CLAIM_FACTS.map((fact) => ({
    path: `facts.${fact}`,
    description: `true when ${FACT_EVIDENCE[fact]}`,
  })),
  { path: 'organisation.name', description: 'name of the sender' },
  { path: 'organisation.contact_email', description: 'contact point for questions' },
  { path: 'organisation.contact_phone', description: 'phone number for questions' },
  { path: 'organisation.dpo_email', description: 'data protection officer' },
  { path: 'organisation.website', description: 'website' },
  { path: 'organisation.security_page_url', description: 'public security page' },
  { path: 'personal_url', description: "the recipient's personal page" },
];

/** Paths every notice may use. */
export const FIXED_VARIABLE_PATHS: readonly string[] = NOTICE_VARIABLES.map((v) => v.path).filter(
  (p) => !p.includes('<'),
);

/** Namespaces whose keys differ per case: a missing key there is absent, not a typo. */
const OPEN_NAMESPACES = ['impact.', 'customer.attributes.'];

/** The paths available to one case: the fixed ones, its impact columns, the attribute keys. */
export function availableVariablePaths(keys: {
  impactKeys?: Iterable<string>;
  attributeKeys?: Iterable<string>;
}): Set<string> {
  const paths = new Set(FIXED_VARIABLE_PATHS);
  for (const key of keys.impactKeys ?? []) paths.add(`impact.${key}`);
  for (const key of keys.attributeKeys ?? []) paths.add(`customer.attributes.${key}`);
  return paths;
}

/** Where a placeholder is used, 1-based in the text the author wrote. */
export interface PlaceholderUse {
  part: string;
  line: number;
  column: number;
  /** True when this use is guarded (see docs/notices.md, "Optional variables"). */
  optional: boolean;
}

/** One variable path a template uses. */
export interface PlaceholderReport {
  /** `impact.domains`, `customer.name`, `impact.domains[0]`. */
  path: string;
  segments: (string | number)[];
  /** False when every use is optional: an absent or empty value then simply skips a block. */
  required: boolean;
  /** `unknown`: no such variable for this case; `absent`: optional and not in this case. */
  status: 'known' | 'unknown' | 'absent';
  uses: PlaceholderUse[];
}

/** What a notice's templates use, what is unknown, and syntax problems. */
export interface TemplateAnalysis {
  placeholders: PlaceholderReport[];
  unknown: PlaceholderReport[];
  problems: TemplateProblem[];
}

const analysisLiquid = createNoticeLiquid('text');

/**
 * The placeholders a template uses and which of them are unknown given the available paths.
 * Liquid syntax errors come back as problems with line and column.
 */
export function analyzeTemplate(
  source: string,
  available: ReadonlySet<string>,
  part = 'body',
): TemplateAnalysis {
  return analyzeNotice({ [part]: source }, available);
}

/** `analyzeTemplate` over several texts of one notice (`subject`, `body`, `preheader`). */
export function analyzeNotice(
  parts: Record<string, string | undefined>,
  available: ReadonlySet<string>,
): TemplateAnalysis {
  const byPath = new Map<string, PlaceholderReport>();
  const problems: TemplateProblem[] = [];
  for (const [part, source] of Object.entries(parts)) {
    if (source === undefined) continue;
    let templates: Template[];
    try {
      templates = analysisLiquid.parse(source);
    } catch (error) {
      problems.push(toTemplateProblem(error, part));
      continue;
    }
    collectUses(templates, source, part, byPath);
  }
  const known = knownPaths(available);
  const placeholders = [...byPath.values()].map((report) => {
    report.required = report.uses.some((u) => !u.optional);
    const open = OPEN_NAMESPACES.some((ns) => report.path.startsWith(ns));
    if (isKnown(report.path, available, known)) report.status = 'known';
    else report.status = open && !report.required ? 'absent' : 'unknown';
    return report;
  });
  return { placeholders, unknown: placeholders.filter((p) => p.status === 'unknown'), problems };
}

function collectUses(
  templates: Template[],
  source: string,
  part: string,
  byPath: Map<string, PlaceholderReport>,
): void {
  const guards = collectGuards(templates);
  const lineStarts = [0];
  for (let i = source.indexOf('\n'); i !== -1; i = source.indexOf('\n', i + 1)) {
    lineStarts.push(i + 1);
  }
  const globals = analysisLiquid.analyzeSync(templates, { partials: false }).globals;
  for (const variables of Object.values(globals)) {
    for (const variable of variables) {
      const segments = staticSegments(variable.segments);
      const path = formatPath(segments);
      const { row, col } = variable.location;
      const offset = (lineStarts[row - 1] ?? 0) + col - 1;
      const optional =
        guards.lenient.has(offset) ||
        guards.ranges.some(
          (r) => offset >= r.begin && offset < r.end && r.paths.some((g) => covers(g, path)),
        );
      let report = byPath.get(path);
      if (!report) {
        report = { path, segments, required: true, status: 'known', uses: [] };
        byPath.set(path, report);
      }
      report.uses.push({ part, line: row, column: col, optional });
    }
  }
}

/** Segments up to the first dynamic one (`impact[key]` is reported as `impact`). */
function staticSegments(segments: readonly unknown[]): (string | number)[] {
  const out: (string | number)[] = [];
  for (const s of segments) {
    if (typeof s !== 'string' && typeof s !== 'number') break;
    out.push(s);
  }
  return out;
}

function covers(guard: string, path: string): boolean {
  return path === guard || path.startsWith(`${guard}.`) || path.startsWith(`${guard}[`);
}

function knownPaths(available: ReadonlySet<string>): Set<string> {
  const prefixes = new Set<string>();
  for (const path of available) {
    for (let i = path.indexOf('.'); i !== -1; i = path.indexOf('.', i + 1)) {
      prefixes.add(path.slice(0, i));
    }
    prefixes.add(path);
  }
  return prefixes;
}

function isKnown(path: string, available: ReadonlySet<string>, known: Set<string>): boolean {
  if (known.has(path)) return true;
  // `impact.domains.size`, `impact.domains[0]`: below an available value.
  for (let i = path.length - 1; i > 0; i--) {
    if ((path[i] === '.' || path[i] === '[') && available.has(path.slice(0, i))) return true;
  }
  return false;
}

/** Missing means undefined, null, an empty or blank string, or an empty list. */
function isMissing(value: unknown): boolean {
  if (value == null) return true;
  if (typeof value === 'string') return value.trim() === '';
  if (Array.isArray(value)) return value.length === 0;
  return false;
}

function lookup(root: unknown, segments: (string | number)[]): unknown {
  let value: unknown = root;
  for (const key of segments) {
    if (value == null) return undefined;
    if (Array.isArray(value) && typeof key === 'number') {
      value = value[key < 0 ? value.length + key : key];
    } else if (Object.prototype.hasOwnProperty.call(value, key)) {
      value = (value as Record<string | number, unknown>)[key];
    } else if (key === 'size' && (Array.isArray(value) || typeof value === 'string')) {
      value = value.length;
    } else if ((key === 'first' || key === 'last') && Array.isArray(value)) {
      value = key === 'first' ? value[0] : value[value.length - 1];
    } else {
      return undefined;
    }
  }
  return value;
}

/**
 * A checker for one analysed notice: given a recipient's variables, the required placeholders
 * whose value is missing or empty for them. Optional (guarded) placeholders are never reported.
 */
export function missingValueChecker(
  analysis: TemplateAnalysis,
): (variables: NoticeVariables) => string[] {
  const required = analysis.placeholders.filter((p) => p.required && p.status === 'known');
  return (variables) =>
    required.filter((p) => isMissing(lookup(variables, p.segments))).map((p) => p.path);
}

/** The required placeholders that are missing or empty for one recipient. */
export function findMissingValues(
  analysis: TemplateAnalysis,
  variables: NoticeVariables,
): string[] {
  return missingValueChecker(analysis)(variables);
}

/** How many recipients miss a value for each required placeholder. */
export interface MissingValueSummary {
  recipients: number;
  missing: { path: string; count: number }[];
}

/** Counts missing values over all recipients of a dispatch (one pass, any iterable). */
export function summariseMissingValues(
  analysis: TemplateAnalysis,
  recipients: Iterable<NoticeVariables>,
): MissingValueSummary {
  const check = missingValueChecker(analysis);
  const counts = new Map<string, number>();
  let total = 0;
  for (const variables of recipients) {
    total++;
    for (const path of check(variables)) counts.set(path, (counts.get(path) ?? 0) + 1);
  }
  const missing = [...counts].map(([path, count]) => ({ path, count }));
  missing.sort((a, b) => b.count - a.count || a.path.localeCompare(b.path));
  return { recipients: total, missing };
}

/** One line per missing placeholder: "`{{ impact.domains }}` is empty for 12 of 3,400 recipients". */
export function describeMissingValues(summary: MissingValueSummary): string[] {
  const n = (x: number): string => x.toLocaleString('en-US');
  return summary.missing.map(
    ({ path, count }) =>
      `\`{{ ${path} }}\` is empty for ${n(count)} of ${n(summary.recipients)} recipient${summary.recipients === 1 ? '' : 's'}`,
  );
}

const dateFormats = new Map<string, { date: Intl.DateTimeFormat; zone: Intl.DateTimeFormat }>();

/**
 * Formats a case timestamp for a notice, with its time zone named (readers live in other
 * zones): "3 maart 2025 om 14:20 CET" / "3 March 2025 at 14:20 CET".
 */
export function formatNoticeDate(
  value: Date | string | null,
  language: Language,
  timeZone = 'Europe/Amsterdam',
): string | null {
  if (value === null) return null;
  const key = `${language}|${timeZone}`;
  let format = dateFormats.get(key);
  if (!format) {
    const locale = language === 'nl' ? 'nl-NL' : 'en-GB';
    format = {
      date: new Intl.DateTimeFormat(locale, { dateStyle: 'long', timeStyle: 'short', timeZone }),
      zone: new Intl.DateTimeFormat(locale, { timeZone, timeZoneName: 'short' }),
    };
    dateFormats.set(key, format);
  }
  const at = typeof value === 'string' ? new Date(value) : value;
  const zone = format.zone.formatToParts(at).find((p) => p.type === 'timeZoneName')?.value;
  return zone ? `${format.date.format(at)} ${zone}` : format.date.format(at);
}
