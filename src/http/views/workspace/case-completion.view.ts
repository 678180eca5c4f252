import type { CaseView } from '../../../domain/case.js';
import { dayPosition } from '../../../domain/remedies/completion-curve.js';
import type {
  CompletionCurve,
  CompletionOverview,
  OpenFilter,
  OpenPage,
  OpenRecipient,
} from '../../../services/remedies/completion.service.js';
import { html, type SafeHtml } from '../html.js';
import { completionTexts } from './case-completion-texts.view.js';
import { caseHeader, caseTabs, caseTabUrl } from './case-tabs.view.js';
import {
  renderLineChart,
  type ChartMarker,
  type ChartSeries,
  type SeriesTone,
} from './svg-chart.view.js';
import {
  formatDateTime,
  formatNumber,
  formatPercent,
  type FormatContext,
} from './workspace-format.js';
import type { ReminderEffect } from '../../../services/remedies/reminder-effect.service.js';
import { reminderEffectTable } from './case-reminders.view.js';
import { sessionOf, type ViewContext } from './view-context.js';

export { completionTexts };

/** A vertical marker on the curve: an instant (a reminder going out) and what it was. */
export interface CurveMarker {
  at: string;
  label: string;
}

export type CompletionFilter = OpenFilter & { after?: number };

export interface CompletionPageModel {
  kase: CaseView;
  overview: CompletionOverview;
  /** Drawn on both curves; the reminders supply them. */
  markers: readonly CurveMarker[];
  /** Completion before and after each reminder, shown under the curve. */
  effect: readonly ReminderEffect[];
  filter: CompletionFilter;
  page: OpenPage;
}

function query(f: CompletionFilter, withCursor: boolean): string {
  const params = new URLSearchParams();
  if (f.remedy) params.set('remedy', f.remedy);
  if (f.stage) params.set('stage', f.stage);
  if (f.language) params.set('language', f.language);
  if (f.problem) params.set('problem', f.problem);
  if (f.q) params.set('q', f.q);
  if (withCursor && f.after) params.set('after', String(f.after));
  const text = params.toString();
  return text ? `?${text}` : '';
}

/** The completion tab's URL for a filter (with its page cursor). */
export function completionUrl(reference: string, f: CompletionFilter = {}): string {
  return `${caseTabUrl(reference, 'completion')}${query(f, true)}`;
}

/** The CSV export of the same filter (all pages). */
export function openCsvUrl(reference: string, f: CompletionFilter = {}): string {
  return `${caseTabUrl(reference, 'completion')}/open.csv${query(f, false)}`;
}

const TAGS = { nl: 'nl-NL', en: 'en-GB' } as const;

/** A local calendar date (`2026-10-25`) as "25 okt" / "25 Oct". */
function dayLabel(ctx: FormatContext, date: string): string {
  return new Intl.DateTimeFormat(TAGS[ctx.locale], {
    timeZone: 'UTC',
    day: 'numeric',
    month: 'short',
  }).format(new Date(`${date}T12:00:00Z`));
}

/** Markers placed on the day axis; those outside the curve's days are left out. */
function placeMarkers(curve: CompletionCurve, markers: readonly CurveMarker[]): ChartMarker[] {
  const starts = curve.dayStarts.map((d) => Date.parse(d));
  const ends = curve.dayEnds.map((d) => Date.parse(d));
  const placed: ChartMarker[] = [];
  for (const m of [...markers].sort((a, b) => a.at.localeCompare(b.at))) {
    const position = dayPosition(Date.parse(m.at), starts, ends);
    if (position === null) continue;
    placed.push({ position, label: m.label, row: Math.ceil(position) });
  }
  return placed;
}

const REMEDY_TONES: readonly SeriesTone[] = ['remedyA', 'remedyB', 'remedyC', 'remedyD'];

/**
 * The completion curves: reached, read and completed for the case, and completed per remedy,
 * counted at the end of each local day, with the markers drawn and listed in the table.
 */
