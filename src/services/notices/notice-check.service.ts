import { authorize, type Actor } from '../../domain/access.js';
import type { NoticeCheck } from '../../domain/notices/notice-check.js';
import type { Language } from '../../config.js';
import {
  analyzeNotice,
  availableVariablePaths,
  describeMissingValues,
  missingValueChecker,
  type TemplateAnalysis,
} from '../../domain/notices/notice-variables.js';
import { mailboxProblem } from '../../channels/email/mime.js';
import type { Database, Dialect } from '../../store/database.js';
import { readFactsObject, type Executor } from '../../store/executor.js';
import { listImpactKeys, sampleAffectedFacts } from '../../store/affected.repository.js';
import { listAttributeKeys } from '../../store/customer.repository.js';
import { listFrozenImpactKeys, sampleFrozenRecipients } from '../../store/recipient.repository.js';
import { listNoticeTexts } from '../../store/notice.repository.js';
import { filterOf } from '../cases/affected.service.js';
import { requireCase } from '../cases/case-lookup.js';
import { requireNotice } from './notice-lookup.js';
import {
  NO_READER,
  noticeLanguageFor,
  recipientFactsOf,
  type FactsRow,
  recipientVariables,
  type RecipientFacts,
} from './recipient-variables.js';
import { loadCaseContexts } from '../cases/case-context.js';
import { checkClaims } from '../../domain/notices/claims.js';
import { expandStatementBlocks } from '../../domain/notices/notice-snapshot.js';
import {
  compileNotice,
  NoticeRenderError,
  renderNotice,
} from '../../domain/notices/notice-renderer.js';
import { templateLimitProblems } from '../../domain/notices/template-limit-check.js';
import { STATEMENT_LABELS, type StatementKey } from '../../domain/statements.js';
import type { SharedContext } from '../../domain/notices/notice-snapshot.js';

/** What stands between a notice and its approval. */
export type { NoticeCheck };

const PAGE = 5000;
/** Recipients named in a "cannot be mailed" line; the rest are counted. */
const UNMAILABLE_EXAMPLES = 10;

/**
 * Checks a notice against its case: Liquid syntax, placeholders that do not exist for this
 * case, and required values that are empty for some recipients (with counts), so nobody
 * ever gets a blank. Walks the whole affected set a page at a time.
 */
export async function checkNotice(
  actor: Actor,
  noticeId: number,
  deps: { database: Database },
): Promise<NoticeCheck> {
  authorize(actor, 'cases:read');
  return checkNoticeIn(deps.database.db, deps.database.dialect, noticeId);
}

/**
 * The check itself, on any executor: a transaction that has just frozen the set checks the
 * frozen copy it is about to mail. The caller has authorized.
 */
