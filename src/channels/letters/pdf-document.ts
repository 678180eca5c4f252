/**
 * Renders a small structured document (title, sections, paragraphs, lists, key–value
 * tables, tables with repeated headers) to PDF with PDFKit's standard Helvetica fonts.
 *
 * Used for regulator reports, the breach register and the press statement. The output is
 * reproducible: CreationDate/ModDate come from the spec and PDFKit derives the file ID
 * from the document info, so the same spec gives the same bytes (tests and audit hashes
 * rely on that). Every string passes through `toWinAnsi`, so text outside the standard
 * fonts' character set is replaced instead of producing garbage.
 */
import PDFDocument from 'pdfkit';
import type {
  PdfBlock,
  PdfDocumentSpec,
  PdfSection,
  PdfTableColumn,
} from '../../domain/pdf-document-spec.js';
import { toWinAnsi } from './pdf-text-encoding.js';

export type { PdfBlock, PdfDocumentSpec, PdfSection, PdfTableColumn };

const MARGIN = 56;
const FOOTER_GAP = 22;
const BODY_SIZE = 10;
const TABLE_SIZE = 8.5;
const CELL_PAD = 4;
const TEXT_COLOR = '#1a1a1a';
const MUTED_COLOR = '#555555';
const RULE_COLOR = '#b8b8b8';
const HEADER_FILL = '#e8e8e8';

type Doc = PDFKit.PDFDocument;

/** Render the document; resolves with the complete PDF file. */
export function renderPdf(spec: PdfDocumentSpec): Promise<Buffer> {
  const createdAt = spec.createdAt instanceof Date ? spec.createdAt : new Date(spec.createdAt);
  if (Number.isNaN(createdAt.getTime())) {
    return Promise.reject(
      new TypeError(`createdAt is not a valid date: ${String(spec.createdAt)}`),
    );
  }
  const locale = spec.locale ?? 'en';
  const doc = new PDFDocument({
    size: 'A4',
    layout: spec.orientation ?? 'portrait',
    margins: { top: MARGIN, bottom: MARGIN, left: MARGIN, right: MARGIN },
    bufferPages: true,
    autoFirstPage: true,
    lang: locale === 'nl' ? 'nl-NL' : 'en-GB',
    displayTitle: true,
    info: {
      // Info strings are UTF-16 in the PDF: no need to narrow them to WinAnsi.
      Title: spec.title,
      Author: spec.author,
      // PDFKit hashes every info value for the file ID: absent keys must be left out, not undefined.
      ...(spec.subject === undefined ? {} : { Subject: spec.subject }),
      ...(spec.keywords === undefined ? {} : { Keywords: spec.keywords }),
      Creator: 'Candor',
      Producer: 'Candor (PDFKit)',
      CreationDate: createdAt,
      ModDate: createdAt,
    },
  });
  const chunks: Buffer[] = [];
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('data', (chunk: Buffer) => chunks.push(chunk));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  try {
    doc.fillColor(TEXT_COLOR);
    drawTitle(doc, spec);
    for (const section of spec.sections) drawSection(doc, section);
    drawFooters(doc, spec.footer ?? spec.title, locale);
    doc.end();
  } catch (error) {
    return Promise.reject(error instanceof Error ? error : new Error(String(error)));
  }
  return done;
}

function bodyWidth(doc: Doc): number {
  return doc.page.width - doc.page.margins.left - doc.page.margins.right;
}

function bottomLimit(doc: Doc): number {
  return doc.page.height - doc.page.margins.bottom;
}

/** Start a new page unless `height` points still fit below the cursor. */
function ensureSpace(doc: Doc, height: number): void {
  if (doc.y + height > bottomLimit(doc)) doc.addPage();
}

