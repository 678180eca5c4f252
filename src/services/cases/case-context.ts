import { LANGUAGES, type Language } from '../../config.js';
import { caseFactsOf } from '../../domain/notices/case-facts.js';
import type { SharedContext } from '../../domain/notices/notice-snapshot.js';
import { formatNoticeDate } from '../../domain/notices/notice-variables.js';
import {
  DEFAULT_ORGANISATION,
  organisationSchema,
  type Organisation,
} from '../../domain/organisation.js';
import { statementsIn, type CaseStatements, type StatementKey } from '../../domain/statements.js';
import type { Executor } from '../../store/executor.js';
import type { CaseRow } from '../../store/schema.js';
import { findSetting } from '../../store/settings.repository.js';
import { findFactRecords, listStatements } from '../../store/statement.repository.js';

/** The organisation settings read through any executor (inside a transaction too). */
export async function organisationIn(db: Executor): Promise<Organisation> {
  const stored = await findSetting(db, 'organisation', organisationSchema.partial());
  return organisationSchema.parse({ ...DEFAULT_ORGANISATION, ...stored });
}

/** A case's statements: key → language → text. */
export async function caseStatements(db: Executor, caseId: number): Promise<CaseStatements> {
  const out: CaseStatements = {};
  for (const row of await listStatements(db, caseId)) {
    const key = row.key as StatementKey;
    (out[key] ??= {})[row.language as Language] = row.text;
  }
  return out;
}

/**
 * The case as every reader sees it, per language: milestone dates formatted for the language,
 * the statements in that language only, the facts the case records, the sender.
 */
export async function loadCaseContexts(
  db: Executor,
  kase: CaseRow,
): Promise<Record<Language, SharedContext>> {
  const [statements, records, organisation] = await Promise.all([
    caseStatements(db, kase.id),
    findFactRecords(db, kase.id),
    organisationIn(db),
  ]);
  const facts = caseFactsOf(kase, records);
  const out = {} as Record<Language, SharedContext>;
  for (const language of LANGUAGES) {
    out[language] = {
      case: {
        kind: kase.kind === 'advisory' ? 'advisory' : 'incident',
        reference: kase.reference,
        detected_at: formatNoticeDate(kase.detected_at, language),
        aware_at: formatNoticeDate(kase.aware_at, language),
        contained_at: formatNoticeDate(kase.contained_at, language),
        resolved_at: formatNoticeDate(kase.resolved_at, language),
      },
      statements: statementsIn(statements, language),
      facts,
      organisation: {
        name: organisation.name,
        contact_email: organisation.contactEmail,
        contact_phone: organisation.contactPhone || null,
        dpo_email: organisation.dpoEmail || null,
        website: organisation.website || null,
        security_page_url: null,
      },
    };
  }
  return out;
}
