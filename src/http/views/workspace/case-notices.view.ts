import type { CaseView } from '../../../domain/case.js';
import type { NoticeText, NoticeView } from '../../../domain/notice.js';
import type { NoticeCheck } from '../../../services/notices/notice-check.service.js';
import type { NoticePreview } from '../../../services/notices/case-workspace-preview.js';
import type { NoticeReview } from '../../../services/notices/notice-review.service.js';
import type { CaseStatements } from '../../../domain/statements.js';
import { html, type SafeHtml } from '../html.js';
import { caseHeader, caseTabs, caseTabUrl } from './case-tabs.view.js';
import type { FormErrors } from './case-form.view.js';
import { noticeEditor } from './notice-editor.view.js';
import { reviewDiff, voidedNote } from './notice-review.view.js';
import { statementsSection } from './notice-statements.view.js';
import { confirmCheckbox } from './confirm-step.view.js';
import { csrfField } from './workspace-layout.view.js';
import { formatDateTime, formatNumber } from './workspace-format.js';
import { defineTexts } from './workspace-texts.js';
import { sessionOf, type ViewContext } from './view-context.js';

const texts = defineTexts({
  nl: {
    notices: 'Berichten aan getroffenen',
    intro:
      'Het persoonlijke bericht aan elke getroffen klant. Openbare berichten en persberichten staan onder "Openbaar".',
    none: 'Nog geen bericht aan de getroffenen.',
    create: 'Bericht maken uit de standaardteksten (Nederlands en Engels)',
    version: 'versie',
    status: {
      draft: 'concept',
      approved: 'goedgekeurd',
      'changed-since-approval': 'gewijzigd na goedkeuring',
    },
    edit: 'Tekst bewerken',
    language: { nl: 'Nederlands', en: 'Engels' },
    subject: 'Onderwerp',
    body: 'Tekst (Markdown met variabelen zoals {{ customer.name }})',
    save: 'Opslaan',
    previewAs: 'Voorbeeld als',
    sampleId: 'of klantnummer',
    previewLanguage: 'Taal van het voorbeeld',
    previewDraft: 'Toon dit concept in het voorbeeld',
    show: 'Toon voorbeeld',
    savedHtml:
      'Het HTML-voorbeeld toont de opgeslagen tekst; gebruik de knop om een concept te bekijken.',
    approval: 'Goedkeuring',
    statusLabel: 'Status',
    editors: 'Geschreven door',
    approvedBy: 'Goedgekeurd door',
    notApproved: 'nog niet goedgekeurd',
    check: 'Controle van de opgeslagen versie over alle getroffenen',
    checkOk: (n: string) => `In orde voor alle ${n} getroffenen.`,
    checkSkipped: 'De volledige controle draait bij het goedkeuren (grote set).',
    approve: 'Deze versie goedkeuren',
    toDispatch: 'Verzenden: naar het tabblad Verzenden',
    fourEyesYou: (name: string) =>
      `U (${name}) hebt aan dit bericht geschreven. Volgens het vier-ogenprincipe mag u het daarom niet goedkeuren; een andere goedkeurder moet dat doen.`,
    notApprover: 'Alleen een gebruiker met de rol goedkeurder kan berichten goedkeuren.',
    approveHint:
      'U keurt precies deze versie goed. Elke latere wijziging maakt de goedkeuring ongeldig.',
    errorsHeading: 'Niet gelukt:',
    readOnly: 'U kunt berichten bekijken maar niet bewerken.',
  },
  en: {
    notices: 'Notices to affected customers',
    intro:
      'The personal notice to each affected customer. Public notices and press statements are under "Public".',
    none: 'No notice to the affected customers yet.',
    create: 'Create a notice from the built-in templates (Dutch and English)',
    version: 'version',
    status: {
      draft: 'draft',
      approved: 'approved',
      'changed-since-approval': 'changed since approval',
    },
    edit: 'Edit the text',
    language: { nl: 'Dutch', en: 'English' },
    subject: 'Subject',
    body: 'Text (Markdown with placeholders such as {{ customer.name }})',
    save: 'Save',
    previewAs: 'Preview as',
    sampleId: 'or customer number',
    previewLanguage: 'Language of the preview',
    previewDraft: 'Show this draft in the preview',
    show: 'Show preview',
    savedHtml: 'The HTML preview shows the saved text; use the button to see a draft.',
    approval: 'Approval',
    statusLabel: 'Status',
    editors: 'Written by',
    approvedBy: 'Approved by',
    notApproved: 'not approved yet',
    check: 'Check of the saved version over every affected customer',
    checkOk: (n: string) => `Fine for all ${n} affected customers.`,
    checkSkipped: 'The full check runs on approval (large set).',
    approve: 'Approve this version',
    toDispatch: 'Send it: go to the Dispatch tab',
    fourEyesYou: (name: string) =>
      `You (${name}) wrote part of this notice. The four-eyes rule therefore forbids you to approve it; another approver must.`,
    notApprover: 'Only a user with the approver role can approve notices.',
    approveHint: 'You approve exactly this version. Any later change voids the approval.',
    errorsHeading: 'That did not work:',
    readOnly: 'You can view notices but not edit them.',
  },
});

