import { PUBLICATION_EVENT_KINDS } from '../../../domain/publication.js';
import { RECALL_EVENT_KINDS } from '../../../domain/recall-event.js';
import type { SubscriberView } from '../../../services/publication/subscriber.service.js';
import type { WebhookView } from '../../../services/publication/webhook.service.js';
import { html, type SafeHtml } from '../html.js';
import { errorSummary, fieldAria, fieldError, type FormErrors } from './case-form.view.js';
import { formatDateTime } from './workspace-format.js';
import { csrfField } from './workspace-layout.view.js';
import { defineTexts } from './workspace-texts.js';
import { sessionOf, type ViewContext } from './view-context.js';

export const texts = defineTexts({
  nl: {
    integrations: 'Koppelingen',
    webhooksLink: 'Webhooks voor integraties',
    subscribersLink: 'E-mailabonnees op beveiligingsupdates',
    webhooks: 'Webhooks',
    webhooksIntro:
      'Elke openbare wijziging (publicatie, update, vrijgave, intrekking) gaat als ondertekende POST naar deze adressen.',
    noWebhooks: 'Nog geen webhooks.',
    register: 'Webhook registreren',
    url: 'Adres (https)',
    description: 'Omschrijving',
    events: 'Gebeurtenissen',
    recallEventsHint:
      'Gebeurtenissen per klant (met het klantnummer) alleen als u ze aanvinkt: voor een CRM of ticketsysteem.',
    optional: 'optioneel',
    urlProblem: {
      'not-url': 'Geen geldig adres (bijvoorbeeld https://hooks.example.com/candor).',
      scheme:
        'Moet met https:// beginnen (http:// alleen voor hosts in CANDOR_WEBHOOK_ALLOW_HOSTS).',
      credentials: 'Zet geen gebruikersnaam of wachtwoord in het adres.',
      address:
        'Wijst naar een intern of gereserveerd adres; zet de host op de toegestane lijst om het te gebruiken.',
    },
    chooseEvents: 'Kies een of meer gebeurtenissen uit de lijst.',
    secretHeading: 'Geheime sleutel, alleen nu zichtbaar',
    secretIntro:
      'Kopieer deze sleutel nu naar de ontvanger; Candor toont hem nooit meer. Hij ondertekent elke levering (Candor-Signature).',
    state: 'Status',
    active: 'Actief',
    disabled: 'Uitgeschakeld',
    disable: 'Uitschakelen',
    created: 'Aangemaakt',
    deliveries: 'Recente leveringen',
    noDeliveries: 'Nog geen leveringen.',
    attempts: 'Pogingen',
    lastStatus: 'Laatste antwoord',
    errors: 'Controleer de gemarkeerde velden.',
    subscribers: 'Abonnees',
    subscribersIntro:
      'Adressen die beveiligingsupdates per e-mail willen ontvangen (dubbele bevestiging).',
    noSubscribers: 'Geen abonnees.',
    email: 'E-mailadres',
    language: 'Taal',
    remove: 'Afmelden',
    states: { pending: 'Wacht op bevestiging', confirmed: 'Bevestigd', unsubscribed: 'Afgemeld' },
    deliveryStates: {
      queued: 'In de wachtrij',
      sending: 'Bezig',
      delivered: 'Afgeleverd',
      failed: 'Mislukt',
    },
  },
  en: {
    integrations: 'Integrations',
    webhooksLink: 'Webhooks for integrations',
    subscribersLink: 'Email subscribers to security updates',
    webhooks: 'Webhooks',
    webhooksIntro:
      'Every public change (publication, update, release, withdrawal) is sent as a signed POST to these addresses.',
    noWebhooks: 'No webhooks yet.',
    register: 'Register webhook',
    url: 'Address (https)',
    description: 'Description',
    events: 'Events',
    recallEventsHint:
      'Events about one customer (with their customer number) only when ticked: for a CRM or ticket system.',
    optional: 'optional',
    urlProblem: {
      'not-url': 'Not a valid address (for example https://hooks.example.com/candor).',
      scheme: 'Must start with https:// (http:// only for hosts in CANDOR_WEBHOOK_ALLOW_HOSTS).',
      credentials: 'Do not put a user name or password in the address.',
      address: 'Points at an internal or reserved address; allow-list the host to use it.',
    },
    chooseEvents: 'Choose one or more events from the list.',
    secretHeading: 'Signing secret, shown only now',
    secretIntro:
      'Copy this secret to the receiver now; Candor never shows it again. It signs every delivery (Candor-Signature).',
    state: 'State',
    active: 'Active',
    disabled: 'Disabled',
    disable: 'Disable',
    created: 'Created',
    deliveries: 'Recent deliveries',
    noDeliveries: 'No deliveries yet.',
    attempts: 'Attempts',
    lastStatus: 'Last answer',
    errors: 'Check the marked fields.',
    subscribers: 'Subscribers',
    subscribersIntro: 'Addresses that want security updates by email (double opt-in).',
    noSubscribers: 'No subscribers.',
    email: 'Email address',
    language: 'Language',
    remove: 'Unsubscribe',
    states: {
      pending: 'Awaiting confirmation',
      confirmed: 'Confirmed',
      unsubscribed: 'Unsubscribed',
    },
    deliveryStates: {
      queued: 'Queued',
      sending: 'Sending',
      delivered: 'Delivered',
      failed: 'Failed',
    },
  },
});

