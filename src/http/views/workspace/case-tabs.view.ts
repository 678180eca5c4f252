import type { CaseView } from '../../../domain/case.js';
import { html, type SafeHtml } from '../html.js';
import { caseGuide } from './case-guide.view.js';
import { formatDateTime, formatDuration } from './workspace-format.js';
import { defineTexts } from './workspace-texts.js';
import { sessionOf, type ViewContext } from './view-context.js';

/** The tabs of the case workspace, in the order they are shown. */
export const CASE_TABS = [
  'overview',
  'affected',
  'notices',
  'dispatch',
  'deliveries',
  'remedies',
  'completion',
  'reminders',
  'questions',
  'public',
  'assessment',
  'reports',
] as const;
export type CaseTab = (typeof CASE_TABS)[number];

const texts = defineTexts({
  nl: {
    tabsLabel: 'Onderdelen van de zaak',
    tabs: {
      overview: 'Overzicht',
      affected: 'Getroffenen',
      notices: 'Berichten',
      dispatch: 'Verzenden',
      deliveries: 'Afleveringen',
      remedies: 'Herstelacties',
      completion: 'Afronding',
      reminders: 'Herinneringen',
      questions: 'Vragen',
      public: 'Openbaar',
      assessment: 'Beoordeling',
      reports: 'Meldingen',
    } satisfies Record<CaseTab, string>,
    kind: { incident: 'Incident', advisory: 'Advies' },
    state: {
      draft: 'concept',
      open: 'open',
      notifying: 'informeren',
      monitoring: 'opvolgen',
      resolved: 'opgelost',
      closed: 'gesloten',
    },
    stateLabel: 'Status',
    sinceAware: 'sinds bekend',
    awareUnknown: 'moment van bekend worden nog niet vastgelegd',
    awareAt: 'Bekend sinds',
  },
  en: {
    tabsLabel: 'Parts of the case',
    tabs: {
      overview: 'Overview',
      affected: 'Affected',
      notices: 'Notices',
      dispatch: 'Dispatch',
      deliveries: 'Deliveries',
      remedies: 'Remedies',
      completion: 'Completion',
      reminders: 'Reminders',
      questions: 'Questions',
      public: 'Public',
      assessment: 'Assessment',
      reports: 'Reports',
    } satisfies Record<CaseTab, string>,
    kind: { incident: 'Incident', advisory: 'Advisory' },
    state: {
      draft: 'draft',
      open: 'open',
      notifying: 'notifying',
      monitoring: 'monitoring',
      resolved: 'resolved',
      closed: 'closed',
    },
    stateLabel: 'State',
    sinceAware: 'since aware',
    awareUnknown: 'moment of awareness not recorded yet',
    awareAt: 'Aware since',
  },
});

/** The URL of one tab of a case. */
export function caseTabUrl(reference: string, tab: CaseTab): string {
  const base = `/app/cases/${encodeURIComponent(reference)}`;
  return tab === 'overview' ? base : `${base}/${tab}`;
}

/** The localized name of a case state, for badges and buttons elsewhere in the workspace. */
export function caseStateName(view: ViewContext, state: CaseView['state']): string {
  return texts(sessionOf(view).locale).state[state];
}

/** The localized kind of a case. */
export function caseKindName(view: ViewContext, kind: CaseView['kind']): string {
  return texts(sessionOf(view).locale).kind[kind];
}

/** A small state badge; the class carries the state so the stylesheet can colour it. */
export function caseStateBadge(view: ViewContext, state: CaseView['state']): SafeHtml {
  return html`<span class="badge case-badge case-state-${state}"
    >${caseStateName(view, state)}</span
  >`;
}

/**
 * The tab bar of one case: a navigation landmark of plain links, the active one marked with
 * aria-current="page" so screen readers announce it and the stylesheet can underline it.
 */
export function caseTabs(view: ViewContext, kase: CaseView, active: CaseTab): SafeHtml {
  const t = texts(sessionOf(view).locale);
  return html`<nav class="tabs case-tabs" aria-label="${t.tabsLabel}">
    <ul>
      ${CASE_TABS.map(
        (tab) =>
          html`<li>
            <a
              href="${caseTabUrl(kase.reference, tab)}"
              ${tab === active ? html`aria-current="page"` : ''}
              >${t.tabs[tab]}</a
            >
          </li>`,
      )}
    </ul>
  </nav>`;
}

/**
 * The heading of every case tab: reference, title, kind, state and how long ago the team
 * became aware (the moment the legal clocks started), so the clock is always in sight.
 */
export function caseHeader(view: ViewContext, kase: CaseView, now = Date.now()): SafeHtml {
  const session = sessionOf(view);
  const t = texts(session.locale);
  // Only case tab pages carry it (case-progress-hook.ts computes it), not re-rendered error pages.
  const guide = view.caseProgress;
  const aware = kase.awareAt
    ? html`<span class="case-aware"
        ><time
          datetime="${kase.awareAt}"
          title="${t.awareAt} ${formatDateTime(session, kase.awareAt)}"
          >${formatDuration(session, Math.max(0, now - Date.parse(kase.awareAt)))}</time
        >
        ${t.sinceAware}</span
      >`
    : html`<span class="case-aware muted">${t.awareUnknown}</span>`;
  return html`<header class="case-header">
      <p class="case-eyebrow">
        <span class="case-reference">${kase.reference}</span> ·
        <span class="case-kind">${t.kind[kase.kind]}</span> ·
        <span class="visually-hidden">${t.stateLabel}:</span> ${caseStateBadge(view, kase.state)} ·
        ${aware}
      </p>
      <h1>${kase.title}</h1>
    </header>
    ${guide ? caseGuide(view, guide.progress, { full: guide.full }) : ''}`;
}
