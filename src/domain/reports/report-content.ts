import { createHash } from 'node:crypto';
import { z } from 'zod';
import { canonicalJson } from '../audit-chain.js';

/**
 * The regulator reports Candor drafts: the GDPR Art. 33 notification to the supervisory
 * authority and the three NIS2 Art. 23(4) reports to the CSIRT / competent authority.
 */
export const REPORT_KINDS = [
  'gdpr-art33',
  'nis2-early-warning',
  'nis2-notification',
  'nis2-final',
] as const;
export const reportKindSchema = z
  .enum(REPORT_KINDS)
  .describe(
    'gdpr-art33: GDPR Art. 33 notification; nis2-early-warning, nis2-notification, nis2-final: NIS2 Art. 23(4)(a), (b) and (d).',
  );
export type ReportKind = z.infer<typeof reportKindSchema>;

export type Localised = { nl: string; en: string };

/** One field of a report: what it holds, in both languages, and which provision asks for it. */
export interface ReportFieldDefinition {
  key: string;
  label: Localised;
  /** The provision the field answers, e.g. "GDPR Art. 33(3)(a)". */
  basis: string;
}

const field = (key: string, nl: string, en: string, basis: string): ReportFieldDefinition => ({
  key,
  label: { nl, en },
  basis,
});

/** The fields of each report kind, in the order the report presents them. */
export const REPORT_FIELDS: Readonly<Record<ReportKind, readonly ReportFieldDefinition[]>> = {
  'gdpr-art33': [
    field('contactPoint', 'Contactpunt', 'Contact point', 'GDPR Art. 33(3)(b)'),
    field('timeline', 'Tijdlijn', 'Timeline', 'GDPR Art. 33(1)'),
    field('nature', 'Aard van de inbreuk', 'Nature of the breach', 'GDPR Art. 33(3)(a)'),
    field(
      'personalData',
      'Categorieën persoonsgegevens',
      'Categories of personal data',
      'GDPR Art. 33(3)(a)',
    ),
    field(
      'records',
      'Aantal gegevensrecords (bij benadering)',
      'Approximate number of records',
      'GDPR Art. 33(3)(a)',
    ),
    field(
      'dataSubjects',
      'Betrokkenen: categorieën en aantal (bij benadering)',
      'Data subjects: categories and approximate number',
      'GDPR Art. 33(3)(a)',
    ),
    field(
      'priorMeasures',
      'Maatregelen getroffen vóór de inbreuk',
      'Measures in place before the breach',
      'GDPR Art. 32, 34(3)(a)',
    ),
    field('consequences', 'Waarschijnlijke gevolgen', 'Likely consequences', 'GDPR Art. 33(3)(c)'),
    field(
      'measures',
      'Genomen en voorgestelde maatregelen',
      'Measures taken or proposed',
      'GDPR Art. 33(3)(d)',
    ),
    field(
      'subjectsInformed',
      'Informeren van de betrokkenen',
      'Informing the data subjects',
      'GDPR Art. 34',
    ),
    field('crossBorder', 'Internationale aspecten', 'International aspects', 'GDPR Art. 56'),
    field('other', 'Overig', 'Other', 'GDPR Art. 33(4)'),
  ],
  'nis2-early-warning': [
    field('contactPoint', 'Contactpunt', 'Contact point', 'NIS2 Art. 23(4)(a)'),
    field(
      'summary',
      'Samenvatting van het incident',
      'Summary of the incident',
      'NIS2 Art. 23(4)(a)',
    ),
    field(
      'maliciousAct',
      'Vermoeden van onrechtmatig of kwaadwillig handelen',
      'Suspected unlawful or malicious act',
      'NIS2 Art. 23(4)(a)',
    ),
    field(
      'crossBorderImpact',
      'Mogelijke grensoverschrijdende gevolgen',
      'Possible cross-border impact',
      'NIS2 Art. 23(4)(a)',
    ),
  ],
  'nis2-notification': [
    field('contactPoint', 'Contactpunt', 'Contact point', 'NIS2 Art. 23(4)(b)'),
    field(
      'update',
      'Update van de vroegtijdige waarschuwing',
      'Update of the early warning',
      'NIS2 Art. 23(4)(b)',
    ),
    field(
      'initialAssessment',
      'Eerste beoordeling: ernst en gevolgen',
      'Initial assessment: severity and impact',
      'NIS2 Art. 23(4)(b)',
    ),
    field(
      'indicatorsOfCompromise',
      'Indicatoren van compromittering',
      'Indicators of compromise',
      'NIS2 Art. 23(4)(b)',
    ),
    field(
      'crossBorderImpact',
      'Grensoverschrijdende gevolgen',
      'Cross-border impact',
      'NIS2 Art. 23(4)(b)',
    ),
  ],
  'nis2-final': [
    field('contactPoint', 'Contactpunt', 'Contact point', 'NIS2 Art. 23(4)(d)'),
    field(
      'description',
      'Gedetailleerde beschrijving, ernst en gevolgen',
      'Detailed description, severity and impact',
      'NIS2 Art. 23(4)(d)(i)',
    ),
    field(
      'threatType',
      'Soort dreiging of grondoorzaak',
      'Type of threat or root cause',
      'NIS2 Art. 23(4)(d)(ii)',
    ),
    field(
      'mitigation',
      'Toegepaste en lopende mitigerende maatregelen',
      'Applied and ongoing mitigation measures',
      'NIS2 Art. 23(4)(d)(iii)',
    ),
    field(
      'crossBorderImpact',
      'Grensoverschrijdende gevolgen',
      'Cross-border impact',
      'NIS2 Art. 23(4)(d)(iv)',
    ),
  ],
};