export function completionCharts(
  ctx: FormatContext,
  overview: CompletionOverview,
  markers: readonly CurveMarker[],
  idPrefix = 'completion',
): SafeHtml {
  const t = completionTexts(ctx.locale);
  const curve = overview.curve;
  if (!curve) return html`<p class="chart-empty">${t.curveEmpty}</p>`;
  const n = (v: number) => formatNumber(ctx, v);
  const labels = curve.days.map((d) => dayLabel(ctx, d));
  const placed = placeMarkers(curve, markers);
  const markerText =
    placed.length > 0
      ? t.markersDesc(
          markers
            .filter((m) => placed.some((p) => p.label === m.label))
            .map((m) => `${m.label} (${formatDateTime(ctx, m.at)})`)
            .join('; '),
        )
      : '';
  const affected = overview.figures.affected;
  const main = renderLineChart({
    id: `${idPrefix}-curve`,
    title: t.curveTitle,
    description:
      t.curveDesc(
        n(curve.reached.at(-1) ?? 0),
        n(curve.read.at(-1) ?? 0),
        n(curve.completed.at(-1) ?? 0),
        curve.days.length,
        curve.timeZone,
      ) + markerText,
    xTitle: t.day,
    labels,
    series: [
      { name: t.series.reached, tone: 'reached', values: curve.reached },
      { name: t.series.read, tone: 'acknowledged', values: curve.read },
      { name: t.series.completed, tone: 'remedied', values: curve.completed },
    ],
    yMax: affected > 0 ? affected : undefined,
    formatY: n,
    tableLabel: t.showTable,
    emptyText: t.curveEmpty,
    markers: placed,
    markersTitle: t.markers,
    tableOpen: true,
    width: 520,
  });
  if (curve.remedies.length === 0) return main;
  const titles = new Map(overview.remedies.map((r) => [r.key, r.title]));
  const series: ChartSeries[] = curve.remedies.map((r, i) => ({
    name: titles.get(r.key) ?? r.key,
    tone: REMEDY_TONES[i % REMEDY_TONES.length]!,
    values: r.completed,
  }));
  const perRemedy = renderLineChart({
    id: `${idPrefix}-remedies`,
    title: t.remedyCurveTitle,
    description:
      t.remedyCurveDesc(
        series.map((s) => `${s.name}: ${n(s.values.at(-1) ?? 0)}`).join(', '),
        curve.days.length,
      ) + markerText,
    xTitle: t.day,
    labels,
    series,
    yMax: affected > 0 ? affected : undefined,
    formatY: n,
    tableLabel: t.showTable,
    emptyText: t.curveEmpty,
    markers: placed,
    markersTitle: t.markers,
    tableOpen: true,
    width: 520,
  });
  return html`${main}${perRemedy}`;
}

function tiles(ctx: FormatContext, o: CompletionOverview): SafeHtml {
  const t = completionTexts(ctx.locale);
  const f = o.figures;
  const tile = (label: string, count: number, ratio: number | null, extra: string | null) =>
    html`<div class="card completion-tile">
      <p class="stat-label">${label}</p>
      <p class="stat">${formatPercent(ctx, ratio)}</p>
      <p>${formatNumber(ctx, count)} ${t.ofAffected(formatNumber(ctx, f.affected))}</p>
      ${extra ? html`<p class="muted">${extra}</p>` : ''}
    </div>`;
  return html`<div class="grid completion-tiles">
    ${tile(t.tiles.reached, f.reached, f.rates.reached, null)}
    ${tile(t.tiles.read, f.read, f.rates.read, t.ofReached(formatPercent(ctx, f.rates.readOfReached)))}
    ${tile(
      t.tiles.completed,
      f.completed,
      f.rates.completed,
      t.ofReached(formatPercent(ctx, f.rates.completedOfReached)),
    )}
  </div>`;
}

