import { z } from 'zod';

/**
 * The public security posture statement (docs/posture.md): the dated "inspection sticker" of
 * an online service. Measures against NIS2 Art. 21(2)(a)–(j) plus the provider's own items,
 * each with its own valid-until date; communication commitments whose record is measured
 * from the case timelines; and an overall valid-until date for the statement itself.
 */

export const POSTURE_LANGUAGES = ['nl', 'en'] as const;
export type PostureLanguage = (typeof POSTURE_LANGUAGES)[number];

const isoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'a date as YYYY-MM-DD')
  // Round trip: V8 parses 2026-02-30 as 2 March, which is not what was meant.
  .refine((d) => {
    const t = Date.parse(`${d}T00:00:00Z`);
    return !Number.isNaN(t) && new Date(t).toISOString().slice(0, 10) === d;
  }, 'not a real date');

/** A text in both languages; either may be empty while drafting. */
export const localizedSchema = z.object({
  nl: z.string().max(4000),
  en: z.string().max(4000),
});
export type Localized = z.infer<typeof localizedSchema>;

export const MEASURE_STATUSES = ['in-place', 'partly', 'planned', 'not-applicable'] as const;
export const measureStatusSchema = z.enum(MEASURE_STATUSES);
export type MeasureStatus = z.infer<typeof measureStatusSchema>;

export const EVIDENCE_KINDS = [
  'certificate',
  'test-report',
  'audit-report',
  'policy',
  'none',
] as const;
export const evidenceKindSchema = z.enum(EVIDENCE_KINDS);

/** The ten NIS2 Art. 21(2) points; own items use `own-<slug>` ids. */
export const NIS2_POINTS = ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'j'] as const;
export type Nis2Point = (typeof NIS2_POINTS)[number];

/**
 * The Art. 21(2) headings, shortened from the Directive's own wording (EU 2022/2555, the
 * Dutch and English language versions), so a reader can find the point in the text.
 */
export const NIS2_HEADINGS: Record<Nis2Point, Localized> = {
  a: {
    en: 'Policies on risk analysis and information system security',
    nl: 'Beleid inzake risicoanalyse en beveiliging van informatiesystemen',
  },
  b: { en: 'Incident handling', nl: 'Incidentenbehandeling' },
  c: {
    en: 'Business continuity, such as backup management and disaster recovery, and crisis management',
    nl: 'Bedrijfscontinuïteit, zoals back-upbeheer en herstel na een calamiteit, en crisisbeheer',
  },
  d: {
    en: 'Supply chain security, including the relationships with direct suppliers or service providers',
    nl: 'Beveiliging van de toeleveringsketen, met inbegrip van de relaties met rechtstreekse leveranciers of dienstverleners',
  },
  e: {
    en: 'Security in network and information systems acquisition, development and maintenance, including vulnerability handling and disclosure',
    nl: 'Beveiliging bij het verwerven, ontwikkelen en onderhouden van netwerk- en informatiesystemen, met inbegrip van de behandeling en bekendmaking van kwetsbaarheden',
  },
  f: {
    en: 'Policies and procedures to assess the effectiveness of cybersecurity risk-management measures',
    nl: "Beleid en procedures om de effectiviteit van maatregelen voor het beheer van cyberbeveiligingsrisico's te beoordelen",
  },
  g: {
    en: 'Basic cyber hygiene practices and cybersecurity training',
    nl: 'Basispraktijken op het gebied van cyberhygiëne en opleiding op het gebied van cyberbeveiliging',
  },
  h: {
    en: 'Policies and procedures regarding the use of cryptography and, where appropriate, encryption',
    nl: 'Beleid en procedures inzake het gebruik van cryptografie en, in voorkomend geval, encryptie',
  },
  i: {
    en: 'Human resources security, access control policies and asset management',
    nl: 'Beveiligingsaspecten ten aanzien van personeel, toegangsbeleid en beheer van activa',
  },
  j: {
    en: 'Multi-factor or continuous authentication, secured voice, video and text communications and secured emergency communication',
    nl: 'Multifactorauthenticatie of continue authenticatie, beveiligde spraak-, video- en tekstcommunicatie en beveiligde noodcommunicatie',
  },
};

export const measureIdSchema = z
  .string()
  .regex(/^([a-j]|own-[a-z0-9-]{1,40})$/, 'a NIS2 point a–j, or own-<lower-case-words>');

/** One measure of the statement. */
export const measureSchema = z
  .object({
    id: measureIdSchema,
    /** Own items only; the NIS2 points carry the Directive's heading. */
    title: localizedSchema.optional(),
    status: measureStatusSchema,
    /** Why: required for not applicable and for partly (what is missing). */
    reason: localizedSchema,
    description: localizedSchema,
    lastChecked: isoDate.nullable(),
    checkedBy: z.object({
      kind: z.enum(['internal', 'external']),
      /** The named external auditor (required when kind is external). */
      auditor: z.string().max(200).nullable(),
    }),
    evidence: evidenceKindSchema,
    validUntil: isoDate.nullable(),
  })
  .superRefine((m, ctx) => {
    if (m.checkedBy.kind === 'external' && !m.checkedBy.auditor?.trim()) {
      ctx.addIssue({
        code: 'custom',
        path: ['checkedBy', 'auditor'],
        message: 'an external check names its auditor',
      });
    }
    if (m.id.startsWith('own-') && !(m.title?.nl.trim() || m.title?.en.trim())) {
      ctx.addIssue({ code: 'custom', path: ['title'], message: 'an own item needs a title' });
    }
  });
