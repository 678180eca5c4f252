/**
 * A small structured document (title, sections, paragraphs, lists, tables) as the domain
 * describes it: reports and the breach register build one, `channels/letters/pdf-document.ts`
 * renders it to PDF.
 */

export interface PdfTableColumn {
  header: string;
  /** Relative width (weights are normalised over the columns); default 1. */
  width?: number;
  align?: 'left' | 'right';
}

export type PdfBlock =
  | { type: 'heading'; text: string }
  | { type: 'paragraph'; text: string; style?: 'normal' | 'muted' | 'italic' | 'bold' }
  | { type: 'bullets'; items: readonly string[] }
  | { type: 'keyValue'; rows: readonly { key: string; value: string }[] }
  | {
      type: 'table';
      columns: readonly PdfTableColumn[];
      rows: readonly (readonly string[])[];
      /** Shown in place of the rows when there are none. */
      emptyText?: string;
    }
  | { type: 'pageBreak' };

export interface PdfSection {
  heading?: string;
  blocks: readonly PdfBlock[];
}

export interface PdfDocumentSpec {
  title: string;
  subtitle?: string;
  /** Small lines under the title: reference, version, status, date… */
  meta?: readonly string[];
  author: string;
  /** Fixed creation date (ISO string or Date): part of the output, keeps it reproducible. */
  createdAt: string | Date;
  subject?: string;
  keywords?: string;
  /** Language of the footer ("page x of y" / "pagina x van y") and the PDF's /Lang. */
  locale?: 'nl' | 'en';
  /** Left part of every footer; defaults to the title. */
  footer?: string;
  orientation?: 'portrait' | 'landscape';
  sections: readonly PdfSection[];
}
