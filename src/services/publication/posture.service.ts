import { createHash } from 'node:crypto';
import { z } from 'zod';
import { authorize, type Actor } from '../../domain/access.js';
import { ConflictError, NotFoundError, ValidationError } from '../../domain/errors.js';
import {
  approvalProblems,
  blankContent,
  postureContentSchema,
  type PostureContent,
  postureStateSchema,
  type PostureState,
} from '../../domain/posture/posture.js';
import type { CaseTimeline } from '../../domain/posture/commitment-record.js';
import {
  buildPostureDocument,
  type PostureDocument,
} from '../../domain/posture/posture-document.js';
import { publicationPaths } from '../../domain/publication.js';
import type { Database } from '../../store/database.js';
import { nowIso, readJson, type Executor, stringListJson } from '../../store/executor.js';
import * as repo from '../../store/posture.repository.js';
import { bumpSiteRevision, firstCustomerNoticeTimes } from '../../store/publication.repository.js';
import type { PostureVersionRow } from '../../store/schema-posture.js';
import { appendAudit } from '../access/audit.service.js';
import { getOrganisation } from '../access/settings.service.js';

/**
 * The security posture statement's life: a draft is written (nl/en), approved by someone who
 * wrote none of it (four eyes, as a public notice), then published as the next version.
 * Changing an approved draft withdraws the approval. Every step is audited in its transaction,
 * and publishing bumps the public site's revision so the public cache renders it.
 */

export interface PostureDeps {
  database: Database;
  publicUrl: string;
}

/** One version as the workspace and the API show it. */
export const postureVersionViewSchema = z.object({
  id: z.number().int(),
  number: z.number().int().nullable(),
  state: postureStateSchema,
  content: postureContentSchema,
  contentHash: z.string(),
  /** Everyone who wrote part of it: none of them may approve it. */
  authors: z.array(z.string()),
  updatedAt: z.string(),
  updatedBy: z.string(),
  approvedBy: z.string().nullable(),
  approvedAt: z.string().nullable(),
  publishedBy: z.string().nullable(),
  publishedAt: z.string().nullable(),
});
export type PostureVersionView = z.infer<typeof postureVersionViewSchema>;
export type { PostureState };

function viewOf(row: PostureVersionRow): PostureVersionView {
  return {
    id: Number(row.id),
    number: row.number === null ? null : Number(row.number),
    state: row.state,
    content: readJson(row.content, postureContentSchema),
    contentHash: row.content_hash,
    authors: readJson(row.authors, stringListJson),
    updatedAt: row.updated_at,
    updatedBy: row.updated_by,
    approvedBy: row.approved_by,
    approvedAt: row.approved_at,
    publishedBy: row.published_by,
    publishedAt: row.published_at,
  };
}

/** The hash an approval pins: the canonical JSON of the content. */
export function contentHash(content: PostureContent): string {
  return createHash('sha256').update(JSON.stringify(content)).digest('hex');
}

/** The open version (draft or approved) and the published history, newest first. */
export async function postureOverview(
  actor: Actor,
  deps: { database: Database },
): Promise<{ open: PostureVersionView | null; published: PostureVersionView[] }> {
  authorize(actor, 'cases:read');
  const db = deps.database.db;
  const open = await repo.findOpenPostureVersion(db);
  const published = await repo.listPublishedPostureVersions(db);
  return { open: open ? viewOf(open) : null, published: published.map(viewOf) };
}

