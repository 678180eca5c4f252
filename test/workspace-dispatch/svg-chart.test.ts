import { describe, expect, it } from 'vitest';
import {
  axisLabelIndexes,
  axisTicks,
  niceCeiling,
  renderLineChart,
  renderSparkChart,
  thinIndexes,
} from '../../src/http/views/workspace/svg-chart.view.js';
import {
  cumulativeCurve,
  recallCurveOf,
} from '../../src/services/dispatch/dispatch-progress.service.js';

const base = {
  id: 'c1',
  title: 'Delivery progress',
  description: '3 of 4 sent',
  xTitle: 'Minute',
  formatY: (v: number) => String(v),
  tableLabel: 'Show the numbers',
  emptyText: 'Nothing sent yet',
};

describe('svg chart', () => {
  it('draws a single point (day 0 of a recall) as a visible line, not an invisible dot', () => {
    const spark = String(
      renderSparkChart({
        title: '50 % acknowledged on day 0',
        series: [{ name: 'Acknowledged', tone: 'sent', values: [0.5] }],
        yMax: 1,
      }),
    );
    // Two points across the width: a polyline of one point draws nothing.
    const points = /points="([^"]+)"/.exec(spark)![1]!.split(' ');
    expect(points).toHaveLength(2);
    expect(points[0]!.split(',')[0]).toBe('1');
    expect(points[1]!.split(',')[0]).toBe('119');
    expect(points[0]!.split(',')[1]).toBe(points[1]!.split(',')[1]);
    const full = String(
      renderLineChart({
        ...base,
        labels: ['10:00'],
        series: [{ name: 'Sent', tone: 'sent', values: [4] }],
      }),
    );
    // The level across the plot (56 → 624 of 640), in the series' colour.
    expect(full.replace(/\s+/g, ' ')).toMatch(
      /<line x1="56" x2="624" y1="([\d.]+)" y2="\1" stroke="#0b6b3a" stroke-width="2"/,
    );
    expect(full).toContain('<circle');
  });

  it('draws an accessible image with a title, a description and a data table', () => {
    const out = renderLineChart({
      ...base,
      labels: ['10:00', '10:01', '10:02'],
      series: [
        { name: 'Sent', tone: 'sent', values: [0, 2, 3] },
        { name: 'Failed', tone: 'failed', values: [0, 0, 1] },
      ],
      width: 400,
      height: 200,
    }).toString();
    expect(out).toContain('role="img"');
    expect(out).toContain('aria-labelledby="c1-title c1-desc"');
    expect(out).toContain('<title id="c1-title">Delivery progress</title>');
    expect(out).toContain('<desc id="c1-desc">3 of 4 sent</desc>');
    // No inline styles: the workspace CSP forbids them.
    expect(out).not.toMatch(/style=/);
    const polylines = [...out.matchAll(/<polyline\s+points="([^"]+)"/g)].map((m) => m[1]!);
    expect(polylines).toHaveLength(2);
    // Three points each; the y axis tops at niceCeiling(3) = 5, plot from y=12 to y=164.
    const sent = polylines[0]!.split(' ').map((p) => p.split(',').map(Number));
    expect(sent).toHaveLength(3);
    expect(sent[0]).toEqual([56, 164]);
    expect(sent[2]![0]).toBe(384);
    expect(sent[2]![1]).toBeCloseTo(164 - (3 / 5) * 152, 1);
    expect(out).toMatch(/<th scope="row">10:02<\/th>\s*<td>3<\/td><td>1<\/td>/);
    expect(out).toContain('stroke-dasharray'); // failed is dashed, not only red
  });

  it('puts the y grid on whole numbers, the top (the total) always labelled', () => {
    expect(axisTicks(395)).toEqual([0, 100, 200, 300, 395]);
    expect(axisTicks(310)).toEqual([0, 100, 200, 310]);
    expect(axisTicks(20_000)).toEqual([0, 5000, 10_000, 15_000, 20_000]);
    expect(axisTicks(7)).toEqual([0, 2, 4, 7]);
    expect(axisTicks(5)).toEqual([0, 2, 5]);
    // A ratio axis keeps its quarters: 0 %, 25 %, 50 %, 75 %, 100 %.
    expect(axisTicks(1)).toEqual([0, 0.25, 0.5, 0.75, 1]);
    const out = renderLineChart({
      ...base,
      labels: ['10:00', '10:01'],
      series: [{ name: 'Sent', tone: 'sent', values: [0, 395] }],
      yMax: 395,
    }).toString();
    // The y labels stand right-aligned left of the plot (x = margin 56 − 6).
    const labels = [...out.matchAll(/x="50"[^>]*>([^<]+)<\/text/g)].map((m) => m[1]);
    expect(labels).toEqual(['0', '100', '200', '300', '395']);
  });

  it('escapes every text it is given', () => {
    const out = renderLineChart({
      ...base,
      title: '<script>x</script>',
      labels: ['<b>'],
      series: [{ name: '"quoted"', tone: 'acknowledged', values: [1] }],
    }).toString();
    expect(out).not.toContain('<script>');
    expect(out).toContain('&lt;script&gt;');
    expect(out).toContain('&lt;b&gt;');
    expect(out).toContain('&quot;quoted&quot;');
  });

  it('says so when there is nothing to draw', () => {
    const out = renderLineChart({ ...base, labels: [], series: [] }).toString();
    expect(out).toBe('<p class="chart-empty">Nothing sent yet</p>');
  });

  it('draws a compact chart with a title as its accessible name', () => {
    const out = renderSparkChart({
      title: '50 % acknowledged',
      series: [{ name: 'a', tone: 'acknowledged', values: [0, 0.25, 0.5] }],
      yMax: 1,
      width: 100,
      height: 20,
    }).toString();
    expect(out).toContain('role="img"');
    expect(out).toContain('<title>50 % acknowledged</title>');
    expect(out).toContain('points="1,18 50,14 99,10"');
  });

  it('picks round axis tops and spreads labels and points', () => {
    expect([0, 1, 3, 7, 10, 11, 99, 101, 4999].map(niceCeiling)).toEqual([
      1, 1, 5, 10, 10, 20, 100, 200, 5000,
    ]);
    expect(axisLabelIndexes(10, 4)).toEqual([0, 3, 6, 9]);
    expect(axisLabelIndexes(2, 4)).toEqual([0, 1]);
    expect(thinIndexes(5, 10)).toEqual([0, 1, 2, 3, 4]);
    const thin = thinIndexes(1000, 60);
    expect(thin).toHaveLength(60);
    expect(thin[0]).toBe(0);
    expect(thin.at(-1)).toBe(999);
  });
});

