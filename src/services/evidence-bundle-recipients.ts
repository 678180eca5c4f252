/**
 * The per-recipient completion part of the evidence bundle: who acknowledged the notice and
 * who completed the remedy, and when. Kept on its own so that per-remedy completions
 * (`remedy_completions`) can be added here as extra columns or a second file.
 */
import { RECIPIENT_CSV_COLUMNS } from '../domain/evidence-bundle.js';
import { csvRecord } from '../ingest/csv-writer.js';
import { listRecipientPage } from '../store/evidence.repository.js';
import type { Executor } from '../store/executor.js';
import type { BundleZipWriter } from './evidence-bundle-zip.js';

/** Writes recipients.csv, streamed in keyset pages; returns the number of recipients. */
export async function writeRecipientCompletions(
  writer: BundleZipWriter,
  db: Executor,
  caseId: number,
  pageSize: number,
): Promise<number> {
  let count = 0;
  async function* rows(): AsyncGenerator<string> {
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
      count += page.length;
      if (text) yield text;
      if (page.length < pageSize) break;
      after = page[page.length - 1]!.customer_id;
    }
  }
  await writer.addStream('recipients.csv', rows());
  return count;
}