/** The links the settings page shows to these pages. */
export function integrationLinks(view: ViewContext): SafeHtml {
  const t = texts(sessionOf(view).locale);
  return html`<h2>${t.integrations}</h2>
    <ul class="integration-links">
      <li><a href="/app/settings/webhooks">${t.webhooksLink}</a></li>
      <li><a href="/app/settings/subscribers">${t.subscribersLink}</a></li>
    </ul>`;
}

export interface WebhookDeliveryRow {
  id: number;
  state: 'queued' | 'sending' | 'delivered' | 'failed';
  attempts: number;
  lastStatus: number | null;
  lastError: string | null;
  createdAt: string;
}

export interface WebhooksModel {
  webhooks: (WebhookView & { deliveries: WebhookDeliveryRow[] })[];
  /** The secret of the webhook just registered: in this answer and never again. */
  secret?: { webhookId: number; value: string };
  form?: { values: Record<string, string>; errors: FormErrors };
}

/** /app/settings/webhooks: the registered webhooks, their deliveries, and the register form. */
export function renderWebhooks(
  view: ViewContext,
  model: WebhooksModel,
): { title: string; main: SafeHtml } {
  const session = sessionOf(view);
  const t = texts(session.locale);
  const form = model.form ?? { values: {}, errors: {} };
  return {
    title: t.webhooks,
    main: html`<h1>${t.webhooks}</h1>
      <p>${t.webhooksIntro}</p>
      ${
        model.secret
          ? html`<div class="card" role="status" id="webhook-secret">
              <h2>${t.secretHeading}</h2>
              <p>${t.secretIntro}</p>
              <p><code class="secret">${model.secret.value}</code></p>
            </div>`
          : ''
      }
      ${
        model.webhooks.length === 0
          ? html`<p class="muted">${t.noWebhooks}</p>`
          : model.webhooks.map(
              (w) =>
                html`<section class="card" aria-labelledby="webhook-${w.id}">
                  <h2 id="webhook-${w.id}"><code>${w.url}</code></h2>
                  <dl class="facts">
                    <dt>${t.description}</dt>
                    <dd>${w.description}</dd>
                    <dt>${t.events}</dt>
                    <dd>${w.events.join(', ')}</dd>
                    <dt>${t.state}</dt>
                    <dd>
                      ${
                        w.disabledAt
                          ? html`<span class="badge">${t.disabled}</span>
                              ${formatDateTime(session, w.disabledAt)}`
                          : html`<span class="badge badge-ok">${t.active}</span>`
                      }
                    </dd>
                    <dt>${t.created}</dt>
                    <dd>${formatDateTime(session, w.createdAt)} (${w.createdBy})</dd>
                  </dl>
                  ${
                    w.disabledAt
                      ? ''
                      : html`<form method="post" action="/app/settings/webhooks/${w.id}/disable">
                          ${csrfField(view)}
                          <button type="submit" class="secondary">${t.disable}</button>
                        </form>`
                  }
                  <h3>${t.deliveries}</h3>
                  ${
                    w.deliveries.length === 0
                      ? html`<p class="muted">${t.noDeliveries}</p>`
                      : html`<table>
                          <thead>
                            <tr>
                              <th scope="col">${t.created}</th>
                              <th scope="col">${t.state}</th>
                              <th scope="col">${t.attempts}</th>
                              <th scope="col">${t.lastStatus}</th>
                            </tr>
                          </thead>
                          <tbody>
                            ${w.deliveries.map(
                              (d) =>
                                html`<tr>
                                  <td>${formatDateTime(session, d.createdAt)}</td>
                                  <td>${t.deliveryStates[d.state]}</td>
                                  <td>${d.attempts}</td>
                                  <td>${d.lastStatus ?? ''} ${d.lastError ?? ''}</td>
                                </tr>`,
                            )}
                          </tbody>
                        </table>`
                  }
                </section>`,
            )
      }
      <form method="post" action="/app/settings/webhooks" novalidate>
        ${csrfField(view)}
        <fieldset>
          <legend>${t.register}</legend>
          ${errorSummary(t.errors, form.errors, 'webhook')}
          <div class="field">
            <label for="webhook-url">${t.url}</label>
            <input
              id="webhook-url"
              name="url"
              type="url"
              value="${form.values.url ?? ''}"
              required
              ${fieldAria(form.errors, 'url', 'webhook')}
            />
            ${fieldError(form.errors, 'url', 'webhook')}
          </div>
          <div class="field">
            <label for="webhook-description">${t.description} (${t.optional})</label>
            <input
              id="webhook-description"
              name="description"
              type="text"
              value="${form.values.description ?? ''}"
              ${fieldAria(form.errors, 'description', 'webhook')}
            />
            ${fieldError(form.errors, 'description', 'webhook')}
          </div>
          <fieldset id="webhook-events">
            <legend>${t.events}</legend>
            ${fieldError(form.errors, 'events', 'webhook')}
            ${PUBLICATION_EVENT_KINDS.map(
              (kind) =>
                html`<label
                  ><input type="checkbox" name="events" value="${kind}" checked /> ${kind}</label
                >`,
            )}
            <p class="hint">${t.recallEventsHint}</p>
            ${RECALL_EVENT_KINDS.map(
              (kind) =>
                html`<label
                  ><input type="checkbox" name="events" value="${kind}" /> ${kind}</label
                >`,
            )}
          </fieldset>
          <button type="submit">${t.register}</button>
        </fieldset>
      </form>`,
  };
}

