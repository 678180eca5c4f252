import { authorize, type Actor } from '../../domain/access.js';
import { ConflictError, ForbiddenError, ValidationError } from '../../domain/errors.js';
import {
  newNoticeSchema,
  noticeContentHash,
  noticeUpdateSchema,
  type NewNotice,
  type NoticeText,
  type NoticeUpdate,
  type NoticeView,
} from '../../domain/notice.js';
import { findBuiltinTemplate } from '../../domain/notices/builtin-templates.js';
import { findAudienceTemplate } from '../../domain/notices/public-templates.js';
import { templateLimitProblems } from '../../domain/notices/template-limit-check.js';
import { LANGUAGES, type Language } from '../../config.js';
import type { Database } from '../../store/database.js';
import { nowIso, readJson, type Executor, stringListJson } from '../../store/executor.js';
import * as notices from '../../store/notice.repository.js';
import { listDispatchesOfNotice } from '../../store/dispatch.repository.js';
import type { NoticeRow } from '../../store/schema.js';
import { appendAudit } from '../access/audit.service.js';
import { requireCase } from '../cases/case-lookup.js';
import { checkNotice, type NoticeCheck } from './notice-check.service.js';
import { requireNotice } from './notice-lookup.js';
import { assertDisclosureClear } from '../publication/disclosure.service.js';
import {
  approvalInForce,
  currentSnapshot,
  latestApproval,
  voidNoticeApproval,
} from './notice-approval.service.js';
import { insertApproval } from '../../store/notice-approval.repository.js';

export interface NoticeDeps {
  database: Database;
  defaultLanguage: Language;
}

/** Presents a stored notice with its language versions. */
export async function noticeView(db: Executor, row: NoticeRow): Promise<NoticeView> {
  const texts = await notices.listNoticeTexts(db, row.id);
  const { hash } = await currentSnapshot(db, row);
  const inForce = await approvalInForce(db, row);
  const latest = inForce ?? (await latestApproval(db, row.id));
  return {
    id: row.id,
    caseId: row.case_id,
    audience: row.audience as NoticeView['audience'],
    title: row.title,
    defaultLanguage: row.default_language as Language,
    version: row.version,
    contentHash: row.content_hash,
    status: inForce ? 'approved' : latest ? 'changed-since-approval' : 'draft',
    editors: readJson(row.editors, stringListJson),
    approvedBy: row.approved_hash === row.content_hash ? row.approved_by : null,
    approvedAt: row.approved_hash === row.content_hash ? row.approved_at : null,
    approvalHash: hash,
    approvedSnapshotHash: inForce?.snapshot_hash ?? null,
    voided:
      !inForce && latest?.voided_at
        ? { by: latest.voided_by ?? '', at: latest.voided_at, reason: latest.voided_reason ?? '' }
        : null,
    texts: Object.fromEntries(texts.map((t) => [t.language, { subject: t.subject, body: t.body }])),
  };
}

/** Refuses texts whose Liquid runs into a render limit (render-limits.ts), naming the field. */
function refuseHeavyTemplates(texts: Partial<Record<Language, NoticeText>>): void {
  const problems = templateLimitProblems(texts);
  if (problems.length > 0) {
    throw new ValidationError('the notice template exceeds a render limit', problems);
  }
}

