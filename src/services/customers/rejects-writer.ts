import { once } from 'node:events';
import type { Writable } from 'node:stream';
import { csvRecord } from '../../ingest/csv-writer.js';
import type { RecordSource } from '../../ingest/record-source.js';
import type { SourceRecord } from '../../ingest/source-record.js';

/**
 * The extra column a rejects file carries, so whoever fixes the rows sees why each was
 * refused. The importer ignores it, so the fixed file can be imported as it is.
 */
export const REJECT_REASON_COLUMN = 'candor_reject_reason';

/** Where rejected rows go: a file stream, or an HTTP response body. */
export type RejectsOutput = Writable;

/** Writes rejected records in the input's own format (CSV header + rows, or JSONL lines). */
export class RejectsWriter {
  private started = false;

  private readonly format: 'csv' | 'jsonl';
  private readonly headerRaw: string | null;
  private readonly delimiter: string | null;
  private readonly bom: boolean;

  /**
   * Takes the format of the source it mirrors. A Windows-1252 input came from a spreadsheet:
   * its rejects go back as UTF-8 with a BOM, which Excel reads correctly (without the BOM it
   * would show é as Ã©).
   */
  constructor(
    private readonly out: RejectsOutput,
    source: Pick<RecordSource, 'format' | 'headerRaw' | 'delimiter' | 'encoding'>,
  ) {
    this.format = source.format;
    this.headerRaw = source.headerRaw;
    this.delimiter = source.delimiter;
    this.bom = source.format === 'csv' && source.encoding === 'windows-1252';
  }

  /** Appends one rejected record with its reason. */
  async write(record: SourceRecord, reason: string): Promise<void> {
    let text: string;
    if (this.format === 'csv') {
      const delimiter = (this.delimiter ?? ',') as ',' | ';' | '\t';
      const reasonCell = csvRecord([reason], { delimiter }).slice(0, -1);
      text = '';
      if (!this.started && this.headerRaw !== null) {
        text += `${this.headerRaw}${delimiter}${REJECT_REASON_COLUMN}\n`;
      }
      text += `${record.raw}${delimiter}${reasonCell}\n`;
    } else {
      text =
        record.kind === 'jsonl'
          ? `${JSON.stringify({ ...record.value, [REJECT_REASON_COLUMN]: reason })}\n`
          : `${record.raw}\n`;
    }
    if (!this.started && this.bom) text = `\uFEFF${text}`;
    this.started = true;
    if (!this.out.write(text)) await once(this.out, 'drain');
  }

  /** Flushes and closes the output. */
  async close(): Promise<void> {
    if (this.out.writableEnded) return;
    this.out.end();
    await once(this.out, 'finish');
  }
}
