import { z } from 'zod';
import { authorize, type Actor } from '../domain/access.js';
import {
  checkDisclosure,
  unacceptedFindings,
  type DisclosureFinding,
} from '../domain/disclosure-check.js';
import { NotFoundError, ValidationError } from '../domain/errors.js';
import {
  DEFAULT_READABILITY_THRESHOLD,
  readability,
  type ReadabilityScore,
} from '../domain/readability.js';
import type { Database } from '../store/database.js';
import { nowIso, type Executor } from '../store/executor.js';
import { findNotice, listNoticeTexts } from '../store/notice.repository.js';
import { insertAcceptance, listAcceptances } from '../store/publication.repository.js';
import { findSetting, upsertSetting } from '../store/settings.repository.js';
import type { NoticeRow } from '../store/schema.js';
import { appendAudit } from './audit.service.js';

/** Audiences whose notices are disclosure-checked before approval (all that leave the house). */
export const CHECKED_AUDIENCES: readonly string[] = ['public', 'press', 'affected'];

export const publicationSettingsSchema = z.object({
  /** DNS suffixes of internal hosts, e.g. corp.example.com: never in a public text. */
  internalDomains: z
    .array(
      z
        .string()
        .trim()
        .toLowerCase()
        .regex(/^\.?[a-z0-9-]+(\.[a-z0-9-]+)*$/, 'must be a domain name such as corp.example.com'),
    )
    .max(100)
    .default([]),
  /** Readability score below which a text is flagged (Flesch / Flesch–Douma). */
  readabilityThreshold: z.number().min(-100).max(120).default(DEFAULT_READABILITY_THRESHOLD),
});
export type PublicationSettings = z.infer<typeof publicationSettingsSchema>;

/** The public-record settings (defaults when never set). */
export async function getPublicationSettings(db: Executor): Promise<PublicationSettings> {
  const stored = await findSetting<Partial<PublicationSettings>>(db, 'publication');
  return publicationSettingsSchema.parse(stored ?? {});
}

/** Updates the public-record settings (admins). */
export async function updatePublicationSettings(
  actor: Actor,
  input: Partial<PublicationSettings>,
  deps: { database: Database },
): Promise<PublicationSettings> {
  authorize(actor, 'settings:manage');
  const { db, dialect } = deps.database;
  const next = publicationSettingsSchema.parse({ ...(await getPublicationSettings(db)), ...input });
  await db.transaction().execute(async (tx) => {
    await upsertSetting(tx, 'publication', next, actor.name, nowIso());
    await appendAudit(tx, dialect, actor, {
      action: 'settings.update',
      objectType: 'settings',
      objectId: 'publication',
      details: { ...next },
    });
  });
  return next;
}

export interface DisclosureReport {
  noticeId: number;
  findings: (DisclosureFinding & {
    accepted: { by: string; at: string; reason: string } | null;
  })[];
  open: number;
}

/** The findings of a notice, each with its acceptance (if any). */
export async function disclosureReport(db: Executor, notice: NoticeRow): Promise<DisclosureReport> {
  const texts = await listNoticeTexts(db, notice.id);
  const settings = await getPublicationSettings(db);
  const findings = checkDisclosure(
    texts.map((t) => ({ language: t.language, subject: t.subject, body: t.body })),
    settings,
  );
  const acceptances = new Map(
    (await listAcceptances(db, notice.id)).map((a) => [a.fingerprint, a] as const),
  );
  const withAcceptance = findings.map((f) => {
    const a = acceptances.get(f.fingerprint);
    return {
      ...f,
      accepted: a ? { by: a.accepted_by, at: a.accepted_at, reason: a.reason } : null,
    };
  });
  return {
    noticeId: notice.id,
    findings: withAcceptance,
    open: withAcceptance.filter((f) => !f.accepted).length,
  };
}