function drawTitle(doc: Doc, spec: PdfDocumentSpec): void {
  const x = doc.page.margins.left;
  const width = bodyWidth(doc);
  doc.font('Helvetica-Bold').fontSize(18).text(toWinAnsi(spec.title), x, doc.y, { width });
  if (spec.subtitle !== undefined && spec.subtitle !== '') {
    doc.moveDown(0.2).font('Helvetica').fontSize(12).text(toWinAnsi(spec.subtitle), { width });
  }
  if (spec.meta !== undefined && spec.meta.length > 0) {
    doc.moveDown(0.4).font('Helvetica').fontSize(9).fillColor(MUTED_COLOR);
    for (const line of spec.meta) doc.text(toWinAnsi(line), { width });
    doc.fillColor(TEXT_COLOR);
  }
  const ruleY = doc.y + 6;
  doc
    .moveTo(x, ruleY)
    .lineTo(x + width, ruleY)
    .lineWidth(0.8)
    .strokeColor(RULE_COLOR)
    .stroke();
  doc.y = ruleY + 10;
}

function drawSection(doc: Doc, section: PdfSection): void {
  if (section.heading !== undefined && section.heading !== '') {
    // Keep a heading with at least a few lines of what follows it.
    ensureSpace(doc, 60);
    doc.moveDown(0.5);
    doc
      .font('Helvetica-Bold')
      .fontSize(13)
      .text(toWinAnsi(section.heading), doc.page.margins.left, doc.y, { width: bodyWidth(doc) });
    doc.moveDown(0.3);
  }
  for (const block of section.blocks) drawBlock(doc, block);
}

function drawBlock(doc: Doc, block: PdfBlock): void {
  const x = doc.page.margins.left;
  const width = bodyWidth(doc);
  switch (block.type) {
    case 'heading':
      ensureSpace(doc, 45);
      doc.moveDown(0.3).font('Helvetica-Bold').fontSize(11);
      doc.text(toWinAnsi(block.text), x, doc.y, { width });
      doc.moveDown(0.2);
      return;
    case 'paragraph': {
      const style = block.style ?? 'normal';
      const font =
        style === 'italic'
          ? 'Helvetica-Oblique'
          : style === 'bold'
            ? 'Helvetica-Bold'
            : 'Helvetica';
      doc.font(font).fontSize(BODY_SIZE);
      if (style === 'muted') doc.fillColor(MUTED_COLOR);
      ensureSpace(doc, doc.currentLineHeight(true));
      doc.text(toWinAnsi(block.text), x, doc.y, { width, lineGap: 1.5 });
      doc.fillColor(TEXT_COLOR).moveDown(0.5);
      return;
    }
    case 'bullets':
      doc.font('Helvetica').fontSize(BODY_SIZE);
      for (const item of block.items) {
        ensureSpace(doc, doc.currentLineHeight(true));
        const y = doc.y;
        doc.text('\u2022', x + 4, y, { width: 10, lineBreak: false });
        doc.text(toWinAnsi(item), x + 16, y, { width: width - 16, lineGap: 1.5 });
        doc.moveDown(0.15);
      }
      doc.x = x;
      doc.moveDown(0.35);
      return;
    case 'keyValue':
      drawGrid(
        doc,
        [
          { header: '', width: 3 },
          { header: '', width: 7 },
        ],
        block.rows.map((row) => [row.key, row.value]),
        { header: false, boldFirstColumn: true },
      );
      return;
    case 'table':
      if (block.rows.length === 0 && block.emptyText !== undefined) {
        drawBlock(doc, { type: 'paragraph', text: block.emptyText, style: 'muted' });
        return;
      }
      drawGrid(doc, block.columns, block.rows, { header: true, boldFirstColumn: false });
      return;
    case 'pageBreak':
      doc.addPage();
      return;
  }
}

interface GridOptions {
  header: boolean;
  boldFirstColumn: boolean;
}

