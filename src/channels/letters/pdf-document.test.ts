import { describe, expect, it } from 'vitest';
import { renderPdf, type PdfDocumentSpec } from './pdf-document.js';
import { extractPdfText } from './pdf-text.js';
import { toWinAnsi } from './pdf-text-encoding.js';

const base: PdfDocumentSpec = {
  title: 'Melding datalek — INC-2026-0001',
  subtitle: 'Artikel 33 AVG',
  meta: ['Versie 2', 'Status: ingediend'],
  author: 'Candor Hosting B.V.',
  createdAt: '2026-11-27T10:00:00.000Z',
  locale: 'nl',
  sections: [
    {
      heading: 'Aard van de inbreuk',
      blocks: [
        {
          type: 'paragraph',
          text: 'Een aanvaller heeft de klantendatabase van café Zoë gekopieerd.',
        },
        { type: 'bullets', items: ['Naam en e-mailadres', 'Wachtwoord-hashes (bcrypt)'] },
        {
          type: 'keyValue',
          rows: [
            { key: 'Aantal betrokkenen', value: 'ongeveer 12.000' },
            { key: 'Functionaris', value: 'J. de Vries' },
          ],
        },
      ],
    },
  ],
};

describe('renderPdf', () => {
  it('writes a PDF whose pages contain the title, paragraphs, lists and tables', async () => {
    const pdf = await renderPdf(base);
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect(pdf.subarray(-6).toString('latin1')).toContain('%%EOF');
    const text = extractPdfText(pdf);
    expect(text.pages).toHaveLength(1);
    for (const expected of [
      'Melding datalek — INC-2026-0001',
      'Artikel 33 AVG',
      'Versie 2',
      'Aard van de inbreuk',
      'Een aanvaller heeft de klantendatabase van café Zoë gekopieerd.',
      'Wachtwoord-hashes (bcrypt)',
      'Aantal betrokkenen',
      'ongeveer 12.000',
      'pagina 1 van 1',
    ]) {
      expect(text.flat).toContain(expected);
    }
  });

  it('records title, author and the given creation date, and is byte-for-byte reproducible', async () => {
    const first = await renderPdf(base);
    const second = await renderPdf(base);
    expect(first.equals(second)).toBe(true);
    const { info } = extractPdfText(first);
    expect(info.Title).toBe('Melding datalek — INC-2026-0001');
    expect(info.Author).toBe('Candor Hosting B.V.');
    expect(info.CreationDate).toBe('D:20261127100000Z');
    const later = await renderPdf({ ...base, createdAt: '2026-11-28T10:00:00.000Z' });
    expect(later.equals(first)).toBe(false);
  });

  it('breaks long tables over pages, repeats the header and numbers the pages', async () => {
    const rows = Array.from({ length: 120 }, (_, i) => [
      `INC-2026-${String(i + 1).padStart(4, '0')}`,
      i % 2 === 0 ? 'gemeld' : 'niet gemeld',
      'Reden '.repeat((i % 5) + 1),
    ]);
    const pdf = await renderPdf({
      ...base,
      locale: 'en',
      sections: [
        {
          heading: 'Register',
          blocks: [
            {
              type: 'table',
              columns: [
                { header: 'Case' },
                { header: 'Notified' },
                { header: 'Rationale', width: 3 },
              ],
              rows,
            },
          ],
        },
      ],
    });
    const { pages } = extractPdfText(pdf);
    expect(pages.length).toBeGreaterThan(2);
    pages.forEach((page, i) => {
      expect(page).toContain('Rationale');
      expect(page).toContain(`page ${i + 1} of ${pages.length}`);
    });
    const all = pages.join('\n');
    expect(all).toContain('INC-2026-0001');
    expect(all).toContain('INC-2026-0120');
  });

  it('cuts a table row taller than a page instead of overflowing', async () => {
    const pdf = await renderPdf({
      ...base,
      sections: [
        {
          blocks: [
            {
              type: 'table',
              columns: [{ header: 'A' }, { header: 'B' }],
              rows: [
                ['kort', 'woord '.repeat(4000)],
                ['volgende rij', 'x'],
              ],
            },
          ],
        },
      ],
    });
    const { flat, pages } = extractPdfText(pdf);
    expect(flat).toContain('volgende rij');
    expect(pages.length).toBeLessThanOrEqual(3);
  });

  it('shows the empty text of a table without rows, and honours page breaks', async () => {
    const pdf = await renderPdf({
      ...base,
      sections: [
        {
          heading: 'Een',
          blocks: [
            { type: 'table', columns: [{ header: 'X' }], rows: [], emptyText: 'Geen meldingen.' },
            { type: 'pageBreak' },
            { type: 'heading', text: 'Twee' },
          ],
        },
      ],
    });
    const { pages } = extractPdfText(pdf);
    expect(pages).toHaveLength(2);
    expect(pages[0]).toContain('Geen meldingen.');
    expect(pages[1]).toContain('Twee');
  });

  it('replaces characters the standard fonts cannot draw instead of failing', async () => {
    const pdf = await renderPdf({
      ...base,
      title: 'Łódź ≥ 3 \u{1F600} zero\u200bwidth',
      sections: [{ blocks: [{ type: 'paragraph', text: 'Ősz → één, naïef, € 5, “quote”' }] }],
    });
    const { flat, info } = extractPdfText(pdf);
    expect(flat).toContain('Lódz >= 3 ? zerowidth');
    expect(flat).toContain('Osz -> één, naïef, € 5, “quote”');
    // The info dictionary is UTF-16 and keeps the original title.
    expect(info.Title).toBe('Łódź ≥ 3 \u{1F600} zero\u200bwidth');
  });

  it('rejects an invalid creation date with a clear message', async () => {
    await expect(renderPdf({ ...base, createdAt: 'yesterday' })).rejects.toThrow(/createdAt/);
  });
});

describe('toWinAnsi', () => {
  it('keeps Latin-1 and the WinAnsi extras, composes combining accents', () => {
    expect(toWinAnsi('Zoë café ß Œ š € – — … ™')).toBe('Zoë café ß Œ š € – — … ™');
    expect(toWinAnsi('e\u0301')).toBe('é');
  });

  it('maps or replaces everything else, and turns control characters into spaces', () => {
    expect(toWinAnsi('a\u0007b\r\nc\u2009d')).toBe('a b\nc d');
    expect(toWinAnsi('ř ő ł ı')).toBe('r o l i');
    expect(toWinAnsi('中文 \u{1F4A5}')).toBe('?? ?');
  });
});