/** Parses content from a form or the API: a ValidationError naming every bad field. */
export function parsePostureContent(input: unknown): PostureContent {
  const parsed = postureContentSchema.safeParse(input);
  if (parsed.success) return parsed.data;
  const errors = parsed.error.issues.map((i) => ({
    field:
      i.path
        .map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`))
        .join('')
        .replace(/^\./, '') || '(statement)',
    message: i.message,
  }));
  throw new ValidationError(
    `the statement is not valid: ${errors.map((e) => `${e.field}: ${e.message}`).join('; ')}`,
    errors,
  );
}

/**
 * Saves the open draft (creating it from the latest published version's content when there
 * is none). Saving different content over an approved draft withdraws the approval.
 */
export async function savePostureDraft(
  actor: Actor,
  input: unknown,
  deps: { database: Database },
): Promise<PostureVersionView> {
  authorize(actor, 'posture:write');
  const content = parsePostureContent(input);
  const hash = contentHash(content);
  const { database } = deps;
  return database.db.transaction().execute(async (tx) => {
    const now = nowIso();
    const open = await repo.findOpenPostureVersion(tx);
    if (!open) {
      const id = await repo.insertPostureVersion(tx, {
        state: 'draft',
        content: JSON.stringify(content),
        content_hash: hash,
        authors: JSON.stringify([actor.name]),
        created_at: now,
        updated_at: now,
        updated_by: actor.name,
      });
      await appendAudit(tx, database.dialect, actor, {
        action: 'posture.draft',
        objectType: 'posture',
        objectId: id,
        details: { contentHash: hash },
      });
      return viewOf((await repo.findOpenPostureVersion(tx))!);
    }
    if (open.content_hash === hash) return viewOf(open);
    const authors = readJson(open.authors, stringListJson);
    const withdrawn = open.state === 'approved';
    await repo.updatePostureVersion(tx, Number(open.id), {
      state: 'draft',
      content: JSON.stringify(content),
      content_hash: hash,
      authors: JSON.stringify(authors.includes(actor.name) ? authors : [...authors, actor.name]),
      updated_at: now,
      updated_by: actor.name,
      approved_by: null,
      approved_at: null,
      approved_hash: null,
    });
    await appendAudit(tx, database.dialect, actor, {
      action: 'posture.save',
      objectType: 'posture',
      objectId: Number(open.id),
      details: { contentHash: hash, ...(withdrawn ? { approvalWithdrawn: open.approved_by } : {}) },
    });
    return viewOf((await repo.findOpenPostureVersion(tx))!);
  });
}

/**
 * What the editor opens with, without writing anything: the open draft, else the statement
 * in force, else the ten points blank.
 */
export async function postureContentToEdit(
  actor: Actor,
  deps: { database: Database },
  now = new Date(),
): Promise<PostureContent> {
  authorize(actor, 'posture:write');
  const db = deps.database.db;
  const open = await repo.findOpenPostureVersion(db);
  if (open) return viewOf(open).content;
  const [latest] = await repo.listPublishedPostureVersions(db);
  return latest ? viewOf(latest).content : blankContent(now);
}

/** Starts a draft from the current published statement (or a blank one with the ten points). */
export async function startPostureDraft(
  actor: Actor,
  deps: { database: Database },
  now = new Date(),
): Promise<PostureVersionView> {
  authorize(actor, 'posture:write');
  const db = deps.database.db;
  const open = await repo.findOpenPostureVersion(db);
  if (open) return viewOf(open);
  const [latest] = await repo.listPublishedPostureVersions(db);
  const content = latest ? viewOf(latest).content : blankContent(now);
  return savePostureDraft(actor, content, deps);
}

/**
 * Four eyes: an approver who wrote no part of the draft signs off this exact content
 * (`expectedHash`, when given, must match what the approver read).
 */
export async function approvePostureDraft(
  actor: Actor,
  input: { expectedHash?: string },
  deps: { database: Database },
): Promise<PostureVersionView> {
  authorize(actor, 'posture:approve');
  const { database } = deps;
  return database.db.transaction().execute(async (tx) => {
    const open = await repo.findOpenPostureVersion(tx);
    if (!open) throw new NotFoundError('there is no draft of the posture statement');
    const view = viewOf(open);
    if (view.authors.includes(actor.name)) {
      throw new ConflictError(
        `four-eyes rule: ${actor.name} wrote part of this statement and cannot approve it`,
        { reason: 'four-eyes' },
      );
    }
    if (input.expectedHash && input.expectedHash !== open.content_hash) {
      throw new ConflictError('the draft changed while you read it: read it again', {
        reason: 'changed',
      });
    }
    if (open.state === 'approved') return view;
    const problems = approvalProblems(view.content);
    if (problems.length > 0) {
      throw new ValidationError(
        `not ready for approval: ${problems.join('; ')}`,
        problems.map((p) => ({ field: p.split(':')[0]!, message: p.split(': ')[1] ?? p })),
      );
    }
    const now = nowIso();
    await repo.updatePostureVersion(tx, Number(open.id), {
      state: 'approved',
      approved_by: actor.name,
      approved_at: now,
      approved_hash: open.content_hash,
    });
    await appendAudit(tx, database.dialect, actor, {
      action: 'posture.approve',
      objectType: 'posture',
      objectId: Number(open.id),
      details: { contentHash: open.content_hash },
    });
    return viewOf((await repo.findOpenPostureVersion(tx))!);
  });
}

/** Publishes the approved draft as the next version; earlier versions stay public. */
export async function publishPostureDraft(
  actor: Actor,
  deps: { database: Database },
): Promise<PostureVersionView> {
  authorize(actor, 'publication:publish');
  const { database } = deps;
  return database.db.transaction().execute(async (tx) => {
    const open = await repo.findOpenPostureVersion(tx);
    if (!open) throw new NotFoundError('there is no draft of the posture statement');
    if (open.state !== 'approved' || open.approved_hash !== open.content_hash) {
      throw new ConflictError('the statement needs an approval before it is published', {
        reason: 'not-approved',
      });
    }
    const now = nowIso();
    // The site revision row serialises public writers, so two publishers get two numbers.
    await bumpSiteRevision(tx, now);
    const number = (await repo.maxPostureNumber(tx)) + 1;
    await repo.updatePostureVersion(tx, Number(open.id), {
      state: 'published',
      number,
      published_by: actor.name,
      published_at: now,
    });
    await appendAudit(tx, database.dialect, actor, {
      action: 'posture.publish',
      objectType: 'posture',
      objectId: Number(open.id),
      details: { version: number, contentHash: open.content_hash },
    });
    const published = await repo.listPublishedPostureVersions(tx);
    return viewOf(published.find((r) => Number(r.id) === Number(open.id))!);
  });
}

/** Every case's timeline, as the commitments measure it. */
export async function caseTimelines(db: Executor): Promise<CaseTimeline[]> {
  const rows = await repo.listCaseTimelineRows(db);
  const firsts = await firstCustomerNoticeTimes(
    db,
    rows.map((r) => Number(r.id)),
  );
  return rows.map((r) => ({
    reference: r.reference,
    kind: r.kind === 'advisory' ? 'advisory' : 'incident',
    awareAt: r.aware_at!,
    affected: Math.max(
      Number(r.affected ?? 0),
      Number(r.recipients ?? 0),
      // A filter names customers without listing them: count the case until it is frozen.
      r.affected_filter ? 1 : 0,
    ),
    firstCustomerNoticeAt: firsts.get(Number(r.id)) ?? null,
    publicNoticeAt: r.first_published_at ?? null,
    publicPath:
      r.first_published_at && r.slug ? publicationPaths(Number(r.year), r.slug, false).page : null,
  }));
}

/**
 * The public documents of every published version, newest first (the first is the current
 * statement). Empty when nothing was published yet.
 */
export async function publishedPostureDocuments(
  deps: PostureDeps,
  now = new Date(),
): Promise<PostureDocument[]> {
  const db = deps.database.db;
  const rows = await repo.listPublishedPostureVersions(db);
  if (rows.length === 0) return [];
  const [cases, organisation] = await Promise.all([caseTimelines(db), getOrganisation(deps)]);
  const history = rows.map((r) => ({ version: Number(r.number), publishedAt: r.published_at! }));
  return rows.map((r) =>
    buildPostureDocument({
      posture: {
        version: Number(r.number),
        publishedAt: r.published_at!,
        content: viewOf(r).content,
      },
      history,
      cases,
      organisation: organisation.name,
      publicUrl: deps.publicUrl,
      now,
    }),
  );
}

/** The current published statement (or a given version), for the CLI and the API. */
export async function postureDocument(
  actor: Actor,
  deps: PostureDeps,
  version?: number,
  now = new Date(),
): Promise<PostureDocument> {
  authorize(actor, 'cases:read');
  const docs = await publishedPostureDocuments(deps, now);
  const doc = version === undefined ? docs[0] : docs.find((d) => d.version === version);
  if (!doc) {
    throw new NotFoundError(
      version === undefined ? 'no posture statement is published yet' : `no version ${version}`,
    );
  }
  return doc;
}

/** The published versions in brief, newest first: for the /security link and the feeds. */
export async function publishedPostureVersions(
  db: Executor,
): Promise<{ version: number; publishedAt: string; validUntil: string }[]> {
  return (await repo.listPublishedPostureVersions(db)).map((r) => ({
    version: Number(r.number),
    publishedAt: r.published_at!,
    validUntil: viewOf(r).content.validUntil,
  }));
}

/** The open draft (or approved, unpublished) version, for the API. */
export async function postureDraft(
  actor: Actor,
  deps: { database: Database },
): Promise<PostureVersionView> {
  const { open } = await postureOverview(actor, deps);
  if (!open) throw new NotFoundError('there is no draft of the posture statement');
  return open;
}
