import { describe, expect, it } from 'vitest';
import { dayPosition } from '../../src/domain/remedies/completion-curve.js';
import { completionCharts } from '../../src/http/views/workspace/case-completion.view.js';
import {
  calendarDays,
  type CompletionOverview,
} from '../../src/services/remedies/completion.service.js';

/** A hand-made overview over the DST week of the scenario (6 days, Europe/Amsterdam). */
function overview(): CompletionOverview {
  const cal = calendarDays(
    '2026-10-23T08:00:00Z',
    new Date('2026-10-28T12:00:00Z'),
    'Europe/Amsterdam',
  );
  const figures = (completed: number) => ({
    affected: 8,
    reached: 5,
    read: 4,
    completed,
    completedReached: completed,
    rates: {
      reached: 0.625,
      read: 0.5,
      readOfReached: 0.8,
      completed: completed / 8,
      completedOfReached: completed / 5,
    },
  });
  return {
    case: 'INC-2026-001',
    figures: figures(1),
    problems: { noEmail: 2, bounced: 1, failed: 1 },
    remedies: [
      {
        key: 'update-plugin',
        title: 'Update <the> plugin',
        completion: 'customer',
        retired: false,
        ...figures(4),
      },
      {
        key: 'rotate-key',
        title: 'Rotate the key',
        completion: 'both',
        retired: false,
        ...figures(1),
      },
    ],
    curve: {
      timeZone: 'Europe/Amsterdam',
      since: '2026-10-23T08:00:00Z',
      days: cal.days,
      dayStarts: cal.starts.map((ms) => new Date(ms).toISOString()),
      dayEnds: cal.ends.map((ms) => new Date(ms).toISOString()),
      reached: [4, 4, 4, 5, 5, 5],
      read: [2, 2, 3, 4, 4, 4],
      completed: [0, 0, 0, 1, 2, 1],
      remedies: [
        { key: 'update-plugin', completed: [1, 1, 2, 3, 4, 4] },
        { key: 'rotate-key', completed: [0, 0, 1, 2, 2, 1] },
      ],
    },
  };
}

const ctx = { locale: 'en' as const, timeZone: 'Europe/Amsterdam' };

/** The values a polyline draws, read back through the chart's y scale (axis line and yMax). */
function plotted(svg: string, yMax: number): number[][] {
  const axis = /<line\s+x1="56"\s+x2="56"\s+y1="([\d.]+)"\s+y2="([\d.]+)"/.exec(svg)!;
  const top = Number(axis[1]);
  const bottom = Number(axis[2]);
  return [...svg.matchAll(/<polyline\s+points="([^"]+)"/g)].map((m) =>
    m[1]!.split(' ').map((p) => {
      const y = Number(p.split(',')[1]);
      return Math.round(((bottom - y) / (bottom - top)) * yMax * 100) / 100;
    }),
  );
}

/** The table's rows as text cells. */
function tableRows(figure: string): string[][] {
  const body = /<tbody>([\s\S]*?)<\/tbody>/.exec(figure)![1]!;
  return [...body.matchAll(/<tr>([\s\S]*?)<\/tr>/g)].map((r) =>
    [...r[1]!.matchAll(/<t[hd][^>]*>([\s\S]*?)<\/t[hd]>/g)].map((c) =>
      c[1]!.replace(/\s+/g, ' ').trim(),
    ),
  );
}

describe('completion charts', () => {
  it('places an instant on the day axis: point i is the end of local day i', () => {
    const cal = calendarDays(
      '2026-10-23T08:00:00Z',
      new Date('2026-10-28T12:00:00Z'),
      'Europe/Amsterdam',
    );
    expect(dayPosition(Date.parse('2026-10-23T12:00:00Z'), cal.starts, cal.ends)).toBe(0);
    // Noon CET on the 26th: half of day 3, so half-way between points 2 and 3.
    expect(dayPosition(Date.parse('2026-10-26T11:00:00Z'), cal.starts, cal.ends)).toBe(2.5);
    // The 25-hour Sunday: 12:30 CET is 13.5 of 25 hours in.
    expect(dayPosition(Date.parse('2026-10-25T11:30:00Z'), cal.starts, cal.ends)).toBe(
      1 + 13.5 / 25,
    );
    expect(dayPosition(Date.parse('2026-10-29T00:00:00Z'), cal.starts, cal.ends)).toBeNull();
  });

  it('draws the markers and lists them in a table whose numbers are the lines drawn', () => {
    const out = String(
      completionCharts(ctx, overview(), [
        { at: '2026-10-26T11:00:00Z', label: 'Reminder 1' },
        { at: '2026-10-27T08:00:00Z', label: 'Reminder <2>' },
        { at: '2026-11-30T08:00:00Z', label: 'Too late' },
      ]),
    );
    const [main, perRemedy] = out.split('</figure>') as [string, string];
    for (const figure of [main, perRemedy]) {
      // Two markers within the days, one line each, labels escaped; the third is outside.
      expect(figure.match(/class="chart-marker"/g)).toHaveLength(2);
      expect(figure).toContain('>Reminder 1</text');
      expect(figure).toContain('>Reminder &lt;2&gt;</text');
      expect(figure).not.toContain('Too late');
      expect(figure).toMatch(/<title id="[^"]+">/);
      expect(figure).toMatch(/<desc id="[^"]+">[^<]*Markers: Reminder 1/);
      // The table is open next to the chart, not hidden in a disclosure.
      expect(figure).not.toContain('<details');
    }
    // Marker 1 at 2.5 days: x = 56 + 2.5 × 448 / 5 = 280 (the chart is 520 wide).
    expect(main).toMatch(/<line\s+x1="280"\s+x2="280"/);

    const rows = tableRows(main);
    expect(rows.map((r) => r[0])).toEqual([
      '23 Oct',
      '24 Oct',
      '25 Oct',
      '26 Oct',
      '27 Oct',
      '28 Oct',
    ]);
    expect(rows.map((r) => r[4])).toEqual(['', '', '', 'Reminder 1', 'Reminder &lt;2&gt;', '']);
    // Each series' column equals its line, read back through the scale.
    const lines = plotted(main, 8);
    expect(lines).toHaveLength(3);
    for (let s = 0; s < 3; s += 1) {
      expect(lines[s]).toEqual(rows.map((r) => Number(r[s + 1])));
    }
    expect(lines[2]).toEqual([0, 0, 0, 1, 2, 1]);

    const remedyRows = tableRows(perRemedy);
    const remedyLines = plotted(perRemedy, 8);
    expect(remedyLines[0]).toEqual(remedyRows.map((r) => Number(r[1])));
    expect(remedyLines[1]).toEqual(remedyRows.map((r) => Number(r[2])));
    expect(remedyLines[1]).toEqual([0, 0, 1, 2, 2, 1]);
    expect(perRemedy).toContain('Update &lt;the&gt; plugin');
  });

  it('says so before the first dispatch instead of drawing an empty chart', () => {
    const out = String(completionCharts(ctx, { ...overview(), curve: null }, []));
    expect(out).toContain('Nothing sent yet');
    expect(out).not.toContain('<svg');
  });
});
