import { html, type SafeHtml } from '../html.js';

/**
 * Line charts as server-side SVG: no script, no chart library, allowed by the workspace's
 * strict CSP (presentation attributes only, never style=). Every chart is an image with a
 * title and a description for screen readers, and carries its numbers as a table too.
 */

/** The tones a series can take: colour plus dash pattern, so colour is never the only cue. */
export type SeriesTone =
  | 'sent'
  | 'failed'
  | 'acknowledged'
  | 'remedied'
  | 'reached'
  | 'remedyA'
  | 'remedyB'
  | 'remedyC'
  | 'remedyD';

const TONES: Record<SeriesTone, { stroke: string; dash: string | null }> = {
  // All at least 4.5:1 against white (WCAG non-text contrast asks 3:1).
  sent: { stroke: '#0b6b3a', dash: null },
  failed: { stroke: '#b3261e', dash: '6 4' },
  acknowledged: { stroke: '#1d4ed8', dash: null },
  remedied: { stroke: '#6d28d9', dash: '6 4' },
  reached: { stroke: '#475467', dash: '2 3' },
  // Per-remedy lines: distinct hue and dash each.
  remedyA: { stroke: '#6d28d9', dash: null },
  remedyB: { stroke: '#b54708', dash: '6 4' },
  remedyC: { stroke: '#0e7490', dash: '2 3' },
  remedyD: { stroke: '#be185d', dash: '10 3 2 3' },
};

/** A vertical line at an instant (a reminder going out), with a short label. */
export interface ChartMarker {
  /** Position on the x axis in label units: 2.25 is a quarter of the way from label 2 to 3. */
  position: number;
  label: string;
  /** The table row (label index) the marker is listed in. */
  row: number;
}

export interface ChartSeries {
  name: string;
  tone: SeriesTone;
  /** One value per label. */
  values: readonly number[];
}

export interface LineChartInput {
  /** Unique within the page: the title and description ids derive from it. */
  id: string;
  title: string;
  description: string;
  /** Header of the table's first column (what the labels are: minute, day). */
  xTitle: string;
  /** The x axis: evenly spaced categories, in order. */
  labels: readonly string[];
  series: readonly ChartSeries[];
  /** Top of the y axis; by default a round number above the largest value. */
  yMax?: number;
  /** How a y value reads (number or percentage in the user's locale). */
  formatY: (value: number) => string;
  /** The text of the disclosure that shows the table. */
  tableLabel: string;
  /** Text shown instead of a chart when there are no labels. */
  emptyText: string;
  width?: number;
  height?: number;
  /** Vertical markers with labels, listed in the table's last column too. */
  markers?: readonly ChartMarker[];
  /** Header of the table's marker column (required with markers). */
  markersTitle?: string;
  /** Show the table open, next to the chart, instead of in a closed disclosure. */
  tableOpen?: boolean;
}

const MARGIN = { top: 12, right: 16, bottom: 36, left: 56 };

/** The smallest 1, 2 or 5 × 10ⁿ at or above `value` (at least 1). */
export function niceCeiling(value: number): number {
  if (!(value > 1)) return 1;
  const power = 10 ** Math.floor(Math.log10(value));
  for (const step of [1, 2, 5, 10]) if (step * power >= value) return step * power;
  return 10 * power;
}

/**
 * Values of the y-axis grid lines. Quarters of the top when they are whole numbers (or on a
 * ratio axis topping at 1, where they read as 25 %, 50 %, …); otherwise round steps with the
 * top itself as the last line: a dispatch to 395 recipients reads 0, 100, 200, 300, 395, not
 * 98,75 and 296,25 (nobody is three quarters of a recipient).
 */
export function axisTicks(yMax: number): number[] {
  const quarters = [0, 0.25, 0.5, 0.75, 1].map((f) => f * yMax);
  if (yMax <= 1 || quarters.every(Number.isInteger)) return quarters;
  const step = niceCeiling(yMax / 4);
  const ticks: number[] = [];
  // A round line just under the top would print its label over the top's.
  for (let v = 0; v < yMax - step / 2; v += step) ticks.push(v);
  return [...ticks, yMax];
}

/** Rounds for SVG coordinates: two decimals keep the markup short and the lines smooth. */
const r2 = (n: number) => Math.round(n * 100) / 100;

/** Indexes of at most `count` labels to print on the x axis, always the first and last. */
export function axisLabelIndexes(length: number, count: number): number[] {
  if (length <= 0) return [];
  if (length <= count) return [...Array(length).keys()];
  const out = new Set<number>();
  for (let i = 0; i < count; i += 1) out.add(Math.round((i * (length - 1)) / (count - 1)));
  return [...out].sort((a, b) => a - b);
}

