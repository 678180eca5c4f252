import { html, type SafeHtml } from '../html.js';
import { csrfField } from './workspace-layout.view.js';
import { defineTexts } from './workspace-texts.js';
import { sessionOf, type ViewContext } from './view-context.js';

// The confirm step of an irreversible action, as a page of its own: it works without script,
// names the consequence, and posts the same action again with confirm=yes (the server refuses
// the action without it). When the action is blocked, it asks for an override reason.

const texts = defineTexts({
  nl: {
    understand: 'Ik begrijp het en wil doorgaan.',
    reason: 'Reden om toch door te gaan (komt in het auditlog)',
    reasonHint: 'Minstens 10 tekens.',
    cancel: 'Terug zonder iets te doen',
    blocked: 'Dit kan nog niet zonder meer:',
  },
  en: {
    understand: 'I understand and want to go ahead.',
    reason: 'Reason to go ahead anyway (recorded in the audit log)',
    reasonHint: 'At least 10 characters.',
    cancel: 'Back without doing anything',
    blocked: 'This cannot simply be done yet:',
  },
});

export interface ConfirmStepModel {
  heading: string;
  /** What happens and what cannot be undone, one sentence each. */
  consequences: readonly string[];
  /** Why the action is refused without an override (shown with a reason field). */
  blockers?: readonly string[];
  action: string;
  /** The fields of the original form (without _csrf and confirm). */
  fields: Record<string, string>;
  submit: string;
  backHref: string;
  error?: string;
}

/** The confirm step: consequence, required checkbox, optional override reason. */
export function confirmStepView(view: ViewContext, m: ConfirmStepModel): SafeHtml {
  const t = texts(sessionOf(view).locale);
  const blocked = (m.blockers?.length ?? 0) > 0;
  return html`<section class="card confirm-step" aria-labelledby="confirm-heading">
    <h1 id="confirm-heading">${m.heading}</h1>
    <ul class="confirm-consequences">
      ${m.consequences.map((c) => html`<li>${c}</li>`)}
    </ul>
    ${
      blocked
        ? html`<div class="confirm-blocked" role="note">
            <p><strong>${t.blocked}</strong></p>
            <ul>
              ${m.blockers!.map((b) => html`<li>${b}</li>`)}
            </ul>
          </div>`
        : ''
    }
    ${m.error ? html`<p class="error-text" id="confirm-error" role="alert">${m.error}</p>` : ''}
    <form method="post" action="${m.action}" class="case-form">
      ${csrfField(view)}
      ${Object.entries(m.fields).map(
        ([name, value]) => html`<input type="hidden" name="${name}" value="${value}" />`,
      )}
      ${
        blocked
          ? html`<label for="confirm-reason">${t.reason}</label>
              <span class="hint" id="confirm-reason-hint">${t.reasonHint}</span>
              <textarea
                id="confirm-reason"
                name="overrideReason"
                rows="3"
                required
                minlength="10"
                maxlength="2000"
                aria-describedby="confirm-reason-hint"
              ></textarea>`
          : ''
      }
      <div class="field checks">
        <label><input type="checkbox" name="confirm" value="yes" required /> ${t.understand}</label>
      </div>
      <p class="actions">
        <button type="submit" class="danger">${m.submit}</button>
        <a href="${m.backHref}">${t.cancel}</a>
      </p>
    </form>
  </section>`;
}

