import MarkdownIt from 'markdown-it';
import type { PublicLanguage } from '../../../domain/publication.js';
import { html, trustedHtml, type SafeHtml } from '../html.js';
import { securityTexts } from './security-texts.js';

/**
 * The frame of every public security page: plain HTML, one stylesheet of our own, no script,
 * hreflang alternates and a canonical URL so search engines index each language once.
 */

/** The CSP of the public pages: nothing but our own stylesheet. */
export const SECURITY_CSP =
  "default-src 'none'; style-src 'self'; img-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

export const SECURITY_HTML_HEADERS = {
  'content-security-policy': SECURITY_CSP,
  'referrer-policy': 'strict-origin-when-cross-origin',
  'x-frame-options': 'DENY',
};

// Markdown from approved notices: raw HTML off, so the text can never become markup; links
// are limited to http(s) and mailto by markdown-it's validateLink.
const markdown = new MarkdownIt({ html: false, linkify: false, typographer: false });

/** Markdown to HTML, headings moved down two levels (the page owns h1 and h2). */
export function markdownHtml(source: string): SafeHtml {
  const rendered = markdown
    .render(source)
    .replace(
      /<(\/?)h([1-4])>/g,
      (_m, close: string, level: string) => `<${close}h${Number(level) + 2}>`,
    );
  return trustedHtml(rendered);
}

/** The path of a page in a language: Dutch at /security…, English at /en/security…. */
export function localPath(path: string, language: PublicLanguage): string {
  return language === 'en' ? `/en${path}` : path;
}

export interface SecurityPageInput {
  language: PublicLanguage;
  /** Language-neutral path, e.g. /security/2026/inc-2026-0001-… */
  path: string;
  title: string;
  description: string;
  organisation: string;
  publicUrl: string;
  main: SafeHtml;
  /** Alternate languages that exist for this page (default both). */
  languages?: readonly PublicLanguage[];
}

/** A whole public HTML document. */
export function securityPage(input: SecurityPageInput): string {
  const t = securityTexts(input.language);
  const languages = input.languages ?? (['nl', 'en'] as const);
  const other: PublicLanguage = input.language === 'nl' ? 'en' : 'nl';
  const abs = (p: string) => `${input.publicUrl}${p}`;
  const page = html`<!doctype html>
    <html lang="${input.language}">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>${input.title} — ${input.organisation}</title>
        <meta name="description" content="${input.description}" />
        <meta name="robots" content="index, follow" />
        <link rel="canonical" href="${abs(localPath(input.path, input.language))}" />
        ${languages.map((l) => html`<link rel="alternate" hreflang="${l}" href="${abs(localPath(input.path, l))}" /> `)}
        <link rel="alternate" hreflang="x-default" href="${abs(input.path)}" />
        <link
          rel="alternate"
          type="application/atom+xml"
          title="${t.atom}"
          href="${localPath('/security/feed.atom', input.language)}"
        />
        <link
          rel="alternate"
          type="application/feed+json"
          title="${t.json}"
          href="${localPath('/security/feed.json', input.language)}"
        />
        <link rel="stylesheet" href="/security/security.css" />
      </head>
      <body>
        <header class="site">
          <a class="home" href="${localPath('/security', input.language)}"
            >${input.organisation} · ${t.pageTitle}</a
          >
          ${languages.includes(other) ? html`<a class="lang" hreflang="${other}" lang="${other}" href="/?lang=${other}&amp;to=${encodeURIComponent(input.path)}">${t.language}</a>` : ''}
        </header>
        <main>${input.main}</main>
        <footer class="site">
          <p>
            ${t.feeds}:
            <a href="${localPath('/security/feed.atom', input.language)}">${t.atom}</a> ·
            <a href="${localPath('/security/feed.json', input.language)}">${t.json}</a> ·
            <a href="${localPath('/security/subscribe', input.language)}">${t.email}</a>
          </p>
          <p>
            <a href="/.well-known/csaf/provider-metadata.json">${t.csaf}</a> ·
            <a href="/.well-known/security.txt">security.txt</a>
          </p>
          <p><a href="${localPath('/security/verify', input.language)}">${t.verify}</a></p>
        </footer>
      </body>
    </html> `;
  return page.toString();
}