/** A table drawn row by row; a row that does not fit starts a new page with the header again. */
function drawGrid(
  doc: Doc,
  columns: readonly PdfTableColumn[],
  rows: readonly (readonly string[])[],
  options: GridOptions,
): void {
  if (columns.length === 0) return;
  const x0 = doc.page.margins.left;
  const total = bodyWidth(doc);
  const weights = columns.map((c) => (c.width !== undefined && c.width > 0 ? c.width : 1));
  const weightSum = weights.reduce((a, b) => a + b, 0);
  const widths = weights.map((w) => (total * w) / weightSum);
  const headerCells = columns.map((c) => toWinAnsi(c.header));

  const rowHeight = (cells: readonly string[], bold: (i: number) => boolean): number => {
    let height = 0;
    cells.forEach((cell, i) => {
      doc.font(bold(i) ? 'Helvetica-Bold' : 'Helvetica').fontSize(TABLE_SIZE);
      const h = doc.heightOfString(cell === '' ? ' ' : cell, { width: widths[i]! - 2 * CELL_PAD });
      height = Math.max(height, h);
    });
    return height + 2 * CELL_PAD;
  };

  const drawRow = (cells: readonly string[], y: number, height: number, header: boolean): void => {
    if (header) doc.rect(x0, y, total, height).fill(HEADER_FILL);
    let x = x0;
    cells.forEach((cell, i) => {
      const bold = header || (options.boldFirstColumn && i === 0);
      doc
        .fillColor(TEXT_COLOR)
        .font(bold ? 'Helvetica-Bold' : 'Helvetica')
        .fontSize(TABLE_SIZE);
      doc.text(cell, x + CELL_PAD, y + CELL_PAD, {
        width: widths[i]! - 2 * CELL_PAD,
        height: height - 2 * CELL_PAD,
        ellipsis: true,
        align: columns[i]?.align ?? 'left',
      });
      x += widths[i]!;
    });
    doc
      .moveTo(x0, y + height)
      .lineTo(x0 + total, y + height)
      .lineWidth(0.4)
      .strokeColor(RULE_COLOR)
      .stroke();
  };

  const headerBold = (): boolean => true;
  const drawHeader = (): void => {
    if (!options.header) return;
    const h = rowHeight(headerCells, headerBold);
    drawRow(headerCells, doc.y, h, true);
    doc.y += h;
  };

  doc.moveDown(0.2);
  const firstRow = rows[0];
  const headerHeight = options.header ? rowHeight(headerCells, headerBold) : 0;
  const firstHeight =
    firstRow === undefined ? 0 : rowHeight(normaliseCells(firstRow, columns.length), () => false);
  ensureSpace(doc, headerHeight + Math.min(firstHeight, 120));
  drawHeader();
  for (const raw of rows) {
    const cells = normaliseCells(raw, columns.length);
    const bold = (i: number): boolean => options.boldFirstColumn && i === 0;
    const maxBody = bottomLimit(doc) - doc.page.margins.top - headerHeight;
    // A row taller than a whole page is cut off with an ellipsis rather than overflowing.
    const height = Math.min(rowHeight(cells, bold), maxBody);
    if (doc.y + height > bottomLimit(doc)) {
      doc.addPage();
      drawHeader();
    }
    const y = doc.y;
    drawRow(cells, y, height, false);
    doc.y = y + height;
  }
  doc.x = x0;
  doc.fillColor(TEXT_COLOR);
  doc.moveDown(0.6);
}

function normaliseCells(cells: readonly string[], count: number): string[] {
  const out: string[] = [];
  for (let i = 0; i < count; i++) out.push(toWinAnsi(cells[i] ?? ''));
  return out;
}

function drawFooters(doc: Doc, footerText: string, locale: 'nl' | 'en'): void {
  const range = doc.bufferedPageRange();
  const total = range.count;
  for (let i = 0; i < total; i++) {
    doc.switchToPage(range.start + i);
    const page = doc.page;
    // Writing below the bottom margin would make PDFKit start a new page: lift it for the footer.
    const bottom = page.margins.bottom;
    page.margins.bottom = 0;
    const y = page.height - bottom + FOOTER_GAP;
    const width = page.width - page.margins.left - page.margins.right;
    const label = locale === 'nl' ? `pagina ${i + 1} van ${total}` : `page ${i + 1} of ${total}`;
    doc.font('Helvetica').fontSize(8).fillColor(MUTED_COLOR);
    doc.text(toWinAnsi(footerText), page.margins.left, y, {
      width: width * 0.75,
      lineBreak: false,
      ellipsis: true,
      height: 10,
    });
    doc.text(label, page.margins.left, y, { width, align: 'right', lineBreak: false });
    page.margins.bottom = bottom;
  }
  doc.fillColor(TEXT_COLOR);
}