/** The consequences of resolving and closing a case, and what blocks a close. */
export const caseStateConfirmTexts = defineTexts({
  nl: {
    heading: (ref: string, state: string) => `${ref} naar "${state}"?`,
    resolved: [
      'Oplossen markeert het incident als verholpen; wat onder embargo staat tot "opgelost" wordt meteen openbaar.',
      'Een zaak gaat alleen vooruit: terug naar een eerdere stap kan niet.',
    ],
    closed: [
      'Een gesloten zaak kan niet worden heropend.',
      'Wettelijke termijnen en berichten van deze zaak worden daarna niet meer gevolgd.',
    ],
    clocks: (n: number) =>
      n === 1 ? 'Er loopt nog 1 wettelijke termijn.' : `Er lopen nog ${n} wettelijke termijnen.`,
    unsent: (n: number) =>
      n === 1
        ? '1 bericht aan de getroffenen is nooit verzonden.'
        : `${n} berichten aan de getroffenen zijn nooit verzonden.`,
    submit: (state: string) => `Ja, naar "${state}"`,
    refused: 'Niet gesloten: geef de reden om toch te sluiten.',
    overridden: 'De zaak is gesloten; de reden staat in het auditlog.',
  },
  en: {
    heading: (ref: string, state: string) => `Move ${ref} to "${state}"?`,
    resolved: [
      'Resolving marks the incident as fixed; anything under embargo "until resolved" goes public at once.',
      'A case only moves forward: there is no step back.',
    ],
    closed: [
      'Closed cases cannot be reopened.',
      'Legal clocks and notices of this case are no longer followed after that.',
    ],
    clocks: (n: number) =>
      n === 1 ? '1 legal clock is still running.' : `${n} legal clocks are still running.`,
    unsent: (n: number) =>
      n === 1
        ? '1 notice to the affected was never sent.'
        : `${n} notices to the affected were never sent.`,
    submit: (state: string) => `Yes, move to "${state}"`,
    refused: 'Not closed: give the reason to close anyway.',
    overridden: 'The case is closed; the reason is in the audit log.',
  },
});

/** Irreversible actions confirmed by a required checkbox in their own form. */
export type ConfirmedAction =
  'approve' | 'approvePublic' | 'approveReport' | 'publish' | 'release' | 'cancel';

const checkboxTexts = defineTexts({
  nl: {
    understand: 'Ik begrijp het:',
    consequence: {
      approve:
        'met mijn goedkeuring kan precies deze versie naar de getroffen klanten; een latere wijziging maakt de goedkeuring ongedaan.',
      approvePublic:
        'met mijn goedkeuring kan deze tekst op de openbare beveiligingspagina worden gepubliceerd.',
      approveReport:
        'met mijn goedkeuring kan precies deze versie naar de toezichthouder; een latere wijziging maakt de goedkeuring ongedaan.',
      publish:
        'publiceren zet deze tekst meteen op de openbare beveiligingspagina en in de feeds; wat lezers zagen, kan niet worden teruggehaald.',
      release:
        'vrijgeven publiceert nu de technische details onder embargo; ze kunnen niet opnieuw worden achtergehouden.',
      cancel:
        'annuleren stopt deze verzending; wat nog niet verzonden is, gaat niet meer weg, en hervatten kan niet.',
    } satisfies Record<ConfirmedAction, string>,
    missing: 'Niet uitgevoerd: vink het vakje aan om te bevestigen dat u het gevolg begrijpt.',
  },
  en: {
    understand: 'I understand:',
    consequence: {
      approve:
        'approving lets exactly this version be sent to the affected customers; a later change voids the approval.',
      approvePublic: 'approving lets this text be published on the public security page.',
      approveReport:
        'approving lets exactly this version be submitted to the authority; a later change voids the approval.',
      publish:
        'publishing puts this text on the public security page and in its feeds at once; what readers saw cannot be taken back.',
      release:
        'releasing publishes the technical details held under embargo now; they cannot be held back again.',
      cancel:
        'cancelling stops this dispatch; what has not been sent will not go out, and it cannot be resumed.',
    } satisfies Record<ConfirmedAction, string>,
    missing: 'Not done: tick the box to confirm that you understand the consequence.',
  },
});

/**
 * The required "I understand: <consequence>" checkbox of an irreversible action's form. The
 * browser asks for it; the route refuses the action without confirm=yes all the same.
 */
export function confirmCheckbox(view: ViewContext, action: ConfirmedAction): SafeHtml {
  const t = checkboxTexts(sessionOf(view).locale);
  return html`<div class="field checks confirm-check">
    <label
      ><input type="checkbox" name="confirm" value="yes" required /> ${t.understand}
      ${t.consequence[action]}</label
    >
  </div>`;
}

/** Whether a posted form carries the confirmation. */
export function isConfirmed(body: unknown): boolean {
  return (
    typeof body === 'object' && body !== null && (body as Record<string, unknown>).confirm === 'yes'
  );
}

/** The refusal when the confirmation is missing, in the user's language. */
export function missingConfirmation(view: ViewContext): string {
  return checkboxTexts(sessionOf(view).locale).missing;
}
