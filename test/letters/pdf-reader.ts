/**
 * Reads generated letters with real readers: poppler's pdfinfo, pdftotext -bbox and pdftoppm
 * (Debian poppler-utils), and jsQR for the QR codes on a 150 dpi rendering.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import type { QRCode } from 'jsqr';

// jsQR is CommonJS whose typings declare an ES default export: require gives the function.
const jsQR = createRequire(import.meta.url)('jsqr') as (
  data: Uint8ClampedArray,
  width: number,
  height: number,
) => QRCode | null;

/** Millimetres in points. */
export const PT_PER_MM = 72 / 25.4;

function withFile<T>(pdf: Buffer, body: (file: string, dir: string) => T): T {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'candor-letters-'));
  try {
    const file = path.join(dir, 'letters.pdf');
    fs.writeFileSync(file, pdf);
    return body(file, dir);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** pdfinfo's page count and page size (points). */
export function pdfInfo(pdf: Buffer): { pages: number; width: number; height: number } {
  const out = withFile(pdf, (file) => execFileSync('pdfinfo', [file], { encoding: 'utf8' }));
  const pages = Number(/^Pages:\s+(\d+)/m.exec(out)?.[1]);
  const size = /^Page size:\s+([\d.]+) x ([\d.]+) pts/m.exec(out);
  return { pages, width: Number(size?.[1]), height: Number(size?.[2]) };
}

export interface PdfWord {
  text: string;
  xMin: number;
  yMin: number;
  xMax: number;
  yMax: number;
}

/** Every word of every page with its box in points from the top-left, as pdftotext -bbox sees it. */
export function pdfWords(pdf: Buffer): PdfWord[][] {
  const out = withFile(pdf, (file) =>
    execFileSync('pdftotext', ['-bbox', file, '-'], { encoding: 'utf8', maxBuffer: 1 << 28 }),
  );
  const pages: PdfWord[][] = [];
  for (const page of out.split(/<page /).slice(1)) {
    const words: PdfWord[] = [];
    for (const m of page.matchAll(
      /<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)<\/word>/g,
    )) {
      words.push({
        xMin: Number(m[1]),
        yMin: Number(m[2]),
        xMax: Number(m[3]),
        yMax: Number(m[4]),
        text: decodeEntities(m[5]!),
      });
    }
    pages.push(words);
  }
  return pages;
}

function decodeEntities(text: string): string {
  return text
    .replaceAll('&lt;', '<')
    .replaceAll('&gt;', '>')
    .replaceAll('&quot;', '"')
    .replaceAll('&#39;', "'")
    .replaceAll('&amp;', '&');
}

/** The text of one page, words joined by spaces (pdftotext's reading). */
export function pageText(words: readonly PdfWord[]): string {
  return words.map((w) => w.text).join(' ');
}

/** Decodes the QR code on a page (1-based) from a 150 dpi greyscale rendering. */
export function decodeQr(pdf: Buffer, page: number): string | null {
  return withFile(pdf, (file, dir) => {
    execFileSync('pdftoppm', [
      '-r',
      '150',
      '-gray',
      '-f',
      String(page),
      '-l',
      String(page),
      file,
      path.join(dir, 'p'),
    ]);
    const image = fs.readdirSync(dir).find((f) => f.endsWith('.pgm'));
    if (!image) throw new Error('pdftoppm wrote no image');
    const { width, height, pixels } = readPgm(fs.readFileSync(path.join(dir, image)));
    const rgba = new Uint8ClampedArray(width * height * 4);
    for (let i = 0; i < width * height; i++) {
      const v = pixels[i]!;
      rgba[i * 4] = v;
      rgba[i * 4 + 1] = v;
      rgba[i * 4 + 2] = v;
      rgba[i * 4 + 3] = 255;
    }
    return jsQR(rgba, width, height)?.data ?? null;
  });
}

/** A binary PGM (P5, 8 bits): what pdftoppm -gray writes. */
function readPgm(data: Buffer): { width: number; height: number; pixels: Uint8Array } {
  const header = /^P5\s+(\d+)\s+(\d+)\s+(\d+)\s/.exec(data.subarray(0, 64).toString('latin1'));
  if (!header || header[3] !== '255') throw new Error('not an 8-bit binary PGM');
  const width = Number(header[1]);
  const height = Number(header[2]);
  return { width, height, pixels: data.subarray(header[0].length) };
}
