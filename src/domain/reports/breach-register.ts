/**
 * The breach register (GDPR Art. 33(5)): every case, notified or not, with its facts,
 * effects, remedial action, the decisions (advice and override) with their rationale,
 * and the report submissions. Pure: filtering, the CSV rows and the PDF document.
 */
import { z } from 'zod';
import type { PdfDocumentSpec, PdfSection } from '../pdf-document-spec.js';
import { SEVERITY_LEVELS } from '../assessment/assessment-facts.js';
import { formatInstant } from './report-draft.js';
import { CATEGORY_LABELS } from './report-phrases.js';

export const registerFilterSchema = z.object({
  year: z.coerce
    .number()
    .int()
    .min(2000)
    .max(2100)
    .optional()
    .describe('Year of awareness (or of opening).'),
  kind: z.enum(['incident', 'advisory']).optional(),
  notified: z
    .enum(['yes', 'no'])
    .optional()
    .describe('yes: a GDPR Art. 33 report was submitted to the authority; no: not.'),
  severity: z.enum(SEVERITY_LEVELS).optional(),
});
export type RegisterFilter = z.infer<typeof registerFilterSchema>;

const localisedText = z.object({ nl: z.string(), en: z.string() });

export const registerDecisionSchema = z.object({
  advice: z
    .boolean()
    .nullable()
    .describe("The assessment's advice, null before any facts were recorded."),
  adviceReasons: z.array(z.string()),
  decision: z.boolean().nullable().describe('The decision in force (advice or override).'),
  source: z.enum(['advice', 'override']).nullable(),
  rationale: z.string().nullable().describe('The written rationale of an override.'),
});
export type RegisterDecision = z.infer<typeof registerDecisionSchema>;

/** One case in the register. */
export const registerEntrySchema = z.object({
  caseId: z.number().int(),
  reference: z.string(),
  kind: z.string(),
  title: z.string(),
  state: z.string(),
  detectedAt: z.string().nullable(),
  awareAt: z.string().nullable(),
  containedAt: z.string().nullable(),
  resolvedAt: z.string().nullable(),
  year: z
    .number()
    .int()
    .describe('Year of awareness, or of opening when awareness is not recorded.'),
  personalData: z.boolean().nullable(),
  dataCategories: z.array(z.string()),
  dataSubjects: z.number().nullable(),
  records: z.number().nullable(),
  severity: z.object({ score: z.number(), level: z.string() }).nullable(),
  effects: localisedText.describe(
    'Likely consequences, from the GDPR report or drafted from the facts.',
  ),
  remedialAction: localisedText.describe('Measures taken, from the GDPR report or drafted.'),
  decisions: z.object({
    authority: registerDecisionSchema,
    subjects: registerDecisionSchema,
    nis2: registerDecisionSchema,
  }),
  notified: z.boolean().describe('A GDPR Art. 33 notification was submitted.'),
  submissions: z.array(
    z.object({
      kind: z.string(),
      version: z.number().int(),
      submittedAt: z.string(),
      authorityReference: z.string().nullable(),
      delayReason: z.string().nullable(),
    }),
  ),
});
export type RegisterEntry = z.infer<typeof registerEntrySchema>;

/** Entries that pass the filter. */
export function filterRegister(
  entries: readonly RegisterEntry[],
  filter: RegisterFilter,
): RegisterEntry[] {
  return entries.filter(
    (e) =>
      (filter.year === undefined || e.year === filter.year) &&
      (filter.kind === undefined || e.kind === filter.kind) &&
      (filter.notified === undefined || e.notified === (filter.notified === 'yes')) &&
      (filter.severity === undefined || e.severity?.level === filter.severity),
  );
}

const yesNo = (v: boolean | null, lang: 'nl' | 'en'): string =>
  v === null ? '' : v ? (lang === 'nl' ? 'ja' : 'yes') : lang === 'nl' ? 'nee' : 'no';

