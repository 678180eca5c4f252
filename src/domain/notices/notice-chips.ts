import type { Language } from '../language.js';
import { STATEMENT_KEYS, STATEMENT_LABELS } from '../statements.js';
import { CLAIM_FACTS, type ClaimFact } from './case-facts.js';

/**
 * The readable form of a notice text, for people who do not write templates. Placeholders are
 * shown as chips in double square brackets (`{{ customer.name }}` ⇄ `[[Customer name]]`) and
 * simple conditions as readable markers (`{% if facts.contained %}` ⇄ `[[if: leak contained]]`,
 * `{% else %}` ⇄ `[[else]]`, `{% endif %}` ⇄ `[[end]]`). Anything else stays Liquid as written.
 *
 * The transform is exact: `fromReadable(toReadable(source))` is `source` for every source the
 * editor shows in readable form (`readableOrNull` refuses the rest), so opening and saving a
 * notice never changes its template. Chips are read back in either interface language.
 */

/** Labels of the placeholders an author can insert, per interface language. */
const FACT_LABELS: Readonly<Record<ClaimFact, Record<Language, string>>> = {
  contained: { en: 'leak contained', nl: 'lek gedicht' },
  resolved: { en: 'case resolved', nl: 'zaak opgelost' },
  authority_notified: { en: 'authority notified', nl: 'toezichthouder ingelicht' },
  customers_notified: { en: 'customers notified', nl: 'klanten ingelicht' },
  passwords_reset: { en: 'passwords reset', nl: 'wachtwoorden opnieuw ingesteld' },
};

const FIXED_LABELS: readonly [string, Record<Language, string>][] = [
  ['customer.name', { en: 'Customer name', nl: 'Naam klant' }],
  ['customer.email', { en: 'Customer email', nl: 'E-mailadres klant' }],
  ['customer.external_id', { en: 'Customer number', nl: 'Klantnummer' }],
  ['customer.street', { en: 'Customer street', nl: 'Straat klant' }],
  ['customer.postal_code', { en: 'Customer postal code', nl: 'Postcode klant' }],
  ['customer.city', { en: 'Customer city', nl: 'Woonplaats klant' }],
  ['customer.country', { en: 'Customer country', nl: 'Land klant' }],
  ['case.reference', { en: 'Case reference', nl: 'Kenmerk zaak' }],
  ['case.detected_at', { en: 'Date detected', nl: 'Datum ontdekt' }],
  ['case.aware_at', { en: 'Date we knew', nl: 'Datum bekend' }],
  ['case.contained_at', { en: 'Date contained', nl: 'Datum gedicht' }],
  ['case.resolved_at', { en: 'Date resolved', nl: 'Datum opgelost' }],
  ['organisation.name', { en: 'Our name', nl: 'Onze naam' }],
  ['organisation.contact_email', { en: 'Our email address', nl: 'Ons e-mailadres' }],
  ['organisation.contact_phone', { en: 'Our phone number', nl: 'Ons telefoonnummer' }],
  [
    'organisation.dpo_email',
    { en: 'Data protection officer', nl: 'Functionaris gegevensbescherming' },
  ],
  ['organisation.website', { en: 'Our website', nl: 'Onze website' }],
  ['organisation.security_page_url', { en: 'Security page', nl: 'Beveiligingspagina' }],
  ['personal_url', { en: 'Personal page link', nl: 'Link persoonlijke pagina' }],
  ['impact.data', { en: 'Their data involved', nl: 'Hun betrokken gegevens' }],
  ['impact.accounts', { en: 'Their accounts', nl: 'Hun accounts' }],
  ['impact.domains', { en: 'Their domains', nl: 'Hun domeinen' }],
  ['impact.servers', { en: 'Their servers', nl: 'Hun servers' }],
  ['impact.software', { en: 'Their software', nl: 'Hun software' }],
  ['impact.version', { en: 'Their version', nl: 'Hun versie' }],
  ['impact.fixed_version', { en: 'Fixed version', nl: 'Versie met oplossing' }],
  ['impact.deadline', { en: 'Their deadline', nl: 'Hun uiterste datum' }],
  ['impact.consequences', { en: 'Their consequences', nl: 'Gevolgen voor hen' }],
  ['impact.measures', { en: 'Measures for them', nl: 'Maatregelen voor hen' }],
];

