import { authorize, type Actor } from '../../domain/access.js';
import {
  mapAffectedHeader,
  validateAffectedCsv,
  validateAffectedJson,
  type AffectedColumns,
  type AffectedRow,
} from '../../domain/affected.js';
import { ConflictError, ValidationError } from '../../domain/errors.js';
import {
  openRecords,
  UnreadableFileError,
  type OpenRecordsOptions,
  type SourceRecord,
} from '../../ingest/record-source.js';
import * as affected from '../../store/affected.repository.js';
import type { Database } from '../../store/database.js';
import { nowIso, readFactsObject } from '../../store/executor.js';
import type { Dialect } from '../../store/database.js';
import type { CustomerWhere } from '../../store/dispatch.repository.js';
import { countFrozenRecipients, sampleFrozenRecipients } from '../../store/recipient.repository.js';
import { customerFilterExpression } from '../../store/customer-filter.js';
import { parseFilter } from '../../domain/filter/filter-parser.js';
import { describeFilter } from '../../domain/filter/filter-describe.js';
import { updateCase } from '../../store/case.repository.js';
import { appendAudit } from '../access/audit.service.js';
import { requireCase } from './case-lookup.js';
import {
  emptyTally,
  runImport,
  type DuplicateEntry,
  type ImportTally,
} from '../customers/import-runner.js';
import {
  REJECT_REASON_COLUMN,
  RejectsWriter,
  type RejectsOutput,
} from '../customers/rejects-writer.js';

export interface AffectedImportOptions extends OpenRecordsOptions {
  source: string;
  rejects?: RejectsOutput;
  onProgress?: (rows: number) => void;
}

/** total = added + updated + duplicates + rejected. */
export interface AffectedImportSummary extends ImportTally {
  caseId: number;
  added: number;
  updated: number;
  listSize: number;
  durationMs: number;
}

type Row = AffectedRow & { record: SourceRecord };

/**
 * Imports an affected list into a case: external_id plus impact columns, each becoming a
 * personal variable. Same robustness as the customer import; an unknown external_id is a
 * rejected row. Not allowed once the set has been frozen by a dispatch.
 */
export async function importAffected(
  actor: Actor,
  caseRef: string | number,
  input: AsyncIterable<Buffer | Uint8Array | string>,
  options: AffectedImportOptions,
  deps: { database: Database },
): Promise<AffectedImportSummary> {
  authorize(actor, 'affected:write');
  const started = Date.now();
  const { db, dialect } = deps.database;
  const kase = await requireCase(db, caseRef);
  if (kase.frozen_at)
    throw new ConflictError(
      `the affected set of ${kase.reference} was frozen when it was dispatched`,
    );
  let source;
  try {
    source = await openRecords(input, options);
  } catch (error) {
    if (error instanceof UnreadableFileError) throw new ValidationError(error.message);
    throw error;
  }
  let columns: AffectedColumns | null = null;
  if (source.format === 'csv') {
    const mapped = mapAffectedHeader(source.header ?? [], [REJECT_REASON_COLUMN]);
    if ('problems' in mapped)
      throw new ValidationError(`not a usable affected list: ${mapped.problems.join('; ')}`);
    columns = mapped;
  }
  const summary: AffectedImportSummary = {
    ...emptyTally(),
    caseId: kase.id,
    added: 0,
    updated: 0,
    listSize: 0,
    durationMs: 0,
  };
  // Customers written by this import, to tell a repeat across batches from an update.
  const seen = new Map<number, number>();
  const rejects = options.rejects ? new RejectsWriter(options.rejects, source) : null;
  try {
    await runImport<Row>(
      source,
      {
        validate: (record) => {
          const result =
            record.kind === 'csv'
              ? validateAffectedCsv(record.line, record.fields, columns!)
              : validateAffectedJson(record.line, record.value, [REJECT_REASON_COLUMN]);
          return 'ok' in result ? { ok: { ...result.ok, record } } : result;
        },
        key: (row) => row.externalId,
        batchSize: 2000,
        rejects,
        onProgress: options.onProgress,
        write: async (rows) => {
          const ids = await affected.findCustomerIds(
            db,
            rows.map((r) => r.externalId),
          );
          const known = rows.filter((r) => ids.has(r.externalId));
          const rejected = rows
            .filter((r) => !ids.has(r.externalId))
            .map((r) => ({
              record: r.record,
              problems: [
                {
                  field: 'external_id',
                  reason: `no customer with external_id ${JSON.stringify(r.externalId)} in the registry`,
                },
              ],
            }));
          const duplicates: DuplicateEntry[] = [];
          const fresh: number[] = [];
          for (const r of known) {
            const id = ids.get(r.externalId)!;
            const previousLine = seen.get(id);
            if (previousLine !== undefined)
              duplicates.push({ line: r.line, previousLine, externalId: r.externalId });
            else fresh.push(id);
            seen.set(id, r.line);
          }
          await db.transaction().execute(async (tx) => {
            const existing = fresh.length
              ? await affected.findAffectedCustomerIds(tx, kase.id, fresh)
              : new Set<number>();
            summary.updated += existing.size;
            summary.added += fresh.length - existing.size;
            await affected.upsertAffected(
              tx,
              known.map((r) => ({
                case_id: kase.id,
                customer_id: ids.get(r.externalId)!,
                impact: r.impact,
                line: r.line,
              })),
            );
          });
          return { duplicates, rejected };
        },
      },
      summary,
    );
  } finally {
    await rejects?.close();
    summary.durationMs = Date.now() - started;
    summary.listSize = await affected.countAffectedList(db, kase.id);
    await db.transaction().execute((tx) =>
      appendAudit(tx, dialect, actor, {
        action: 'affected.import',
        objectType: 'case',
        objectId: kase.id,
        details: {
          source: options.source,
          total: summary.total,
          added: summary.added,
          updated: summary.updated,
          duplicates: summary.duplicates,
          rejected: summary.rejected,
        },
      }),
    );
  }
  return summary;
}