/** Titles of the report kinds. */
export const REPORT_TITLES: Readonly<Record<ReportKind, Localised>> = {
  'gdpr-art33': {
    nl: 'Melding van een inbreuk in verband met persoonsgegevens (AVG art. 33)',
    en: 'Notification of a personal data breach (GDPR Art. 33)',
  },
  'nis2-early-warning': {
    nl: 'Vroegtijdige waarschuwing (NIS2 art. 23, lid 4, onder a)',
    en: 'Early warning (NIS2 Art. 23(4)(a))',
  },
  'nis2-notification': {
    nl: 'Incidentmelding (NIS2 art. 23, lid 4, onder b)',
    en: 'Incident notification (NIS2 Art. 23(4)(b))',
  },
  'nis2-final': {
    nl: 'Eindverslag (NIS2 art. 23, lid 4, onder d)',
    en: 'Final report (NIS2 Art. 23(4)(d))',
  },
};

const localisedSchema = z.object({
  nl: z.string().max(20_000, 'at most 20,000 characters'),
  en: z.string().max(20_000, 'at most 20,000 characters'),
});

const isoOrNull = z.string().nullable();

/** Figures drafted from the facts and the case, kept next to the texts for the JSON export. */
export const reportFiguresSchema = z.object({
  dataSubjects: z.number().int().min(0).nullable().describe('Approximate number of data subjects.'),
  records: z.number().int().min(0).nullable().describe('Approximate number of records.'),
  dataCategories: z.array(z.string()).describe('Categories of personal data (facts vocabulary).'),
  detectedAt: isoOrNull,
  awareAt: isoOrNull.describe('Awareness: starts the legal clocks.'),
  containedAt: isoOrNull,
  resolvedAt: isoOrNull,
  severityScore: z.number().nullable().describe('ENISA (2013) severity score, if assessed.'),
  severityLevel: z.string().nullable(),
  crossBorder: z.boolean().nullable(),
});
export type ReportFigures = z.infer<typeof reportFiguresSchema>;

/** The content of a report version: the texts per field in nl and en, and the figures. */
export const reportContentSchema = z.object({
  kind: reportKindSchema,
  fields: z.record(z.string(), localisedSchema),
  figures: reportFiguresSchema,
});
export type ReportContent = z.infer<typeof reportContentSchema>;

/** An edit of a draft version: some fields in one or both languages, and/or some figures. */
export const reportEditSchema = z
  .object({
    fields: z
      .record(
        z.string(),
        z.object({ nl: z.string().max(20_000), en: z.string().max(20_000) }).partial(),
      )
      .optional(),
    figures: z
      .object({
        dataSubjects: z.number().int().min(0).nullable(),
        records: z.number().int().min(0).nullable(),
      })
      .partial()
      .optional(),
    contentHash: z
      .string()
      .length(64)
      .optional()
      .describe('The hash the editor saw; a different current hash means someone else edited.'),
  })
  .refine((e) => e.fields !== undefined || e.figures !== undefined, 'nothing to change');
export type ReportEdit = z.input<typeof reportEditSchema>;

/** SHA-256 of the canonical JSON of the content: what an approval is given for. */
export function reportContentHash(content: ReportContent): string {
  return createHash('sha256').update(canonicalJson(content)).digest('hex');
}

/** Applies an edit; unknown field keys are refused with the field named. */
export function applyReportEdit(
  content: ReportContent,
  edit: z.infer<typeof reportEditSchema>,
): { content: ReportContent; unknownFields: string[] } {
  const known = new Set(REPORT_FIELDS[content.kind].map((f) => f.key));
  const unknownFields: string[] = [];
  const fields = { ...content.fields };
  for (const [key, value] of Object.entries(edit.fields ?? {})) {
    if (!known.has(key)) {
      unknownFields.push(key);
      continue;
    }
    const current = fields[key] ?? { nl: '', en: '' };
    fields[key] = { nl: value.nl ?? current.nl, en: value.en ?? current.en };
  }
  return {
    content: { ...content, fields, figures: { ...content.figures, ...edit.figures } },
    unknownFields,
  };
}
