import { describe, expect, it } from 'vitest';
import { renderEmailLayout, renderTextFooter, type EmailLayoutInput } from './email-layout.js';

const input: EmailLayoutInput = {
  language: 'nl',
  title: 'Datalek bij Voorbeeld & Co',
  preheader: 'Wat dit voor u betekent <kort>',
  contentHtml: '<p style="margin:0 0 16px 0;">Beste Marieke,</p>\n',
  personalUrl: 'https://notices.example/p/abc?x=1&y=2',
  organisation: {
    name: 'Voorbeeld & Co',
    contact_email: 'security@voorbeeld.nl',
    contact_phone: '+31 20 123 4567',
    website: 'https://www.voorbeeld.nl/',
  },
};

describe('renderEmailLayout', () => {
  const html = renderEmailLayout(input);

  it('is a complete document with language, charset and viewport', () => {
    expect(html.startsWith('<!doctype html>\n<html lang="nl" dir="ltr">')).toBe(true);
    expect(html).toContain('<meta charset="utf-8">');
    expect(html).toContain('<meta name="viewport" content="width=device-width, initial-scale=1">');
    expect(html).toContain('<meta name="color-scheme" content="light dark">');
    expect(html).toContain('<title>Datalek bij Voorbeeld &amp; Co</title>');
  });

  it('lays out with presentation tables and inline styles only', () => {
    const tables = html.match(/<table\b[^>]*>/g) ?? [];
    expect(tables.length).toBeGreaterThanOrEqual(3);
    for (const table of tables) expect(table).toContain('role="presentation"');
    expect(html).not.toMatch(/<link\b|<img\b|<script\b|src=|url\(|@import/);
  });

  it('uses readable text sizes (hidden preheader aside)', () => {
    const visible = html.replace(/<div style="display:none[^]*?<\/div>/, '');
    const sizes = [...visible.matchAll(/font-size:(\d+)px/g)].map((m) => Number(m[1]));
    expect(sizes.length).toBeGreaterThan(0);
    expect(Math.min(...sizes)).toBeGreaterThanOrEqual(16);
  });

  it('has a hidden preheader', () => {
    expect(html).toMatch(
      /<div style="display:none;[^"]*mso-hide:all;">Wat dit voor u betekent &lt;kort&gt;/,
    );
  });

  it('has a real link button to the personal page and the URL in text', () => {
    const url = 'https://notices.example/p/abc?x=1&amp;y=2';
    expect(html).toMatch(
      new RegExp(
        `<a class="candor-button" href="${url.replace(/[?]/g, '\\?')}"[^>]*>Open uw persoonlijke pagina</a>`,
      ),
    );
    expect(html).toContain(`>${url}</a>`);
  });

  it('leaves the button out when the personal URL is not http(s)', () => {
    const other = renderEmailLayout({ ...input, personalUrl: 'javascript:alert(1)' });
    expect(other).not.toContain('candor-button" href');
    expect(other).not.toContain('javascript:');
  });

  it('has a footer with sender and contact, escaped', () => {
    expect(html).toContain('Voorbeeld &amp; Co heeft dit bericht persoonlijk aan u gestuurd.');
    expect(html).toContain('href="mailto:security@voorbeeld.nl"');
    expect(html).toContain('+31 20 123 4567');
    expect(html).toContain('>www.voorbeeld.nl</a>');
  });

  it('speaks English for English notices', () => {
    const en = renderEmailLayout({ ...input, language: 'en' });
    expect(en).toContain('<html lang="en"');
    expect(en).toContain('Open your personal page');
    expect(renderTextFooter('en', input.organisation)).toBe(
      '--\nVoorbeeld & Co sent this message to you personally.\nQuestions? security@voorbeeld.nl · +31 20 123 4567 · https://www.voorbeeld.nl/',
    );
  });
});
