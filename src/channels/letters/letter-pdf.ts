/**
 * Personal letters for a print house: many letters in one merged A4 PDF, the address in the
 * window of DIN 5008 form B (address field 85 × 45 mm, 20 mm from the left, 45 mm from the
 * top), so it shows through a DL or C5 window envelope.
 *
 * Why PDFKit with its standard fonts, one document per batch, and these shortcuts — measured on
 * this 2-core machine while other work ran on it (load 3–19, so wall rates swing; CPU time per
 * letter is the steadier figure). "Our writer", src/channels/letters/pdf-document.ts, is itself
 * a PDFKit wrapper that makes one PDF per call (reports, the press statement): it is not a
 * faster engine — in one bench run (load 15) it made a lighter one-page text without QR code
 * at 102–107 letters/s while the whole letter path made two-page letters at 113–129 — and a
 * print house wants one merged file, which would then need a PDF merger on top. So: PDFKit
 * directly, the whole batch one document (merged by construction). PDF part: 1,000 synthetic
 * one-page letters; whole service: the bench's 5,000 two-page letters of the built-in notice.
 *
 * | variant                                                            | measured                |
 * |--------------------------------------------------------------------|-------------------------|
 * | one document per batch, QR drawn with PDFKit `rect` per run         | 298–349 letters/s wall  |
 * | `qrcode` choosing its mask (tries all eight), QR codes alone        | 0.7–1.2 ms per code     |
 * | `qrcode` with a fixed mask pattern, QR codes alone                  | 0.2 ms per code         |
 * | QR as one raw path, fixed mask (PDF part only)                      | 513–623 letters/CPU-s   |
 * | + word widths and encoded lines remembered per batch (PDF part)     | 757–1,056 letters/CPU-s |
 * | the same without compression                                        | +25 %, 6× the bytes     |
 * | whole service (select, deliveries, render, PDF, manifest, audit)    | 418–505 letters/CPU-s   |
 * | + content streams, remembered lines (pdf-typesetter.ts), QR grid   |                         |
 * |   formatted once, case remedies loaded once per build (2026-12-07) | 411–491 letters/CPU-s,  |
 * |   (an earlier run the same day, before these: 323–336/CPU-s)        | 524–602 letters/s wall  |
 *
 * Every QR mask pattern is valid and every reader decodes all eight, so we fix one (the tests
 * decode the codes with jsQR from a poppler rendering). Compression stays on (at zlib's fastest
 * level, see pdf-typesetter.ts): 3.4 MB instead of 20.8 MB per 1,000 letters is worth it. An embedded TrueType font would be
 * far slower per document than the standard fonts (WinAnsi, see pdf-text-encoding.ts). The
 * end-to-end figure is in `npm run bench` (docs/benchmarks.md).
 */
import PDFDocument from 'pdfkit';
import QRCode from 'qrcode';
import { toWinAnsi } from './pdf-text-encoding.js';
import { PdfTypesetter } from './pdf-typesetter.js';

/** Millimetres to PDF points. */
export const MM = 72 / 25.4;

/** DIN 5008 form B, in millimetres from the top-left corner of the page. */
export const ADDRESS_FIELD = { left: 20, top: 45, width: 85, height: 45 } as const;
/** Within the field: the first 17.7 mm are for the return address and remarks. */
const REMARK_ZONE = 17.7;
/** Text in the field starts 5 mm in (at 25 mm from the left edge, like the body). */
const FIELD_INSET = 5;
const PAGE_LEFT = 25;
const PAGE_RIGHT = 20;
const PAGE_TOP = 20;
const PAGE_BOTTOM = 22;
/** Form B: the body starts below the first fold. */
const BODY_TOP = 98.5;
const INFO_LEFT = 125;
const INFO_TOP = 50;
const QR_SIZE = 26;
/** Any of the eight masks is valid; a fixed one skips the penalty search (see above). */
const QR_MASK = 2;
const A4_WIDTH = 210;

const TEXT = '#111111';
const MUTED = '#555555';

/** What one letter says; every string is already in the recipient's language. */
export interface LetterContent {
  /** Address lines for the window, top to bottom. */
  address: readonly string[];
  subject: string;
  /** The approved notice rendered for this recipient, as plain text (see markdown-text.ts). */
  body: string;
  /** The "what you should do" part, as plain text; null to leave it out. */
  actions: { heading: string; text: string } | null;
  /** The case's remedies for this recipient, after the notice; null when the case has none. */
  remedies: LetterRemedies | null;
  personalUrl: string;
  referenceCode: string;
  labels: LetterLabels;
}