/** Keeps at most `max` evenly spread points, always the last (cumulative series lose nothing that matters). */
export function thinIndexes(length: number, max: number): number[] {
  if (length <= max) return [...Array(length).keys()];
  const step = (length - 1) / (max - 1);
  const out = new Set<number>();
  for (let i = 0; i < max; i += 1) out.add(Math.round(i * step));
  return [...out].sort((a, b) => a - b);
}

/** A full line chart with axes, legend and a data table in a disclosure. */
export function renderLineChart(input: LineChartInput): SafeHtml {
  const width = input.width ?? 640;
  const n = input.labels.length;
  // The legend wraps below the plot when its entries do not fit on one line.
  const perRow = Math.max(1, Math.floor((width - MARGIN.left) / 150));
  const legendRows = Math.max(1, Math.ceil(input.series.length / perRow));
  const height = (input.height ?? 240) + (legendRows - 1) * 16;
  const markers = input.markers ?? [];
  // Marker labels take two lines above the plot (alternating, so neighbours do not overlap).
  const top = MARGIN.top + (markers.length > 0 ? (markers.length > 1 ? 28 : 14) : 0);
  if (n === 0) return html`<p class="chart-empty">${input.emptyText}</p>`;
  const largest = Math.max(0, ...input.series.flatMap((s) => s.values));
  const yMax = input.yMax ?? niceCeiling(largest);
  const bottom = MARGIN.bottom + (legendRows - 1) * 16;
  const plotW = width - MARGIN.left - MARGIN.right;
  const plotH = height - top - bottom;
  const x = (i: number) => MARGIN.left + (n === 1 ? plotW / 2 : (i * plotW) / (n - 1));
  const y = (v: number) => top + plotH - (Math.min(v, yMax) / yMax) * plotH;
  const titleId = `${input.id}-title`;
  const descId = `${input.id}-desc`;

  const yTicks = axisTicks(yMax);
  const grid = yTicks.map(
    (v) =>
      html`<line
          x1="${MARGIN.left}"
          x2="${width - MARGIN.right}"
          y1="${r2(y(v))}"
          y2="${r2(y(v))}"
          stroke="#d0d5dd"
          stroke-width="1"
        /><text
          x="${MARGIN.left - 6}"
          y="${r2(y(v) + 4)}"
          text-anchor="end"
          font-size="11"
          fill="#344054"
          >${input.formatY(v)}</text
        >`,
  );
  const xTicks = axisLabelIndexes(n, 4).map(
    (i, k, all) =>
      html`<text
        x="${r2(x(i))}"
        y="${height - bottom + 16}"
        text-anchor="${all.length > 1 && k === 0 ? 'start' : k === all.length - 1 && all.length > 1 ? 'end' : 'middle'}"
        font-size="11"
        fill="#344054"
        >${input.labels[i] ?? ''}</text
      >`,
  );
  const lines = input.series.map((s) => {
    const tone = TONES[s.tone];
    // One point draws no line: show its level across the plot (a dot alone is easily missed)
    // with the dot at its place.
    if (n === 1) {
      const level = r2(y(s.values[0] ?? 0));
      return html`<line
          x1="${MARGIN.left}"
          x2="${width - MARGIN.right}"
          y1="${level}"
          y2="${level}"
          stroke="${tone.stroke}"
          stroke-width="2"
          ${tone.dash ? html` stroke-dasharray="${tone.dash}"` : ''}
        /><circle cx="${r2(x(0))}" cy="${level}" r="4" fill="${tone.stroke}" />`;
    }
    const points = s.values.map((v, i) => `${r2(x(i))},${r2(y(v))}`).join(' ');
    return html`<polyline
      points="${points}"
      fill="none"
      stroke="${tone.stroke}"
      stroke-width="2"
      stroke-linejoin="round"
      ${tone.dash ? html` stroke-dasharray="${tone.dash}"` : ''}
    />`;
  });
  const legend = input.series.map((s, k) => {
    const tone = TONES[s.tone];
    const lx = MARGIN.left + (k % perRow) * 150;
    const ly = height - 8 - (legendRows - 1 - Math.floor(k / perRow)) * 16;
    return html`<line
        x1="${lx}"
        x2="${lx + 24}"
        y1="${ly - 4}"
        y2="${ly - 4}"
        stroke="${tone.stroke}"
        stroke-width="2"
        ${tone.dash ? html` stroke-dasharray="${tone.dash}"` : ''}
      /><text x="${lx + 30}" y="${ly}" font-size="11" fill="#101828">${s.name}</text>`;
  });

  const markerLines = markers.map((m, k) => {
    const mx = r2(x(Math.min(Math.max(m.position, 0), Math.max(n - 1, 0))));
    // Labels near the right edge end at the line, so they stay inside the image.
    const anchor = mx > width - 120 ? 'end' : 'start';
    return html`<g class="chart-marker">
      <line
        x1="${mx}"
        x2="${mx}"
        y1="${top - 2 - (k % 2) * 12}"
        y2="${top + plotH}"
        stroke="#101828"
        stroke-width="1"
        stroke-dasharray="3 3"
      /><text
        x="${anchor === 'end' ? mx - 3 : mx + 3}"
        y="${top - 4 - (k % 2) * 12}"
        text-anchor="${anchor}"
        font-size="11"
        fill="#101828"
        >${m.label}</text
      >
    </g>`;
  });
  const markerRows = new Map<number, string[]>();
  for (const m of markers) markerRows.set(m.row, [...(markerRows.get(m.row) ?? []), m.label]);
  const kept = thinIndexes(n, 60);
  // Rows that carry a marker are always listed, even when the table is thinned.
  const rowIndexes = [...new Set([...kept, ...markerRows.keys()])]
    .filter((i) => i >= 0 && i < n)
    .sort((a, b) => a - b);
  const rows = rowIndexes.map(
    (i) =>
      html`<tr>
        <th scope="row">${input.labels[i] ?? ''}</th>
        ${input.series.map((s) => html`<td>${input.formatY(s.values[i] ?? 0)}</td>`)}
        ${markers.length > 0 ? html`<td>${(markerRows.get(i) ?? []).join('; ')}</td>` : ''}
      </tr>`,
  );
  const table = html`<table class="chart-table">
    <thead>
      <tr>
        <th scope="col">${input.xTitle}</th>
        ${input.series.map((s) => html`<th scope="col">${s.name}</th>`)}
        ${markers.length > 0 ? html`<th scope="col">${input.markersTitle ?? ''}</th>` : ''}
      </tr>
    </thead>
    <tbody>
      ${rows}
    </tbody>
  </table>`;
  return html`<figure class="chart${input.tableOpen ? ' chart-with-table' : ''}" id="${input.id}">
    <svg
      class="chart-svg"
      role="img"
      aria-labelledby="${titleId} ${descId}"
      viewBox="0 0 ${width} ${height}"
      width="${width}"
      height="${height}"
      xmlns="http://www.w3.org/2000/svg"
    >
      <title id="${titleId}">${input.title}</title>
      <desc id="${descId}">${input.description}</desc>
      <g aria-hidden="true">
        ${grid}
        <line
          x1="${MARGIN.left}"
          x2="${MARGIN.left}"
          y1="${top}"
          y2="${top + plotH}"
          stroke="#667085"
          stroke-width="1"
        />
        ${xTicks}${lines}${markerLines}${legend}
      </g>
    </svg>
    <figcaption>${input.title}</figcaption>
    ${
      input.tableOpen
        ? html`<div class="chart-data table-wrap" tabindex="0">
            <p class="chart-data-label">${input.tableLabel}</p>
            ${table}
          </div>`
        : html`<details class="chart-data">
            <summary>${input.tableLabel}</summary>
            ${table}
          </details>`
    }
  </figure>`;
}