export async function checkNoticeIn(
  db: Executor,
  dialect: Dialect,
  noticeId: number,
): Promise<NoticeCheck> {
  const notice = await requireNotice(db, noticeId);
  const kase = await requireCase(db, notice.case_id);
  const texts = await listNoticeTexts(db, notice.id);
  const impactKeys = kase.frozen_at
    ? await listFrozenImpactKeys(db, dialect, kase.id)
    : await listImpactKeys(db, dialect, kase.id);
  const available = availableVariablePaths({
    impactKeys,
    attributeKeys: await listAttributeKeys(db, dialect),
  });
  const contexts = await loadCaseContexts(db, kase);
  const analyses = new Map<Language, TemplateAnalysis>();
  const errors: string[] = [];
  const unknown: NoticeCheck['unknown'] = [];
  for (const t of texts) {
    const analysis = analyzeNotice({ subject: t.subject, body: t.body }, available);
    analyses.set(t.language as Language, analysis);
    for (const p of analysis.problems)
      errors.push(`${t.language} ${p.part}, line ${p.line}:${p.column}: ${p.message}`);
    for (const u of analysis.unknown) {
      const use = u.uses[0]!;
      unknown.push({ language: t.language, path: u.path, line: use.line, column: use.column });
      errors.push(
        `${t.language} ${use.part}, line ${use.line}:${use.column}: unknown placeholder {{ ${u.path} }}`,
      );
    }
  }
  // A template that runs into a render limit would fail every delivery for good: refuse it here.
  const limited = templateLimitProblems(
    Object.fromEntries(texts.map((t) => [t.language, { subject: t.subject, body: t.body }])),
  );
  for (const p of limited) errors.push(`${p.field}: ${p.message}`);
  const gaps = statementGaps(analyses, contexts);
  if (errors.length === 0 && notice.audience !== 'affected') {
    for (const t of texts) errors.push(...claimErrors(t, contexts, NO_READER));
  }
  if (notice.audience !== 'affected' || errors.length > 0) {
    const where = `the ${notice.audience} notice is published in`;
    for (const gap of gaps)
      errors.push(describeGap(gap, `${where} ${LANGUAGE_NAMES[gap.language]}`));
    return { ok: errors.length === 0, errors, unknown, missing: [], recipients: 0 };
  }

  // Statements are reported per language below, not as empty values per recipient.
  const checkers = new Map(
    [...analyses].map(([language, a]) => [
      language,
      missingValueChecker({
        ...a,
        placeholders: a.placeholders.filter((p) => p.segments[0] !== 'statements'),
      }),
    ]),
  );
  const readers = new Map<Language, number>();
  const firstReader = new Map<Language, RecipientFacts>();
  const languages = new Set(analyses.keys() as Iterable<string>);
  const counts = new Map<string, number>();
  let recipients = 0;
  const unmailable: string[] = [];
  let unmailableCount = 0;
  // What the check reads of each recipient's JSON: impact texts repeat across a set (one
  // parse per distinct text), and attributes are parsed only when a placeholder uses them.
  const usesAttributes = [...analyses.values()].some((a) =>
    a.placeholders.some((p) => p.segments[0] === 'customer' && p.segments[1] === 'attributes'),
  );
  const usesPostalAddress = [...analyses.values()].some((a) =>
    a.placeholders.some(
      (p) =>
        p.segments[0] === 'customer' &&
        ['street', 'postal_code', 'city', 'country'].includes(String(p.segments[1] ?? '')),
    ),
  );
  const facts = checkFactsReader(usesAttributes);
  const visit = (r: RecipientFacts, row: FactsRow) => {
    recipients++;
    // The To: header is built from the recipient's own data: a line break in a name fails
    // that delivery for good at send time, so it is found here, before anyone approves.
    const problem = r.email ? mailboxProblem('To', { name: r.name, address: r.email }) : null;
    if (problem) {
      unmailableCount++;
      if (unmailable.length < UNMAILABLE_EXAMPLES) unmailable.push(`${r.externalId} (${problem})`);
    }
    const language = noticeLanguageFor(r.language, languages, notice.default_language as Language);
    readers.set(language, (readers.get(language) ?? 0) + 1);
    // The claims check below reads the first reader of each language whole.
    if (!firstReader.has(language)) firstReader.set(language, recipientFactsOf(row));
    for (const path of checkers.get(language)!(
      recipientVariables(r, contexts[language], {
        personalUrl: 'https://x/n/check',
        securityPageUrl: null,
      }),
    )) {
      const key = `${language}\u0000${path}`;
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
  };
  let after = 0;
  for (;;) {
    const page = kase.frozen_at
      ? await sampleFrozenRecipients(db, kase.id, PAGE, after)
      : await sampleAffectedFacts(
          db,
          kase.id,
          filterOf(kase, dialect),
          { limit: PAGE, afterId: after },
          { postalAddress: usesPostalAddress, attributes: usesAttributes },
        );
    for (const row of page) {
      visit(facts(row), row);
    }
    if (page.length < PAGE) break;
    after = page[page.length - 1]!.id;
  }
  const missing = [...counts].map(([key, count]) => {
    const [language, path] = key.split('\u0000') as [string, string];
    return { language, path, count };
  });
  for (const language of languages) {
    const list = missing.filter((m) => m.language === language);
    if (list.length === 0) continue;
    const lines = describeMissingValues({
      recipients,
      missing: list.map(({ path, count }) => ({ path, count })),
    });
    errors.push(...lines.map((l) => `${language}: ${l}`));
  }
  if (unmailableCount > 0) {
    const more = unmailableCount - unmailable.length;
    errors.push(
      `${unmailableCount.toLocaleString('en-US')} recipient${unmailableCount === 1 ? '' : 's'} cannot be mailed: ${unmailable.join('; ')}${more > 0 ? `; and ${more.toLocaleString('en-US')} more` : ''}. Correct the name or address in the customer registry.`,
    );
  }
  for (const gap of gaps) {
    const n = readers.get(gap.language) ?? 0;
    if (n === 0) continue;
    errors.push(
      describeGap(
        gap,
        `${n.toLocaleString('en-US')} recipient${n === 1 ? '' : 's'} read${n === 1 ? 's' : ''} ${LANGUAGE_NAMES[gap.language]}`,
      ),
    );
  }
  for (const t of texts) {
    const reader = firstReader.get(t.language as Language);
    if (reader) errors.push(...claimErrors(t, contexts, reader));
  }
  if (recipients === 0)
    errors.push('the affected set is empty: upload a list or set a filter first');
  return { ok: errors.length === 0, errors, unknown, missing, recipients };
}

const LANGUAGE_NAMES: Record<Language, string> = { nl: 'Dutch', en: 'English' };

/** A statement a language version needs but does not have. */
interface StatementGap {
  key: StatementKey;
  language: Language;
}

/**
 * Statements a version uses and its language lacks. A statement written in one language must be
 * written in every language the notice has (a guarded use would otherwise silently tell one
 * language less than the other); one written in none is a gap only where the use is required.
 */
function statementGaps(
  analyses: Map<Language, TemplateAnalysis>,
  contexts: Record<Language, SharedContext>,
): StatementGap[] {
  const used = new Map<StatementKey, boolean>();
  for (const analysis of analyses.values()) {
    for (const p of analysis.placeholders) {
      if (p.segments[0] !== 'statements' || typeof p.segments[1] !== 'string') continue;
      const key = p.segments[1] as StatementKey;
      used.set(key, (used.get(key) ?? false) || p.required);
    }
  }
  const gaps: StatementGap[] = [];
  for (const [key, required] of used) {
    const somewhere = [...analyses.keys()].some((l) => contexts[l].statements[key]);
    for (const language of analyses.keys()) {
      if (contexts[language].statements[key]) continue;
      if (somewhere || required) gaps.push({ key, language });
    }
  }
  return gaps;
}

function describeGap(gap: StatementGap, readers: string): string {
  return `'${STATEMENT_LABELS[gap.key].en}' has no ${LANGUAGE_NAMES[gap.language]} text; ${readers}`;
}

/**
 * Claims the rendered text makes that the case does not record, or denials of facts it does:
 * "says 'we have told the AP' but no authority report is filed". Rendered for a real reader, so
 * only the branch of a template that would go out is read.
 */
function claimErrors(
  text: { language: string; subject: string; body: string },
  contexts: Record<Language, SharedContext>,
  reader: RecipientFacts,
): string[] {
  const language = text.language as Language;
  const context = contexts[language];
  if (!context) return [];
  let rendered: string;
  try {
    const compiled = compileNotice({
      language,
      subject: text.subject,
      body: expandStatementBlocks(text.body, context.statements),
    });
    const out = renderNotice(
      compiled,
      recipientVariables(reader, context, {
        personalUrl: 'https://x/n/check',
        securityPageUrl: null,
      }),
    );
    rendered = `${out.subject}\n\n${out.text}`;
  } catch (error) {
    // A limit this reader's data runs into; other render problems are reported by the
    // placeholder checks.
    if (error instanceof NoticeRenderError && error.limit) return [`${language}: ${error.message}`];
    return [];
  }
  return checkClaims(rendered, language, context.facts).map((m) => `${language}: ${m.message}`);
}

/**
 * Recipient facts for the missing-value check, read cheaply: at a million recipients the JSON
 * parsing was the check's largest cost after the database. The objects are shared between
 * recipients and only read.
 */
function checkFactsReader(usesAttributes: boolean): (row: FactsRow) => RecipientFacts {
  let impacts = new Map<string, Record<string, unknown>>();
  const noAttributes: Record<string, unknown> = {};
  const impactOf = (value: unknown): Record<string, unknown> => {
    if (typeof value !== 'string') return readFactsObject(value);
    let impact = impacts.get(value);
    if (impact === undefined) {
      impact = readFactsObject(value);
      if (impacts.size >= 10_000) impacts = new Map();
      impacts.set(value, impact);
    }
    return impact;
  };
  return (row) =>
    recipientFactsOf(row, {
      impact: impactOf(row.impact),
      attributes: usesAttributes ? readFactsObject(row.attributes) : noAttributes,
    });
}
