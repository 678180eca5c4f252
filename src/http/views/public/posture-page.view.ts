import type { PostureLanguage } from '../../../domain/posture/posture.js';
import {
  postureVersionPath,
  POSTURE_SCHEMA_PATH,
  type PostureDocument,
} from '../../../domain/posture/posture-document.js';
import { html, type SafeHtml } from '../html.js';
import { localPath, securityPage } from './security-layout.view.js';
import { postureTexts } from './posture-texts.js';
import { formatPublicDate } from './security-texts.js';

/**
 * /security/posture: the statement in force (or, at /security/posture/v/N, an earlier one).
 * Plain HTML under the public pages' strict CSP; an expired item stays in its place, marked.
 */

const date = (d: string, language: PostureLanguage) =>
  formatPublicDate(`${d}T12:00:00Z`, language, false);

/** The page of one version; `current` is the version in force. */
export function renderPosturePage(
  doc: PostureDocument,
  current: number,
  language: PostureLanguage,
  site: { organisation: string; publicUrl: string; signed: boolean },
): string {
  const t = postureTexts(language);
  const isCurrent = doc.version === current;
  const path = isCurrent ? '/security/posture' : postureVersionPath(doc.version);
  const status = (m: PostureDocument['measures'][number]): SafeHtml =>
    html`<span class="badge status-${m.status}">${t.status[m.status]}</span>
      ${m.expired ? html`<span class="badge expired">${t.expired}</span>` : ''}`;
  const measures = doc.measures.map(
    (m) =>
      html`<li id="measure-${m.id}" class="${m.expired ? 'measure expired' : 'measure'}">
        <h3>
          <span class="article"
            >${m.article ? `${m.article.replace('NIS2 Art. ', 'Art. ')}` : t.own}</span
          >
          ${m.title[language]}
        </h3>
        <p class="meta">${status(m)}</p>
        ${m.expired && m.validUntil ? html`<p class="notice">${t.expiredNote(date(m.validUntil, language))}</p>` : ''}
        <p>${m.description[language]}</p>
        ${m.reason[language] ? html`<p><strong>${t.why}:</strong> ${m.reason[language]}</p>` : ''}
        <dl class="checks">
          <dt>${t.lastChecked}</dt>
          <dd>${m.lastChecked ? date(m.lastChecked, language) : t.never}</dd>
          <dt>${t.checkedBy}</dt>
          <dd>
            ${m.checkedBy.kind === 'external' ? t.external(m.checkedBy.auditor ?? '') : t.internal}
          </dd>
          <dt>${t.evidence}</dt>
          <dd>${t.evidenceKinds[m.evidence]}</dd>
          <dt>${t.validUntil}</dt>
          <dd>${m.validUntil ? date(m.validUntil, language) : t.noDate}</dd>
        </dl>
      </li>`,
  );
  const commitments = doc.commitments.map(
    (c) =>
      html`<li id="commitment-${c.id}">
        <h3>${c.text[language]}</h3>
        ${
          c.record.length === 0
            ? html`<p class="meta">${t.noCases}</p>`
            : html`<table>
                  <thead>
                    <tr>
                      <th>${t.year}</th>
                      <th class="num">${t.kept}</th>
                      <th class="num">${t.missed}</th>
                      <th class="num">${t.pending}</th>
                    </tr>
                  </thead>
                  <tbody>
                    ${c.record.map(
                      (y) =>
                        html`<tr>
                          <td>${y.year}</td>
                          <td class="num">${y.kept}</td>
                          <td class="num">${y.missed}</td>
                          <td class="num">${y.pending}</td>
                        </tr>`,
                    )}
                  </tbody>
                </table>
                ${
                  c.record.some((y) => y.missedCases.length > 0)
                    ? html`<p>${t.missedCases}:</p>
                        <ul class="missed">
                          ${c.record.flatMap((y) =>
                            y.missedCases.map(
                              (m) =>
                                html`<li>
                                  ${
                                    m.reference && m.url
                                      ? html`<a
                                          href="${localPath(new URL(m.url).pathname, language)}"
                                          >${m.reference}</a
                                        >`
                                      : t.unpublished
                                  }
                                  (${y.year}: ${m.hours === null ? t.notYet : t.hours(m.hours)})
                                </li>`,
                            ),
                          )}
                        </ul>`
                    : ''
                }`
        }
      </li>`,
  );
  const history = doc.history.map(
    (h) =>
      html`<li>
        <a href="${localPath(postureVersionPath(h.version), language)}">${t.version(h.version)}</a>
        — ${formatPublicDate(h.publishedAt, language, false)}
      </li>`,
  );
  const main = html`
    <h1>${t.title}</h1>
    ${
      doc.lapsed
        ? html`<p class="lapsed" role="alert">
            <strong>${t.lapsed(date(doc.validUntil, language))}</strong>
          </p>`
        : ''
    }
    ${
      !isCurrent
        ? html`<p class="notice">
            ${t.superseded(current)}
            <a href="${localPath('/security/posture', language)}">${t.current}</a>
          </p>`
        : ''
    }
    <p class="meta">
      ${t.version(doc.version)} · ${t.publishedOn}
      ${formatPublicDate(doc.publishedAt, language, false)} ·
      <strong>${t.validUntil} ${date(doc.validUntil, language)}</strong>
    </p>
    <p>${doc.intro[language]}</p>
    <section aria-labelledby="measures">
      <h2 id="measures">${t.measures}</h2>
      <p>${t.measuresIntro}</p>
      <ol class="measures">
        ${measures}
      </ol>
    </section>
    <section aria-labelledby="commitments">
      <h2 id="commitments">${t.commitments}</h2>
      <p>${t.commitmentsIntro}</p>
      <ol class="commitments">
        ${commitments}
      </ol>
    </section>
    <section aria-labelledby="history">
      <h2 id="history">${t.history}</h2>
      <ol class="history">
        ${history}
      </ol>
    </section>
    <section aria-labelledby="machine">
      <h2 id="machine">${t.machine}</h2>
      <p>
        <a href="/security/posture.json">${t.json}</a> ·
        <a href="${POSTURE_SCHEMA_PATH}">${t.schema}</a>
        ${site.signed ? html` · <a href="/security/posture.json.asc">${t.signature}</a>` : ''}
      </p>
    </section>
  `;
  return securityPage({
    language,
    path,
    title: `${t.short} — ${t.version(doc.version)}`,
    description: doc.intro[language].slice(0, 200),
    organisation: site.organisation,
    publicUrl: site.publicUrl,
    main,
  });
}