export interface SparkChartInput {
  /** The whole message of the chart, read out as the image's name. */
  title: string;
  series: readonly ChartSeries[];
  yMax?: number;
  width?: number;
  height?: number;
}

/**
 * A compact chart for tables and dashboard tiles: lines only, no axes. Its title must say
 * what the lines show (for example "87 % acknowledged after 3 days"), since nothing else does.
 */
export function renderSparkChart(input: SparkChartInput): SafeHtml {
  const width = input.width ?? 120;
  const height = input.height ?? 32;
  const n = Math.max(0, ...input.series.map((s) => s.values.length));
  const largest = Math.max(0, ...input.series.flatMap((s) => s.values));
  const yMax = input.yMax ?? niceCeiling(largest);
  const x = (i: number) => (n <= 1 ? width / 2 : 1 + (i * (width - 2)) / (n - 1));
  const y = (v: number) => height - 2 - (Math.min(v, yMax) / yMax) * (height - 4);
  const lines = input.series.map((s) => {
    const tone = TONES[s.tone];
    const kept = thinIndexes(s.values.length, 120);
    // A single value (day 0 of a recall) would be a polyline of one point, which draws
    // nothing: draw its level across the chart instead.
    const points =
      s.values.length === 1
        ? `1,${r2(y(s.values[0] ?? 0))} ${width - 1},${r2(y(s.values[0] ?? 0))}`
        : kept.map((i) => `${r2(x(i))},${r2(y(s.values[i] ?? 0))}`).join(' ');
    return html`<polyline
      points="${points}"
      fill="none"
      stroke="${tone.stroke}"
      stroke-width="1.5"
      ${tone.dash ? html` stroke-dasharray="${tone.dash}"` : ''}
    />`;
  });
  return html`<svg
    class="chart-spark"
    role="img"
    viewBox="0 0 ${width} ${height}"
    width="${width}"
    height="${height}"
    xmlns="http://www.w3.org/2000/svg"
  >
    <title>${input.title}</title>
    ${n > 0 ? lines : ''}
  </svg>`;
}