function figuresTable(ctx: FormatContext, o: CompletionOverview): SafeHtml {
  const t = completionTexts(ctx.locale);
  const f = o.figures;
  const live = o.remedies.filter((r) => !r.retired);
  const row = (
    what: string,
    rule: string,
    count: number,
    ofAffected: number | null,
    ofReached: number | null,
  ) =>
    html`<tr>
      <th scope="row">${what}</th>
      <td>${rule}</td>
      <td class="num">${formatNumber(ctx, count)}</td>
      <td class="num">${formatPercent(ctx, ofAffected)}</td>
      <td class="num">${formatPercent(ctx, ofReached)}</td>
    </tr>`;
  return html`<div class="table-wrap" tabindex="0">
    <table class="completion-table">
      <caption>
        ${t.tableCaption}
      </caption>
      <thead>
        <tr>
          <th scope="col">${t.cols.what}</th>
          <th scope="col">${t.cols.rule}</th>
          <th scope="col" class="num">${t.cols.count}</th>
          <th scope="col" class="num">${t.cols.ofAffected}</th>
          <th scope="col" class="num">${t.cols.ofReached}</th>
        </tr>
      </thead>
      <tbody>
        ${row(t.rows.affected, t.no, f.affected, f.affected > 0 ? 1 : null, null)}
        ${row(t.rows.reached, t.no, f.reached, f.rates.reached, f.reached > 0 ? 1 : null)}
        ${row(t.rows.read, t.no, f.read, f.rates.read, f.rates.readOfReached)}
        ${row(
          live.length > 0 ? t.rows.completed : t.rows.completedNoRemedies,
          t.no,
          f.completed,
          f.rates.completed,
          f.rates.completedOfReached,
        )}
        ${o.remedies.map((r) =>
          row(
            `${t.remedy(r.title)}${r.retired ? ` (${t.retired})` : ''}`,
            (t.rules as Record<string, string>)[r.completion] ?? r.completion,
            r.completed,
            r.rates.completed,
            r.rates.completedOfReached,
          ),
        )}
      </tbody>
    </table>
  </div>`;
}

function filterForm(ctx: FormatContext, m: CompletionPageModel): SafeHtml {
  const t = completionTexts(ctx.locale);
  const f = m.filter;
  const option = (value: string, label: string, current: string | undefined) =>
    html`<option value="${value}" ${value === (current ?? '') ? html`selected` : ''}>
      ${label}
    </option>`;
  const remedies = m.overview.remedies;
  return html`<form
    method="get"
    action="${caseTabUrl(m.kase.reference, 'completion')}"
    class="toolbar"
    role="search"
    aria-label="${t.openFilter}"
  >
    ${
      remedies.length > 0
        ? html`<div class="field">
            <label for="completion-remedy">${t.remedyFilter}</label>
            <select id="completion-remedy" name="remedy">
              ${option('', t.anyRemedy, f.remedy)}
              ${remedies.map((r) => option(r.key, r.title, f.remedy))}
            </select>
          </div>`
        : ''
    }
    <div class="field">
      <label for="completion-stage">${t.stage}</label>
      <select id="completion-stage" name="stage">
        ${option('', t.stages.all, f.stage)} ${option('unreached', t.stages.unreached, f.stage)}
        ${option('unread', t.stages.unread, f.stage)} ${option('read', t.stages.read, f.stage)}
      </select>
    </div>
    <div class="field">
      <label for="completion-language">${t.language}</label>
      <select id="completion-language" name="language">
        ${option('', t.languages.all, f.language)} ${option('nl', t.languages.nl, f.language)}
        ${option('en', t.languages.en, f.language)}
      </select>
    </div>
    <div class="field">
      <label for="completion-problem">${t.problem}</label>
      <select id="completion-problem" name="problem">
        ${option('', t.problemsFilter.all, f.problem)}
        ${option('bounced', t.problemsFilter.bounced, f.problem)}
        ${option('failed', t.problemsFilter.failed, f.problem)}
        ${option('no-email', t.problemsFilter['no-email'], f.problem)}
      </select>
    </div>
    <div class="field">
      <label for="completion-q">${t.search}</label>
      <input
        id="completion-q"
        type="search"
        name="q"
        value="${f.q ?? ''}"
        maxlength="200"
        aria-describedby="completion-q-hint"
      />
      <span class="hint" id="completion-q-hint">${t.searchHint}</span>
    </div>
    <div class="actions">
      <button type="submit">${t.apply}</button>
      <a href="${completionUrl(m.kase.reference)}">${t.reset}</a>
    </div>
  </form>`;
}

