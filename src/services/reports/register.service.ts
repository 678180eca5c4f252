/** The breach register (GDPR Art. 33(5)): listing, CSV and PDF export. */
import { renderPdf } from '../../channels/letters/pdf-document.js';
import { authorize, type Actor } from '../../domain/access.js';
import { assess } from '../../domain/assessment/notification-decision.js';
import {
  REGISTER_CSV_HEADER,
  filterRegister,
  registerCsvRow,
  registerFilterSchema,
  registerPdfSpec,
  type RegisterEntry,
  type RegisterFilter,
} from '../../domain/reports/breach-register.js';
import {
  reportContentSchema,
  type Localised,
  type ReportContent,
} from '../../domain/reports/report-content.js';
import { draftField } from '../../domain/reports/report-draft.js';
import { csvRecord } from '../../ingest/csv-writer.js';
import { readJson, type Executor } from '../../store/executor.js';
import { listLatestReportContents, listRegisterCases } from '../../store/register.repository.js';
import type { CaseRow } from '../../store/schema.js';
import {
  DEFAULT_REPORT_TIME_ZONE,
  caseAssessment,
  caseSubmissions,
  draftInputFor,
  type ReportDeps,
} from './report-inputs.js';
import { getOrganisation } from '../access/settings.service.js';

async function entryOf(
  db: Executor,
  kase: CaseRow,
  gdprContent: ReportContent | undefined,
  deps: ReportDeps,
  language: 'nl' | 'en',
): Promise<RegisterEntry> {
  const [{ facts, assessment: stored, decision }, submissions] = await Promise.all([
    caseAssessment(db, kase.id),
    caseSubmissions(db, kase.id),
  ]);
  // The stored advice is English; a Dutch reader gets its reasons recomputed from the same
  // stored facts in Dutch (as the assessment tab does). Nothing stored is rewritten.
  const local = stored && facts && language !== 'en' ? assess(facts, language) : null;
  const assessment =
    stored && local
      ? {
          ...stored,
          authority: { ...stored.authority, reasons: local.authority.reasons },
          subjects: { ...stored.subjects, reasons: local.subjects.reasons },
          nis2: { ...stored.nis2, reasons: local.nis2.reasons },
        }
      : stored;
  // Effects and remedial action as reported to the authority; drafted from the facts otherwise.
  let effects: Localised | undefined = gdprContent?.fields.consequences;
  let remedialAction: Localised | undefined = gdprContent?.fields.measures;
  if (effects === undefined || remedialAction === undefined) {
    const input = await draftInputFor(db, kase, deps);
    effects ??= draftField(input, 'consequences');
    remedialAction ??= draftField(input, 'measures');
  }
  const year = new Date(kase.aware_at ?? kase.created_at).getUTCFullYear();
  return {
    caseId: kase.id,
    reference: kase.reference,
    kind: kase.kind,
    title: kase.title,
    state: kase.state,
    detectedAt: kase.detected_at,
    awareAt: kase.aware_at,
    containedAt: kase.contained_at,
    resolvedAt: kase.resolved_at,
    year,
    personalData: facts?.personalData ?? null,
    dataCategories: [...(facts?.dataCategories ?? [])],
    dataSubjects: facts?.dataSubjects ?? null,
    records: facts?.records ?? null,
    severity: assessment
      ? { score: assessment.severity.score, level: assessment.severity.level }
      : null,
    effects,
    remedialAction,
    decisions: {
      authority: {
        advice: assessment?.authority.notify ?? null,
        adviceReasons: assessment?.authority.reasons ?? [],
        decision: decision?.authority.notify ?? null,
        source: decision?.authority.source ?? null,
        rationale: decision?.authority.rationale ?? null,
      },
      subjects: {
        advice: assessment?.subjects.notify ?? null,
        adviceReasons: assessment?.subjects.reasons ?? [],
        decision: decision?.subjects.notify ?? null,
        source: decision?.subjects.source ?? null,
        rationale: decision?.subjects.rationale ?? null,
      },
      nis2: {
        advice: assessment?.nis2.significant ?? null,
        adviceReasons: assessment?.nis2.reasons ?? [],
        decision: decision?.nis2.significant ?? null,
        source: decision?.nis2.source ?? null,
        rationale: decision?.nis2.rationale ?? null,
      },
    },
    notified: submissions.some((s) => s.kind === 'gdpr-art33'),
    submissions: submissions.map((s) => ({
      kind: s.kind,
      version: s.version,
      submittedAt: s.submittedAt,
      authorityReference: s.reference,
      delayReason: s.delayReason,
    })),
  };
}

/** The register entries that pass the filter, oldest case first; reasons in `language`. */
export async function listRegister(
  actor: Actor,
  filterInput: RegisterFilter | Record<string, unknown>,
  deps: ReportDeps,
  language: 'nl' | 'en' = 'en',
): Promise<RegisterEntry[]> {
  authorize(actor, 'register:read');
  return buildRegister(filterInput, deps, language);
}

async function buildRegister(
  filterInput: RegisterFilter | Record<string, unknown>,
  deps: ReportDeps,
  language: 'nl' | 'en',
): Promise<RegisterEntry[]> {
  const filter = registerFilterSchema.parse(filterInput);
  const { db } = deps.database;
  const cases = await listRegisterCases(db, filter.kind);
  const contents = await listLatestReportContents(
    db,
    cases.map((c) => c.id),
    'gdpr-art33',
  );
  const entries: RegisterEntry[] = [];
  for (const kase of cases) {
    const content = contents.get(kase.id);
    entries.push(
      await entryOf(
        db,
        kase,
        content === undefined ? undefined : readJson(content, reportContentSchema),
        deps,
        language,
      ),
    );
  }
  return filterRegister(entries, filter);
}

export interface RegisterFile {
  fileName: string;
  contentType: string;
  body: Buffer;
}

/** The register as CSV (formula-safe for spreadsheets) or PDF. */
export async function exportRegister(
  actor: Actor,
  format: 'csv' | 'pdf',
  filterInput: RegisterFilter | Record<string, unknown>,
  options: { language?: 'nl' | 'en'; now?: Date },
  deps: ReportDeps,
): Promise<RegisterFile> {
  authorize(actor, 'register:export');
  const filter = registerFilterSchema.parse(filterInput);
  const lang = options.language ?? 'nl';
  const entries = await buildRegister(filter, deps, lang);
  const stamp = (options.now ?? new Date()).toISOString();
  const base = `breach-register-${stamp.slice(0, 10)}`;
  if (format === 'csv') {
    const lines = [
      csvRecord(REGISTER_CSV_HEADER),
      ...entries.map((e) => csvRecord(registerCsvRow(e, lang), { neutraliseFormulas: true })),
    ];
    return {
      fileName: `${base}.csv`,
      contentType: 'text/csv; charset=utf-8',
      body: Buffer.from(lines.join('')),
    };
  }
  const organisation = await getOrganisation({ database: deps.database });
  return {
    fileName: `${base}.pdf`,
    contentType: 'application/pdf',
    body: await renderPdf(
      registerPdfSpec(entries, {
        lang,
        organisationName: organisation.name,
        generatedAt: stamp,
        filter,
        timeZone: deps.timeZone ?? DEFAULT_REPORT_TIME_ZONE,
      }),
    ),
  };
}
