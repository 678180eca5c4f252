import type { FastifyReply, FastifyRequest } from 'fastify';
import { html } from '../html.js';
import { localizeMessage } from './service-messages.view.js';
import { sendHtml, viewOf } from '../../workspace/view-context-of.js';
import { renderBarePage, renderWorkspacePage } from './workspace-layout.view.js';
import { defineTexts } from './workspace-texts.js';
import { localeOf, type ViewContext } from './view-context.js';

const texts = defineTexts({
  nl: {
    400: { title: 'Ongeldige invoer', body: 'Het formulier bevatte iets dat niet klopt.' },
    403: {
      title: 'Geen toegang',
      body: 'Uw rol geeft geen toegang tot deze pagina of actie. Vraag een beheerder als u die wel nodig hebt.',
    },
    csrf: {
      title: 'Formulier verlopen',
      body: 'Dit formulier hoort niet (meer) bij uw sessie. Ga terug, laad de pagina opnieuw en probeer het nog eens.',
    },
    expired: {
      title: 'Sessie verlopen',
      body: 'Uw sessie is verlopen. Log opnieuw in en probeer het nog eens.',
    },
    404: { title: 'Niet gevonden', body: 'Deze pagina bestaat niet (meer).' },
    409: { title: 'Kan niet', body: 'Dit kan in de huidige toestand niet.' },
    413: { title: 'Te groot', body: 'Het bestand of formulier is te groot.' },
    500: {
      title: 'Er ging iets mis',
      body: 'Er ging aan onze kant iets mis. Het is gelogd; probeer het later nog eens.',
    },
    fields: 'Wat er niet klopt:',
    home: 'Naar het overzicht',
    login: 'Inloggen',
  },
  en: {
    400: { title: 'Invalid input', body: 'The form contained something that is not right.' },
    403: {
      title: 'Not allowed',
      body: 'Your role does not give access to this page or action. Ask an administrator if you need it.',
    },
    csrf: {
      title: 'Form expired',
      body: 'This form does not belong to your session (any more). Go back, reload the page and try again.',
    },
    expired: {
      title: 'Session expired',
      body: 'Your session has expired. Log in again and retry.',
    },
    404: { title: 'Not found', body: 'This page does not exist (any more).' },
    409: { title: 'Not possible', body: 'This is not possible in the current state.' },
    413: { title: 'Too large', body: 'The file or form is too large.' },
    500: {
      title: 'Something went wrong',
      body: 'Something went wrong on our side. It has been logged; please try again later.',
    },
    fields: 'What is not right:',
    home: 'To the dashboard',
    login: 'Log in',
  },
});

/** Which message an error page shows. */
export type WorkspaceErrorKind = 400 | 403 | 404 | 409 | 413 | 500 | 'csrf' | 'expired';

/** The error field list's shape: which field, and what is wrong with it. */
export interface FieldProblem {
  field: string;
  message: string;
}

/** An HTML error page in the workspace's look, with an optional detail and field list. */
export function renderWorkspaceError(
  view: ViewContext,
  kind: WorkspaceErrorKind,
  detail?: string | null,
  fields: readonly FieldProblem[] = [],
): string {
  const locale = localeOf(view);
  const t = texts(locale);
  const m = t[kind];
  const main = html`<h1>${m.title}</h1>
    <p>${m.body}</p>
    ${detail ? html`<p class="card">${localizeMessage(detail, locale)}</p>` : ''}
    ${
      fields.length > 0
        ? html`<p>${t.fields}</p>
            <ul>
              ${fields.map((f) => html`<li><strong>${f.field}</strong>: ${localizeMessage(f.message, locale)}</li>`)}
            </ul>`
        : ''
    }
    <p>
      ${
        view.session
          ? html`<a href="/app">${t.home}</a>`
          : html`<a href="/app/login">${t.login}</a>`
      }
    </p>`;
  return view.session
    ? renderWorkspacePage(view, { title: m.title, section: 'dashboard', main })
    : renderBarePage(view, { title: m.title, main });
}

/**
 * Sends the error page. It takes the request (the workspace's error handler and hooks call it
 * with theirs) and builds the view context itself, so they need not know views take one.
 */
export function sendWorkspaceError(
  reply: FastifyReply,
  request: FastifyRequest,
  status: number,
  kind: WorkspaceErrorKind,
  detail?: string | null,
  fields: FieldProblem[] = [],
): FastifyReply {
  return sendHtml(
    reply,
    request,
    renderWorkspaceError(viewOf(request), kind, detail, fields),
    status,
  );
}
