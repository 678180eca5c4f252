import { z } from 'zod';
import type { RowProblem } from '../../domain/customer.js';
import type { RecordSource, SourceRecord } from '../../ingest/record-source.js';
import type { RejectsWriter } from './rejects-writer.js';

/** Report entries kept in memory; a rejects file always has all of them. */
export const REPORT_LIMIT = 10_000;

export const rejectEntrySchema = z.object({
  line: z.number(),
  field: z.string(),
  reason: z.string(),
});
export type RejectEntry = z.infer<typeof rejectEntrySchema>;

export const duplicateEntrySchema = z.object({
  line: z.number(),
  previousLine: z.number(),
  externalId: z.string(),
});
export type DuplicateEntry = z.infer<typeof duplicateEntrySchema>;

/** What every line-oriented import reports: total = written + duplicates + rejected. */
export const importTallySchema = z.object({
  total: z.number(),
  duplicates: z.number(),
  rejected: z.number(),
  rejects: z.array(rejectEntrySchema),
  duplicateLines: z.array(duplicateEntrySchema),
  /** Report entries left out of `rejects`/`duplicateLines` beyond the in-memory limit. */
  omitted: z.number(),
});
export type ImportTally = z.infer<typeof importTallySchema>;

/** A fresh, zeroed tally. */
export function emptyTally(): ImportTally {
  return { total: 0, duplicates: 0, rejected: 0, rejects: [], duplicateLines: [], omitted: 0 };
}

/** What a batch write reports back to the loop. */
export interface BatchResult {
  duplicates: DuplicateEntry[];
  rejected?: { record: SourceRecord; problems: RowProblem[] }[];
}

export type ParsedRecord = Exclude<SourceRecord, { kind: 'error' }>;

/** How one kind of import validates and writes its rows. */
export interface RowImport<T extends { line: number }> {
  validate(record: ParsedRecord): { ok: T } | { problems: RowProblem[] };
  /** The row's identity within the file; a later row with the same key wins. */
  key(row: T): string;
  batchSize: number;
  /**
   * Writes one batch (keys distinct). Returns rows that repeat a key of an earlier batch, and
   * rows refused only at write time (say, an unknown customer) with their source record.
   */
  write(rows: T[]): Promise<BatchResult>;
  rejects?: RejectsWriter | null;
  onProgress?: (rows: number) => void;
}

/**
 * The shared loop of every import: never stops at a bad row, reports each with its line,
 * folds repeated keys (the later line wins), and writes one batch while parsing the next,
 * never more than one in flight so memory stays flat. Mutates `tally` as it goes, so the
 * caller still has the counts when a write fails midway.
 */
export async function runImport<T extends { line: number }>(
  source: RecordSource,
  spec: RowImport<T>,
  tally: ImportTally,
): Promise<void> {
  const note = <E>(list: E[], entry: E) => {
    if (list.length < REPORT_LIMIT) list.push(entry);
    else tally.omitted++;
  };
  const reject = async (record: SourceRecord, problems: RowProblem[]) => {
    tally.rejected++;
    const entry = {
      line: record.line,
      field: problems.map((p) => p.field).join(', '),
      reason: problems
        .map((p) => (problems.length > 1 ? `${p.field}: ${p.reason}` : p.reason))
        .join('; '),
    };
    note(tally.rejects, entry);
    await spec.rejects?.write(record, entry.reason);
  };
  const duplicate = (d: DuplicateEntry) => {
    tally.duplicates++;
    note(tally.duplicateLines, d);
  };

  let batch = new Map<string, T>();
  let inFlight: Promise<void> | null = null;
  const flush = async () => {
    if (inFlight) await inFlight;
    inFlight = null;
    if (batch.size === 0) return;
    const rows = [...batch.values()];
    const rowsSoFar = tally.total;
    batch = new Map();
    inFlight = spec.write(rows).then(async (result) => {
      for (const d of result.duplicates) duplicate(d);
      for (const r of result.rejected ?? []) await reject(r.record, r.problems);
      spec.onProgress?.(rowsSoFar);
    });
    // Surfaced at the next flush, not as an unhandled rejection.
    inFlight.catch(() => undefined);
  };
  try {
    for await (const records of source.records) {
      for (const record of records) {
        tally.total++;
        if (record.kind === 'error') {
          const field = record.column ? `column ${record.column}` : '(row)';
          await reject(record, [{ field, reason: record.reason }]);
          continue;
        }
        const result = spec.validate(record);
        if ('problems' in result) {
          await reject(record, result.problems);
          continue;
        }
        const row = result.ok;
        const key = spec.key(row);
        const earlier = batch.get(key);
        if (earlier) {
          duplicate({ line: row.line, previousLine: earlier.line, externalId: key });
          batch.delete(key);
        }
        batch.set(key, row);
        if (batch.size >= spec.batchSize) await flush();
      }
    }
    await flush();
    await flush();
  } catch (error) {
    await Promise.resolve(inFlight).catch(() => undefined);
    throw error;
  }
}