/** The disclosure report of a notice (readers of the case). */
export async function getDisclosureReport(
  actor: Actor,
  noticeId: number,
  deps: { database: Database },
): Promise<DisclosureReport> {
  authorize(actor, 'cases:read');
  const notice = await findNotice(deps.database.db, noticeId);
  if (!notice) throw new NotFoundError(`no notice ${noticeId}`);
  return disclosureReport(deps.database.db, notice);
}

/**
 * Accepts a finding with a reason (who and why are recorded, and audited). Authors accept:
 * the approver then sees the accepted findings with their reasons.
 */
export async function acceptFinding(
  actor: Actor,
  noticeId: number,
  input: { fingerprint: string; reason: string },
  deps: { database: Database },
): Promise<DisclosureReport> {
  authorize(actor, 'notices:write');
  const reason = input.reason?.trim() ?? '';
  if (reason.length < 3)
    throw new ValidationError('say why this finding is acceptable', [
      { field: 'reason', message: 'must be at least 3 characters' },
    ]);
  const { db, dialect } = deps.database;
  return db.transaction().execute(async (tx) => {
    const notice = await findNotice(tx, noticeId);
    if (!notice) throw new NotFoundError(`no notice ${noticeId}`);
    const report = await disclosureReport(tx, notice);
    const finding = report.findings.find((f) => f.fingerprint === input.fingerprint);
    if (!finding)
      throw new ValidationError('no such finding in the current text', [
        { field: 'fingerprint', message: `no finding ${input.fingerprint}` },
      ]);
    const now = nowIso();
    await insertAcceptance(tx, {
      notice_id: noticeId,
      fingerprint: finding.fingerprint,
      rule: finding.rule,
      excerpt: finding.excerpt,
      reason: reason.slice(0, 1000),
      accepted_by: actor.name,
      accepted_at: now,
    });
    await appendAudit(tx, dialect, actor, {
      action: 'notice.disclosure-accept',
      objectType: 'notice',
      objectId: noticeId,
      details: { rule: finding.rule, excerpt: finding.excerpt, language: finding.language, reason },
    });
    return disclosureReport(tx, notice);
  });
}

/**
 * The approval hook: refuses while a finding is neither fixed nor accepted. Called by
 * approveNotice for the audiences that leave the house.
 */
export async function assertDisclosureClear(db: Executor, notice: NoticeRow): Promise<void> {
  if (!CHECKED_AUDIENCES.includes(notice.audience)) return;
  const report = await disclosureReport(db, notice);
  const open = unacceptedFindings(
    report.findings,
    new Set(report.findings.filter((f) => f.accepted).map((f) => f.fingerprint)),
  );
  if (open.length > 0) {
    throw new ValidationError(
      `the disclosure check has ${open.length} open finding${open.length === 1 ? '' : 's'}: fix the text or accept each with a reason`,
      open.map((f) => ({
        field: `texts.${f.language}.${f.part}`,
        message: `line ${f.line}: ${f.message}: ${f.excerpt}`,
      })),
    );
  }
}

/** The plain-language score of each language version of a notice, against the threshold. */
export async function noticeReadability(
  actor: Actor,
  noticeId: number,
  deps: { database: Database },
): Promise<{
  threshold: number;
  languages: Record<string, (ReadabilityScore & { belowThreshold: boolean }) | null>;
}> {
  authorize(actor, 'cases:read');
  const db = deps.database.db;
  const notice = await findNotice(db, noticeId);
  if (!notice) throw new NotFoundError(`no notice ${noticeId}`);
  const { readabilityThreshold: threshold } = await getPublicationSettings(db);
  const languages: Record<string, (ReadabilityScore & { belowThreshold: boolean }) | null> = {};
  for (const t of await listNoticeTexts(db, noticeId)) {
    const score = readability(t.body, t.language === 'en' ? 'en' : 'nl');
    languages[t.language] = score ? { ...score, belowThreshold: score.score < threshold } : null;
  }
  return { threshold, languages };
}
