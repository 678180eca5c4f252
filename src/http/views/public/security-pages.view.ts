import type { PublicLanguage, PublishedCase } from '../../../domain/publication.js';
import { html, type SafeHtml } from '../html.js';
import { postureTexts } from './posture-texts.js';
import { localPath, markdownHtml, securityPage } from './security-layout.view.js';
import {
  formatPublicDate,
  revisionLabel,
  securityTexts,
  type SecurityTexts,
} from './security-texts.js';

/** The listing (/security) and the page of one case (/security/{year}/{slug}). */

export interface SiteInfo {
  organisation: string;
  publicUrl: string;
  /** The audit anchor published last (`candor audit anchor --publish`), if any. */
  auditAnchor?: { seq: number; hash: string; anchoredAt: string } | null;
  /** Published versions of the posture statement, newest first (docs/posture.md). */
  posture?: readonly { version: number; publishedAt: string; validUntil: string }[];
}

export interface ListFilter {
  kind: 'incident' | 'advisory' | null;
  year: number | null;
}

/** The text of a case in a language, falling back to its default language. */
export function textOf(c: PublishedCase, language: PublicLanguage) {
  return c.texts[language] ?? c.texts[c.defaultLanguage] ?? Object.values(c.texts)[0]!;
}

/** The query string of a filter (kind first, then year): the cache key of its listing. */
export function filterQuery(filter: ListFilter): string {
  const parts = [
    ...(filter.kind ? [`kind=${filter.kind}`] : []),
    ...(filter.year ? [`year=${filter.year}`] : []),
  ];
  return parts.length ? `?${parts.join('&')}` : '';
}

/** The link to the posture statement, with its validity, when one is published. */
function postureLink(site: SiteInfo, language: PublicLanguage): SafeHtml | '' {
  const current = site.posture?.[0];
  if (!current) return '';
  const t = postureTexts(language);
  const until = formatPublicDate(`${current.validUntil}T12:00:00Z`, language, false);
  return html`<p class="notice">
    <a href="${localPath('/security/posture', language)}">${t.title}</a> —
    ${t.validUntil.toLowerCase()} ${until}
  </p>`;
}

/** The history page, filtered. */
export function renderSecurityList(
  all: readonly PublishedCase[],
  filter: ListFilter,
  language: PublicLanguage,
  site: SiteInfo,
): string {
  const t = securityTexts(language);
  const years = [...new Set(all.map((c) => c.year))].sort((a, b) => b - a);
  const shown = all.filter(
    (c) => (!filter.kind || c.kind === filter.kind) && (!filter.year || c.year === filter.year),
  );
  const base = localPath('/security', language);
  const link = (f: ListFilter, label: string, current: boolean) =>
    html`<li>
      <a href="${base}${filterQuery(f)}" ${current ? html` aria-current="page"` : ''}>${label}</a>
    </li>`;
  const main = html`<h1>${t.pageTitle}</h1>
    <p>${t.intro(site.organisation)}</p>
    ${postureLink(site, language)}
    <nav class="filters" aria-label="${t.filterKind} / ${t.filterYear}">
      <div>
        <strong>${t.filterKind}</strong>
        <ul>
          ${link({ ...filter, kind: null }, t.all, !filter.kind)}
          ${link({ ...filter, kind: 'incident' }, t.incidents, filter.kind === 'incident')}
          ${link({ ...filter, kind: 'advisory' }, t.advisories, filter.kind === 'advisory')}
        </ul>
      </div>
      <div>
        <strong>${t.filterYear}</strong>
        <ul>
          ${link({ ...filter, year: null }, t.allYears, !filter.year)}
          ${years.map((y) => link({ ...filter, year: y }, String(y), filter.year === y))}
        </ul>
      </div>
    </nav>
    ${
      shown.length === 0
        ? html`<p>${t.none}</p>`
        : html`<ol class="cases">
            ${shown.map((c) => listItem(c, language, t))}
          </ol>`
    }
    ${yearTable(all, filter, language, t)}
    ${!filter.kind && !filter.year && site.auditAnchor ? auditAnchorSection(site.auditAnchor, language, t) : ''}`;
  return securityPage({
    language,
    path: `/security${filterQuery(filter)}`,
    title: t.pageTitle,
    description: t.intro(site.organisation),
    organisation: site.organisation,
    publicUrl: site.publicUrl,
    main,
  });
}