/** Creates a notice for a case, from given texts or from the built-in templates (nl and en). */
export async function createNotice(
  actor: Actor,
  caseRef: string | number,
  input: NewNotice,
  deps: NoticeDeps,
): Promise<NoticeView> {
  authorize(actor, 'notices:write');
  const data = newNoticeSchema.parse(input);
  // Before the transaction: a trial render must not hold the database's write lock.
  if (data.texts) refuseHeavyTemplates(data.texts);
  const { db, dialect } = deps.database;
  return db.transaction().execute(async (tx) => {
    const kase = await requireCase(tx, caseRef);
    const texts: Partial<Record<Language, NoticeText>> =
      data.texts ??
      Object.fromEntries(
        LANGUAGES.map((language) => {
          const kind = kase.kind === 'advisory' ? 'advisory' : 'incident';
          const t =
            data.audience === 'public' || data.audience === 'press'
              ? findAudienceTemplate(data.audience, kind, language)
              : findBuiltinTemplate(kind, language);
          return [language, { subject: t.subject.trim(), body: t.body.trim() }];
        }),
      );
    const defaultLanguage = data.defaultLanguage ?? deps.defaultLanguage;
    if (!texts[defaultLanguage]) {
      throw new ValidationError('the default language needs a version', [
        { field: 'defaultLanguage', message: `no ${defaultLanguage} text` },
      ]);
    }
    const now = nowIso();
    const id = await notices.insertNotice(tx, {
      case_id: kase.id,
      audience: data.audience,
      title:
        data.title ??
        `${kase.reference}: notice to ${data.audience === 'affected' ? 'affected customers' : `the ${data.audience}`}`,
      default_language: defaultLanguage,
      version: 1,
      content_hash: noticeContentHash({ audience: data.audience, defaultLanguage, texts }),
      editors: JSON.stringify([actor.name]),
      approved_by: null,
      approved_at: null,
      approved_hash: null,
      created_by: actor.name,
      created_at: now,
      updated_at: now,
    });
    await notices.replaceNoticeTexts(tx, id, textRows(id, texts));
    await appendAudit(tx, dialect, actor, {
      action: 'notice.create',
      objectType: 'notice',
      objectId: id,
      details: { caseId: kase.id, audience: data.audience, fromTemplate: !data.texts },
    });
    return noticeView(tx, (await notices.findNotice(tx, id))!);
  });
}

/** Edits a notice: a new version, its editor recorded; any approval is void. */
export async function updateNotice(
  actor: Actor,
  id: number,
  input: NoticeUpdate,
  deps: NoticeDeps,
): Promise<NoticeView> {
  authorize(actor, 'notices:write');
  const data = noticeUpdateSchema.parse(input);
  // Before the transaction: a trial render must not hold the database's write lock.
  if (data.texts) refuseHeavyTemplates(data.texts);
  const { db, dialect } = deps.database;
  return db.transaction().execute(async (tx) => {
    const row = await requireNotice(tx, id);
    const active = (await listDispatchesOfNotice(tx, id)).find((d) =>
      ['preparing', 'running', 'paused'].includes(d.state),
    );
    if (active) {
      throw new ConflictError(
        `notice ${id} is being sent (dispatch ${active.id} is ${active.state}); cancel it or wait until it is done before editing`,
      );
    }
    const current = await noticeView(tx, row);
    const texts = data.texts ?? current.texts;
    const defaultLanguage = data.defaultLanguage ?? current.defaultLanguage;
    if (!texts[defaultLanguage]) {
      throw new ValidationError('the default language needs a version', [
        { field: 'defaultLanguage', message: `no ${defaultLanguage} text` },
      ]);
    }
    const hash = noticeContentHash({ audience: row.audience, defaultLanguage, texts });
    const editors = [...new Set([...current.editors, actor.name])];
    const voided = row.approved_hash !== null && hash !== row.content_hash;
    await notices.updateNotice(tx, id, {
      title: data.title ?? row.title,
      default_language: defaultLanguage,
      version: hash === row.content_hash ? row.version : row.version + 1,
      content_hash: hash,
      editors: JSON.stringify(editors),
      updated_at: nowIso(),
    });
    await notices.replaceNoticeTexts(tx, id, textRows(id, texts));
    const inForce = await approvalInForce(tx, row);
    if (inForce && voided) {
      const changed = Object.keys({ ...current.texts, ...texts })
        .filter(
          (l) => comparable(current.texts[l as Language]) !== comparable(texts[l as Language]),
        )
        .map((l) => `notice text (${l})`);
      await voidNoticeApproval(
        tx,
        dialect,
        actor,
        row,
        inForce,
        `${changed.join(', ') || 'the notice'} changed (notice edited)`,
      );
    }
    await appendAudit(tx, dialect, actor, {
      action: 'notice.update',
      objectType: 'notice',
      objectId: id,
      details: { version: row.version + 1, contentHash: hash, approvalVoided: voided },
    });
    return noticeView(tx, (await notices.findNotice(tx, id))!);
  });
}

/**
 * Four eyes: an approver who wrote no part of the notice signs off this exact content — the
 * texts with every case value they use, frozen as a snapshot (`approvalHash` pins what the
 * approver saw). The check must pass first (no unknown placeholders, no recipient missing a
 * value, no statement missing in a language, no claim the case does not record).
 */
