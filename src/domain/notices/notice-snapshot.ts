import { createHash } from 'node:crypto';
import { z } from 'zod';
import { LANGUAGES, type Language } from '../language.js';
import { canonicalJson } from '../audit-chain.js';
import { STATEMENT_KEYS, STATEMENT_LABELS, type StatementKey } from '../statements.js';
import type { CaseFacts } from './case-facts.js';
import { checkClaims } from './claims.js';
import { compileNotice, type CompiledNotice } from './notice-renderer.js';
import {
  analyzeNotice,
  availableVariablePaths,
  type CaseVariables,
  type NoticeVariables,
  type OrganisationVariables,
} from './notice-variables.js';

/**
 * Approval snapshots. Approving a notice approves what its readers will see: its texts AND
 * every case-level value they use (statements, milestone dates, facts, organisation details),
 * resolved per language. Dispatch, the personal page and publication render from the snapshot
 * only, so an edit to the case after approval cannot reach anybody unapproved; the edit voids
 * the approval instead (see notice-approval.service.ts).
 *
 * Only the values a notice uses are in its snapshot: a fact or statement it does not mention
 * can change without voiding it.
 */

/** The values that are the same for every reader of a case, in one language. */
export interface SharedContext {
  case: CaseVariables;
  statements: Partial<Record<StatementKey, string>>;
  facts: CaseFacts;
  organisation: OrganisationVariables;
}

/** Namespaces resolved into the snapshot; the rest is personal (customer, impact, links). */
const SHARED_NAMESPACES = ['case', 'statements', 'facts', 'organisation'] as const;

const textSchema = z.object({ subject: z.string(), body: z.string() });

export const noticeSnapshotSchema = z.object({
  audience: z.string(),
  defaultLanguage: z.enum(LANGUAGES),
  texts: z.partialRecord(z.enum(LANGUAGES), textSchema),
  /** Per language: the shared values the texts use, by path (`statements.what_happened`). */
  values: z.partialRecord(z.enum(LANGUAGES), z.record(z.string(), z.unknown())),
});
export type NoticeSnapshot = z.infer<typeof noticeSnapshotSchema>;

export interface SnapshotSource {
  audience: string;
  defaultLanguage: Language;
  texts: Partial<Record<Language, { subject: string; body: string }>>;
}

/** The shared paths (two segments at most) that a notice's texts use. */
export function sharedPathsUsed(text: { subject: string; body: string }): string[] {
  // Every path is "available" here: the question is only which ones the texts name.
  const analysis = analyzeNotice(
    { subject: text.subject, body: text.body },
    availableVariablePaths({}),
  );
  const paths = new Set<string>();
  for (const p of analysis.placeholders) {
    const [head, second] = p.segments;
    if (typeof head !== 'string' || !(SHARED_NAMESPACES as readonly string[]).includes(head))
      continue;
    // The security page's address is installation configuration, filled in at render time.
    if (head === 'organisation' && second === 'security_page_url') continue;
    paths.add(typeof second === 'string' ? `${head}.${second}` : head);
  }
  return [...paths].sort();
}

/** The snapshot of a notice against the case as it is now. */
export function buildSnapshot(
  source: SnapshotSource,
  contexts: Partial<Record<Language, SharedContext>>,
): NoticeSnapshot {
  const values: NoticeSnapshot['values'] = {};
  for (const language of LANGUAGES) {
    const text = source.texts[language];
    const context = contexts[language];
    if (!text || !context) continue;
    const picked: Record<string, unknown> = {};
    for (const path of sharedPathsUsed(text)) picked[path] = pick(context, path) ?? null;
    values[language] = picked;
  }
  return {
    audience: source.audience,
    defaultLanguage: source.defaultLanguage,
    texts: source.texts,
    values,
  };
}

/** The hash an approval pins: any change to a text or a used value changes it. */
export function snapshotHash(snapshot: NoticeSnapshot): string {
  return createHash('sha256').update(canonicalJson(snapshot)).digest('hex');
}

function pick(context: SharedContext, path: string): unknown {
  const [head, key] = path.split('.') as [keyof SharedContext, string | undefined];
  const namespace = context[head] as unknown as Record<string, unknown>;
  return key === undefined ? namespace : namespace[key];
}

/** The shared part of the variables, rebuilt from a snapshot's values for one language. */
export function snapshotSharedVariables(
  snapshot: NoticeSnapshot,
  language: Language,
): Pick<NoticeVariables, 'case' | 'statements' | 'facts' | 'organisation'> {
  const out: Record<string, Record<string, unknown>> = {
    case: {},
    statements: {},
    facts: {},
    organisation: {},
  };
  for (const [path, value] of Object.entries(snapshot.values[language] ?? {})) {
    const [head, key] = path.split('.') as [string, string | undefined];
    if (key === undefined) out[head] = { ...(value as Record<string, unknown>) };
    else if (value !== null || head !== 'statements') out[head]![key] = value;
  }
  return out as unknown as Pick<NoticeVariables, 'case' | 'statements' | 'facts' | 'organisation'>;
}

