import { authorize, type Actor } from '../../domain/access.js';
import { normaliseColumnName } from '../../domain/customer.js';
import { ValidationError } from '../../domain/errors.js';
import {
  openRecords,
  UnreadableFileError,
  type OpenRecordsOptions,
  type SourceRecord,
} from '../../ingest/record-source.js';
import type { Database } from '../../store/database.js';
import { nowIso } from '../../store/executor.js';
import { findRecipientIds } from '../../store/remedy.repository.js';
import {
  emptyTally,
  runImport,
  type ImportTally,
  type ParsedRecord,
} from '../customers/import-runner.js';
import {
  addStep,
  applyConfirmations,
  auditConfirmations,
  CONFIRM_BATCH,
  emptySummary,
  providerTarget,
  type ConfirmationSummary,
} from './remedy-confirmation.service.js';

/** A confirmations file's outcome: the request's counts plus the importer's line report. */
export interface ConfirmationFileSummary extends ImportTally {
  result: ConfirmationSummary;
}

type Row = { line: number; externalId: string; record: SourceRecord };

/** Which CSV column holds the external id (the header names it; a one-column file may not). */
function externalIdColumn(header: readonly string[]): number {
  const index = header.findIndex((h) => normaliseColumnName(h) === 'external_id');
  if (index >= 0) return index;
  throw new ValidationError(
    `no external_id column in the header (found: ${header.join(', ') || 'nothing'})`,
  );
}

function validate(
  record: ParsedRecord,
  column: number,
  width: number,
): { ok: Row } | { problems: { field: string; reason: string }[] } {
  if (record.kind === 'csv' && record.fields.length !== width)
    return {
      problems: [
        {
          field: '(row)',
          reason: `expected ${width} fields as in the header, found ${record.fields.length}`,
        },
      ],
    };
  const value =
    record.kind === 'csv'
      ? record.fields[column]
      : (record.value['external_id'] ?? record.value['externalId']);
  if (typeof value !== 'string' || value.trim() === '')
    return { problems: [{ field: 'external_id', reason: 'missing or empty' }] };
  return { ok: { line: record.line, externalId: value.trim(), record } };
}

/**
 * Provider confirmations (or withdrawals) from a CSV or JSONL file, with the importer's
 * robustness: encoding, BOM and delimiter detected, a bad or unknown line reported with its
 * number while the good ones go through, repeats folded. Each batch commits on its own (a file
 * may hold millions); the audit entry with the counts is written once at the end.
 */
export async function confirmRemedyFromFile(
  actor: Actor,
  caseRef: string | number,
  key: string,
  input: AsyncIterable<Buffer | Uint8Array | string>,
  options: OpenRecordsOptions & { withdraw?: boolean; source: string },
  deps: { database: Database },
): Promise<ConfirmationFileSummary> {
  authorize(actor, 'remedies:confirm');
  const started = Date.now();
  const { db, dialect } = deps.database;
  const action = options.withdraw ? 'withdraw' : 'confirm';
  const target = await providerTarget(db, actor, caseRef, key, action, nowIso());
  let source;
  try {
    source = await openRecords(input, options);
  } catch (error) {
    if (error instanceof UnreadableFileError) throw new ValidationError(error.message);
    throw error;
  }
  const column = source.header ? externalIdColumn(source.header) : -1;
  const summary: ConfirmationFileSummary = { ...emptyTally(), result: emptySummary(target, 0) };
  try {
    await runImport<Row>(
      source,
      {
        validate: (record) => validate(record, column, source.header?.length ?? 0),
        key: (row) => row.externalId,
        batchSize: CONFIRM_BATCH,
        write: (rows) =>
          db.transaction().execute(async (tx) => {
            const known = await findRecipientIds(
              tx,
              dialect,
              Number(target.kase.id),
              rows.map((r) => r.externalId),
            );
            const step = await applyConfirmations(tx, dialect, target, [...known.values()]);
            addStep(summary.result, step);
            const unknown = rows.filter((r) => !known.has(r.externalId));
            return {
              duplicates: [],
              rejected: unknown.map((r) => ({
                record: r.record,
                problems: [
                  {
                    field: 'external_id',
                    reason: `${JSON.stringify(r.externalId)} is not a recipient of ${target.kase.reference}`,
                  },
                ],
              })),
            };
          }),
      },
      summary,
    );
  } finally {
    const r = summary.result;
    r.received = summary.total;
    r.duplicates = summary.duplicates;
    r.durationMs = Date.now() - started;
    await db.transaction().execute((tx) =>
      auditConfirmations(tx, dialect, actor, r, `file:${options.source}`, {
        lines: summary.total,
        rejected: summary.rejected,
      }),
    );
  }
  return summary;
}