describe('chart data', () => {
  it('merges minutes into longer steps when a dispatch ran for days', () => {
    const curve = cumulativeCurve(
      [
        { minute: '2026-11-27T10:00', sent: 10, failed: 0 },
        { minute: '2026-11-29T10:00', sent: 5, failed: 1 },
      ],
      '2026-11-27T10:00',
      20,
    );
    expect(curve.stepMinutes).toBe(Math.ceil((2 * 1440 + 1) / 240));
    expect(curve.minutes.length).toBeLessThanOrEqual(242);
    expect(curve.sent[0]).toBe(0);
    expect(curve.sent.at(-1)).toBe(15);
    expect(curve.failed.at(-1)).toBe(1);
    expect(curve.minutes.at(-1)).toBe('2026-11-29T10:00');
  });

  it('has no points before anything happened', () => {
    expect(cumulativeCurve([], '2026-11-27T10:00', 5).minutes).toEqual([]);
  });

  it('runs the recall curve to today and never divides by zero', () => {
    const curve = recallCurveOf(
      [{ day: 1, acknowledged: 1, remedied: 0 }],
      '2026-11-27T10:00:00Z',
      0,
      new Date('2026-11-29T11:00:00Z'),
    );
    expect(curve.acknowledged).toEqual([0, 0, 0]);
    expect(curve.acknowledgedCount).toBe(1);
  });
});
