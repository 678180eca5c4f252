import { createHash } from 'node:crypto';
import { html, trustedHtml, type SafeHtml } from './html.js';

// Colours meet WCAG AA (4.5:1) for body text: #1f2937 on #fff is 14.7:1, #4b5563 on #f3f4f6
// 6.9:1, white on #1d4ed8 6.7:1, #14532d on #dcfce7 8.3:1; dark: #f3f4f6 on #1f2937 13.3:1,
// #93c5fd on #1f2937 8.1:1, #d1d5db on #111827 12:1. Touch targets are at least 44px high.
// The secondary button is the link colour on the card: 6.7:1 light, 8.1:1 dark.
const CSS = `:root{color-scheme:light dark;--fg:#1f2937;--muted:#4b5563;--bg:#f3f4f6;--card:#fff;--line:#d1d5db;--link:#1d4ed8;--ok-fg:#14532d;--ok-bg:#dcfce7}
@media (prefers-color-scheme:dark){:root{--fg:#f3f4f6;--muted:#d1d5db;--bg:#111827;--card:#1f2937;--line:#4b5563;--link:#93c5fd;--ok-fg:#dcfce7;--ok-bg:#14532d}}
*{box-sizing:border-box}
html{-webkit-text-size-adjust:100%;text-size-adjust:100%}
body{margin:0;background:var(--bg);color:var(--fg);font:1.0625rem/1.6 system-ui,-apple-system,"Segoe UI",Roboto,Helvetica,Arial,sans-serif;overflow-wrap:anywhere}
header.site,footer.site{max-width:44rem;margin:0 auto;padding:1rem;color:var(--muted)}
header.site p{margin:0;font-weight:700}
main{max-width:44rem;margin:0 auto;padding:0 .75rem 1rem}
.card{background:var(--card);border:1px solid var(--line);border-radius:.5rem;padding:1.25rem;margin:0 0 1rem}
h1{font-size:1.6rem;line-height:1.25;margin:.25rem 0 .75rem}
h2{font-size:1.3rem;line-height:1.3;margin:0 0 .75rem}
h3{font-size:1.1rem;line-height:1.3;margin:1.5rem 0 .5rem}
h4,h5,h6{font-size:1rem;margin:1.25rem 0 .5rem}
p,ul,ol{margin:0 0 1rem}
ul,ol{padding-left:1.5rem}
li{margin:0 0 .5rem}
a{color:var(--link);text-decoration:underline}
.eyebrow,.muted{color:var(--muted)}
.eyebrow{margin:0;font-size:.95rem}
dl{margin:0;display:grid;grid-template-columns:minmax(8rem,max-content) 1fr;gap:.35rem 1rem}
dt{font-weight:700}
dd{margin:0}
@media (max-width:32rem){dl{grid-template-columns:1fr;gap:0}dd{margin:0 0 .6rem}}
.status{background:var(--ok-bg);color:var(--ok-fg);border-radius:.375rem;padding:.75rem 1rem;margin:0 0 1rem;font-weight:600}
form{margin:0}
button{font:inherit;font-weight:700;min-height:44px;padding:.7rem 1.25rem;border-radius:.375rem;border:2px solid #1d4ed8;background:#1d4ed8;color:#fff;cursor:pointer}
button:hover{background:#1e40af;border-color:#1e40af}
:focus-visible{outline:3px solid #f59e0b;outline-offset:2px}
@media (max-width:32rem){button{width:100%}}
.lead{font-size:1.125rem;margin:0 0 .75rem}
.todo{margin:0 0 1rem}
.actions{display:flex;flex-wrap:wrap;gap:.625rem;margin:0 0 1rem}
.actions form{flex:1 1 14rem}
.actions button{width:100%}
.actions .status{flex:1 1 100%;margin:0}
button.secondary{background:transparent;color:var(--link);border-color:var(--link)}
button.secondary:hover{background:var(--bg);border-color:var(--link)}
.meta{color:var(--muted);font-size:.95rem;margin:0}
time,.nowrap{white-space:nowrap}
.actions [id]{scroll-margin-top:1rem}
.code{font-family:ui-monospace,"SFMono-Regular",Menlo,Consolas,monospace;font-weight:700;letter-spacing:.04em;white-space:nowrap}
@media (max-width:32rem){main{padding:0 .5rem 1rem}.card{padding:1rem}header.site{padding:.75rem 1rem}h1{font-size:1.45rem}}
blockquote{margin:0 0 1rem;padding-left:.75rem;border-left:4px solid var(--line)}
pre{white-space:pre-wrap;border:1px solid var(--line);padding:.75rem}
table{border-collapse:collapse;margin:0 0 1rem}th,td{border:1px solid var(--line);padding:.3rem .5rem;text-align:left}
hr{border:0;border-top:1px solid var(--line);margin:1.5rem 0}
iframe{width:100%;height:70vh;border:1px solid var(--line)}
label{display:block;font-weight:700;margin:0 0 .25rem}textarea{display:block;width:100%;font:inherit;color:inherit;background:var(--card);border:2px solid var(--line);border-radius:.375rem;padding:.6rem .75rem;margin:0 0 1rem;resize:vertical}textarea[aria-invalid=true]{border-color:#b91c1c}.hint{margin:0 0 .5rem;font-size:.95rem}.field-error{color:#b91c1c;font-weight:700;margin:0 0 .5rem}.questions{list-style:none;padding:0;margin:0}.question{border-top:1px solid var(--line);padding:1rem 0 0;margin:1rem 0 0}.answer{border-left:4px solid var(--ok-bg);padding-left:.75rem}
@media (prefers-color-scheme:dark){.field-error{color:#fca5a5}textarea[aria-invalid=true]{border-color:#fca5a5}}`;

const STYLE_HASH = createHash('sha256').update(CSS, 'utf8').digest('base64');
// Built here, not in the template below: the hash covers the element's exact content, and a
// formatter may indent a template's lines.
const STYLE_ELEMENT = trustedHtml(`<style>${CSS}</style>`);

/**
 * The Content-Security-Policy of every page built on this layout: nothing loads from
 * anywhere (no scripts, images, fonts or frames), the one inline stylesheet is allowed by
 * its hash, forms post only to us, and no other site may frame the page.
 */
export const PAGE_CSP = [
  "default-src 'none'",
  `style-src 'sha256-${STYLE_HASH}'`,
  "form-action 'self'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
].join('; ');

/** What every page has: its language, a title, an optional header line, the main content. */
export interface PageInput {
  language: string;
  title: string;
  /** Shown above the content (the organisation's name). */
  siteName?: string | null;
  main: SafeHtml;
  footer?: SafeHtml | null;
}

/** A complete HTML document: responsive, not indexed, no third-party assets. */
export function renderPage(input: PageInput): string {
  return html`<!doctype html>
    <html lang="${input.language}">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="robots" content="noindex,nofollow" />
        <meta name="referrer" content="no-referrer" />
        <meta name="format-detection" content="telephone=no" />
        <title>${input.title}</title>
        ${STYLE_ELEMENT}
      </head>
      <body>
        ${input.siteName ? html`<header class="site"><p>${input.siteName}</p></header>` : ''}
        <main>${input.main}</main>
        ${input.footer ? html`<footer class="site">${input.footer}</footer>` : ''}
      </body>
    </html> `.toString();
}
