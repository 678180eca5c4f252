/**
 * The field-by-field sheet of a report: for a GDPR notification it follows the sections of
 * the Dutch Autoriteit Persoonsgegevens' "Meldformulier datalekken", so the privacy
 * officer can copy each answer into the authority's online form. NIS2 reports get one
 * section per field. Pure: rendered to HTML by the workspace view and to plain text here.
 */
import {
  REPORT_FIELDS,
  REPORT_TITLES,
  type Localised,
  type ReportContent,
} from './report-content.js';
import { formatInstant } from './report-draft.js';

export type SheetLanguage = 'nl' | 'en';

export interface SheetRow {
  label: string;
  value: string;
}

export interface SheetSection {
  number: number;
  title: string;
  rows: SheetRow[];
}

export interface Sheet {
  title: string;
  subtitle: string;
  sections: SheetSection[];
}

/** What the sheet shows besides the content: case, version and submission. */
export interface SheetContext {
  caseReference: string;
  organisationName: string;
  version: number;
  /** The authority's reference of the version this one supplements. */
  previousReference: string | null;
  submittedAt: string | null;
  authorityReference: string | null;
  delayReason: string | null;
  timeZone: string;
}

/** The sections of the AP form, in its order; `fields` are the report fields answering it. */
export const AP_SECTIONS: readonly { title: Localised; fields: readonly string[] }[] = [
  { title: { nl: 'Over deze melding', en: 'About this notification' }, fields: [] },
  {
    title: {
      nl: 'Contactgegevens en algemene informatie',
      en: 'Contact details and general information',
    },
    fields: ['contactPoint'],
  },
  { title: { nl: 'Tijdlijn', en: 'Timeline' }, fields: ['timeline'] },
  {
    title: {
      nl: 'Gegevens over het datalek: aard van het incident',
      en: 'The breach: nature of the incident',
    },
    fields: ['nature'],
  },
  {
    title: {
      nl: 'Persoonsgegevens die betrokken zijn bij het datalek',
      en: 'Personal data involved',
    },
    fields: ['personalData', 'records'],
  },
  {
    title: {
      nl: 'De groep mensen van wie persoonsgegevens betrokken zijn (getroffen groep)',
      en: 'The people whose personal data are involved (affected group)',
    },
    fields: ['dataSubjects'],
  },
  {
    title: {
      nl: 'Maatregelen die zijn getroffen voordat het datalek plaatsvond',
      en: 'Measures taken before the breach occurred',
    },
    fields: ['priorMeasures'],
  },
  {
    title: { nl: 'Gevolgen van het datalek', en: 'Consequences of the breach' },
    fields: ['consequences'],
  },
  {
    title: { nl: 'Vervolgacties naar aanleiding van het datalek', en: 'Follow-up actions' },
    fields: ['subjectsInformed', 'measures', 'crossBorder'],
  },
  { title: { nl: 'Overig', en: 'Other' }, fields: ['other'] },
];

const L = {
  type: { nl: 'Soort melding', en: 'Type of notification' },
  first: { nl: 'Nieuwe melding', en: 'New notification' },
  supplement: {
    nl: 'Aanvulling op een eerdere melding',
    en: 'Supplement to an earlier notification',
  },
  previous: { nl: 'Meldnummer eerdere melding', en: 'Reference of the earlier notification' },
  basis: { nl: 'Grondslag', en: 'Legal basis' },
  organisation: { nl: 'Organisatie', en: 'Organisation' },
  caseRef: { nl: 'Eigen kenmerk', en: 'Own reference' },
  version: { nl: 'Versie', en: 'Version' },
  detected: { nl: 'Ontdekt op', en: 'Discovered on' },
  aware: { nl: 'Bekend (bewust) sinds', en: 'Aware since' },
  contained: { nl: 'Ingedamd op', en: 'Contained on' },
  ongoing: { nl: 'Duurt de inbreuk nog voort?', en: 'Is the breach still ongoing?' },
  delay: { nl: 'Reden voor melding na 72 uur', en: 'Reason for notifying after 72 hours' },
  submitted: { nl: 'Ingediend op', en: 'Submitted on' },
  reference: { nl: 'Meldnummer', en: 'Reference' },
  subjects: {
    nl: 'Aantal betrokkenen (bij benadering)',
    en: 'Number of data subjects (approximately)',
  },
  unknown: { nl: 'onbekend', en: 'unknown' },
  yes: { nl: 'ja', en: 'yes' },
  no: { nl: 'nee', en: 'no' },
};