export async function approveNotice(
  actor: Actor,
  id: number,
  options: { contentHash?: string; approvalHash?: string },
  deps: NoticeDeps,
): Promise<{ notice: NoticeView; check: NoticeCheck }> {
  authorize(actor, 'notices:approve');
  if (!actor.roles.includes('approver')) {
    throw new ForbiddenError('only a user with the approver role can approve a notice');
  }
  const { db, dialect } = deps.database;
  const row = await requireNotice(db, id);
  if (readJson(row.editors, stringListJson).includes(actor.name)) {
    throw new ForbiddenError(
      `four-eyes rule: ${actor.name} wrote part of this notice and cannot approve it`,
    );
  }
  if (options.contentHash && options.contentHash !== row.content_hash) {
    throw new ConflictError('the notice changed after you opened it; review the new version');
  }
  const seen = await currentSnapshot(db, row);
  if (options.approvalHash && options.approvalHash !== seen.hash) {
    throw new ConflictError(
      'the notice or a case value it uses changed after you opened it; review it again',
    );
  }
  const check = await checkNotice(actor, id, deps);
  if (!check.ok) {
    throw new ValidationError(
      `the notice cannot be approved yet: ${check.errors[0]}${check.errors.length > 1 ? ` (and ${check.errors.length - 1} more)` : ''}`,
      check.errors.map((message) => ({ field: 'notice', message })),
    );
  }
  // Public, press and customer notices: no internal hosts, secrets or leaked embargo text.
  await assertDisclosureClear(deps.database, row);
  return db.transaction().execute(async (tx) => {
    const now = nowIso();
    const fresh = await requireNotice(tx, id);
    const { snapshot, hash } = await currentSnapshot(tx, fresh);
    if (fresh.content_hash !== row.content_hash || hash !== seen.hash)
      throw new ConflictError('the notice changed during approval; review it again');
    const previous = await approvalInForce(tx, fresh);
    if (previous) {
      await voidNoticeApproval(tx, dialect, actor, fresh, previous, 'superseded by a new approval');
    }
    const approvalId = await insertApproval(tx, {
      notice_id: id,
      version: fresh.version,
      content_hash: fresh.content_hash,
      snapshot_hash: hash,
      snapshot: JSON.stringify(snapshot),
      approved_by: actor.name,
      approved_at: now,
    });
    await notices.updateNotice(tx, id, {
      approved_by: actor.name,
      approved_at: now,
      approved_hash: fresh.content_hash,
      approval_id: approvalId,
    });
    await appendAudit(tx, dialect, actor, {
      action: 'notice.approve',
      objectType: 'notice',
      objectId: id,
      details: {
        version: fresh.version,
        contentHash: fresh.content_hash,
        snapshotHash: hash,
        approvalId,
        recipientsChecked: check.recipients,
      },
    });
    return { notice: await noticeView(tx, (await notices.findNotice(tx, id))!), check };
  });
}

/** A notice with its texts. */
export async function getNotice(actor: Actor, id: number, deps: NoticeDeps): Promise<NoticeView> {
  authorize(actor, 'cases:read');
  return noticeView(deps.database.db, await requireNotice(deps.database.db, id));
}

/** The notices of a case. */
export async function listNotices(
  actor: Actor,
  caseRef: string | number,
  deps: NoticeDeps,
): Promise<NoticeView[]> {
  authorize(actor, 'cases:read');
  const kase = await requireCase(deps.database.db, caseRef);
  const rows = await notices.listNoticesOfCase(deps.database.db, kase.id);
  return Promise.all(rows.map((r) => noticeView(deps.database.db, r)));
}

function textRows(noticeId: number, texts: Partial<Record<Language, NoticeText>>) {
  return Object.entries(texts).map(([language, t]) => ({
    notice_id: noticeId,
    language,
    subject: t.subject,
    body: t.body,
  }));
}

/** A version as the schema stores it (trimmed), for telling which languages an edit changed. */
function comparable(text: NoticeText | undefined): string {
  return text ? `${text.subject.trim()}\u0000${text.body.trim()}` : '';
}

export { requireNotice };