function listItem(c: PublishedCase, language: PublicLanguage, t: SecurityTexts): SafeHtml {
  const text = textOf(c, language);
  return html`<li>
    <p class="meta">
      <span class="badge">${c.kind === 'incident' ? t.incident : t.advisory}</span> ${c.reference} ·
      <time datetime="${c.publishedAt}">${formatPublicDate(c.publishedAt, language, false)}</time
      >${c.updatedAt !== c.publishedAt ? html` · ${t.updated} <time datetime="${c.updatedAt}">${formatPublicDate(c.updatedAt, language, false)}</time>` : ''}
    </p>
    <h2><a href="${localPath(c.paths.page, language)}">${text.title}</a></h2>
    <p>${text.summary}</p>
  </li>`;
}

/** The latest published anchor of the audit chain: a copy of it outside our database. */
function auditAnchorSection(
  anchor: NonNullable<SiteInfo['auditAnchor']>,
  language: PublicLanguage,
  t: SecurityTexts,
): SafeHtml {
  return html`<section aria-labelledby="audit-anchor">
    <h2 id="audit-anchor">${t.auditAnchor}</h2>
    <p>${t.auditAnchorIntro}</p>
    <table>
      <tbody>
        <tr>
          <th>${t.auditAnchorEntry}</th>
          <td class="num">${anchor.seq}</td>
        </tr>
        <tr>
          <th>SHA-256</th>
          <td><code>${anchor.hash}</code></td>
        </tr>
        <tr>
          <th>${t.auditAnchorDate}</th>
          <td>
            <time datetime="${anchor.anchoredAt}"
              >${formatPublicDate(anchor.anchoredAt, language)}</time
            >
          </td>
        </tr>
      </tbody>
    </table>
  </section>`;
}

/** Median hours per year: the honesty figure over a whole year. */
function yearTable(
  all: readonly PublishedCase[],
  filter: ListFilter,
  language: PublicLanguage,
  t: SecurityTexts,
): SafeHtml {
  const incidents = all.filter(
    (c) => c.kind === 'incident' && (!filter.year || c.year === filter.year),
  );
  if (incidents.length === 0) return html``;
  const years = [...new Set(incidents.map((c) => c.year))].sort((a, b) => b - a);
  const rows = years.map((y) => {
    const of = incidents.filter((c) => c.year === y);
    const m1 = median(of.map((c) => c.transparency.hoursToFirstCustomerNotice));
    const m2 = median(of.map((c) => c.transparency.hoursToPublicNotice));
    return html`<tr>
      <td>${y}</td>
      <td class="num">${of.length}</td>
      <td class="num">${m1 === null ? t.unknown : t.hours(m1)}</td>
      <td class="num">${m2 === null ? t.unknown : t.hours(m2)}</td>
    </tr>`;
  });
  return html`<section aria-labelledby="transparency">
    <h2 id="transparency">${t.transparency}</h2>
    <p>${t.transparencyIntro} ${t.perYear}.</p>
    <table>
      <thead>
        <tr>
          <th>${t.year}</th>
          <th class="num">${t.cases}</th>
          <th class="num">${t.toCustomers}</th>
          <th class="num">${t.toPublic}</th>
        </tr>
      </thead>
      <tbody>
        ${rows}
      </tbody>
    </table>
  </section>`;
}

/** The median of the known values, one decimal; null when none is known. */
export function median(values: readonly (number | null)[]): number | null {
  const known = values.filter((v): v is number => v !== null).sort((a, b) => a - b);
  if (known.length === 0) return null;
  const mid = Math.floor(known.length / 2);
  const m = known.length % 2 ? known[mid]! : (known[mid - 1]! + known[mid]!) / 2;
  return Math.round(m * 10) / 10;
}

