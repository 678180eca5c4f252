import { inflateSync } from 'node:zlib';
import PDFDocument from 'pdfkit';
import { describe, expect, it } from 'vitest';
import { PdfTypesetter } from './pdf-typesetter.js';

const PARAGRAPH =
  'Een aanvaller heeft via een gestolen beheersleutel een deel van onze klantgegevens gekopieerd. ' +
  'Wij hebben de sleutel ingetrokken, de Autoriteit Persoonsgegevens ingelicht en onderzoeken ' +
  'samen met een extern bureau wat er precies is gebeurd. Uw wachtwoord was niet leesbaar.';

/** The page content streams of a PDF, inflated where compressed. */
function contents(pdf: Buffer): string[] {
  const out: string[] = [];
  const text = pdf.toString('latin1');
  const re = /<<([^]*?)>>\s*stream\n/g;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    const length = Number(/\/Length (\d+)/.exec(m[1]!)?.[1]);
    const start = m.index + m[0].length;
    const raw = pdf.subarray(start, start + length);
    const data = m[1]!.includes('/FlateDecode') ? inflateSync(raw) : raw;
    out.push(data.toString('latin1'));
  }
  return out;
}

/** Text set twice, once by PDFKit's own `doc.text` and once by the typesetter. */
async function both(
  draw: (doc: PDFKit.PDFDocument, type: PdfTypesetter | null) => void,
): Promise<[string[], string[]]> {
  const make = async (typeset: boolean) => {
    const doc = new PDFDocument({
      size: 'A4',
      autoFirstPage: false,
      compress: false,
      margins: { top: 57, bottom: 62, left: 71, right: 57 },
      info: { CreationDate: new Date(0), ModDate: new Date(0) },
    });
    const chunks: Buffer[] = [];
    doc.on('data', (c: Buffer) => chunks.push(c));
    const done = new Promise<Buffer>((resolve) =>
      doc.on('end', () => resolve(Buffer.concat(chunks))),
    );
    const type = typeset ? new PdfTypesetter(doc, ['Helvetica']) : null;
    if (type) doc.on('pageAdded', () => type.pageAdded());
    doc.addPage();
    doc.font('Helvetica').fontSize(9.5).fillColor('#555555');
    draw(doc, type);
    doc.end();
    return contents(await done);
  };
  return [await make(false), await make(true)];
}

describe('PdfTypesetter', () => {
  it('writes what PDFKit writes for wrapped text, page breaks and colour included', async () => {
    const [plain, typeset] = await both((doc, type) => {
      // Enough paragraphs to run over two page breaks, some of them the same text again.
      for (let i = 0; i < 30; i++) {
        const text = i % 3 === 0 ? `Klant ${i}: ${PARAGRAPH}` : PARAGRAPH;
        if (type) type.flow(text, 71, 400, 1);
        else doc.text(text, 71, doc.y, { width: 400, lineGap: 1 });
        doc.moveDown(0.45);
      }
    });
    expect(plain.length).toBeGreaterThanOrEqual(3);
    expect(typeset).toEqual(plain);
  });

  it('deflates the page content it collects, and keeps what the page wrote first', async () => {
    const [plain, typeset] = await both((doc, type) => {
      type?.oneLine('Datum: 7 december 2026', 71, 100, 200);
      if (!type) doc.text('Datum: 7 december 2026', 71, 100, { lineBreak: false });
    });
    expect(typeset).toEqual(plain);
    expect(typeset[0]).toMatch(/^1 0 0 -1 0 841\.89 cm\n/);
  });

  it('cuts a line that is too wide with an ellipsis', async () => {
    const [, typeset] = await both((_doc, type) => {
      type?.oneLine(
        'Example Hosting B.V., Keizersgracht 1, 1015 AA Amsterdam, Nederland',
        71,
        100,
        60,
      );
    });
    const shown = /\[(.*)\] TJ/.exec(typeset[0]!)![1]!;
    const hex = [...shown.matchAll(/<([0-9a-f]+)>/g)].map((m) => m[1]).join('');
    const text = Buffer.from(hex, 'hex').toString('latin1');
    expect(text.endsWith('\x85')).toBe(true); // the ellipsis in WinAnsi
    expect(text.length).toBeLessThan(20);
  });
});