export type Measure = z.infer<typeof measureSchema>;

export const COMMITMENT_KINDS = ['customer-notice', 'public-notice'] as const;
export const commitmentKindSchema = z.enum(COMMITMENT_KINDS);
export type CommitmentKind = z.infer<typeof commitmentKindSchema>;

/**
 * A promise about communication, measured from the case timelines: `customer-notice` — the
 * affected customers of a case get their first notice within `hours` of awareness;
 * `public-notice` — an incident with affected customers is on the security page within `hours`.
 */
export const commitmentSchema = z.object({
  id: z.string().regex(/^[a-z0-9-]{1,40}$/, 'lower-case words joined by dashes'),
  kind: commitmentKindSchema,
  hours: z
    .number()
    .int()
    .min(1)
    .max(24 * 366),
  text: localizedSchema,
});
export type Commitment = z.infer<typeof commitmentSchema>;

/** The content of one version of the statement: what is written, approved and published. */
export const postureContentSchema = z
  .object({
    validUntil: isoDate,
    intro: localizedSchema,
    measures: z.array(measureSchema).max(100),
    commitments: z.array(commitmentSchema).max(20),
  })
  .superRefine((c, ctx) => {
    const seen = new Set<string>();
    c.measures.forEach((m, i) => {
      if (seen.has(m.id)) {
        ctx.addIssue({ code: 'custom', path: ['measures', i, 'id'], message: `${m.id} twice` });
      }
      seen.add(m.id);
    });
    const ids = new Set<string>();
    c.commitments.forEach((m, i) => {
      if (ids.has(m.id)) {
        ctx.addIssue({ code: 'custom', path: ['commitments', i, 'id'], message: `${m.id} twice` });
      }
      ids.add(m.id);
    });
  });
export type PostureContent = z.infer<typeof postureContentSchema>;

/** What must hold before a version can be approved: both languages, reasons where due. */
export function approvalProblems(content: PostureContent): string[] {
  const problems: string[] = [];
  const both = (t: Localized | undefined) => Boolean(t?.nl.trim() && t.en.trim());
  if (!both(content.intro)) problems.push('intro: write it in Dutch and English');
  content.measures.forEach((m, i) => {
    const at = `measures[${i}] (${m.id})`;
    if (!both(m.description)) problems.push(`${at}.description: write it in Dutch and English`);
    if ((m.status === 'not-applicable' || m.status === 'partly') && !both(m.reason)) {
      problems.push(`${at}.reason: say why, in Dutch and English`);
    }
    if (m.id.startsWith('own-') && !both(m.title)) {
      problems.push(`${at}.title: write it in Dutch and English`);
    }
  });
  content.commitments.forEach((c, i) => {
    if (!both(c.text))
      problems.push(`commitments[${i}] (${c.id}).text: write it in Dutch and English`);
  });
  return problems;
}

/** The heading of a measure in a language. */
export function measureTitle(m: Measure, language: PostureLanguage): string {
  if (m.id.startsWith('own-')) return m.title?.[language] || m.title?.nl || m.title?.en || m.id;
  return NIS2_HEADINGS[m.id as Nis2Point][language];
}

/** The calendar day (UTC) of an instant. */
export function dayOf(now: Date): string {
  return now.toISOString().slice(0, 10);
}

/** A measure is expired the day after its valid-until date (shown as such, never dropped). */
export function isExpired(validUntil: string | null, now: Date): boolean {
  return validUntil !== null && validUntil < dayOf(now);
}

/** Days from today until a date (negative when it has passed). */
export function daysUntil(date: string, now: Date): number {
  return Math.round(
    (Date.parse(`${date}T00:00:00Z`) - Date.parse(`${dayOf(now)}T00:00:00Z`)) / 86_400_000,
  );
}

/** A new statement: the ten NIS2 points, planned and empty, valid for a year. */
export function blankContent(now: Date): PostureContent {
  const year = new Date(now.getTime() + 365 * 86_400_000);
  const empty = { nl: '', en: '' };
  return {
    validUntil: dayOf(year),
    intro: { ...empty },
    measures: NIS2_POINTS.map((id) => ({
      id,
      status: 'planned' as const,
      reason: { ...empty },
      description: { ...empty },
      lastChecked: null,
      checkedBy: { kind: 'internal' as const, auditor: null },
      evidence: 'none' as const,
      validUntil: null,
    })),
    commitments: [],
  };
}

/** Where a version of the posture statement is: written, signed off by a second person, public. */
export const postureStateSchema = z.enum(['draft', 'approved', 'published']);
export type PostureState = z.infer<typeof postureStateSchema>;
