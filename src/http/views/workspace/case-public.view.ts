import type { CaseView } from '../../../domain/case.js';
import type { NoticeView } from '../../../domain/notice.js';
import type { PublicUpdate } from '../../../domain/publication.js';
import type { DisclosureReport } from '../../../services/publication/disclosure.service.js';
import type { NoticeReview } from '../../../services/notices/notice-review.service.js';
import type { PublicApprovalPreview } from '../../../services/notices/public-approval-preview.service.js';
import type { PublicationStatus } from '../../../services/publication/publication-publish.service.js';
import type { ReadabilityScore } from '../../../domain/readability.js';
import { html, type SafeHtml } from '../html.js';
import { caseHeader, caseTabs, caseTabUrl } from './case-tabs.view.js';
import { caseCsafLink } from './case-csaf.view.js';
import { formatDateTime, formatNumber } from './workspace-format.js';
import { confirmCheckbox } from './confirm-step.view.js';
import { csrfField } from './workspace-layout.view.js';
import { texts, type PublicTabTexts } from './case-public-texts.view.js';
import { reviewDiff, voidedNote } from './notice-review.view.js';
import { updatesPanel } from './case-public-updates.view.js';
import { fieldError, type FormErrors } from './case-form.view.js';
import { publishedPreview } from './public-approval-preview.view.js';
import { sessionOf, type ViewContext } from './view-context.js';

/** One notice (public or press) with its checks. */
export interface PublicNoticePanel {
  audience: 'public' | 'press';
  notice: NoticeView | null;
  disclosure: DisclosureReport | null;
  readability: {
    threshold: number;
    languages: Record<string, (ReadabilityScore & { belowThreshold: boolean }) | null>;
  } | null;
  /** What approving now would pin and publish; null without a notice. */
  preview: PublicApprovalPreview | null;
  /** The changes since the last approval; null without a notice. */
  review: NoticeReview | null;
}

export interface CasePublicModel {
  kase: CaseView;
  status: PublicationStatus;
  panels: PublicNoticePanel[];
  updates: (PublicUpdate & { createdBy: string })[];
  pagePath: string | null;
  actorName: string;
  canWrite: boolean;
  canPublish: boolean;
  isApprover: boolean;
  /** The "from the template" form that was refused: its audience and the messages. */
  noticeForm?: { audience: 'public' | 'press'; errors: FormErrors };
  /** The update form that was refused: what was sent and the messages. */
  updateForm?: PublicFormState;
}

/** A refused form of the tab: the fields as sent and the messages by field. */
export interface PublicFormState {
  values: Record<string, string>;
  errors: FormErrors;
}

/** The public tab: public notice and press statement, checks, embargo, updates, publishing. */
export function casePublicView(view: ViewContext, model: CasePublicModel): SafeHtml {
  const session = sessionOf(view);
  const t = texts(session.locale);
  const base = caseTabUrl(model.kase.reference, 'public');
  return html`${caseHeader(view, model.kase)} ${caseTabs(view, model.kase, 'public')}
  ${statusPanel(view, model, t, base)} ${caseCsafLink(view, model.kase)}
  ${model.panels.map((p) => noticePanel(view, model, p, t, base))}
  ${embargoPanel(view, model, t, base)} ${updatesPanel(view, model, t, base)}`;
}

function statusPanel(view: ViewContext, model: CasePublicModel, t: PublicTabTexts, base: string) {
  const s = model.status;
  return html`<section class="card case-panel" aria-labelledby="public-status-heading">
    <h2 id="public-status-heading">${t.statusHeading}</h2>
    <dl class="case-figures">
      <div>
        <dt>${t.state}</dt>
        <dd>${s.published ? t.published : s.withdrawn ? t.withdrawn : t.notPublished}</dd>
      </div>
      <div>
        <dt>${t.revision}</dt>
        <dd>${s.revision}</dd>
      </div>
      ${
        model.pagePath
          ? html`<div>
              <dt>${t.page}</dt>
              <dd><a href="${model.pagePath}">${model.pagePath}</a></dd>
            </div>`
          : ''
      }
    </dl>
    ${
      model.canPublish
        ? s.canPublish
          ? html`<form method="post" action="${base}/publish" class="actions case-actions">
              ${csrfField(view)}
              <p class="hint case-hint">${t.publishHint}</p>
              ${confirmCheckbox(view, 'publish')}
              <button type="submit" class="case-primary">
                ${s.published ? t.republish : t.publish}
              </button>
            </form>`
          : html`<p class="muted">${s.published ? t.nothingNew : t.needsApproval}</p>`
        : html`<p class="muted">${t.noPublishRight}</p>`
    }
  </section>`;
}