/** A line that holds only a statement placeholder: the statement goes in as Markdown. */
const BLOCK_STATEMENT = /^[ \t]*\{\{-?\s*statements\.([a-z_]+)\s*-?\}\}[ \t]*$/gm;

/**
 * Puts block statements into the Markdown before it is compiled, so their paragraphs and lists
 * are Markdown like the rest. Statements cannot hold Liquid (statementTextSchema), and anything
 * that looks like it is refused here too, so a statement never runs as a template.
 */
export function expandStatementBlocks(
  body: string,
  statements: Partial<Record<string, unknown>>,
): string {
  return body.replace(BLOCK_STATEMENT, (_line, key: string) => {
    const text = statements[key];
    if (typeof text !== 'string') return '';
    if (/\{\{|\{%/.test(text)) throw new Error(`statement ${key} holds template syntax`);
    return text.trim();
  });
}

/** Compiles one language of a snapshot, statements in place. */
export function compileSnapshot(snapshot: NoticeSnapshot, language: Language): CompiledNotice {
  const text = snapshot.texts[language];
  if (!text) throw new Error(`the snapshot has no ${language} text`);
  const { statements } = snapshotSharedVariables(snapshot, language);
  return compileNotice({
    language,
    subject: text.subject,
    body: expandStatementBlocks(text.body, statements),
  });
}

/** Names of what differs between two snapshots, for "approval voided: … changed". */
export function describeSnapshotChanges(before: NoticeSnapshot, after: NoticeSnapshot): string[] {
  const changes: string[] = [];
  for (const language of LANGUAGES) {
    const a = before.texts[language];
    const b = after.texts[language];
    if (canonicalJson(a ?? null) !== canonicalJson(b ?? null))
      changes.push(`notice text (${language})`);
  }
  const seen = new Set<string>();
  for (const language of LANGUAGES) {
    const a = before.values[language] ?? {};
    const b = after.values[language] ?? {};
    for (const path of new Set([...Object.keys(a), ...Object.keys(b)])) {
      if (canonicalJson(a[path] ?? null) === canonicalJson(b[path] ?? null)) continue;
      const label = valueLabel(path, language);
      if (!seen.has(label)) changes.push(label);
      seen.add(label);
    }
  }
  if (before.defaultLanguage !== after.defaultLanguage) changes.push('default language');
  return changes;
}

function valueLabel(path: string, language: Language): string {
  const [head, key] = path.split('.') as [string, string | undefined];
  if (head === 'statements' && key && (STATEMENT_KEYS as readonly string[]).includes(key))
    return `statement '${STATEMENT_LABELS[key as StatementKey].en}' (${language})`;
  if (head === 'statements') return `statements (${language})`;
  if (head === 'facts') return `fact '${key ?? 'facts'}'`;
  if (head === 'case')
    return `case ${key?.replace(/_at$/, ' date').replace(/_/g, ' ') ?? 'values'}`;
  return `organisation ${key?.replace(/_/g, ' ') ?? 'details'}`;
}

/**
 * Claims in the statements a snapshot holds that the case no longer records (or a denial of a
 * fact it now records): checked again when a dispatch starts and when a text is published,
 * because a fact can change without the statement changing.
 */
export function snapshotClaimMismatches(
  snapshot: NoticeSnapshot,
  facts: CaseFacts,
): { language: Language; message: string }[] {
  const out: { language: Language; message: string }[] = [];
  for (const language of LANGUAGES) {
    const statements = snapshotSharedVariables(snapshot, language).statements;
    for (const text of Object.values(statements)) {
      if (typeof text !== 'string') continue;
      for (const m of checkClaims(text, language, facts))
        out.push({ language, message: m.message });
    }
  }
  return out;
}

/** One language of a snapshot as the approver reads it: statements in place, values listed. */
export function resolvedSource(
  snapshot: NoticeSnapshot,
  language: Language,
): { subject: string; body: string; values: Record<string, unknown> } | null {
  const text = snapshot.texts[language];
  if (!text) return null;
  const shared = snapshotSharedVariables(snapshot, language);
  const values = Object.fromEntries(
    Object.entries(snapshot.values[language] ?? {}).filter(([p]) => !p.startsWith('statements.')),
  );
  return {
    subject: text.subject,
    body: expandStatementBlocks(text.body, shared.statements),
    values,
  };
}
