import { z } from 'zod';
import {
  commitmentKindSchema,
  daysUntil,
  evidenceKindSchema,
  isExpired,
  localizedSchema,
  measureStatusSchema,
  measureTitle,
  type PostureContent,
} from './posture.js';
import { commitmentRecord, type CaseTimeline } from './commitment-record.js';

/**
 * The published statement as one document: what /security/posture.json serves, what the HTML
 * page renders, and what the CLI exports. Its zod schema is also the published JSON Schema
 * (/security/posture.schema.json), so the document and its schema cannot drift apart.
 */

export const POSTURE_SCHEMA_PATH = '/security/posture.schema.json';

const localizedOut = localizedSchema;

export const postureDocumentSchema = z.object({
  $schema: z.string(),
  organisation: z.string(),
  version: z.number().int().min(1),
  publishedAt: z.string(),
  validUntil: z.string(),
  /** The statement's own validity has passed (the "inspection sticker" expired). */
  lapsed: z.boolean(),
  generatedAt: z.string(),
  intro: localizedOut,
  measures: z.array(
    z.object({
      id: z.string(),
      /** "NIS2 Art. 21(2)(a)" or null for the provider's own items. */
      article: z.string().nullable(),
      title: localizedOut,
      status: measureStatusSchema,
      /** Past its valid-until date: shown in place, never dropped. */
      expired: z.boolean(),
      reason: localizedOut,
      description: localizedOut,
      lastChecked: z.string().nullable(),
      checkedBy: z.object({
        kind: z.enum(['internal', 'external']),
        auditor: z.string().nullable(),
      }),
      evidence: evidenceKindSchema,
      validUntil: z.string().nullable(),
    }),
  ),
  commitments: z.array(
    z.object({
      id: z.string(),
      kind: commitmentKindSchema,
      hours: z.number().int(),
      text: localizedOut,
      record: z.array(
        z.object({
          year: z.number().int(),
          kept: z.number().int().min(0),
          missed: z.number().int().min(0),
          pending: z.number().int().min(0),
          missedCases: z.array(
            z.object({
              reference: z.string().nullable(),
              url: z.string().nullable(),
              hours: z.number().nullable(),
            }),
          ),
        }),
      ),
    }),
  ),
  history: z.array(
    z.object({ version: z.number().int(), publishedAt: z.string(), url: z.string() }),
  ),
});
export type PostureDocument = z.infer<typeof postureDocumentSchema>;

/** The JSON Schema of the document (draft 2020-12). */
export function postureJsonSchema(publicUrl: string): Record<string, unknown> {
  return {
    ...z.toJSONSchema(postureDocumentSchema, { target: 'draft-2020-12' }),
    $id: `${publicUrl.replace(/\/+$/, '')}${POSTURE_SCHEMA_PATH}`,
    title: 'Candor security posture statement',
  };
}

export interface PublishedPosture {
  version: number;
  publishedAt: string;
  content: PostureContent;
}

/** The public path of a version: the current one at /security/posture, each at /v/N. */
export function postureVersionPath(version: number): string {
  return `/security/posture/v/${version}`;
}

/** Builds the public document of one published version. */
export function buildPostureDocument(input: {
  posture: PublishedPosture;
  history: readonly { version: number; publishedAt: string }[];
  cases: readonly CaseTimeline[];
  organisation: string;
  publicUrl: string;
  now: Date;
}): PostureDocument {
  const { posture, now } = input;
  const base = input.publicUrl.replace(/\/+$/, '');
  const c = posture.content;
  return {
    $schema: `${base}${POSTURE_SCHEMA_PATH}`,
    organisation: input.organisation,
    version: posture.version,
    publishedAt: posture.publishedAt,
    validUntil: c.validUntil,
    lapsed: isExpired(c.validUntil, now),
    generatedAt: now.toISOString(),
    intro: c.intro,
    measures: c.measures.map((m) => ({
      id: m.id,
      article: m.id.startsWith('own-') ? null : `NIS2 Art. 21(2)(${m.id})`,
      title: { nl: measureTitle(m, 'nl'), en: measureTitle(m, 'en') },
      status: m.status,
      expired: isExpired(m.validUntil, now),
      reason: m.reason,
      description: m.description,
      lastChecked: m.lastChecked,
      checkedBy: { kind: m.checkedBy.kind, auditor: m.checkedBy.auditor },
      evidence: m.evidence,
      validUntil: m.validUntil,
    })),
    commitments: c.commitments.map((k) => ({
      id: k.id,
      kind: k.kind,
      hours: k.hours,
      text: k.text,
      record: commitmentRecord(k, input.cases, now).map((y) => ({
        year: y.year,
        kept: y.kept,
        missed: y.missed,
        pending: y.pending,
        missedCases: y.missedCases.map((m) => ({
          reference: m.reference,
          url: m.publicPath ? `${base}${m.publicPath}` : null,
          hours: m.hours,
        })),
      })),
    })),
    history: input.history.map((h) => ({
      version: h.version,
      publishedAt: h.publishedAt,
      url: `${base}${postureVersionPath(h.version)}`,
    })),
  };
}

/** Whether the dashboard should warn: lapsed, or lapsing within `days`. */
export function validityWarning(
  validUntil: string,
  now: Date,
  days = 30,
): { lapsed: boolean; daysLeft: number } | null {
  const daysLeft = daysUntil(validUntil, now);
  if (daysLeft > days) return null;
  return { lapsed: daysLeft < 0, daysLeft };
}