function noticePanel(
  view: ViewContext,
  model: CasePublicModel,
  panel: PublicNoticePanel,
  t: PublicTabTexts,
  base: string,
) {
  const session = sessionOf(view);
  const heading = panel.audience === 'public' ? t.publicHeading : t.pressHeading;
  const id = `${panel.audience}-heading`;
  const n = panel.notice;
  if (!n) {
    return html`<section class="card case-panel" aria-labelledby="${id}">
      <h2 id="${id}">${heading}</h2>
      <p class="muted">${panel.audience === 'public' ? t.noPublic : t.noPress}</p>
      ${
        model.canWrite
          ? html`<form method="post" action="${base}/notices" class="actions case-actions">
              ${csrfField(view)}<input type="hidden" name="audience" value="${panel.audience}" />
              <button type="submit">${t.fromTemplate}</button>
              ${
                model.noticeForm?.audience === panel.audience
                  ? fieldError(model.noticeForm.errors, 'language', `notice-${panel.audience}`)
                  : ''
              }
            </form>`
          : ''
      }
    </section>`;
  }
  const readonly = model.canWrite ? '' : html`readonly`;
  const languages = Object.keys(n.texts).sort();
  const open = panel.disclosure?.open ?? 0;
  return html`<section class="card case-panel" aria-labelledby="${id}">
    <h2 id="${id}">
      ${heading}
      <span class="badge case-badge notice-status-${n.status}">${t.noticeStatus[n.status]}</span>
    </h2>
    <form method="post" action="${base}/notices/${n.id}" class="case-form public-editor">
      ${csrfField(view)}
      <div class="notice-languages">
        ${languages.map((l) => {
          const text = n.texts[l as 'nl' | 'en']!;
          const score = panel.readability?.languages[l] ?? null;
          return html`<fieldset class="notice-language">
            <legend>${t.language[l as 'nl' | 'en'] ?? l}</legend>
            <label for="${panel.audience}-${l}-subject">${t.subject}</label>
            <input
              id="${panel.audience}-${l}-subject"
              name="${l}.subject"
              value="${text.subject}"
              maxlength="300"
              required
              ${readonly}
            />
            <label for="${panel.audience}-${l}-body">${t.body}</label>
            <textarea
              id="${panel.audience}-${l}-body"
              name="${l}.body"
              rows="16"
              required
              class="code case-code"
              ${readonly}
            >
${text.body}</textarea>
            ${
              score
                ? html`<p
                    class="public-readability ${score.belowThreshold ? 'public-readability-low' : 'public-readability-ok'}"
                  >
                    ${t.readability(l)}: <strong>${formatNumber(session, score.score)}</strong>
                    (${t.threshold} ${formatNumber(session, panel.readability!.threshold)};
                    ${formatNumber(session, score.wordsPerSentence)} ${t.wordsPerSentence},
                    ${formatNumber(session, score.syllablesPerWord)} ${t.syllablesPerWord})
                    ${score.belowThreshold ? html` — ${t.tooHard}` : ''}
                  </p>`
                : ''
            }
          </fieldset>`;
        })}
      </div>
      ${model.canWrite ? html`<div class="actions case-actions"><button type="submit">${t.save}</button></div>` : ''}
      <p class="hint case-hint">${t.embargoHint}</p>
    </form>
    <h3>${t.disclosureHeading}</h3>
    ${
      panel.disclosure && panel.disclosure.findings.length > 0
        ? html`<ul class="public-findings">
            ${panel.disclosure.findings.map(
              (f) =>
                html`<li class="${f.accepted ? 'public-finding-accepted' : 'public-finding-open'}">
                  <strong>${t.rule[f.rule] ?? f.rule}</strong>
                  (${f.language}, ${f.part === 'subject' ? t.subject : t.body}, ${t.line}
                  ${f.line}):
                  <code>${f.excerpt}</code> — ${f.message}
                  ${
                    f.accepted
                      ? html`<p class="muted">
                          ${t.acceptedBy(f.accepted.by, formatDateTime(session, f.accepted.at))}:
                          ${f.accepted.reason}
                        </p>`
                      : model.canWrite
                        ? html`<form
                            method="post"
                            action="${base}/notices/${n.id}/accept"
                            class="case-form public-accept"
                          >
                            ${csrfField(view)}
                            <input type="hidden" name="fingerprint" value="${f.fingerprint}" />
                            <label for="reason-${f.fingerprint}">${t.acceptReason}</label>
                            <input
                              id="reason-${f.fingerprint}"
                              name="reason"
                              required
                              minlength="3"
                              maxlength="1000"
                            />
                            <button type="submit">${t.accept}</button>
                          </form>`
                        : ''
                  }
                </li>`,
            )}
          </ul>`
        : html`<p class="case-ok">${t.noFindings}</p>`
    }
    ${approvalPart(view, model, panel, open, t, base)}
  </section>`;
}

