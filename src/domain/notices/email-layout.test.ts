import { describe, expect, it } from 'vitest';
import {
  renderEmailLayout,
  renderTextFooter,
  renderTextHeader,
  verifyPageUrl,
  type EmailLayoutInput,
} from './email-layout.js';

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

  it('opens with the button, before the body: the first link of the message', () => {
    const body = html.slice(html.indexOf('<body'));
    const firstLink = /<a\b[^>]*>/.exec(body)![0];
    expect(firstLink).toContain('class="candor-button"');
    expect(html.indexOf('class="candor-button"')).toBeLessThan(html.indexOf('Beste Marieke'));
  });

  it('has no fixed width wider than a phone, and lets long words and URLs wrap', () => {
    for (const m of html.matchAll(/\bwidth="(\d+)"/g))
      expect(Number(m[1])).toBeLessThanOrEqual(320);
    for (const m of html.matchAll(/(?<![-\w])width:\s*(\d+)px/g)) {
      expect(Number(m[1])).toBeLessThanOrEqual(320);
    }
    expect(html).toMatch(/class="candor-card" style="[^"]*overflow-wrap:anywhere;/);
    expect(html).toMatch(/class="candor-footer" style="[^"]*overflow-wrap:anywhere;/);
    expect(html).toMatch(/style="width:100%;max-width:600px;"/);
  });

  it('shows the notice code next to the button and in the footer, with the verify page', () => {
    const coded = renderEmailLayout({
      ...input,
      referenceCode: 'K7Q4-M2XP-9ABC',
      verifyUrl: 'https://notices.example/security/verify',
    });
    const button = coded.indexOf('class="candor-button"');
    const code = coded.indexOf('Berichtcode: <strong');
    expect(code).toBeGreaterThan(button);
    expect(code).toBeLessThan(coded.indexOf('candor-content'));
    const footer = coded.slice(coded.indexOf('class="candor-footer"'));
    expect(footer).toContain(
      'Vul de berichtcode K7Q4-M2XP-9ABC in op <a href="https://notices.example/security/verify"',
    );
    // Doubt is answered with ways that do not rely on this mail, not with "do not click".
    expect(footer).toContain('U kunt ook zelf www.voorbeeld.nl in uw browser typen');
    expect(coded).not.toMatch(/klik (dan )?niet|do not click/i);
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
      '--\nVoorbeeld & Co sent this message to you personally.\nQuestions? security@voorbeeld.nl · +31 20 123 4567 · https://www.voorbeeld.nl/\n\nNot sure this message is from us? You can also type www.voorbeeld.nl into your browser yourself and contact us from there. We never ask for your password.',
    );
  });
});

describe('plain text: link first, code in the footer', () => {
  it('opens with the personal page and the code', () => {
    expect(renderTextHeader('nl', input.personalUrl, 'K7Q4-M2XP-9ABC')).toBe(
      'Open uw persoonlijke pagina: https://notices.example/p/abc?x=1&y=2\nBerichtcode: K7Q4-M2XP-9ABC',
    );
    expect(renderTextHeader('en', 'javascript:alert(1)', null)).toBe('');
  });

  it('names the code and the verify page in the footer', () => {
    const footer = renderTextFooter('en', input.organisation, {
      referenceCode: 'K7Q4-M2XP-9ABC',
      verifyUrl: 'https://notices.example/en/security/verify',
    });
    expect(footer).toContain(
      'Not sure this message is from us? Enter the notice code K7Q4-M2XP-9ABC at https://notices.example/en/security/verify.',
    );
  });

  it('finds the verify page in the notice language', () => {
    expect(verifyPageUrl('https://x.example/security', 'nl')).toBe(
      'https://x.example/security/verify',
    );
    expect(verifyPageUrl('https://x.example/security/', 'en')).toBe(
      'https://x.example/en/security/verify',
    );
    expect(verifyPageUrl(null, 'nl')).toBeNull();
    expect(verifyPageUrl('javascript:x', 'nl')).toBeNull();
  });
});
