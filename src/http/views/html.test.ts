import { describe, expect, it } from 'vitest';
import { escapeHtml, html, SafeHtml, trustedHtml } from './html.js';
import { pageNoticeContent } from './notice-content.view.js';

describe('html template', () => {
  it('escapes every interpolation, in text and in attributes', () => {
    const name = '<script>alert("x")</script>';
    const out = html`<p title="${`" onmouseover="x`}">${name} & ${"it's"}</p>`.toString();
    expect(out).toBe(
      '<p title="&quot; onmouseover=&quot;x">&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; & it&#39;s</p>',
    );
  });

  it('inserts nested templates and trusted markup as they are, and lists item by item', () => {
    const items = ['a<b', 'c'].map((i) => html`<li>${i}</li>`);
    // prettier-ignore
    const out = html`<ul>${items}</ul>${trustedHtml('<hr>')}`;
    expect(out.toString()).toBe('<ul><li>a&lt;b</li><li>c</li></ul><hr>');
  });

  it('renders nothing for false, null and undefined, and numbers as text', () => {
    const off = false as boolean;
    expect(html`[${off && html`<b>x</b>`}${null}${undefined}${0}${''}]`.toString()).toBe('[0]');
  });

  it('cannot be fooled by an object that only looks safe', () => {
    const fake = { toString: () => '<b>x</b>' } as unknown as string;
    expect(html`${fake}`.toString()).toBe('&lt;b&gt;x&lt;/b&gt;');
    expect(() => new SafeHtml(Symbol('trusted') as never, '<b>')).toThrow(TypeError);
    expect(escapeHtml('plain')).toBe('plain');
  });
});

describe('notice content on the page', () => {
  const content = [
    '<p style="margin:0;">Beste Jan,</p>',
    '<h2 style="margin:28px 0;">Wat kunt u doen?</h2>',
    '<ol style="margin:0;">',
    '<li style="margin:0;">Kies een nieuw wachtwoord.</li>',
    '<li style="margin:0;">Lees <a href="https://x.example" style="color:#1d4ed8;">dit</a>.</li>',
    '</ol>',
  ].join('\n');

  it('drops inline styles, nests headings under the page section, takes the steps', () => {
    const { body, steps } = pageNoticeContent(content);
    expect(body.toString()).not.toContain('style=');
    expect(body.toString()).toContain('<h3>Wat kunt u doen?</h3>');
    expect(steps.map(String)).toEqual([
      'Kies een nieuw wachtwoord.',
      'Lees <a href="https://x.example">dit</a>.',
    ]);
  });

  it('takes no steps from a nested list, and unwraps loose list items', () => {
    expect(pageNoticeContent('<ol>\n<li>a<ol>\n<li>b</li>\n</ol></li>\n</ol>').steps).toEqual([]);
    const loose = pageNoticeContent(
      '<ol>\n<li>\n<p>one</p>\n</li>\n<li>\n<p>two</p>\n</li>\n</ol>',
    );
    expect(loose.steps.map(String)).toEqual(['one', 'two']);
  });
});