/** What will be published, what changed since the last approval, and the approve action. */
function approvalPart(
  view: ViewContext,
  model: CasePublicModel,
  panel: PublicNoticePanel,
  open: number,
  t: PublicTabTexts,
  base: string,
) {
  const n = panel.notice!;
  const released = (condition: string) =>
    model.status.embargo.some((e) => e.condition === condition && e.released);
  return html`${panel.preview ? publishedPreview(view, panel.audience, panel.preview, released) : ''}
  ${voidedNote(view, n)} ${panel.review ? reviewDiff(view, panel.review, panel.audience) : ''}
  ${approvalAction(view, model, panel, open, t, base)}`;
}

function approvalAction(
  view: ViewContext,
  model: CasePublicModel,
  panel: PublicNoticePanel,
  open: number,
  t: PublicTabTexts,
  base: string,
) {
  const session = sessionOf(view);
  const n = panel.notice!;
  // The hash of the very texts shown above, so an approval pins what the approver read.
  const approvalHash = panel.preview?.approvalHash ?? n.approvalHash;
  if (n.status === 'approved')
    return html`<p class="case-ok">
      ${t.approvedBy(n.approvedBy ?? '', formatDateTime(session, n.approvedAt))}
    </p>`;
  if (!model.isApprover) return html`<p class="muted">${t.waitsForApprover}</p>`;
  if (n.editors.includes(model.actorName))
    return html`<p class="case-four-eyes" role="note">${t.fourEyes}</p>`;
  if (open > 0) return html`<p class="case-errors" role="note">${t.openFindings(open)}</p>`;
  return html`<form method="post" action="${base}/notices/${n.id}/approve" class="case-form">
    ${csrfField(view)}<input type="hidden" name="approvalHash" value="${approvalHash}" />
    ${confirmCheckbox(view, 'approvePublic')}
    <button type="submit" class="case-primary">${t.approve}</button>
  </form>`;
}

function embargoPanel(view: ViewContext, model: CasePublicModel, t: PublicTabTexts, base: string) {
  const e = model.status.embargo;
  const pending = e.filter((x) => !x.released);
  return html`<section class="card case-panel" aria-labelledby="embargo-heading">
    <h2 id="embargo-heading">${t.embargoHeading}</h2>
    ${
      e.length === 0
        ? html`<p class="muted">${t.noEmbargo}</p>`
        : html`<ul>
            ${e.map(
              (x) =>
                html`<li>
                  ${x.condition === 'resolved' ? t.untilResolved : t.untilDate(x.condition)}:
                  <strong>${x.released ? t.released : t.held}</strong>
                </li>`,
            )}
          </ul>`
    }
    ${
      pending.length > 0 && model.canPublish && model.status.published
        ? html`<form method="post" action="${base}/release" class="actions case-actions">
            ${csrfField(view)} ${confirmCheckbox(view, 'release')}
            <button type="submit">${t.releaseNow}</button>
          </form>`
        : ''
    }
  </section>`;
}
