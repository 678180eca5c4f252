import { authorize, type Actor } from '../../domain/access.js';
import { LANGUAGES, type Language } from '../../config.js';
import { FilterSyntaxError } from '../../domain/filter/filter-errors.js';
import { describeFilter } from '../../domain/filter/filter-describe.js';
import { parseFilter } from '../../domain/filter/filter-parser.js';
import { filterWarnings, type FilterWarning } from '../../domain/filter/filter-warnings.js';
import type { NoticeText } from '../../domain/notice.js';
import {
  compileNotice,
  NoticeRenderError,
  NoticeTemplateError,
  renderNotice,
  type RenderedNotice,
} from '../../domain/notices/notice-renderer.js';
import {
  analyzeNotice,
  availableVariablePaths,
  findMissingValues,
} from '../../domain/notices/notice-variables.js';
import type { TemplateProblem } from '../../domain/notices/liquid-engine.js';
import * as affected from '../../store/affected.repository.js';
import { listAttributeKeys } from '../../store/customer.repository.js';
import { customerFilterExpression } from '../../store/customer-filter.js';
import type { Database } from '../../store/database.js';
import { readFactsObject } from '../../store/executor.js';
import { listNoticeTexts } from '../../store/notice.repository.js';
import {
  findFrozenRecipientByExternalId,
  listFrozenImpactKeys,
  sampleFrozenRecipients,
} from '../../store/recipient.repository.js';
import { filterOf } from '../cases/affected.service.js';
import { requireCase } from '../cases/case-lookup.js';
import { requireNotice } from './notice-lookup.js';
import { recipientFactsOf, recipientVariables } from './recipient-variables.js';
import { loadCaseContexts } from '../cases/case-context.js';
import { expandStatementBlocks } from '../../domain/notices/notice-snapshot.js';

/** One customer of a sample, as the workspace lists them. */
export interface SampleRecipient {
  externalId: string;
  name: string | null;
  email: string | null;
  language: string;
  impact: Record<string, unknown>;
}

/** A filter tried out before saving: its count and sample, or where it fails to parse. */
export type FilterTrial =
  | {
      ok: true;
      canonical: string;
      /** Customers the filter alone selects. */
      matches: number;
      /** The affected set with this filter: the uploaded list ∪ the filter. */
      total: number;
      withoutEmail: number;
      warnings: (FilterWarning & { line: number; column: number })[];
      sample: SampleRecipient[];
    }
  | {
      ok: false;
      message: string;
      position: number;
      line: number;
      column: number;
      /** The offending line with a caret under the position. */
      pointer: string;
    };

/** Counts and samples what a filter would select, without storing it (the live preview). */
export async function tryAffectedFilter(
  actor: Actor,
  caseRef: string,
  filterText: string,
  options: { sample?: number },
  deps: { database: Database },
): Promise<FilterTrial> {
  authorize(actor, 'cases:read');
  const { db, dialect } = deps.database;
  const kase = await requireCase(db, caseRef);
  let ast;
  try {
    ast = parseFilter(filterText);
  } catch (error) {
    if (!(error instanceof FilterSyntaxError)) throw error;
    return {
      ok: false,
      message: error.message,
      position: error.position,
      line: error.line,
      column: error.column,
      pointer: error.pointer(),
    };
  }
  const where = (eb: Parameters<typeof customerFilterExpression>[0]) =>
    customerFilterExpression(eb, ast, dialect);
  const [onlyFilter, combined, rows, keys] = await Promise.all([
    // No case has id -1, so no uploaded list joins in: this counts the filter on its own.
    affected.countAffectedSet(db, -1, where),
    affected.countAffectedSet(db, kase.id, where),
    affected.sampleAffectedSet(db, kase.id, where, Math.min(options.sample ?? 10, 50)),
    listAttributeKeys(db, dialect),
  ]);
  return {
    ok: true,
    canonical: describeFilter(ast),
    matches: onlyFilter.total,
    total: combined.total,
    withoutEmail: combined.withoutEmail,
    warnings: filterWarnings(ast, { attributeKeys: keys }).map((w) => ({
      ...w,
      ...lineColumn(filterText, w.position),
    })),
    sample: rows.map(toSample),
  };
}

/** What the notice editor shows for one language version as one sample recipient. */
export interface NoticePreview {
  noticeId: number;
  language: Language;
  languages: Language[];
  /** The recipients one can preview as (the first of the affected set). */
  samples: SampleRecipient[];
  /** Whom this preview is rendered for; null when the affected set is empty. */
  recipient: SampleRecipient | null;
  problems: TemplateProblem[];
  unknown: { path: string; part: string; line: number; column: number }[];
  /** Required placeholders without a value for this recipient. */
  missing: string[];
  rendered: RenderedNotice | null;
  /** Why nothing was rendered, when rendering failed for this recipient. */
  renderError: string | null;
}

