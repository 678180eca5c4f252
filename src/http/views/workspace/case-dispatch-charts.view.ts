import type { DispatchProgress } from '../../../services/dispatch/dispatch.service.js';
import type {
  DeliveryCurve,
  RecallCurve,
} from '../../../services/dispatch/dispatch-progress.service.js';
import type { SafeHtml } from '../html.js';
import { dispatchTexts } from './case-dispatch-texts.view.js';
import { renderLineChart, renderSparkChart } from './svg-chart.view.js';
import {
  formatDateTime,
  formatDuration,
  formatNumber,
  formatPercent,
  type FormatContext,
} from './workspace-format.js';

/**
 * The two charts of the dispatch tab (delivery over time, the recall-completion curve) and
 * their compact forms for the dashboard. Data from dispatch-progress.service.ts.
 */

const TAGS = { nl: 'nl-NL', en: 'en-GB' } as const;

/** Hour and minute in the user's zone, for the x axis. */
function clock(ctx: FormatContext, minute: string): string {
  return new Intl.DateTimeFormat(TAGS[ctx.locale], {
    timeZone: ctx.timeZone,
    hour: '2-digit',
    minute: '2-digit',
  }).format(new Date(`${minute}:00Z`));
}

/** Cumulative sent and not-delivered over the dispatch's minutes. */
export function deliveryChart(
  ctx: FormatContext,
  curve: DeliveryCurve | null,
  id: string,
): SafeHtml {
  const t = dispatchTexts(ctx.locale);
  const minutes = curve?.minutes ?? [];
  const first = minutes[0];
  const last = minutes[minutes.length - 1];
  const n = (v: number) => formatNumber(ctx, v);
  return renderLineChart({
    id,
    title: t.deliveryChartTitle,
    description:
      curve && first && last
        ? t.deliveryChartDesc(
            n(curve.sent.at(-1) ?? 0),
            n(curve.failed.at(-1) ?? 0),
            n(curve.total),
            formatDateTime(ctx, `${first}:00Z`),
            formatDateTime(ctx, `${last}:00Z`),
          )
        : t.deliveryEmpty,
    xTitle: t.minute,
    labels: minutes.map((m) => clock(ctx, m)),
    series: curve
      ? [
          { name: t.sentSeries, tone: 'sent', values: curve.sent },
          { name: t.failedSeries, tone: 'failed', values: curve.failed },
        ]
      : [],
    yMax: curve && curve.total > 0 ? curve.total : undefined,
    formatY: n,
    tableLabel: t.showTable,
    emptyText: t.deliveryEmpty,
  });
}

/** Acknowledged and remedied, cumulative, as a share of the recipients, per day. */
export function recallChart(ctx: FormatContext, curve: RecallCurve | null, id: string): SafeHtml {
  const t = dispatchTexts(ctx.locale);
  const days = curve?.acknowledged.length ?? 0;
  const p = (v: number) => formatPercent(ctx, v);
  return renderLineChart({
    id,
    title: t.recallChartTitle,
    description: curve
      ? t.recallChartDesc(
          p(curve.acknowledged.at(-1) ?? 0),
          p(curve.remedied.at(-1) ?? 0),
          Math.max(0, days - 1),
        )
      : t.recallEmpty,
    xTitle: t.day,
    labels: [...Array(days).keys()].map((d) => t.dayLabel(d)),
    series: curve
      ? [
          { name: t.ackSeries, tone: 'acknowledged', values: curve.acknowledged },
          { name: t.remSeries, tone: 'remedied', values: curve.remedied },
        ]
      : [],
    yMax: 1,
    formatY: p,
    tableLabel: t.showTable,
    emptyText: t.recallEmpty,
  });
}

/** A compact delivery bar for dashboard tiles: the share settled, as a one-line chart. */
export function compactDeliveryChart(ctx: FormatContext, curve: DeliveryCurve): SafeHtml {
  const t = dispatchTexts(ctx.locale);
  const settled = (curve.sent.at(-1) ?? 0) + (curve.failed.at(-1) ?? 0);
  return renderSparkChart({
    title: t.sparkDelivery(formatPercent(ctx, curve.total > 0 ? settled / curve.total : 0)),
    series: [
      { name: t.sentSeries, tone: 'sent', values: curve.sent },
      { name: t.failedSeries, tone: 'failed', values: curve.failed },
    ],
    yMax: Math.max(1, curve.total),
  });
}

/** The recall-completion curve in small, for the dashboard's case rows. */
export function compactRecallChart(ctx: FormatContext, curve: RecallCurve): SafeHtml {
  const t = dispatchTexts(ctx.locale);
  return renderSparkChart({
    title: t.sparkRecall(
      formatPercent(ctx, curve.acknowledged.at(-1) ?? 0),
      formatPercent(ctx, curve.remedied.at(-1) ?? 0),
    ),
    series: [
      { name: t.ackSeries, tone: 'acknowledged', values: curve.acknowledged },
      { name: t.remSeries, tone: 'remedied', values: curve.remedied },
    ],
    yMax: 1,
  });
}

/** The live numbers of a dispatch as texts in the user's language (page and event stream). */
export function progressTexts(ctx: FormatContext, p: DispatchProgress): Record<string, string> {
  const t = dispatchTexts(ctx.locale);
  const n = (v: number) => formatNumber(ctx, v);
  const ratio = p.total > 0 ? p.done / p.total : p.state === 'completed' ? 1 : 0;
  return {
    state: t.states[p.state] ?? p.state,
    percent: formatPercent(ctx, ratio),
    done: n(p.done),
    total: n(p.total),
    sent: n(p.counts.sent),
    deferred: n(p.counts.deferred),
    bounced: n(p.counts.bounced),
    failed: n(p.counts.failed),
    queued: n(p.counts.queued + p.counts.sending),
    cancelled: n(p.counts.cancelled),
    rate: t.perSecond(
      new Intl.NumberFormat(TAGS[ctx.locale], { maximumFractionDigits: 1 }).format(p.rate),
    ),
    eta: p.etaSeconds === null ? '—' : formatDuration(ctx, p.etaSeconds * 1000),
    // Why deliveries wait (the relay is down, a 4xx): said, not left as a silent count.
    deferral: p.deferral
      ? t.deferralNote(
          n(p.counts.deferred),
          (p.deferral.response ?? '—').slice(0, 200),
          formatDateTime(ctx, p.deferral.nextAttemptAt),
        )
      : '',
  };
}