export interface CaseNoticesModel {
  kase: CaseView;
  notices: NoticeView[];
  selected: NoticeView | null;
  /** Texts in the editor: the stored ones, or a draft that failed to save. */
  draft: Partial<Record<string, NoticeText>>;
  /** The draft is readable text as posted (a failed save), not stored Liquid. */
  draftIsReadable: boolean;
  statements: CaseStatements;
  review: NoticeReview | null;
  preview: NoticePreview | null;
  check: NoticeCheck | null;
  actorName: string;
  canWrite: boolean;
  isApprover: boolean;
  errors: FormErrors;
}

/** The notices tab: the affected notices, the editor with live preview, the approval panel. */
export function caseNoticesView(view: ViewContext, model: CaseNoticesModel): SafeHtml {
  const t = texts(sessionOf(view).locale);
  const { kase, selected } = model;
  const base = caseTabUrl(kase.reference, 'notices');
  return html`${caseHeader(view, kase)} ${caseTabs(view, kase, 'notices')}
    <section class="card case-panel" aria-labelledby="notices-heading">
      <h2 id="notices-heading">${t.notices}</h2>
      <p class="hint case-hint">${t.intro}</p>
      ${model.canWrite ? '' : html`<p class="muted">${t.readOnly}</p>`}
      ${
        model.notices.length === 0
          ? html`<p>${t.none}</p>`
          : html`<ul class="notice-list">
              ${model.notices.map(
                (n) =>
                  html`<li>
                    <a
                      href="${base}?notice=${n.id}"
                      ${selected?.id === n.id ? html`aria-current="page"` : ''}
                      >${n.title}</a
                    >
                    (${t.version} ${n.version})
                    <span class="badge case-badge notice-status-${n.status}"
                      >${t.status[n.status]}</span
                    >
                  </li>`,
              )}
            </ul>`
      }
      ${
        model.canWrite
          ? html`<form method="post" action="${base}" class="actions case-actions">
              ${csrfField(view)}
              <button type="submit">${t.create}</button>
            </form>`
          : ''
      }
    </section>
    ${
      Object.keys(model.errors).length > 0
        ? html`<div class="case-errors" role="alert" tabindex="-1">
            <p><strong>${t.errorsHeading}</strong></p>
            <ul>
              ${Object.entries(model.errors).map(
                ([field, message]) =>
                  html`<li>
                    ${field === '' || field.startsWith('check-') ? '' : `${field}: `}${message}
                  </li>`,
              )}
            </ul>
          </div>`
        : ''
    }
    ${statementsSection(view, {
      action: `${base}/statements`,
      statements: model.statements,
      canWrite: model.canWrite,
      errors: model.errors,
    })}
    ${
      selected
        ? html`${approvalPanel(view, model, selected)}
          ${noticeEditor(view, {
            base: `${base}/${selected.id}`,
            title: selected.title,
            saved: selected.texts,
            draft: model.draft,
            draftIsReadable: model.draftIsReadable,
            preview: model.preview,
            canWrite: model.canWrite,
            errors: model.errors,
          })}`
        : ''
    }`;
}

function approvalPanel(view: ViewContext, model: CaseNoticesModel, notice: NoticeView): SafeHtml {
  const session = sessionOf(view);
  const t = texts(session.locale);
  const base = `${caseTabUrl(model.kase.reference, 'notices')}/${notice.id}`;
  const isAuthor = notice.editors.includes(model.actorName);
  const check = model.check;
  let action: SafeHtml;
  if (notice.status === 'approved')
    action = html`<p>
      <a href="${caseTabUrl(model.kase.reference, 'dispatch')}">${t.toDispatch}</a>
    </p>`;
  else if (isAuthor)
    action = html`<p class="case-four-eyes" role="note">${t.fourEyesYou(model.actorName)}</p>`;
  else if (!model.isApprover) action = html`<p class="muted">${t.notApprover}</p>`;
  else
    action = html`<form method="post" action="${base}/approve" class="case-form">
      ${csrfField(view)}
      <input
        type="hidden"
        name="approvalHash"
        value="${model.review?.approvalHash ?? notice.approvalHash}"
      />
      <p class="hint case-hint">${t.approveHint}</p>
      ${confirmCheckbox(view, 'approve')}
      <button type="submit" class="case-primary">${t.approve}</button>
    </form>`;
  return html`<section class="card case-panel" aria-labelledby="approval-heading">
    <h2 id="approval-heading">${t.approval}</h2>
    <dl class="case-figures">
      <dt>${t.statusLabel}</dt>
      <dd>
        <span class="badge case-badge notice-status-${notice.status}" id="notice-status"
          >${t.status[notice.status]}</span
        >
        (${t.version} ${notice.version})
      </dd>
      <dt>${t.editors}</dt>
      <dd id="notice-editors">${notice.editors.join(', ')}</dd>
      <dt>${t.approvedBy}</dt>
      <dd id="notice-approver">
        ${
          notice.approvedBy && notice.approvedAt
            ? html`${notice.approvedBy},
                <time datetime="${notice.approvedAt}"
                  >${formatDateTime(session, notice.approvedAt)}</time
                >`
            : t.notApproved
        }
      </dd>
    </dl>
    ${voidedNote(view, notice)} ${model.review ? reviewDiff(view, model.review) : ''}
    <h3>${t.check}</h3>
    ${
      check === null
        ? html`<p class="muted">${t.checkSkipped}</p>`
        : check.ok
          ? html`<p class="case-ok">${t.checkOk(formatNumber(session, check.recipients))}</p>`
          : html`<ul class="case-errors notice-check">
              ${check.errors.map((e) => html`<li>${e}</li>`)}
            </ul>`
    }
    ${action}
  </section>`;
}