function capital(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** Every path with a chip, in the order the editor lists them: statements first. */
export const CHIP_LABELS: ReadonlyMap<string, Record<Language, string>> = new Map([
  ...STATEMENT_KEYS.map(
    (key) =>
      [
        `statements.${key}`,
        { en: capital(STATEMENT_LABELS[key].en), nl: capital(STATEMENT_LABELS[key].nl) },
      ] as [string, Record<Language, string>],
  ),
  ...FIXED_LABELS,
  ...CLAIM_FACTS.map(
    (fact) => [`facts.${fact}`, FACT_LABELS[fact]] as [string, Record<Language, string>],
  ),
]);

const WORDS: Record<Language, { if: string; else: string; end: string; list: string }> = {
  en: { if: 'if', else: 'else', end: 'end', list: 'list' },
  nl: { if: 'als', else: 'anders', end: 'einde', list: 'lijst' },
};

/** One insertable chip, as the editor lists it. */
export interface ChipChoice {
  path: string;
  label: string;
  /** What a click inserts. */
  chip: string;
  group: 'statements' | 'customer' | 'case' | 'organisation' | 'impact' | 'facts';
}

/** The chips an author can insert, in the interface language. */
export function chipChoices(language: Language): ChipChoice[] {
  return [...CHIP_LABELS].map(([path, labels]) => {
    const group = (path.includes('.') ? path.split('.')[0] : 'customer') as ChipChoice['group'];
    const chip =
      group === 'facts'
        ? `[[${WORDS[language].if}: ${labels[language]}]]`
        : `[[${labels[language]}]]`;
    return { path, label: labels[language], chip, group };
  });
}

// A tag is in its canonical spelling (single spaces, no whitespace control): only those become
// chips, so turning a chip back always gives the very characters it came from.
const TAG = /\{\{ ([a-z_]+(?:\.[a-z_]+)?)( \| join: ", ")? \}\}|\{%-?\s*([a-z]+)([\s\S]*?)-?%\}/g;
const BLOCK_OPENERS = new Set(['if', 'unless', 'for', 'case', 'capture', 'tablerow']);
const BLOCK_CLOSERS = new Set([
  'endif',
  'endunless',
  'endfor',
  'endcase',
  'endcapture',
  'endtablerow',
]);

/** Liquid source → readable text with chips in the interface language. */
export function toReadable(source: string, language: Language): string {
  const w = WORDS[language];
  // Per open block: whether its tags became chips (so `{% endif %}` of a complex `if` stays).
  const stack: boolean[] = [];
  return source.replace(TAG, (whole, path?: string, join?: string, tag?: string, rest?: string) => {
    if (path !== undefined) {
      const labels = CHIP_LABELS.get(path);
      if (!labels) return whole;
      return join ? `[[${labels[language]} (${w.list})]]` : `[[${labels[language]}]]`;
    }
    const canonical = whole === `{% ${tag}${rest}%}`;
    if (tag === 'if') {
      const condition = canonical ? /^ ([a-z_]+\.[a-z_]+) $/.exec(rest ?? '')?.[1] : undefined;
      const labels = condition ? CHIP_LABELS.get(condition) : undefined;
      stack.push(labels !== undefined);
      return labels ? `[[${w.if}: ${labels[language]}]]` : whole;
    }
    if (tag === 'else' && canonical && rest === ' ') return stack.at(-1) ? `[[${w.else}]]` : whole;
    if (tag === 'endif') return stack.pop() && canonical && rest === ' ' ? `[[${w.end}]]` : whole;
    if (tag && BLOCK_OPENERS.has(tag)) stack.push(false);
    else if (tag && BLOCK_CLOSERS.has(tag)) stack.pop();
    return whole;
  });
}

/** A chip that names nothing known, with where it is (1-based). */
export interface ChipProblem {
  chip: string;
  line: number;
  column: number;
}

export class UnknownChipError extends Error {
  constructor(readonly problems: ChipProblem[]) {
    super(
      problems.map((p) => `line ${p.line}:${p.column}: unknown placeholder ${p.chip}`).join('; '),
    );
    this.name = 'UnknownChipError';
  }
}

const BY_LABEL = new Map<string, string>();
for (const [path, labels] of CHIP_LABELS) {
  for (const label of Object.values(labels)) BY_LABEL.set(label.toLowerCase(), path);
}
const IF_WORDS = new Set(Object.values(WORDS).map((w) => w.if));
const ELSE_WORDS = new Set(Object.values(WORDS).map((w) => w.else));
const END_WORDS = new Set(Object.values(WORDS).map((w) => w.end));
const LIST_WORDS = Object.values(WORDS).map((w) => w.list);

/** Readable text → Liquid source. Chips in either language; an unknown one is an error. */
export function fromReadable(readable: string): string {
  const problems: ChipProblem[] = [];
  const out = readable.replace(/\[\[([^[\]\n]*)\]\]/g, (whole, inner: string, offset: number) => {
    const text = inner.trim().replace(/\s+/g, ' ');
    const lower = text.toLowerCase();
    if (ELSE_WORDS.has(lower)) return '{% else %}';
    if (END_WORDS.has(lower)) return '{% endif %}';
    const condition = /^([a-z]+):\s*(.+)$/i.exec(text);
    if (condition && IF_WORDS.has(condition[1]!.toLowerCase())) {
      const path = BY_LABEL.get(condition[2]!.toLowerCase());
      if (path) return `{% if ${path} %}`;
    } else {
      const list = LIST_WORDS.map((word) =>
        new RegExp(`^(.+) \\(${word}\\)$`, 'i').exec(text),
      ).find(Boolean);
      const path = BY_LABEL.get((list?.[1] ?? text).toLowerCase());
      if (path) return list ? `{{ ${path} | join: ", " }}` : `{{ ${path} }}`;
    }
    const before = readable.slice(0, offset).split('\n');
    problems.push({ chip: whole, line: before.length, column: before.at(-1)!.length + 1 });
    return whole;
  });
  if (problems.length > 0) throw new UnknownChipError(problems);
  return out;
}

/** The readable form, or null when the source has something the transform could not undo. */
export function readableOrNull(source: string, language: Language): string | null {
  const readable = toReadable(source, language);
  try {
    return fromReadable(readable) === source ? readable : null;
  } catch {
    return null;
  }
}
