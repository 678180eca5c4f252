import { CLOCK_LABELS, CLOCK_STATE_LABELS } from '../../../domain/assessment/clock-labels.js';
import type { LegalClock } from '../../../domain/assessment/legal-clocks.js';
import { html, type SafeHtml } from '../html.js';
import { formatDateTime, formatDuration, type FormatContext } from './workspace-format.js';
import { assetUrl } from '../../workspace/workspace-assets.js';
import { defineTexts } from './workspace-texts.js';
import { CLOCK_ARTICLE_LABELS } from './service-messages.view.js';

// The legal clocks as live countdowns. The server renders the remaining time of the moment
// (so the page is right without JavaScript); clock-countdown.js ticks it every second.

const texts = defineTexts({
  nl: {
    left: 'nog {t}',
    over: '{t} te laat',
    due: 'uiterlijk',
    submitted: 'ingediend',
    late: 'te laat ingediend: reden voor de vertraging vereist',
    provisional: 'voorlopig: nog niet beoordeeld',
    none: 'Er loopt geen wettelijke termijn.',
    units: 'd,u,min,s',
  },
  en: {
    left: '{t} left',
    over: '{t} overdue',
    due: 'due',
    submitted: 'submitted',
    late: 'submitted late: a reason for the delay is required',
    provisional: 'provisional: not assessed yet',
    none: 'No legal clock is running.',
    units: 'd,h,min,s',
  },
});

const BADGE = {
  running: 'badge-info',
  'due-soon': 'badge-warn',
  overdue: 'badge-danger',
  done: 'badge-ok',
} as const;

/**
 * The clocks of one case. `compact` is the dashboard's one-line-per-clock form; the full
 * form adds the article, the due time and the submission. Include the script once per page
 * (the full form does; a dashboard adds `clockCountdownScript()` itself).
 */
export function renderCaseClocks(
  session: FormatContext,
  clocks: readonly LegalClock[],
  options: { compact?: boolean; emptyText?: string; script?: boolean } = {},
): SafeHtml {
  const t = texts(session.locale);
  const compact = options.compact ?? false;
  if (clocks.length === 0)
    return compact
      ? html``
      : html`<p class="muted legal-clocks-none">${options.emptyText ?? t.none}</p>`;
  const items = clocks.map((c) => {
    const label = CLOCK_LABELS[c.kind][session.locale];
    const state = CLOCK_STATE_LABELS[c.state][session.locale];
    const running = c.state !== 'done';
    const remaining = running
      ? (c.remainingMs >= 0 ? t.left : t.over).replace(
          '{t}',
          formatDuration(session, Math.abs(c.remainingMs)),
        )
      : `${t.submitted} ${formatDateTime(session, c.submittedAt)}`;
    const permille = Math.min(1000, Math.round(c.elapsedRatio * 1000));
    return html`<li class="legal-clock legal-clock-${c.state}">
      <span class="legal-clock-label"
        >${label}${compact ? '' : html` <span class="muted">(${CLOCK_ARTICLE_LABELS[session.locale][c.kind]})</span>`}</span
      >
      <span class="badge ${BADGE[c.state]}" data-clock-state>${state}</span>
      <progress max="1000" value="${permille}" data-clock-progress aria-label="${label}">
        ${Math.round(c.elapsedRatio * 100)} %
      </progress>
      ${
        running
          ? html`<time
              class="legal-clock-remaining"
              datetime="${c.dueAt}"
              data-clock-due="${c.dueAt}"
              data-clock-start="${c.startsAt}"
              data-left="${t.left}"
              data-over="${t.over}"
              data-units="${t.units}"
              data-overdue-label="${CLOCK_STATE_LABELS.overdue[session.locale]}"
              data-due-soon-label="${CLOCK_STATE_LABELS['due-soon'][session.locale]}"
              >${remaining}</time
            >`
          : html`<span class="legal-clock-remaining">${remaining}</span>`
      }
      ${
        compact
          ? ''
          : html`<span class="legal-clock-due">${t.due} ${formatDateTime(session, c.dueAt)}</span>
              ${c.provisional ? html`<span class="muted">${t.provisional}</span>` : ''}
              ${c.state === 'done' && c.late ? html`<span class="badge badge-warn">${t.late}</span>` : ''}`
      }
    </li>`;
  });
  return html`<ul class="legal-clocks${compact ? ' legal-clocks-compact' : ''}">
      ${items}
    </ul>
    ${options.script === false ? '' : clockCountdownScript()}`;
}

/** The script that ticks the countdowns (deferred; harmless when included twice). */
export function clockCountdownScript(): SafeHtml {
  return html`<script src="${assetUrl('clock-countdown.js')}" defer></script>`;
}
