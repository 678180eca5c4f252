/**
 * The per-recipient completion part of the evidence bundle: who acknowledged the notice and
 * who completed the remedy, and when. recipients.csv has the case-wide state
 * (`case_recipients`); remedies.json and remedy-completions.csv have each remedy and, per
 * recipient, who confirmed it (customer, provider) and when it counted as done.
 */
import { RECIPIENT_CSV_COLUMNS } from '../../domain/evidence-bundle.js';
import { csvRecord } from '../../ingest/csv-writer.js';
import {
  listCaseRemedies,
  listCompletionPage,
  listRecipientPage,
} from '../../store/evidence.repository.js';
import type { Executor } from '../../store/executor.js';
import type { BundleZipWriter } from './evidence-bundle-zip.js';

/** The columns of remedy-completions.csv: one row per remedy and recipient with a confirmation. */
export const COMPLETION_CSV_COLUMNS = [
  'remedy_key',
  'recipient_id',
  'external_id',
  'customer_confirmed_at',
  'provider_confirmed_at',
  'completed_at',
  'updated_at',
] as const;

/**
 * Writes recipients.csv, remedies.json and remedy-completions.csv, each streamed in keyset
 * pages; returns how many recipients and completion rows were written.
 */
export async function writeRecipientCompletions(
  writer: BundleZipWriter,
  db: Executor,
  caseId: number,
  pageSize: number,
): Promise<{ recipients: number; completions: number }> {
  let recipients = 0;
  async function* recipientRows(): AsyncGenerator<string> {
    yield csvRecord(RECIPIENT_CSV_COLUMNS);
    let after = 0;
    for (;;) {
      const page = await listRecipientPage(db, caseId, after, pageSize);
      let text = '';
      for (const r of page) {
        text += csvRecord(
          [String(r.id), r.external_id, r.language, r.acknowledged_at, r.remedied_at],
          { neutraliseFormulas: true },
        );
      }
      recipients += page.length;
      if (text) yield text;
      if (page.length < pageSize) break;
      after = page[page.length - 1]!.customer_id;
    }
  }
  await writer.addStream('recipients.csv', recipientRows());

  const remedies = await listCaseRemedies(db, caseId);
  await writer.addFile(
    'remedies.json',
    `${JSON.stringify(
      remedies.map(({ remedy: m, texts }) => ({
        key: m.key,
        position: m.position,
        completion: m.completion,
        createdBy: m.created_by,
        createdAt: m.created_at,
        updatedAt: m.updated_at,
        retiredAt: m.retired_at,
        texts: texts.map((t) => ({
          language: t.language,
          title: t.title,
          instructions: t.instructions,
          updatedBy: t.updated_by,
          updatedAt: t.updated_at,
        })),
      })),
      null,
      2,
    )}\n`,
  );
  let completions = 0;
  async function* completionRows(): AsyncGenerator<string> {
    yield csvRecord(COMPLETION_CSV_COLUMNS);
    for (const { remedy } of remedies) {
      let after = 0;
      for (;;) {
        const page = await listCompletionPage(db, remedy.id, after, pageSize);
        let text = '';
        for (const c of page) {
          text += csvRecord(
            [
              remedy.key,
              String(c.recipient_id),
              c.external_id,
              c.customer_confirmed_at,
              c.provider_confirmed_at,
              c.completed_at,
              c.updated_at,
            ],
            { neutraliseFormulas: true },
          );
        }
        completions += page.length;
        if (text) yield text;
        if (page.length < pageSize) break;
        after = page[page.length - 1]!.recipient_id;
      }
    }
  }
  await writer.addStream('remedy-completions.csv', completionRows());
  return { recipients, completions };
}