/** The remedies block: a heading and per remedy its title, state and instructions. */
export interface LetterRemedies {
  heading: string;
  items: readonly { title: string; state: string; text: string }[];
}

/** The fixed words of a letter, per language. */
export interface LetterLabels {
  date: string;
  dateValue: string;
  reference: string;
  referenceValue: string;
  code: string;
  personalPage: string;
  personalPageHint: string;
  verify: string;
  page: (n: number) => string;
}

/** The sender, printed at the top of every first page and as the return address. */
export interface Letterhead {
  name: string;
  /** Postal address lines. */
  address: readonly string[];
  website: string;
}

/** Where one letter landed in the merged PDF (1-based pages). */
export interface LetterPlacement {
  firstPage: number;
  pages: number;
}

type Doc = PDFKit.PDFDocument;
/** PDFKit's current font and size: the footer drawn at a page break must put them back. */
type FontState = { _font: unknown; _fontSize: number };

/** A merged PDF being written: add letters in order, then end it. */
export class LetterBatchPdf {
  private readonly doc: Doc;
  private readonly type: PdfTypesetter;
  private readonly done: Promise<Buffer>;
  private pageCount = 0;
  private footer: { code: string; labels: LetterLabels; page: number } | null = null;

  constructor(
    private readonly head: Letterhead,
    meta: { title: string; createdAt: Date },
  ) {
    this.doc = new PDFDocument({
      size: 'A4',
      autoFirstPage: false,
      compress: true,
      margins: {
        top: PAGE_TOP * MM,
        bottom: PAGE_BOTTOM * MM,
        left: PAGE_LEFT * MM,
        right: PAGE_RIGHT * MM,
      },
      info: {
        Title: meta.title,
        Author: head.name,
        Creator: 'Candor',
        Producer: 'Candor (PDFKit)',
        // Fixed dates make the same batch give the same bytes, so a download can be checked.
        CreationDate: meta.createdAt,
        ModDate: meta.createdAt,
      },
    });
    const chunks: Buffer[] = [];
    this.done = new Promise<Buffer>((resolve, reject) => {
      this.doc.on('data', (chunk: Buffer) => chunks.push(chunk));
      this.doc.on('end', () => resolve(Buffer.concat(chunks)));
      this.doc.on('error', reject);
    });
    this.type = new PdfTypesetter(this.doc, ['Helvetica', 'Helvetica-Bold', 'Courier']);
    this.doc.on('pageAdded', () => this.onPage());
  }

  /** Adds one letter on fresh pages; returns where it is. */
  add(letter: LetterContent): LetterPlacement {
    const first = this.pageCount + 1;
    this.footer = { code: letter.referenceCode, labels: letter.labels, page: 0 };
    this.doc.addPage();
    this.drawFirstPage(letter);
    return { firstPage: first, pages: this.pageCount - first + 1 };
  }

  /** Finishes the file. */
  end(): Promise<Buffer> {
    this.doc.end();
    return this.done;
  }

  private onPage(): void {
    this.pageCount += 1;
    this.type.pageAdded();
    const footer = this.footer;
    if (!footer) return;
    footer.page += 1;
    // Called in the middle of flowing text: draw, then restore what the text flow relies on.
    const doc = this.doc;
    const state = doc as unknown as FontState;
    const saved = { x: doc.x, y: doc.y, font: state._font, size: state._fontSize };
    const bottom = doc.page.margins.bottom;
    doc.page.margins.bottom = 0;
    doc.font('Helvetica').fontSize(7.5).fillColor(MUTED);
    const y = (297 - 13) * MM;
    const width = (A4_WIDTH - PAGE_LEFT - PAGE_RIGHT) * MM;
    this.type.oneLine(`${footer.labels.code}: ${footer.code}`, PAGE_LEFT * MM, y, width);
    const label = footer.labels.page(footer.page);
    this.type.oneLine(label, PAGE_LEFT * MM + width - doc.widthOfString(label), y, width);
    drawFoldMarks(doc);
    doc.page.margins.bottom = bottom;
    doc.fillColor(TEXT);
    state._font = saved.font;
    state._fontSize = saved.size;
    doc.x = saved.x;
    doc.y = saved.y;
  }

