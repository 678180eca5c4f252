import { z } from 'zod';
import { authorize, type Actor } from '../../domain/access.js';
import { ValidationError } from '../../domain/errors.js';
import type { CustomerUpsert } from '../../domain/customer.js';
import {
  mapHeader,
  validateCsvCustomer,
  validateJsonCustomer,
  type ColumnMap,
} from '../../domain/customer-record.js';
import type { Language } from '../../config.js';
import { openRecords, type OpenRecordsOptions } from '../../ingest/record-source.js';
import { UnreadableFileError } from '../../ingest/ingest-errors.js';
import type { Database } from '../../store/database.js';
import {
  postgresCustomerWriter,
  sqliteCustomerWriter,
  type CustomerBulkWriter,
} from '../../store/customer-bulk.repository.js';
import {
  finishCustomerImport,
  insertCustomerImport,
} from '../../store/customer-import.repository.js';
import { appendAudit } from '../access/audit.service.js';
import { emptyTally, importTallySchema, runImport } from './import-runner.js';
import { RejectsWriter, REJECT_REASON_COLUMN, type RejectsOutput } from './rejects-writer.js';

export interface ImportOptions extends OpenRecordsOptions {
  dryRun?: boolean;
  /** Where the file came from (file name, "api"), for the import history and audit log. */
  source: string;
  rejects?: RejectsOutput;
  onProgress?: (progress: ImportProgress) => void;
}

export interface ImportProgress {
  rows: number;
  bytes: number;
}

export type { DuplicateEntry, RejectEntry } from './import-runner.js';

/** The import's summary: total = inserted + updated + duplicates + rejected, always. */
export const importSummarySchema = importTallySchema.extend({
  importId: z.number().nullable(),
  dryRun: z.boolean(),
  format: z.enum(['csv', 'jsonl']),
  encoding: z.string(),
  delimiter: z.string().nullable(),
  inserted: z.number(),
  updated: z.number(),
  durationMs: z.number(),
});
export type ImportSummary = z.infer<typeof importSummarySchema>;

export interface ImportDeps {
  database: Database;
  defaultLanguage: Language;
}

/**
 * Streams a customer file into the registry: never stops at a bad row, upserts by
 * external_id, reports every rejected row with its line. Throws ValidationError before
 * writing anything when the input is not a usable CSV/JSONL customer file.
 */
export async function importCustomers(
  actor: Actor,
  input: AsyncIterable<Buffer | Uint8Array | string>,
  options: ImportOptions,
  deps: ImportDeps,
): Promise<ImportSummary> {
  authorize(actor, 'customers:import');
  const started = Date.now();
  let bytes = 0;
  const counted = countBytes(input, (n) => (bytes += n));
  let source;
  try {
    source = await openRecords(counted, options);
  } catch (error) {
    if (error instanceof UnreadableFileError) throw new ValidationError(error.message);
    throw error;
  }
  let columns: ColumnMap | null = null;
  if (source.format === 'csv') {
    // A fixed rejects file keeps its reason column: skip it, but every row still has the cell.
    const mapped = mapHeader(source.header ?? [], { ignore: [REJECT_REASON_COLUMN] });
    if ('problems' in mapped) {
      throw new ValidationError(`not a usable customer file: ${mapped.problems.join('; ')}`);
    }
    columns = mapped;
  }

  const dryRun = options.dryRun ?? false;
  const { db, dialect } = deps.database;
  const summary: ImportSummary = {
    importId: null,
    dryRun,
    format: source.format,
    encoding: source.encoding,
    delimiter: source.delimiter,
    ...emptyTally(),
    inserted: 0,
    updated: 0,
    durationMs: 0,
  };
  // A dry run leaves no trace, so its id only needs to be unique among in-flight imports.
  const importId = dryRun
    ? -Math.floor(Math.random() * 2 ** 31)
    : await insertCustomerImport(db, {
        actor: actor.name,
        source: options.source,
        format: source.format,
        encoding: source.encoding,
        delimiter: source.delimiter,
        dry_run: 0,
        status: 'running',
        started_at: new Date(started).toISOString(),
      });
  if (!dryRun) summary.importId = importId;
  const writerOptions = { importId, defaultLanguage: deps.defaultLanguage, dryRun };
  const writer: CustomerBulkWriter =
    deps.database.dialect === 'sqlite'
      ? await sqliteCustomerWriter(deps.database.sqlite, db, writerOptions)
      : await postgresCustomerWriter(deps.database.pool, writerOptions);
  const rejects = options.rejects ? new RejectsWriter(options.rejects, source) : null;

  let failure: unknown = null;
  try {
    await runImport<CustomerUpsert>(
      source,
      {
        validate: (record) =>
          record.kind === 'csv'
            ? validateCsvCustomer(record.line, record.fields, columns!)
            : validateJsonCustomer(record.line, withoutReason(record.value)),
        key: (row) => row.externalId,
        batchSize: writer.batchSize,
        rejects,
        onProgress: (rows) => options.onProgress?.({ rows, bytes }),
        write: async (rows) => {
          const outcome = await writer.writeBatch(rows);
          summary.inserted += outcome.inserted;
          summary.updated += outcome.updated;
          return { duplicates: outcome.duplicates };
        },
      },
      summary,
    );
    await writer.finish();
  } catch (error) {
    failure = error;
    await writer.abort();
  } finally {
    await rejects?.close();
  }
  summary.durationMs = Date.now() - started;
  if (!dryRun) {
    await db.transaction().execute(async (tx) => {
      await finishCustomerImport(tx, importId, {
        status: failure ? 'failed' : 'completed',
        finished_at: new Date().toISOString(),
        total: summary.total,
        inserted: summary.inserted,
        updated: summary.updated,
        duplicates: summary.duplicates,
        rejected: summary.rejected,
        error: failure ? describe(failure) : null,
      });
      await appendAudit(tx, dialect, actor, {
        action: failure ? 'customers.import.failed' : 'customers.import',
        objectType: 'customer_import',
        objectId: importId,
        details: {
          source: options.source,
          total: summary.total,
          inserted: summary.inserted,
          updated: summary.updated,
          duplicates: summary.duplicates,
          rejected: summary.rejected,
        },
      });
    });
  }
  if (failure) throw failure instanceof Error ? failure : new Error(describe(failure));
  return summary;
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : JSON.stringify(error);
}

function withoutReason(value: Record<string, unknown>): Record<string, unknown> {
  if (!(REJECT_REASON_COLUMN in value)) return value;
  const { [REJECT_REASON_COLUMN]: _ignored, ...rest } = value;
  return rest;
}

async function* countBytes(
  input: AsyncIterable<Buffer | Uint8Array | string>,
  add: (n: number) => void,
): AsyncIterable<Buffer | Uint8Array | string> {
  for await (const chunk of input) {
    add(typeof chunk === 'string' ? Buffer.byteLength(chunk) : chunk.byteLength);
    yield chunk;
  }
}