export const REGISTER_CSV_HEADER = [
  'reference',
  'kind',
  'title',
  'state',
  'detected_at',
  'aware_at',
  'contained_at',
  'resolved_at',
  'personal_data',
  'data_categories',
  'data_subjects',
  'records',
  'severity_score',
  'severity_level',
  'authority_advice',
  'authority_decision',
  'authority_source',
  'authority_rationale',
  'subjects_advice',
  'subjects_decision',
  'subjects_source',
  'subjects_rationale',
  'nis2_advice',
  'nis2_decision',
  'nis2_source',
  'nis2_rationale',
  'notified',
  'submissions',
  'effects',
  'remedial_action',
] as const;

function decisionCells(d: RegisterDecision, lang: 'nl' | 'en'): string[] {
  const rationale = d.source === 'override' ? d.rationale : d.adviceReasons.join(' | ');
  return [yesNo(d.advice, lang), yesNo(d.decision, lang), d.source ?? '', rationale ?? ''];
}

function submissionText(s: RegisterEntry['submissions'][number]): string {
  return `${s.kind} v${s.version} ${s.submittedAt}${s.authorityReference ? ` ref ${s.authorityReference}` : ''}${s.delayReason ? ` (delay: ${s.delayReason})` : ''}`;
}

/** One CSV row per entry, in REGISTER_CSV_HEADER order (texts in one language). */
export function registerCsvRow(e: RegisterEntry, lang: 'nl' | 'en'): string[] {
  return [
    e.reference,
    e.kind,
    e.title,
    e.state,
    e.detectedAt ?? '',
    e.awareAt ?? '',
    e.containedAt ?? '',
    e.resolvedAt ?? '',
    yesNo(e.personalData, lang),
    e.dataCategories.join(' '),
    e.dataSubjects === null ? '' : String(e.dataSubjects),
    e.records === null ? '' : String(e.records),
    e.severity === null ? '' : e.severity.score.toFixed(2),
    e.severity?.level ?? '',
    ...decisionCells(e.decisions.authority, lang),
    ...decisionCells(e.decisions.subjects, lang),
    ...decisionCells(e.decisions.nis2, lang),
    yesNo(e.notified, lang),
    e.submissions.map(submissionText).join(' | '),
    e.effects[lang],
    e.remedialAction[lang],
  ];
}

const T = {
  title: {
    nl: 'Register van inbreuken (AVG art. 33 lid 5)',
    en: 'Breach register (GDPR Art. 33(5))',
  },
  none: { nl: 'Geen zaken in deze selectie.', en: 'No cases in this selection.' },
  case: { nl: 'Zaak', en: 'Case' },
  aware: { nl: 'Bekend sinds', en: 'Aware' },
  severity: { nl: 'Ernst', en: 'Severity' },
  notified: { nl: 'Gemeld AP', en: 'Notified' },
  subjects: { nl: 'Betrokkenen geïnformeerd', en: 'Subjects informed' },
  facts: { nl: 'Feiten', en: 'Facts' },
  effects: { nl: 'Gevolgen', en: 'Effects' },
  remedial: { nl: 'Getroffen maatregelen', en: 'Remedial action' },
  authority: {
    nl: 'Melding aan de toezichthouder (art. 33)',
    en: 'Notify the authority (Art. 33)',
  },
  subjectsDecision: {
    nl: 'Informeren betrokkenen (art. 34)',
    en: 'Inform the data subjects (Art. 34)',
  },
  nis2: { nl: 'Significant incident (NIS2 art. 23)', en: 'Significant incident (NIS2 Art. 23)' },
  submissions: { nl: 'Indieningen', en: 'Submissions' },
  advice: { nl: 'advies', en: 'advice' },
  override: { nl: 'besluit (afwijkend van advies)', en: 'decision (overrides the advice)' },
  notAssessed: { nl: 'nog niet beoordeeld', en: 'not yet assessed' },
  filter: { nl: 'Selectie', en: 'Selection' },
  all: { nl: 'alle zaken', en: 'all cases' },
};

function decisionText(d: RegisterDecision, lang: 'nl' | 'en'): string {
  if (d.decision === null) return T.notAssessed[lang];
  const head = `${yesNo(d.decision, lang)} (${d.source === 'override' ? T.override[lang] : T.advice[lang]})`;
  const why = d.source === 'override' ? [d.rationale ?? ''] : d.adviceReasons;
  return [head, ...why.filter((w) => w !== '').map((w) => `- ${w}`)].join('\n');
}

