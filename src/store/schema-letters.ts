import type { Generated, Selectable } from 'kysely';
import type { LetterBatchState } from '../domain/letters/letter-batch.js';

/** One PDF for the print house: letters of one dispatch, printed → posted. */
export interface LetterBatchesTable {
  id: Generated<number>;
  case_id: number;
  dispatch_id: number;
  state: LetterBatchState;
  letters: number;
  pages: number;
  /** Hashes of the PDF and manifest as built: a download made again must match them. */
  pdf_sha256: string;
  manifest_sha256: string;
  created_by: string;
  created_at: string;
  posted_by: string | null;
  posted_at: string | null;
}

/** A letter's place in its batch: its number and pages in the merged PDF. */
export interface LetterBatchItemsTable {
  batch_id: number;
  letter_number: number;
  delivery_id: number;
  first_page: number;
  pages: number;
}

export interface LetterTables {
  letter_batches: LetterBatchesTable;
  letter_batch_items: LetterBatchItemsTable;
}

export type LetterBatchRow = Selectable<LetterBatchesTable>;
