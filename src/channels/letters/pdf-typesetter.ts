/**
 * Text setting for the merged letter PDF, on top of PDFKit: the shortcuts that make a batch of
 * letters cheap, each because the profile of the letters bench showed it. Measured on this
 * 2-core machine, 1,000 two-page letters through LetterBatchPdf (CPU time, best of 4 rounds):
 *
 * | variant                                                          | CPU per 1,000 letters |
 * |------------------------------------------------------------------|-----------------------|
 * | PDFKit as is (word widths and encodings remembered, see below)    | 1,430–1,590 ms        |
 * | + page content collected as strings, deflated once at level 1    | 1,295–1,480 ms        |
 * | + the lines of a paragraph remembered (wrap once per batch)      | 1,305–1,340 ms        |
 *
 * (The micro-measure swings ±15 % run to run; the letters bench, with 5,000 letters through the
 * whole service, went from 391 to 524–602 letters/s with these and the QR grid, see
 * docs/benchmarks.md.)
 *
 * Why these are safe:
 * - Word widths and encodings: a standard font's metrics never change, and PDFKit only reads
 *   what `encode` returns as long as the text is not justified (letters are set ragged-right).
 * - Content streams: PDFKit turns every operator line into its own byte array (a loop per
 *   character) and deflates at level 6; level 1 costs 11 % more bytes (5.0 instead of 4.5 KB a
 *   letter) for 8 % less CPU, and both levels are plain Flate any reader inflates.
 * - Remembered lines: the lines are the ones PDFKit's own LineWrapper makes for that text, font,
 *   size and width (it is asked once, without drawing), and each is drawn with PDFKit's own
 *   `_fragment`, so the page content is byte for byte what `doc.text` would write. Page breaks
 *   follow LineWrapper's rule: a line goes to a new page when it would end below the margin.
 *   The letters of one notice share nearly all their paragraphs, so most are wrapped once.
 */
import { deflateSync, constants as zlibConstants } from 'node:zlib';

type Doc = PDFKit.PDFDocument;

/** The parts of PDFKit's document that are not in its typings and that this file uses. */
interface DocInternals {
  _font: MeasuredFont & { id: string };
  _fontSize: number;
  _fillColor: unknown[] | null;
  _text(text: string, x: number, y: number, options: object, line: (line: string) => void): unknown;
  _fragment(text: string, x: number, y: number, options: object): void;
  fillColor(...color: unknown[]): Doc;
}

/** The part of a PDFKit standard font that line wrapping asks, word by word. */
interface MeasuredFont {
  widthOfString(text: string, size: number, features?: unknown): number;
  encode(text: string, features?: unknown): unknown;
}

/** The part of PDFKit's PDFReference a page's content stream goes through. */
interface ContentRef {
  compress: boolean;
  data: { Filter?: string };
  buffer: Uint8Array[];
  write(chunk: string | Uint8Array): void;
  finalize(): void;
}

/** Bounded: personal words and lines (names, links) would otherwise grow the caches per letter. */
const MAX_WORDS = 50_000;
const MAX_LINES = 20_000;
const MAX_PARAGRAPHS = 5_000;

/** Sets text into one PDFKit document; one per batch, so its caches live as long as the batch. */
export class PdfTypesetter {
  private readonly internals: DocInternals;
  private paragraphs = new Map<string, readonly string[]>();

  constructor(
    private readonly doc: Doc,
    fonts: readonly string[],
  ) {
    this.internals = doc as unknown as DocInternals;
    for (const font of fonts) this.memoiseFont(font);
  }

  /** Call for every new page (PDFKit's `pageAdded`). */
  pageAdded(): void {
    fastContentStream((this.doc.page as unknown as { content: ContentRef }).content);
  }

