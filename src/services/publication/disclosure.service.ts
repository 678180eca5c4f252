import { z } from 'zod';
import { authorize, type Actor } from '../../domain/access.js';
import {
  checkDisclosure,
  unacceptedFindings,
  type DisclosureFinding,
} from '../../domain/disclosure-check.js';
import { ATTRIBUTE_NAME_LIMIT } from '../../domain/customer.js';
import { NotFoundError, ValidationError } from '../../domain/errors.js';
import {
  collectInternalNames,
  DEFAULT_INFRASTRUCTURE_KEYS,
  INTERNAL_NAME_AUDIENCES,
  isUsableInternalName,
  MAX_INTERNAL_NAMES,
  normaliseAttributeKey,
  type InternalName,
  type RegistryNameValue,
} from '../../domain/internal-names.js';
import {
  DEFAULT_READABILITY_THRESHOLD,
  readability,
  type ReadabilityScore,
} from '../../domain/readability.js';
import type { Database } from '../../store/database.js';
import { nowIso, type Executor } from '../../store/executor.js';
import { listAttributeTextValues } from '../../store/customer.repository.js';
import { listCustomerImports } from '../../store/customer-import.repository.js';
import { findNotice } from '../../store/notice.repository.js';
import { LANGUAGES } from '../../config.js';
import { resolvedSource } from '../../domain/notices/notice-snapshot.js';
import { currentSnapshot } from '../notices/notice-approval.service.js';
import { insertAcceptance, listAcceptances } from '../../store/publication.repository.js';
import { findSetting, upsertSetting } from '../../store/settings.repository.js';
import type { NoticeRow } from '../../store/schema.js';
import { appendAudit } from '../access/audit.service.js';

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
  readabilityThreshold: z
    .number()
    .min(-100, 'must be between -100 and 120')
    .max(120, 'must be between -100 and 120')
    .default(DEFAULT_READABILITY_THRESHOLD),
  /** Registry attributes whose values name our infrastructure (server: cp3): never in a public text. */
  infrastructureAttributeKeys: z
    .array(
      z
        .string()
        .trim()
        .min(1, 'must not be empty')
        .max(ATTRIBUTE_NAME_LIMIT, `must be at most ${ATTRIBUTE_NAME_LIMIT} characters`)
        .transform(normaliseAttributeKey),
    )
    .max(50, 'at most 50 attribute keys')
    .default([...DEFAULT_INFRASTRUCTURE_KEYS]),
  /** Our own names that are not in the registry (db-cluster-2, a project code name). */
  internalNames: z
    .array(
      z
        .string()
        .trim()
        .min(2, 'must be at least 2 characters')
        .max(100, 'must be at most 100 characters')
        .refine(
          isUsableInternalName,
          'must start and end with a letter or digit and not be only digits',
        ),
    )
    .max(1000, 'at most 1000 internal names')
    .default([]),
});
export type PublicationSettings = z.infer<typeof publicationSettingsSchema>;

/** The public-record settings (defaults when never set). */
export async function getPublicationSettings(db: Executor): Promise<PublicationSettings> {
  const stored = await findSetting(db, 'publication', publicationSettingsSchema.partial());
  return publicationSettingsSchema.parse(stored ?? {});
}

/**
 * The registry's part of the internal names is a full scan of the customers (see
 * listAttributeTextValues: ~1 s on SQLite, ~3 s on PostgreSQL per million), too slow for every
 * report view. It is kept per open database for a minute, and read again at once when the
 * attribute keys change or a customer import starts or ends (imports are the only writers of
 * the registry); the stamp of the latest import is one primary-key lookup. The promise is
 * kept, so that views arriving together on a cold cache share one scan.
 */
const REGISTRY_NAMES_TTL_MS = 60_000;
const registryNamesCache = new WeakMap<
  Database,
  { stamp: string; expires: number; values: Promise<RegistryNameValue[]> }
>();