/** The stylesheet of the public pages (served from the cache at /security/security.css). */
export const SECURITY_CSS = `:root{color-scheme:light dark;--fg:#1b1b1b;--muted:#5a5a5a;--line:#d8d8d8;--accent:#0b5cad;--bg:#fff;--soft:#f4f6f8}
@media (prefers-color-scheme:dark){:root{--fg:#e8e8e8;--muted:#a8a8a8;--line:#3a3a3a;--accent:#7db4ff;--bg:#121212;--soft:#1d1f22}}
*{box-sizing:border-box}
body{margin:0;font:1.05rem/1.6 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:var(--fg);background:var(--bg)}
a{color:var(--accent)}
header.site,footer.site,main{max-width:46rem;margin:0 auto;padding:1rem 1.25rem}
header.site{display:flex;justify-content:space-between;gap:1rem;border-bottom:1px solid var(--line)}
header.site .home{font-weight:600;text-decoration:none;color:var(--fg)}
footer.site{border-top:1px solid var(--line);color:var(--muted);font-size:.9rem}
h1{font-size:1.8rem;line-height:1.25;margin:.5rem 0 1rem}
h2{font-size:1.3rem;margin:2rem 0 .75rem}
h3,h4,h5,h6{font-size:1.1rem;margin:1.5rem 0 .5rem}
.meta{color:var(--muted);font-size:.95rem;margin:0 0 1rem}
.badge{display:inline-block;padding:.05rem .5rem;border-radius:1rem;background:var(--soft);border:1px solid var(--line);font-size:.85rem}
.filters{display:flex;flex-wrap:wrap;gap:.5rem 1.5rem;margin:1rem 0;padding:.75rem 1rem;background:var(--soft);border-radius:.5rem}
.filters ul{list-style:none;display:flex;flex-wrap:wrap;gap:.25rem .75rem;margin:0;padding:0}
.filters [aria-current]{font-weight:700;color:var(--fg);text-decoration:none}
ol.cases{list-style:none;padding:0;margin:0}
ol.cases li{padding:1rem 0;border-bottom:1px solid var(--line)}
ol.cases h2{margin:.25rem 0;font-size:1.2rem}
ol.timeline{list-style:none;padding:0;margin:0;border-left:3px solid var(--line)}
ol.timeline li{position:relative;margin:0 0 1rem;padding-left:1rem}
ol.timeline time{display:block;color:var(--muted);font-size:.9rem}
.notice{padding:.75rem 1rem;border-left:4px solid var(--accent);background:var(--soft)}
.press{padding:1rem;border:1px solid var(--line);border-radius:.5rem}
table{border-collapse:collapse;width:100%}
th,td{text-align:left;padding:.35rem .5rem;border-bottom:1px solid var(--line)}
td.num,th.num{text-align:right;font-variant-numeric:tabular-nums}
:focus-visible{outline:3px solid #f59e0b;outline-offset:2px}
.code{font-family:ui-monospace,"SFMono-Regular",Menlo,Consolas,monospace;font-weight:700;letter-spacing:.04em}
.lapsed{padding:.75rem 1rem;border:2px solid #b91c1c;border-left-width:8px;border-radius:.5rem}
.badge.expired{border-color:#b91c1c;font-weight:700}
ol.measures,ol.commitments{list-style:none;padding:0;margin:0}
ol.measures>li,ol.commitments>li{padding:1rem 0;border-bottom:1px solid var(--line)}
li.measure.expired{border-left:4px solid #b91c1c;padding-left:.75rem}
.article{display:block;color:var(--muted);font-size:.9rem;font-weight:400}
dl.checks{display:grid;grid-template-columns:max-content 1fr;gap:.15rem 1rem;margin:.5rem 0 0;font-size:.95rem}
dl.checks dt{font-weight:700}
dl.checks dd{margin:0}
form.verify{margin:1.5rem 0;padding:1rem 1.25rem;background:var(--soft);border-radius:.5rem}
form.verify label{display:block;font-weight:700;margin:0 0 .35rem}
form.verify input{font:inherit;font-family:ui-monospace,"SFMono-Regular",Menlo,Consolas,monospace;letter-spacing:.06em;text-transform:uppercase;width:100%;max-width:20rem;min-height:44px;padding:.5rem .75rem;border:2px solid var(--muted);border-radius:.375rem;background:var(--bg);color:var(--fg)}
form.verify .hint{color:var(--muted);font-size:.95rem;margin:.35rem 0 .75rem}
form.verify button{font:inherit;font-weight:700;min-height:44px;padding:.55rem 1.25rem;border:2px solid var(--accent);border-radius:.375rem;background:var(--accent);color:var(--bg);cursor:pointer}
.verdict{margin:1.5rem 0;padding:1rem 1.25rem;border:1px solid var(--line);border-left:6px solid;border-radius:.5rem}
.verdict.ok{border-left-color:#15803d}
.verdict.unknown{border-left-color:#b45309}
.verdict h2{margin:0 0 .75rem}
.verdict dl{display:grid;grid-template-columns:max-content 1fr;gap:.25rem 1rem;margin:0 0 1rem}
.verdict dt{font-weight:700}
.verdict dd{margin:0}
`;
