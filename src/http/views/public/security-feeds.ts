import type { PublicLanguage, PublishedCase } from '../../../domain/publication.js';
import { postureVersionPath } from '../../../domain/posture/posture-document.js';
import { escapeHtml } from '../html.js';
import { postureTexts } from './posture-texts.js';
import { localPath, markdownHtml } from './security-layout.view.js';
import { textOf, type SiteInfo } from './security-pages.view.js';
import { securityTexts } from './security-texts.js';

/**
 * The security page as feeds: Atom (RFC 4287) and JSON Feed 1.1, one entry per published
 * case and one per update, newest first. Texts are the embargo-free snapshot texts.
 */

interface FeedItem {
  id: string;
  url: string;
  title: string;
  summary: string;
  html: string;
  published: string;
  updated: string;
  category: string;
}

function feedItems(cases: readonly PublishedCase[], language: PublicLanguage, site: SiteInfo) {
  const t = securityTexts(language);
  const host = new URL(site.publicUrl).hostname || 'localhost';
  const items: FeedItem[] = [];
  for (const c of cases) {
    const text = textOf(c, language);
    const url = `${site.publicUrl}${localPath(c.paths.page, language)}`;
    const tag = `tag:${host},${c.publishedAt.slice(0, 10)}:security/${c.reference}`;
    items.push({
      id: `${tag}/${language}`,
      url,
      title: `${c.reference}: ${text.title}`,
      summary: text.summary,
      html: markdownHtml(text.body).toString(),
      published: c.publishedAt,
      updated: c.updatedAt,
      category: c.kind,
    });
    for (const u of c.updates) {
      const body = u.text[language] ?? Object.values(u.text)[0] ?? '';
      items.push({
        id: `${tag}/update/${u.id}/${language}`,
        url: `${url}#update-${u.id}`,
        title: `${c.reference}: ${t.status[u.status]} — ${text.title}`,
        summary: body
          .replace(/[*_`#>]/g, '')
          .replace(/\s+/g, ' ')
          .trim()
          .slice(0, 300),
        html: markdownHtml(body).toString(),
        published: u.at,
        updated: u.at,
        category: c.kind,
      });
    }
  }
  // A new version of the posture statement is an entry of its own.
  const p = postureTexts(language);
  for (const v of site.posture ?? []) {
    const url = `${site.publicUrl}${localPath(postureVersionPath(v.version), language)}`;
    const summary = `${p.short}, ${p.version(v.version).toLowerCase()} — ${p.validUntil.toLowerCase()} ${v.validUntil}`;
    items.push({
      id: `tag:${host},${v.publishedAt.slice(0, 10)}:security/posture/${v.version}/${language}`,
      url,
      title: `${p.title}: ${p.version(v.version).toLowerCase()}`,
      summary,
      html: `<p>${escapeHtml(summary)}</p>`,
      published: v.publishedAt,
      updated: v.publishedAt,
      category: 'posture',
    });
  }
  return items.sort((a, b) => (a.updated < b.updated ? 1 : a.updated > b.updated ? -1 : 0));
}

const x = (s: string) => escapeHtml(s);

/** The Atom feed document. */
export function renderAtomFeed(
  cases: readonly PublishedCase[],
  language: PublicLanguage,
  site: SiteInfo,
  fallbackUpdated: string,
): string {
  const t = securityTexts(language);
  const items = feedItems(cases, language, site);
  const self = `${site.publicUrl}${localPath('/security/feed.atom', language)}`;
  const updated = items[0]?.updated ?? fallbackUpdated;
  const entries = items.map(
    (i) => `  <entry>
    <id>${x(i.id)}</id>
    <title type="text">${x(i.title)}</title>
    <link rel="alternate" type="text/html" href="${x(i.url)}"/>
    <published>${i.published}</published>
    <updated>${i.updated}</updated>
    <category term="${i.category}"/>
    <summary type="text">${x(i.summary)}</summary>
    <content type="html">${x(i.html)}</content>
  </entry>
`,
  );
  return `<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="${language}">
  <id>${x(self)}</id>
  <title type="text">${x(`${site.organisation} — ${t.pageTitle}`)}</title>
  <subtitle type="text">${x(t.intro(site.organisation))}</subtitle>
  <updated>${updated}</updated>
  <author><name>${x(site.organisation)}</name><uri>${x(site.publicUrl)}</uri></author>
  <link rel="self" type="application/atom+xml" href="${x(self)}"/>
  <link rel="alternate" type="text/html" href="${x(`${site.publicUrl}${localPath('/security', language)}`)}"/>
  <generator uri="https://github.com/candor">Candor</generator>
${entries.join('')}</feed>
`;
}

/** The JSON Feed 1.1 document. */
export function renderJsonFeed(
  cases: readonly PublishedCase[],
  language: PublicLanguage,
  site: SiteInfo,
): string {
  const t = securityTexts(language);
  const items = feedItems(cases, language, site);
  return JSON.stringify(
    {
      version: 'https://jsonfeed.org/version/1.1',
      title: `${site.organisation} — ${t.pageTitle}`,
      home_page_url: `${site.publicUrl}${localPath('/security', language)}`,
      feed_url: `${site.publicUrl}${localPath('/security/feed.json', language)}`,
      description: t.intro(site.organisation),
      language,
      authors: [{ name: site.organisation, url: site.publicUrl }],
      items: items.map((i) => ({
        id: i.id,
        url: i.url,
        title: i.title,
        summary: i.summary,
        content_html: i.html,
        date_published: i.published,
        date_modified: i.updated,
        tags: [i.category],
      })),
    },
    null,
    2,
  );
}