function factsText(e: RegisterEntry, lang: 'nl' | 'en'): string {
  if (e.personalData === null) return T.notAssessed[lang];
  const parts = [
    `${lang === 'nl' ? 'Persoonsgegevens' : 'Personal data'}: ${yesNo(e.personalData, lang)}`,
    e.dataCategories.length > 0
      ? e.dataCategories
          .map((c) => CATEGORY_LABELS[c as keyof typeof CATEGORY_LABELS]?.[lang] ?? c)
          .join('; ')
      : null,
    `${lang === 'nl' ? 'Betrokkenen' : 'Data subjects'}: ${e.dataSubjects ?? '?'}; ${lang === 'nl' ? 'records' : 'records'}: ${e.records ?? '?'}`,
  ];
  return parts.filter((p): p is string => p !== null).join('\n');
}

/** The register as a PDF: a summary table, then one section per case. */
export function registerPdfSpec(
  entries: readonly RegisterEntry[],
  options: {
    lang: 'nl' | 'en';
    organisationName: string;
    generatedAt: string;
    filter: RegisterFilter;
    timeZone: string;
  },
): PdfDocumentSpec {
  const { lang, timeZone } = options;
  const when = (iso: string | null): string =>
    iso === null ? '-' : formatInstant(iso, lang, timeZone);
  const filterText = Object.entries(options.filter)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `${k}=${String(v)}`)
    .join(', ');
  const perCase: PdfSection[] = entries.map((e) => ({
    heading: `${e.reference} — ${e.title}`,
    blocks: [
      {
        type: 'keyValue',
        rows: [
          { key: T.aware[lang], value: when(e.awareAt) },
          {
            key: lang === 'nl' ? 'Ingedamd / opgelost' : 'Contained / resolved',
            value: `${when(e.containedAt)} / ${when(e.resolvedAt)}`,
          },
          { key: T.facts[lang], value: factsText(e, lang) },
          {
            key: T.severity[lang],
            value:
              e.severity === null ? '-' : `${e.severity.score.toFixed(2)} (${e.severity.level})`,
          },
          { key: T.effects[lang], value: e.effects[lang] || '-' },
          { key: T.remedial[lang], value: e.remedialAction[lang] || '-' },
          { key: T.authority[lang], value: decisionText(e.decisions.authority, lang) },
          { key: T.subjectsDecision[lang], value: decisionText(e.decisions.subjects, lang) },
          { key: T.nis2[lang], value: decisionText(e.decisions.nis2, lang) },
          {
            key: T.submissions[lang],
            value: e.submissions.length === 0 ? '-' : e.submissions.map(submissionText).join('\n'),
          },
        ],
      },
    ],
  }));
  return {
    title: T.title[lang],
    subtitle: options.organisationName,
    meta: [
      `${T.filter[lang]}: ${filterText === '' ? T.all[lang] : filterText} · ${entries.length} ${lang === 'nl' ? 'zaken' : 'cases'}`,
      `${lang === 'nl' ? 'Opgesteld' : 'Generated'}: ${when(options.generatedAt)}`,
    ],
    author: options.organisationName,
    createdAt: options.generatedAt,
    locale: lang,
    orientation: 'landscape',
    footer: `${options.organisationName} · ${T.title[lang]}`,
    sections: [
      {
        blocks: [
          {
            type: 'table',
            columns: [
              { header: T.case[lang], width: 1.3 },
              { header: T.aware[lang], width: 1.4 },
              { header: T.severity[lang], width: 1 },
              { header: T.notified[lang], width: 0.8 },
              { header: T.subjects[lang], width: 1 },
              { header: T.effects[lang], width: 3 },
            ],
            rows: entries.map((e) => [
              e.reference,
              when(e.awareAt),
              e.severity === null ? '-' : `${e.severity.score.toFixed(2)} ${e.severity.level}`,
              yesNo(e.notified, lang),
              yesNo(e.decisions.subjects.decision, lang) || '-',
              e.effects[lang].split('\n')[0] ?? '',
            ]),
            emptyText: T.none[lang],
          },
        ],
      },
      ...perCase,
    ],
  };
}