/**
 * Renders one language version of a notice (the stored text, or an unsaved draft of it) for
 * one recipient of the affected set, with the real renderer, and reports what is wrong:
 * Liquid problems and unknown placeholders with line:column, values missing for this person.
 */
export async function previewNotice(
  actor: Actor,
  noticeId: number,
  options: { language?: string; externalId?: string; draft?: NoticeText },
  deps: { database: Database; publicUrl: string },
): Promise<NoticePreview> {
  authorize(actor, 'cases:read');
  const { db, dialect } = deps.database;
  const notice = await requireNotice(db, noticeId);
  const kase = await requireCase(db, notice.case_id);
  const stored = await listNoticeTexts(db, notice.id);
  const languages = LANGUAGES.filter((l) => stored.some((t) => t.language === l));
  const language = (
    languages.includes(options.language as Language) ? options.language : notice.default_language
  ) as Language;
  const text = options.draft ?? stored.find((t) => t.language === language);
  const rows = kase.frozen_at
    ? await sampleFrozenRecipients(db, kase.id, 20)
    : await affected.sampleAffectedSet(db, kase.id, filterOf(kase, dialect), 20);
  const facts = rows.map((row) => recipientFactsOf(row));
  const wanted = options.externalId?.trim() ?? '';
  let named = facts.find((f) => f.externalId === wanted);
  if (!named && wanted !== '') {
    // Anyone in the set can be previewed by customer number, not only the first twenty.
    const row = kase.frozen_at
      ? await findFrozenRecipientByExternalId(db, kase.id, wanted)
      : await affected.findInAffectedSet(db, kase.id, filterOf(kase, dialect), wanted);
    if (row) {
      named = recipientFactsOf(row);
      facts.unshift(named);
    }
  }
  const chosen = named ?? facts.find((f) => f.language === language) ?? facts[0] ?? null;
  const preview: NoticePreview = {
    noticeId,
    language,
    languages,
    samples: facts.map(({ externalId, name, email, language: l, impact }) => ({
      externalId,
      name,
      email,
      language: l,
      impact,
    })),
    recipient: chosen
      ? {
          externalId: chosen.externalId,
          name: chosen.name,
          email: chosen.email,
          language: chosen.language,
          impact: chosen.impact,
        }
      : null,
    problems: [],
    unknown: [],
    missing: [],
    rendered: null,
    renderError: null,
  };
  if (!text) return preview;
  const impactKeys = kase.frozen_at
    ? await listFrozenImpactKeys(db, dialect, kase.id)
    : await affected.listImpactKeys(db, dialect, kase.id);
  const available = availableVariablePaths({
    impactKeys,
    attributeKeys: await listAttributeKeys(db, dialect),
  });
  const analysis = analyzeNotice({ subject: text.subject, body: text.body }, available);
  preview.problems = analysis.problems;
  preview.unknown = analysis.unknown.flatMap((u) =>
    u.uses.map((use) => ({ path: u.path, part: use.part, line: use.line, column: use.column })),
  );
  if (analysis.problems.length > 0 || !chosen) return preview;
  const contexts = await loadCaseContexts(db, kase);
  const variables = recipientVariables(chosen, contexts[language], {
    personalUrl: `${deps.publicUrl}/n/preview`,
    securityPageUrl: `${deps.publicUrl}/security`,
  });
  preview.missing = findMissingValues(analysis, variables);
  try {
    // Exactly what a dispatch would send: statements in place, as in the approval snapshot.
    const compiled = compileNotice({
      language,
      subject: text.subject,
      body: expandStatementBlocks(text.body, contexts[language].statements),
    });
    preview.rendered = renderNotice(compiled, variables);
  } catch (error) {
    if (error instanceof NoticeTemplateError) preview.problems.push(...error.problems);
    else if (error instanceof NoticeRenderError) preview.renderError = error.message;
    else throw error;
  }
  return preview;
}

function toSample(row: affected.CustomerFacts & { impact: unknown }): SampleRecipient {
  return {
    externalId: row.external_id,
    name: row.name,
    email: row.email,
    language: row.language,
    impact: readFactsObject(row.impact),
  };
}

function lineColumn(source: string, position: number): { line: number; column: number } {
  const before = source.slice(0, position).split('\n');
  return { line: before.length, column: before[before.length - 1]!.length + 1 };
}