function openRow(ctx: FormatContext, r: OpenRecipient, m: CompletionPageModel): SafeHtml {
  const t = completionTexts(ctx.locale);
  const titles = new Map(m.overview.remedies.map((x) => [x.key, x.title]));
  const delivery = r.reached
    ? html`<span class="badge badge-ok">${t.delivery.reached}</span>`
    : r.bounced
      ? html`<span class="badge badge-danger">${t.delivery.bounced}</span>`
      : r.failed
        ? html`<span class="badge badge-danger">${t.delivery.failed}</span>`
        : r.email === null
          ? html`<span class="badge badge-warn">${t.delivery.noEmail}</span>`
          : html`<span class="badge badge-info">${t.delivery.pending}</span>`;
  return html`<tr>
    <td>
      ${r.name ?? t.no}<br /><span class="break-anywhere">${r.email ?? t.no}</span><br /><span
        class="muted"
        >${r.externalId}</span
      >
    </td>
    <td>${r.language}</td>
    <td>${delivery}</td>
    <td>
      ${
        r.acknowledgedAt
          ? html`<time datetime="${r.acknowledgedAt}"
              >${formatDateTime(ctx, r.acknowledgedAt)}</time
            >`
          : t.no
      }
    </td>
    <td>
      ${
        r.openRemedies.length > 0
          ? r.openRemedies.map((k) => titles.get(k) ?? k).join('; ')
          : t.rows.completedNoRemedies
      }
    </td>
  </tr>`;
}

function openList(ctx: FormatContext, m: CompletionPageModel): SafeHtml {
  const t = completionTexts(ctx.locale);
  const f = m.filter;
  const rows = m.page.rows;
  const ref = m.kase.reference;
  const pager =
    f.after || m.page.nextAfterId
      ? html`<nav class="pager" aria-label="${t.pager}">
          ${f.after ? html`<a href="${completionUrl(ref, { ...f, after: undefined })}">${t.first}</a>` : ''}
          ${
            m.page.nextAfterId
              ? html`<a rel="next" href="${completionUrl(ref, { ...f, after: m.page.nextAfterId })}"
                  >${t.next}</a
                >`
              : ''
          }
        </nav>`
      : '';
  const filtered = Boolean(f.remedy || f.stage || f.language || f.problem || f.q);
  return html`<section aria-labelledby="completion-open">
    <h2 id="completion-open">${t.openTitle}</h2>
    ${filterForm(ctx, m)}
    <p><a href="${openCsvUrl(ref, f)}" download>${t.download}</a></p>
    ${
      rows.length === 0
        ? html`<p role="status">${filtered || f.after ? t.noneOpen : t.allDone}</p>`
        : html`<div class="table-wrap" tabindex="0">
            <table class="completion-open-table">
              <caption>
                ${t.openCaption(formatNumber(ctx, rows.length))}
              </caption>
              <thead>
                <tr>
                  <th scope="col">${t.openCols.recipient}</th>
                  <th scope="col">${t.openCols.language}</th>
                  <th scope="col">${t.openCols.delivery}</th>
                  <th scope="col">${t.openCols.read}</th>
                  <th scope="col">${t.openCols.open}</th>
                </tr>
              </thead>
              <tbody>
                ${rows.map((r) => openRow(ctx, r, m))}
              </tbody>
            </table>
          </div>`
    }
    ${pager}
  </section>`;
}

/** The completion tab's content (inside the workspace layout). */
export function renderCompletionTab(view: ViewContext, m: CompletionPageModel): SafeHtml {
  const ctx = sessionOf(view);
  const t = completionTexts(ctx.locale);
  const o = m.overview;
  const head = html`${caseHeader(view, m.kase)} ${caseTabs(view, m.kase, 'completion')}`;
  if (o.figures.affected === 0) {
    return html`${head}
      <h2>${t.title}</h2>
      <p>${t.noRecipients}</p>`;
  }
  return html`${head}
    <h2>${t.title}</h2>
    <p>${t.intro}</p>
    ${tiles(ctx, o)} ${figuresTable(ctx, o)}
    <p class="muted">
      ${t.problems(
        formatNumber(ctx, o.problems.noEmail),
        formatNumber(ctx, o.problems.bounced),
        formatNumber(ctx, o.problems.failed),
      )}
    </p>
    <div class="stack">${completionCharts(ctx, o, m.markers)}</div>
    ${reminderEffectTable(ctx, m.effect)} ${openList(ctx, m)}`;
}