  /**
   * Sets `text` ragged-right in a column `width` wide at `x`, from `doc.y` down, going on to new
   * pages as needed; leaves `doc.y` below the last line, like `doc.text(text, x, doc.y, { width })`.
   */
  flow(text: string, x: number, width: number, lineGap = 0): void {
    const doc = this.doc;
    const lines = this.lines(text, width, lineGap);
    const fill = this.internals._fillColor;
    for (const line of lines) {
      const height = doc.currentLineHeight(true);
      if (doc.y + height > doc.page.height - doc.page.margins.bottom) {
        doc.addPage();
        if (fill) this.internals.fillColor(...fill);
      }
      // Left-aligned, no links: `_fragment` reads nothing else of the options; a given width
      // spares it measuring the line once more.
      this.internals._fragment(line, x, doc.y, { textWidth: 0, wordCount: 0 });
      doc.y += height + lineGap;
    }
    doc.x = x;
  }

  /** One line at a fixed place, cut with an ellipsis when wider than `maxWidth`. */
  oneLine(text: string, x: number, y: number, maxWidth: number): void {
    const doc = this.doc;
    let line = text;
    if (doc.widthOfString(line) > maxWidth) {
      while (line.length > 1 && doc.widthOfString(`${line}\u2026`) > maxWidth)
        line = line.slice(0, -1);
      line = `${line.trimEnd()}\u2026`;
    }
    // Without a width PDFKit writes the line directly; with one it sets up a line wrapper.
    doc.text(line, x, y, { lineBreak: false });
  }

  /** The lines PDFKit's LineWrapper makes of `text` in the current font, asked once. */
  private lines(text: string, width: number, lineGap: number): readonly string[] {
    const font = this.internals._font;
    const key = `${font.id}\u0000${this.internals._fontSize}\u0000${width}\u0000${lineGap}\u0000${text}`;
    const known = this.paragraphs.get(key);
    if (known) return known;
    const doc = this.doc;
    const { x, y } = doc;
    const lines: string[] = [];
    this.internals._text(text, x, y, { width, lineGap, height: Infinity }, (line) => {
      lines.push(line);
    });
    doc.x = x;
    doc.y = y;
    if (this.paragraphs.size >= MAX_PARAGRAPHS) this.paragraphs = new Map();
    this.paragraphs.set(key, lines);
    return lines;
  }

  private memoiseFont(name: string): void {
    this.doc.font(name);
    const font = this.internals._font;
    const measure = font.widthOfString.bind(font);
    const encode = font.encode.bind(font);
    const widths = new Map<number, Map<string, number>>();
    let encoded = new Map<string, unknown>();
    font.widthOfString = (text, size, features) => {
      if (features !== undefined) return measure(text, size, features);
      let ofSize = widths.get(size);
      if (!ofSize || ofSize.size >= MAX_WORDS)
        widths.set(size, (ofSize = new Map<string, number>()));
      let width = ofSize.get(text);
      if (width === undefined) {
        width = measure(text, size);
        ofSize.set(text, width);
      }
      return width;
    };
    font.encode = (text, features) => {
      if (features !== undefined) return encode(text, features);
      let result = encoded.get(text);
      if (result === undefined) {
        result = encode(text);
        if (encoded.size >= MAX_LINES) encoded = new Map();
        encoded.set(text, result);
      }
      return result;
    };
  }
}

/** A page's content stream, collected as strings and deflated once at speed level 1. */
function fastContentStream(ref: ContentRef): void {
  // The page has already written its flip of the y axis by the time it is announced.
  const parts = ref.buffer.map((chunk) => Buffer.from(chunk).toString('latin1'));
  ref.buffer = [];
  ref.compress = false;
  ref.data.Filter = 'FlateDecode';
  ref.write = (chunk) => {
    // As PDFKit writes them: a string gets a newline, bytes go in as they are.
    parts.push(typeof chunk === 'string' ? `${chunk}\n` : Buffer.from(chunk).toString('latin1'));
  };
  const finalize = ref.finalize.bind(ref);
  ref.finalize = () => {
    const raw = Buffer.from(parts.join(''), 'latin1');
    ref.buffer = [deflateSync(raw, { level: zlibConstants.Z_BEST_SPEED })];
    finalize();
  };
}