/** Empties the uploaded affected list of a case (before it is frozen). */
export async function clearAffected(
  actor: Actor,
  caseRef: string | number,
  deps: { database: Database },
): Promise<number> {
  authorize(actor, 'affected:write');
  const { db, dialect } = deps.database;
  return db.transaction().execute(async (tx) => {
    const kase = await requireCase(tx, caseRef);
    if (kase.frozen_at) throw new ConflictError(`the affected set of ${kase.reference} is frozen`);
    const removed = await affected.clearAffected(tx, kase.id);
    await updateCase(tx, kase.id, { updated_at: nowIso() });
    await appendAudit(tx, dialect, actor, {
      action: 'affected.clear',
      objectType: 'case',
      objectId: kase.id,
      details: { removed },
    });
    return removed;
  });
}

/** A compiled filter for the store, or null when the case has none. */
export function filterOf(
  kase: { affected_filter: string | null },
  dialect: Dialect,
): CustomerWhere | null {
  if (!kase.affected_filter) return null;
  const ast = parseFilter(kase.affected_filter);
  return (eb) => customerFilterExpression(eb, ast, dialect);
}

/** Sets (or, with null, removes) the filter that adds customers to the affected set. */
export async function setAffectedFilter(
  actor: Actor,
  caseRef: string | number,
  filter: string | null,
  deps: { database: Database },
): Promise<{ filter: string | null; canonical: string | null }> {
  authorize(actor, 'affected:write');
  // Parse first: a syntax error names its position and nothing is stored.
  const ast = filter === null || filter.trim() === '' ? null : parseFilter(filter);
  const { db, dialect } = deps.database;
  return db.transaction().execute(async (tx) => {
    const kase = await requireCase(tx, caseRef);
    if (kase.frozen_at) throw new ConflictError(`the affected set of ${kase.reference} is frozen`);
    const text = ast ? filter!.trim() : null;
    await updateCase(tx, kase.id, { affected_filter: text, updated_at: nowIso() });
    await appendAudit(tx, dialect, actor, {
      action: 'affected.filter',
      objectType: 'case',
      objectId: kase.id,
      details: { filter: text, canonical: ast ? describeFilter(ast) : null },
    });
    return { filter: text, canonical: ast ? describeFilter(ast) : null };
  });
}

/** The affected set at a glance: how many, how many unreachable by email, and a sample. */
export interface AffectedPreview {
  caseId: number;
  frozen: boolean;
  filter: string | null;
  listSize: number;
  total: number;
  withoutEmail: number;
  sample: {
    externalId: string;
    name: string | null;
    email: string | null;
    language: string;
    impact: Record<string, unknown>;
    attributes: Record<string, unknown>;
  }[];
}

/** Counts the affected set (list ∪ filter) and shows a sample with each recipient's variables. */
export async function previewAffected(
  actor: Actor,
  caseRef: string | number,
  options: { sample?: number },
  deps: { database: Database },
): Promise<AffectedPreview> {
  authorize(actor, 'cases:read');
  const { db, dialect } = deps.database;
  const kase = await requireCase(db, caseRef);
  const limit = Math.min(Math.max(options.sample ?? 10, 0), 100);
  if (kase.frozen_at) {
    const frozen = await countFrozenRecipients(db, kase.id);
    const sample = await sampleFrozenRecipients(db, kase.id, limit);
    return {
      caseId: kase.id,
      frozen: true,
      filter: kase.affected_filter,
      listSize: await affected.countAffectedList(db, kase.id),
      total: frozen.total,
      withoutEmail: frozen.withoutEmail,
      sample: sample.map((r) => ({
        externalId: r.external_id,
        name: r.name,
        email: r.email,
        language: r.language,
        impact: readFactsObject(r.impact),
        attributes: readFactsObject(r.attributes),
      })),
    };
  }
  const filter = filterOf(kase, dialect);
  const [counts, sample, listSize] = await Promise.all([
    affected.countAffectedSet(db, kase.id, filter),
    affected.sampleAffectedSet(db, kase.id, filter, limit),
    affected.countAffectedList(db, kase.id),
  ]);
  return {
    caseId: kase.id,
    frozen: false,
    filter: kase.affected_filter,
    listSize,
    ...counts,
    sample: sample.map((r) => ({
      externalId: r.external_id,
      name: r.name,
      email: r.email,
      language: r.language,
      impact: readFactsObject(r.impact),
      attributes: readFactsObject(r.attributes),
    })),
  };
}