function fieldLabel(content: ReportContent, key: string, lang: SheetLanguage): string {
  const def = REPORT_FIELDS[content.kind].find((f) => f.key === key);
  return def === undefined ? key : `${def.label[lang]} (${def.basis})`;
}

function fieldValue(content: ReportContent, key: string, lang: SheetLanguage): string {
  return content.fields[key]?.[lang] ?? '';
}

/**
 * The sheet of a report version. `labels` is the language of the questions; `values` the
 * language of the answers (Dutch for the AP's form).
 */
export function buildSheet(
  content: ReportContent,
  ctx: SheetContext,
  labels: SheetLanguage = 'nl',
  values: SheetLanguage = 'nl',
): Sheet {
  const when = (iso: string | null): string =>
    iso === null ? L.unknown[values] : formatInstant(iso, values, ctx.timeZone);
  const title = REPORT_TITLES[content.kind][labels];
  const subtitle = `${ctx.organisationName} · ${ctx.caseReference} · ${L.version[labels]} ${ctx.version}`;
  if (content.kind !== 'gdpr-art33') {
    return {
      title,
      subtitle,
      sections: REPORT_FIELDS[content.kind].map((f, i) => ({
        number: i + 1,
        title: f.label[labels],
        rows: [
          { label: `${f.label[labels]} (${f.basis})`, value: fieldValue(content, f.key, values) },
        ],
      })),
    };
  }
  const sections = AP_SECTIONS.map((s, i) => ({
    number: i,
    title: s.title[labels],
    rows: s.fields.map((key) => ({
      label: fieldLabel(content, key, labels),
      value: fieldValue(content, key, values),
    })),
  }));
  const f = content.figures;
  sections[0]!.rows.push(
    { label: L.type[labels], value: ctx.version === 1 ? L.first[values] : L.supplement[values] },
    ...(ctx.version > 1
      ? [{ label: L.previous[labels], value: ctx.previousReference ?? L.unknown[values] }]
      : []),
    { label: L.basis[labels], value: values === 'nl' ? 'AVG art. 33' : 'GDPR Art. 33' },
    { label: L.caseRef[labels], value: ctx.caseReference },
    ...(ctx.submittedAt !== null
      ? [
          { label: L.submitted[labels], value: when(ctx.submittedAt) },
          { label: L.reference[labels], value: ctx.authorityReference ?? '' },
        ]
      : []),
  );
  sections[1]!.rows.unshift({ label: L.organisation[labels], value: ctx.organisationName });
  sections[2]!.rows.unshift(
    { label: L.detected[labels], value: when(f.detectedAt) },
    { label: L.aware[labels], value: when(f.awareAt) },
    { label: L.contained[labels], value: when(f.containedAt) },
    { label: L.ongoing[labels], value: f.resolvedAt === null ? L.yes[values] : L.no[values] },
  );
  if (ctx.delayReason !== null)
    sections[2]!.rows.push({ label: L.delay[labels], value: ctx.delayReason });
  sections[5]!.rows.push({
    label: L.subjects[labels],
    value: f.dataSubjects === null ? L.unknown[values] : String(f.dataSubjects),
  });
  return { title, subtitle, sections };
}

/** The sheet as plain text: numbered sections, each label followed by its answer. */
export function sheetToText(sheet: Sheet): string {
  const out: string[] = [sheet.title, sheet.subtitle, ''];
  for (const section of sheet.sections) {
    const heading = `${section.number}. ${section.title}`;
    out.push(heading, '='.repeat(heading.length));
    for (const row of section.rows) {
      out.push(`${row.label}:`);
      const value = row.value.trim() === '' ? '-' : row.value.trim();
      out.push(...value.split('\n').map((line) => `  ${line}`), '');
    }
  }
  return `${out.join('\n').trimEnd()}\n`;
}