  private drawFirstPage(letter: LetterContent): void {
    const doc = this.doc;
    const left = PAGE_LEFT * MM;
    const width = (A4_WIDTH - PAGE_LEFT - PAGE_RIGHT) * MM;
    const head = this.head;

    doc.fillColor(TEXT).font('Helvetica-Bold').fontSize(15);
    this.type.oneLine(toWinAnsi(head.name), left, 16 * MM, width);
    const headLines = [...head.address, head.website].filter((l) => l !== '').map(toWinAnsi);
    if (headLines.length > 0) {
      doc.font('Helvetica').fontSize(8.5).fillColor(MUTED);
      this.type.oneLine(headLines.join('  |  '), left, 23 * MM, width);
    }

    // The window: a one-line return address in the remark zone, then the recipient.
    const fieldX = (ADDRESS_FIELD.left + FIELD_INSET) * MM;
    const fieldWidth = (ADDRESS_FIELD.width - FIELD_INSET - 2) * MM;
    const returnLine = toWinAnsi([head.name, ...head.address].join(', '));
    doc.font('Helvetica').fontSize(6.5).fillColor(MUTED);
    this.type.oneLine(returnLine, fieldX, (ADDRESS_FIELD.top + REMARK_ZONE - 5) * MM, fieldWidth);
    doc.font('Helvetica').fontSize(10).fillColor(TEXT);
    let y = (ADDRESS_FIELD.top + REMARK_ZONE + 1) * MM;
    for (const line of letter.address) {
      this.type.oneLine(toWinAnsi(line), fieldX, y, fieldWidth);
      y += 12;
    }

    // The information block (form B: 125 mm from the left, from 50 mm down) and the QR code.
    const infoX = INFO_LEFT * MM;
    const infoWidth = (A4_WIDTH - INFO_LEFT - PAGE_RIGHT) * MM;
    let infoY = INFO_TOP * MM;
    const info: [string, string][] = [
      [letter.labels.date, letter.labels.dateValue],
      [letter.labels.reference, letter.labels.referenceValue],
      [letter.labels.code, letter.referenceCode],
    ];
    for (const [label, value] of info) {
      doc.font('Helvetica').fontSize(7.5).fillColor(MUTED);
      this.type.oneLine(toWinAnsi(label), infoX, infoY, infoWidth);
      doc.font('Helvetica').fontSize(9.5).fillColor(TEXT);
      this.type.oneLine(toWinAnsi(value), infoX, infoY + 9, infoWidth);
      infoY += 24;
    }
    drawQr(doc, letter.personalUrl, infoX + (infoWidth - QR_SIZE * MM), INFO_TOP * MM, QR_SIZE);

    // The body, flowing onto more pages as needed.
    doc.x = left;
    doc.y = BODY_TOP * MM;
    doc.font('Helvetica-Bold').fontSize(11.5).fillColor(TEXT);
    this.type.flow(toWinAnsi(letter.subject), left, width);
    doc.moveDown(0.8);
    writeText(this.type, doc, letter.body, width);
    if (letter.remedies !== null && letter.remedies.items.length > 0) {
      doc.moveDown(0.4);
      // A heading or a title alone at the foot of a page helps nobody: keep it with a line.
      const keep = () => {
        if (doc.y + 48 > doc.page.height - doc.page.margins.bottom) doc.addPage();
      };
      keep();
      doc.font('Helvetica-Bold').fontSize(10.5);
      this.type.flow(toWinAnsi(letter.remedies.heading), left, width);
      doc.moveDown(0.3);
      letter.remedies.items.forEach((item, i) => {
        keep();
        doc.font('Helvetica-Bold').fontSize(10);
        this.type.flow(toWinAnsi(`${i + 1}. ${item.title} (${item.state})`), left, width);
        doc.moveDown(0.2);
        if (item.text !== '') writeText(this.type, doc, item.text, width);
        else doc.moveDown(0.3);
      });
    }
    if (letter.actions !== null && letter.actions.text.trim() !== '') {
      doc.moveDown(0.4);
      doc.font('Helvetica-Bold').fontSize(10.5);
      this.type.flow(toWinAnsi(letter.actions.heading), left, width);
      doc.moveDown(0.3);
      writeText(this.type, doc, letter.actions.text, width);
    }
    doc.moveDown(0.6);
    // Keep the link block together: a heading alone at the foot of a page helps nobody.
    if (doc.y + 72 > doc.page.height - doc.page.margins.bottom) doc.addPage();
    doc.font('Helvetica-Bold').fontSize(10);
    this.type.flow(toWinAnsi(letter.labels.personalPage), left, width);
    doc.font('Courier').fontSize(9.5);
    this.type.flow(letter.personalUrl, left, width);
    doc.font('Helvetica').fontSize(9).fillColor(MUTED);
    doc.moveDown(0.3);
    this.type.flow(toWinAnsi(letter.labels.personalPageHint), left, width);
    this.type.flow(toWinAnsi(letter.labels.verify), left, width);
    doc.fillColor(TEXT);
  }
}