export interface SubscribersModel {
  counts: Record<string, number>;
  subscribers: SubscriberView[];
}

/** /app/settings/subscribers: counts per state and the list, newest first. */
export function renderSubscribers(
  view: ViewContext,
  model: SubscribersModel,
): { title: string; main: SafeHtml } {
  const session = sessionOf(view);
  const t = texts(session.locale);
  return {
    title: t.subscribers,
    main: html`<h1>${t.subscribers}</h1>
      <p>${t.subscribersIntro}</p>
      <dl class="facts" id="subscriber-counts">
        ${(['confirmed', 'pending', 'unsubscribed'] as const).map(
          (s) =>
            html`<dt>${t.states[s]}</dt>
              <dd id="count-${s}">${model.counts[s] ?? 0}</dd>`,
        )}
      </dl>
      ${
        model.subscribers.length === 0
          ? html`<p class="muted">${t.noSubscribers}</p>`
          : html`<table id="subscribers">
              <thead>
                <tr>
                  <th scope="col">${t.email}</th>
                  <th scope="col">${t.language}</th>
                  <th scope="col">${t.state}</th>
                  <th scope="col">${t.created}</th>
                  <th scope="col"><span class="visually-hidden">${t.remove}</span></th>
                </tr>
              </thead>
              <tbody>
                ${model.subscribers.map(
                  (s) =>
                    html`<tr>
                      <td>${s.email}</td>
                      <td>${s.language}</td>
                      <td>${t.states[s.state]}</td>
                      <td>${formatDateTime(session, s.createdAt)}</td>
                      <td>
                        ${
                          s.state === 'unsubscribed'
                            ? ''
                            : html`<form
                                method="post"
                                action="/app/settings/subscribers/${s.id}/remove"
                              >
                                ${csrfField(view)}
                                <button type="submit" class="secondary">${t.remove}</button>
                              </form>`
                        }
                      </td>
                    </tr>`,
                )}
              </tbody>
            </table>`
      }`,
  };
}
