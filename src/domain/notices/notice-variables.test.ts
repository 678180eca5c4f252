import { describe, expect, it } from 'vitest';
import {
  FIXED_VARIABLE_PATHS,
  analyzeNotice,
  analyzeTemplate,
  availableVariablePaths,
  describeMissingValues,
  findMissingValues,
  formatNoticeDate,
  summariseMissingValues,
  type NoticeVariables,
} from './notice-variables.js';
import { sampleNoticeVariables } from './sample-variables.js';

const available = availableVariablePaths({
  impactKeys: ['domains', 'servers'],
  attributeKeys: ['plan'],
});

function report(source: string, path: string) {
  return analyzeTemplate(source, available).placeholders.find((p) => p.path === path);
}

describe('availableVariablePaths', () => {
  it('holds the fixed paths plus the case impact keys and attribute keys', () => {
    expect(FIXED_VARIABLE_PATHS).toContain('customer.name');
    expect(FIXED_VARIABLE_PATHS).toContain('organisation.dpo_email');
    expect(FIXED_VARIABLE_PATHS).toContain('personal_url');
    expect(available.has('impact.domains')).toBe(true);
    expect(available.has('customer.attributes.plan')).toBe(true);
    expect(available.has('impact.data')).toBe(false);
  });
});

describe('analyzeTemplate', () => {
  it('lists the placeholders used with their positions', () => {
    const analysis = analyzeTemplate(
      'Dear {{ customer.name }},\nSites: {{ impact.domains | join: ", " }} / {{ customer.name }}',
      available,
    );
    expect(analysis.problems).toEqual([]);
    expect(analysis.unknown).toEqual([]);
    expect(analysis.placeholders).toEqual([
      {
        path: 'customer.name',
        segments: ['customer', 'name'],
        required: true,
        status: 'known',
        uses: [
          { part: 'body', line: 1, column: 9, optional: false },
          { part: 'body', line: 2, column: 47, optional: false },
        ],
      },
      expect.objectContaining({ path: 'impact.domains', required: true, status: 'known' }),
    ]);
  });

  it('reports unknown placeholders by name and position', () => {
    const analysis = analyzeTemplate(
      'Hi {{ customer.nmae }}\n{{ impact.data }} {{ organisaton.name }} {{ impact.domains.size }}',
      available,
    );
    expect(analysis.unknown.map((u) => [u.path, u.uses[0]?.line, u.uses[0]?.column])).toEqual([
      ['customer.nmae', 1, 7],
      ['impact.data', 2, 4],
      ['organisaton.name', 2, 22],
    ]);
  });

  it('does not count loop variables and assignments as placeholders', () => {
    const analysis = analyzeTemplate(
      '{% for d in impact.domains %}{{ d }}{% endfor %}{% assign n = 2 %}{{ n }}',
      available,
    );
    expect(analysis.placeholders.map((p) => p.path)).toEqual(['impact.domains']);
  });

  it('reports Liquid syntax errors with line and column', () => {
    const { problems } = analyzeNotice(
      { subject: 'Hello {{ customer.name', body: 'ok\n\n  {% if impact.domains %}\nnever closed' },
      available,
    );
    expect(problems).toEqual([
      { part: 'subject', line: 1, column: 7, message: 'output "{{ customer.name" not closed' },
      { part: 'body', line: 3, column: 3, message: 'tag {% if impact.domains %} not closed' },
    ]);
  });
});

describe('optional placeholders', () => {
  it.each([
    ['{% if impact.data %}{{ impact.data }}{% endif %}', true],
    ['{% if impact.data %}{{ impact.data | join: ", " }} {{ impact.data.size }}{% endif %}', true],
    ['{% if impact.data and customer.name %}{{ impact.data }}{% endif %}', true],
    ['{% if impact.data != blank %}{{ impact.data }}{% endif %}', true],
    ['{% if impact.data.size > 0 %}{{ impact.data }}{% endif %}', true],
    ['{% unless impact.data == empty %}{{ impact.data }}{% endunless %}', true],
    ['{% if impact.x %}{% elsif impact.data %}{{ impact.data }}{% endif %}', true],
    ['{{ impact.data | default: "none" }}', true],
    ['{% if impact.data %}a{% endif %}', true],
    ['{% if impact.data or impact.x %}{{ impact.data }}{% endif %}', false],
    ['{% if impact.x %}{{ impact.data }}{% endif %}', false],
    ['{% if impact.data %}a{% else %}{{ impact.data }}{% endif %}', false],
    ['{% if impact.data %}a{% endif %}{{ impact.data }}', false],
    ['{% unless impact.data %}{{ impact.data }}{% endunless %}', false],
    ['{{ customer.name | default: impact.data }}', false],
  ])('%s → optional: %s', (source, optional) => {
    const p = report(source, 'impact.data');
    expect(p?.required).toBe(!optional);
    // A case without that column: an optional use is "absent", a required one "unknown".
    expect(p?.status).toBe(optional ? 'absent' : 'unknown');
  });

  it('still reports a misspelt fixed variable inside a guard as unknown', () => {
    expect(report('{% if customer.nmae %}x{% endif %}', 'customer.nmae')?.status).toBe('unknown');
  });

  it('treats a guarded available impact key as known but not required', () => {
    expect(
      report('{% if impact.domains %}{{ impact.domains }}{% endif %}', 'impact.domains'),
    ).toMatchObject({
      status: 'known',
      required: false,
    });
  });
});

describe('missing values', () => {
  const analysis = analyzeNotice(
    {
      subject: 'For {{ customer.name }}',
      body: 'Sites: {{ impact.domains | join: ", " }}{% if impact.servers %} {{ impact.servers }}{% endif %} {{ customer.attributes.plan }}',
    },
    available,
  );
  const recipient = (patch: (v: NoticeVariables) => void): NoticeVariables => {
    const v = sampleNoticeVariables('en');
    v.customer.attributes['plan'] = 'Pro';
    patch(v);
    return v;
  };

  it('finds required placeholders that are missing or empty for a recipient', () => {
    expect(
      findMissingValues(
        analysis,
        recipient(() => {}),
      ),
    ).toEqual([]);
    const empty = recipient((v) => {
      v.customer.name = '  ';
      v.impact['domains'] = [];
      delete v.customer.attributes['plan'];
      delete v.impact['servers'];
    });
    expect(findMissingValues(analysis, empty)).toEqual([
      'customer.name',
      'impact.domains',
      'customer.attributes.plan',
    ]);
  });

  it('counts them over all recipients and says so in words', () => {
    const recipients = Array.from({ length: 3400 }, (_, i) =>
      recipient((v) => {
        if (i % 283 === 0) v.impact['domains'] = null;
        if (i === 7) v.customer.name = null;
      }),
    );
    const summary = summariseMissingValues(analysis, recipients);
    expect(summary).toEqual({
      recipients: 3400,
      missing: [
        { path: 'impact.domains', count: 13 },
        { path: 'customer.name', count: 1 },
      ],
    });
    expect(describeMissingValues(summary)).toEqual([
      '`{{ impact.domains }}` is empty for 13 of 3,400 recipients',
      '`{{ customer.name }}` is empty for 1 of 3,400 recipients',
    ]);
  });
});

describe('formatNoticeDate', () => {
  it('formats in the recipient language and the given time zone', () => {
    const at = '2025-03-03T13:20:00Z';
    expect(formatNoticeDate(at, 'nl')).toBe('3 maart 2025 om 14:20 CET');
    expect(formatNoticeDate(at, 'en')).toBe('3 March 2025 at 14:20 CET');
    expect(formatNoticeDate(null, 'en')).toBeNull();
  });
});