/** The page of one case. */
export function renderSecurityCase(
  c: PublishedCase,
  language: PublicLanguage,
  site: SiteInfo,
): string {
  const t = securityTexts(language);
  const text = textOf(c, language);
  const updates = [...c.updates].reverse();
  const press = c.pressStatement;
  const pressText = press ? (press.texts[language] ?? Object.values(press.texts)[0]) : undefined;
  const hours = (h: number | null) => (h === null ? t.unknown : t.hours(h));
  const main = html`<p class="meta">
      <a href="${localPath('/security', language)}">← ${t.back}</a>
    </p>
    <article>
      <p class="meta">
        <span class="badge">${c.kind === 'incident' ? t.incident : t.advisory}</span> ${t.reference}
        ${c.reference} · ${t.state}: ${t.states[c.state] ?? c.state}
      </p>
      <h1>${text.title}</h1>
      <p class="meta">
        ${t.published}
        <time datetime="${c.publishedAt}">${formatPublicDate(c.publishedAt, language)}</time
        >${c.updatedAt !== c.publishedAt ? html` · ${t.updated} <time datetime="${c.updatedAt}">${formatPublicDate(c.updatedAt, language)}</time>` : ''}
      </p>
      ${markdownHtml(text.body)} ${c.embargoPending ? html`<p class="notice">${t.embargo}</p>` : ''}
      ${
        updates.length > 0
          ? html`<section aria-labelledby="timeline">
              <h2 id="timeline">${t.timeline}</h2>
              <ol class="timeline">
                ${updates.map((u) => {
                  const body = u.text[language] ?? Object.values(u.text)[0] ?? '';
                  return html`<li id="update-${u.id}">
                    <time datetime="${u.at}">${formatPublicDate(u.at, language)}</time
                    ><strong>${t.status[u.status]}</strong>${markdownHtml(body)}
                  </li>`;
                })}
              </ol>
            </section>`
          : ''
      }
      ${
        press && pressText
          ? html`<section aria-labelledby="press" class="press">
              <h2 id="press">${t.press}</h2>
              <p class="meta">
                <time datetime="${press.publishedAt}"
                  >${formatPublicDate(press.publishedAt, language)}</time
                >
                · <a href="${localPath(c.paths.pressText!, language)}">${t.pressText}</a> ·
                <a href="${localPath(c.paths.pressPdf!, language)}">${t.pressPdf}</a>
              </p>
              <h3>${pressText.title}</h3>
              ${markdownHtml(pressText.body)}
            </section>`
          : ''
      }
      ${
        c.kind === 'incident'
          ? html`<section aria-labelledby="transparency">
              <h2 id="transparency">${t.transparency}</h2>
              <p>${t.transparencyIntro}</p>
              <table>
                <tbody>
                  <tr>
                    <th>${t.toCustomers}</th>
                    <td class="num">${hours(c.transparency.hoursToFirstCustomerNotice)}</td>
                  </tr>
                  <tr>
                    <th>${t.toPublic}</th>
                    <td class="num">${hours(c.transparency.hoursToPublicNotice)}</td>
                  </tr>
                </tbody>
              </table>
            </section>`
          : ''
      }
      <section aria-labelledby="revisions">
        <h2 id="revisions">${t.revisions}</h2>
        <ol>
          ${c.revisions.map(
            (r) =>
              html`<li>
                <time datetime="${r.date}">${formatPublicDate(r.date, language)}</time> —
                ${revisionLabel(r.summary, t)}
              </li>`,
          )}
        </ol>
      </section>
    </article>`;
  return securityPage({
    language,
    path: c.paths.page,
    title: text.title,
    description: text.summary,
    organisation: site.organisation,
    publicUrl: site.publicUrl,
    main,
  });
}

/** The press statement as plain text (UTF-8). */
export function pressPlainText(
  c: PublishedCase,
  language: PublicLanguage,
  site: SiteInfo,
): string | null {
  const press = c.pressStatement;
  const text = press ? (press.texts[language] ?? Object.values(press.texts)[0]) : undefined;
  if (!press || !text) return null;
  const t = securityTexts(language);
  const body = text.body
    .replace(/\*\*([^*]+)\*\*/g, '$1')
    .replace(/\[([^\]]+)\]\(([^)]+)\)/g, '$1 <$2>')
    .replace(/^#+\s*/gm, '');
  return `${text.title}\n${'='.repeat(Math.min(text.title.length, 72))}\n\n${t.reference}: ${c.reference}\n${t.published}: ${formatPublicDate(press.publishedAt, language)}\n${site.publicUrl}${localPath(c.paths.page, language)}\n\n${body.trim()}\n`;
}
