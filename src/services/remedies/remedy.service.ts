import { z } from 'zod';
import { LANGUAGES, type Language } from '../../config.js';
import { authorize, type Actor } from '../../domain/access.js';
import { ConflictError, NotFoundError, ValidationError } from '../../domain/errors.js';
import {
  missingRemedyLanguages,
  remedyCreateSchema,
  remedyUpdateSchema,
  type RemedyCreate,
  type RemedyTexts,
  type RemedyUpdate,
} from '../../domain/remedies/remedy-input.js';
import { remedyCompletionSchema } from '../../domain/remedies/remedy.js';
import type { Database } from '../../store/database.js';
import { nowIso, type Executor } from '../../store/executor.js';
import {
  completionCounts,
  countCaseRecipients,
  findRemedyByKey,
  hasConfirmations,
  insertRemedy,
  listRemedies,
  listRemedyTexts,
  noticeLanguagesOfCase,
  updateRemedy,
  upsertRemedyText,
} from '../../store/remedy.repository.js';
import type { RemedyRow } from '../../store/schema-remedies.js';
import { appendAudit } from '../access/audit.service.js';
import { requireCase } from '../cases/case.service.js';

/** A remedy as the API, CLI and workspace show it. */
export const remedyViewSchema = z.object({
  key: z.string(),
  position: z.number().int(),
  completion: remedyCompletionSchema,
  retired: z.boolean(),
  texts: z.partialRecord(
    z.enum(LANGUAGES),
    z.object({ title: z.string(), instructions: z.string() }),
  ),
  counts: z.object({
    recipients: z.number().int().describe("the case's frozen recipients"),
    completed: z.number().int().describe('recipients for whom the completion rule is met'),
    customerConfirmed: z.number().int(),
    providerConfirmed: z.number().int(),
  }),
});
export type RemedyView = z.infer<typeof remedyViewSchema>;

export const remedyListSchema = z.object({
  case: z.string(),
  /** The languages the case's customer notices are written in: each remedy needs them. */
  languages: z.array(z.string()),
  remedies: z.array(remedyViewSchema),
});
export type RemedyList = z.infer<typeof remedyListSchema>;

type Deps = { database: Database };

/** The remedies of a case, in order, each with its texts and counts. */
export async function listCaseRemedies(
  actor: Actor,
  caseRef: string | number,
  deps: Deps,
): Promise<RemedyList> {
  authorize(actor, 'cases:read');
  const db = deps.database.db;
  const kase = await requireCase(db, caseRef);
  return {
    case: kase.reference,
    languages: await noticeLanguagesOfCase(db, kase.id),
    remedies: await remedyViews(db, kase.id),
  };
}

/** Adds a remedy at the end of the case's list. */
export async function createRemedy(
  actor: Actor,
  caseRef: string | number,
  input: RemedyCreate,
  deps: Deps,
): Promise<RemedyView> {
  authorize(actor, 'remedies:manage');
  const data = remedyCreateSchema.parse(input);
  const { db, dialect } = deps.database;
  return db.transaction().execute(async (tx) => {
    const kase = await requireCase(tx, caseRef);
    await requireLanguages(tx, kase.id, data.texts);
    if (await findRemedyByKey(tx, kase.id, data.key)) {
      throw new ValidationError(`${kase.reference} already has a remedy "${data.key}"`, [
        { field: 'key', message: `"${data.key}" is already a remedy of this case` },
      ]);
    }
    const now = nowIso();
    const existing = await listRemedies(tx, kase.id);
    const id = await insertRemedy(tx, {
      case_id: kase.id,
      key: data.key,
      position: existing.length + 1,
      completion: data.completion,
      created_by: actor.name,
      created_at: now,
      updated_at: now,
    });
    await writeTexts(tx, id, data.texts, actor, now);
    await appendAudit(tx, dialect, actor, {
      action: 'remedy.create',
      objectType: 'case',
      objectId: kase.id,
      details: { key: data.key, completion: data.completion, languages: Object.keys(data.texts) },
    });
    return viewOf(tx, kase.id, data.key);
  });
}

