import { authorize, type Actor } from '../domain/access.js';
import type { Language } from '../config.js';
import {
  analyzeNotice,
  availableVariablePaths,
  describeMissingValues,
  missingValueChecker,
  type TemplateAnalysis,
} from '../domain/notices/notice-variables.js';
import type { Database } from '../store/database.js';
import { listImpactKeys, sampleAffectedSet } from '../store/affected.repository.js';
import { listAttributeKeys } from '../store/customer.repository.js';
import { readJson } from '../store/executor.js';
import { listFrozenImpactKeys, sampleFrozenRecipients } from '../store/recipient.repository.js';
import { listNoticeTexts } from '../store/notice.repository.js';
import { filterOf } from './affected.service.js';
import { requireCase } from './case.service.js';
import { requireNotice } from './notice.service.js';
import {
  noticeLanguageFor,
  recipientVariables,
  type RecipientFacts,
} from './recipient-variables.js';
import { getOrganisation } from './settings.service.js';

/** What stands between a notice and its approval. */
export interface NoticeCheck {
  ok: boolean;
  /** One line per problem, for people: syntax errors, unknown placeholders, missing values. */
  errors: string[];
  unknown: { language: string; path: string; line: number; column: number }[];
  missing: { language: string; path: string; count: number }[];
  recipients: number;
}

const PAGE = 5000;

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
  const { db, dialect } = deps.database;
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
  if (notice.audience !== 'affected' || errors.length > 0) {
    return { ok: errors.length === 0, errors, unknown, missing: [], recipients: 0 };
  }

  const organisation = await getOrganisation(deps);
  const shared = { kase, organisation, securityPageUrl: null };
  const checkers = new Map(
    [...analyses].map(([language, a]) => [language, missingValueChecker(a)]),
  );
  const languages = new Set(analyses.keys() as Iterable<string>);
  const counts = new Map<string, number>();
  let recipients = 0;
  const visit = (r: RecipientFacts) => {
    recipients++;
    const language = noticeLanguageFor(r.language, languages, notice.default_language as Language);
    for (const path of checkers.get(language)!(
      recipientVariables(r, shared, language, 'https://x/n/check'),
    )) {
      const key = `${language}\u0000${path}`;
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
  };
  let after = 0;
  for (;;) {
    const page = kase.frozen_at
      ? await sampleFrozenRecipients(db, kase.id, PAGE, after)
      : await sampleAffectedSet(db, kase.id, filterOf(kase, dialect), PAGE, after);
    for (const row of page) {
      visit({
        externalId: row.external_id,
        name: row.name,
        email: row.email,
        language: row.language,
        street: row.street,
        postalCode: row.postal_code,
        city: row.city,
        country: row.country,
        attributes: readJson(row.attributes),
        impact: readJson(row.impact),
      });
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
  if (recipients === 0)
    errors.push('the affected set is empty: upload a list or set a filter first');
  return { ok: errors.length === 0, errors, unknown, missing, recipients };
}