/**
 * Plain text from the notice renderer: paragraphs separated by blank lines, headings
 * underlined with = or - (setext). Headings are set bold, the rest as paragraphs.
 */
function writeText(type: PdfTypesetter, doc: Doc, text: string, width: number): void {
  const left = PAGE_LEFT * MM;
  for (const block of text.split(/\n{2,}/)) {
    const lines = block.split('\n');
    const last = lines[lines.length - 1] ?? '';
    if (lines.length >= 2 && /^[=-]{3,}$/.test(last.trim())) {
      doc.font('Helvetica-Bold').fontSize(10);
      type.flow(toWinAnsi(lines.slice(0, -1).join(' ')), left, width);
      doc.moveDown(0.2);
      continue;
    }
    if (block.trim() === '') continue;
    doc.font('Helvetica').fontSize(9.5);
    type.flow(toWinAnsi(block), left, width, 1);
    doc.moveDown(0.45);
  }
}

/** Fold marks (105 and 210 mm) and the hole mark (148.5 mm) on the left edge. */
function drawFoldMarks(doc: Doc): void {
  doc.addContent(
    `q 0.6 G 0.4 w 4 ${105 * MM} m 14 ${105 * MM} l 4 ${210 * MM} m 14 ${210 * MM} l ` +
      `4 ${148.5 * MM} m 20 ${148.5 * MM} l S Q`,
  );
}

/**
 * The QR code of a URL as one path of filled runs (adjacent dark modules in a row merged),
 * written straight into the page's content: PDFKit's `rect` per module costs about as much as
 * the rest of the letter. PDFKit's page transform is already flipped (y grows downwards).
 */
function drawQr(doc: Doc, url: string, x: number, y: number, sizeMm: number): void {
  // One byte-mode segment: a URL gains nothing from qrcode's search for the cheapest mix of modes.
  const qr = QRCode.create([{ data: Buffer.from(url, 'utf8'), mode: 'byte' }], {
    errorCorrectionLevel: 'M',
    maskPattern: QR_MASK,
  });
  const count = qr.modules.size;
  const data = qr.modules.data;
  const at = qrGrid(x, y, sizeMm, count);
  const parts: string[] = ['q 0 g'];
  for (let row = 0; row < count; row++) {
    const rowY = at.ys[row]!;
    let col = 0;
    while (col < count) {
      if (!data[row * count + col]) {
        col++;
        continue;
      }
      let end = col;
      while (end < count && data[row * count + end]) end++;
      parts.push(`${at.xs[col]!} ${rowY} ${at.widths[end - col]!} ${at.size} re`);
      col = end;
    }
  }
  parts.push('f Q');
  doc.addContent(parts.join('\n'));
}

interface QrGrid {
  xs: string[];
  ys: string[];
  widths: string[];
  size: string;
}
const qrGrids = new Map<string, QrGrid>();

/**
 * The printed coordinates of a QR code's modules. Every letter of a batch puts its code at the
 * same place and nearly all have the same module count, so the numbers are formatted once: the
 * formatting per run cost as much as building the code.
 */
function qrGrid(x: number, y: number, sizeMm: number, count: number): QrGrid {
  const key = `${x} ${y} ${sizeMm} ${count}`;
  let grid = qrGrids.get(key);
  if (!grid) {
    // A quiet zone of four modules is part of the symbol's size on paper.
    const module = (sizeMm * MM) / (count + 8);
    const x0 = x + 4 * module;
    const y0 = y + 4 * module;
    const steps = Array.from({ length: count + 1 }, (_, i) => i);
    grid = {
      xs: steps.map((i) => (x0 + i * module).toFixed(2)),
      ys: steps.map((i) => (y0 + i * module).toFixed(2)),
      widths: steps.map((i) => (i * module).toFixed(2)),
      size: module.toFixed(2),
    };
    if (qrGrids.size >= 64) qrGrids.clear();
    qrGrids.set(key, grid);
  }
  return grid;
}