/**
 * The provider's internal names: those listed in the settings and the values of the
 * registry's infrastructure attributes (settings first, at most MAX_INTERNAL_NAMES).
 */
export async function loadInternalNames(
  database: Database,
  settings?: PublicationSettings,
): Promise<InternalName[]> {
  const { db, dialect } = database;
  const { infrastructureAttributeKeys, internalNames } =
    settings ?? (await getPublicationSettings(db));
  const keys = [...new Set(infrastructureAttributeKeys)].sort();
  const [latest] = await listCustomerImports(db, 1);
  const stamp = `${keys.join('\u0000')}|${latest?.id}:${latest?.status}:${latest?.finished_at}`;
  let cached = registryNamesCache.get(database);
  if (!cached || cached.stamp !== stamp || cached.expires <= Date.now()) {
    const entry = {
      stamp,
      expires: Date.now() + REGISTRY_NAMES_TTL_MS,
      // Sorted, so that a value under two keys is always reported under the same one.
      values: listAttributeTextValues(db, dialect, keys, MAX_INTERNAL_NAMES).then((rows) =>
        rows.sort((a, b) => a.key.localeCompare(b.key) || a.value.localeCompare(b.value)),
      ),
    };
    // A failed scan is not kept: the next check tries again.
    entry.values.catch(() => {
      if (registryNamesCache.get(database) === entry) registryNamesCache.delete(database);
    });
    registryNamesCache.set(database, entry);
    cached = entry;
  }
  return collectInternalNames(internalNames, await cached.values);
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

/**
 * The findings of a notice, each with its acceptance (if any). `internalNames` (from
 * loadInternalNames) are looked for only in the texts of INTERNAL_NAME_AUDIENCES.
 */
export async function disclosureReport(
  db: Executor,
  notice: NoticeRow,
  internalNames: readonly InternalName[],
): Promise<DisclosureReport> {
  const texts = await resolvedTexts(db, notice);
  const settings = await getPublicationSettings(db);
  const findings = checkDisclosure(texts, {
    internalDomains: settings.internalDomains,
    internalNames: INTERNAL_NAME_AUDIENCES.includes(notice.audience) ? internalNames : [],
  });
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
  return disclosureReport(deps.database.db, notice, await loadInternalNames(deps.database));
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
  // Read before the transaction: on a cold cache it scans the registry.
  const internalNames = await loadInternalNames(deps.database);
  return db.transaction().execute(async (tx) => {
    const notice = await findNotice(tx, noticeId);
    if (!notice) throw new NotFoundError(`no notice ${noticeId}`);
    const report = await disclosureReport(tx, notice, internalNames);
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
    return disclosureReport(tx, notice, internalNames);
  });
}

/**
 * The approval hook: refuses while a finding is neither fixed nor accepted. Called by
 * approveNotice for the audiences that leave the house.
 */
export async function assertDisclosureClear(database: Database, notice: NoticeRow): Promise<void> {
  if (!CHECKED_AUDIENCES.includes(notice.audience)) return;
  const report = await disclosureReport(database.db, notice, await loadInternalNames(database));
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
  for (const t of await resolvedTexts(db, notice)) {
    const score = readability(t.body, t.language === 'en' ? 'en' : 'nl');
    languages[t.language] = score ? { ...score, belowThreshold: score.score < threshold } : null;
  }
  return { threshold, languages };
}

/**
 * What a notice will say, per language: its texts with the case's statements in place. The
 * checks read this, not the template, so a host name or secret in a statement is found too.
 */
async function resolvedTexts(
  db: Executor,
  notice: NoticeRow,
): Promise<{ language: string; subject: string; body: string }[]> {
  const { snapshot } = await currentSnapshot(db, notice);
  return LANGUAGES.flatMap((language) => {
    const resolved = resolvedSource(snapshot, language);
    return resolved ? [{ language, subject: resolved.subject, body: resolved.body }] : [];
  });
}