/** Changes a remedy: texts, completion rule, place in the list, or retires/restores it. */
export async function updateRemedyByKey(
  actor: Actor,
  caseRef: string | number,
  key: string,
  input: RemedyUpdate,
  deps: Deps,
): Promise<RemedyView> {
  authorize(actor, 'remedies:manage');
  const data = remedyUpdateSchema.parse(input);
  const { db, dialect } = deps.database;
  return db.transaction().execute(async (tx) => {
    const kase = await requireCase(tx, caseRef);
    const remedy = await requireRemedy(tx, kase.id, kase.reference, key);
    const now = nowIso();
    const changed: string[] = [];
    if (data.texts && Object.keys(data.texts).length > 0) {
      const current = textsOf(await listRemedyTexts(tx, [remedy.id]));
      await requireLanguages(tx, kase.id, { ...current, ...data.texts });
      await writeTexts(tx, remedy.id, data.texts, actor, now);
      changed.push(...Object.keys(data.texts).map((l) => `texts.${l}`));
    }
    if (data.completion && data.completion !== remedy.completion) {
      // Recomputing who is done under another rule would rewrite history the curve shows.
      if (await hasConfirmations(tx, remedy.id)) {
        throw new ConflictError(
          `remedy "${key}" already has confirmations: its completion rule can no longer change (retire it and add a new one)`,
        );
      }
      await updateRemedy(tx, remedy.id, { completion: data.completion });
      changed.push('completion');
    }
    if (data.retired !== undefined && data.retired !== (remedy.retired_at !== null)) {
      await updateRemedy(tx, remedy.id, { retired_at: data.retired ? now : null });
      changed.push(data.retired ? 'retired' : 'restored');
    }
    if (data.position !== undefined && data.position !== remedy.position) {
      await reorder(tx, kase.id, remedy.id, data.position);
      changed.push('position');
    }
    if (changed.length > 0) {
      await updateRemedy(tx, remedy.id, { updated_at: now });
      await appendAudit(tx, dialect, actor, {
        action: 'remedy.update',
        objectType: 'case',
        objectId: kase.id,
        details: { key, changed },
      });
    }
    return viewOf(tx, kase.id, key);
  });
}

/** The remedy of a case by key, or NotFoundError naming both. */
export async function requireRemedy(
  db: Executor,
  caseId: number,
  reference: string,
  key: string,
): Promise<RemedyRow> {
  const remedy = await findRemedyByKey(db, caseId, key);
  if (!remedy) throw new NotFoundError(`${reference} has no remedy "${key}"`);
  return remedy;
}

/** Texts rows → language → { title, instructions }. */
export function textsOf(
  rows: readonly { language: string; title: string; instructions: string }[],
): RemedyTexts {
  const out: RemedyTexts = {};
  for (const r of rows) {
    if ((LANGUAGES as readonly string[]).includes(r.language))
      out[r.language as Language] = { title: r.title, instructions: r.instructions };
  }
  return out;
}

/** The views of every remedy of a case. */
export async function remedyViews(db: Executor, caseId: number): Promise<RemedyView[]> {
  const remedies = await listRemedies(db, caseId);
  const [texts, counts, recipients] = await Promise.all([
    listRemedyTexts(
      db,
      remedies.map((r) => Number(r.id)),
    ),
    completionCounts(db, caseId),
    countCaseRecipients(db, caseId),
  ]);
  return remedies.map((r) => {
    const c = counts.get(Number(r.id));
    return {
      key: r.key,
      position: r.position,
      completion: r.completion,
      retired: r.retired_at !== null,
      texts: textsOf(texts.filter((t) => Number(t.remedy_id) === Number(r.id))),
      counts: {
        recipients,
        completed: c?.completed ?? 0,
        customerConfirmed: c?.customer ?? 0,
        providerConfirmed: c?.provider ?? 0,
      },
    };
  });
}

async function viewOf(db: Executor, caseId: number, key: string): Promise<RemedyView> {
  const view = (await remedyViews(db, caseId)).find((r) => r.key === key);
  if (!view) throw new Error(`remedy ${key} vanished inside its own transaction`);
  return view;
}

/** Refuses texts that lack a language the case's notices are written in. */
async function requireLanguages(db: Executor, caseId: number, texts: RemedyTexts): Promise<void> {
  const missing = missingRemedyLanguages(texts, await noticeLanguagesOfCase(db, caseId));
  if (missing.length === 0) return;
  const names: Record<string, string> = { nl: 'Dutch', en: 'English' };
  throw new ValidationError(
    `a remedy needs a title in ${missing.map((l) => names[l] ?? l).join(' and ')}`,
    missing.map((l) => ({
      field: `texts.${l}.title`,
      message: `the customer notice is written in ${names[l] ?? l}, so the remedy needs a title in it too`,
    })),
  );
}

async function writeTexts(
  db: Executor,
  remedyId: number,
  texts: RemedyTexts,
  actor: Actor,
  now: string,
): Promise<void> {
  for (const [language, text] of Object.entries(texts)) {
    await upsertRemedyText(db, {
      remedy_id: remedyId,
      language,
      title: text.title,
      instructions: text.instructions,
      updated_by: actor.name,
      updated_at: now,
    });
  }
}

/** Moves a remedy to a 1-based place and numbers the list 1..n again. */
async function reorder(db: Executor, caseId: number, id: number, position: number) {
  const list = (await listRemedies(db, caseId)).filter((r) => Number(r.id) !== id);
  const ids = list.map((r) => Number(r.id));
  ids.splice(Math.min(position - 1, ids.length), 0, id);
  for (const [i, remedyId] of ids.entries()) {
    const before = list.find((r) => Number(r.id) === remedyId)?.position;
    if (before !== i + 1) await updateRemedy(db, remedyId, { position: i + 1 });
  }
}
