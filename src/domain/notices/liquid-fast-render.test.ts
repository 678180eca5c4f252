import { describe, expect, it } from 'vitest';
import { createNoticeLiquid } from './liquid-engine.js';
import { compileTemplate } from './liquid-fast-render.js';

// The fast path must render exactly what LiquidJS renders (same options), or fail the same way.
const TEMPLATES = [
  'Hello {{ customer.name }}!',
  '{{ impact.domains | join: ", " }}',
  '{% if impact.domains %}A{% elsif impact.flag %}B{% else %}C{% endif %}',
  '{% unless impact.flag %}no{% elsif impact.count %}count{% else %}yes{% endunless %}',
  '{% for d in impact.domains %}[{{ d | upcase }}]{% else %}none{% endfor %}',
  '{% for pair in impact.obj %}{{ pair[0] }}={{ pair[1] }};{% endfor %}',
  '{% assign n = impact.domains | size %}{{ n | plus: 1 }}',
  '{% assign who = impact.nothing %}[{{ who }}]',
  '{{ impact.nothing | default: "fallback" }}|{{ impact.empty_text | default: "dflt" }}',
  '{{ impact.domains.size }} {{ impact.domains.first }} {{ impact.domains[1] }} {{ impact.domains[-1] }} {{ customer.name.size }}',
  '{% if impact.count > 2 and customer.name contains "an" %}big{% endif %}',
  '{% if impact.domains != blank %}x{% endif %}{% if impact.empty_list == empty %}e{% endif %}{% if impact.nothing == nil %}n{% endif %}',
  '{% if not impact.flag %}not{% endif %}{% if impact.flag or impact.count %}or{% endif %}',
  '{{ customer.name | truncate: 5 }}{{ "lit" | append: "x" }}{{ 3 | times: 2 }}{{ impact.count | divided_by: 2.0 }}',
  '{{ impact.obj.k }} {{ impact[customer.key] }} {{ impact.domains[impact.index] }}',
  '{{ impact.html }} {{ impact.html | upcase }}',
  '{{ nil }}|{{ true }}|{{ 1.5 }}|{{ "q" }}|{{ empty }}|{{ blank }}',
  '{{ impact.domains }}|{{ impact.obj }}|{{ impact.count }}',
  '{%- if impact.flag -%}  yes  {%- else -%}  no  {%- endif -%} end',
  '{% raw %}{{ not rendered }}{% endraw %}{% comment %}hidden {{ x }}{% endcomment %}{% # note %}ok',
  '{% case impact.count %}{% when 3 %}three{% else %}other{% endcase %}',
  '{% for d in impact.domains %}{{ forloop.index }}{% endfor %}',
  '{{ customer.toString }}',
  '{{ impact.nothing }}',
  '{{ impact.obj.missing.deeper }}',
  '{% for d in impact.nothing %}x{% endfor %}',
  // A literal full stop after a value that ends a sentence is dropped (liquid-sentence-ends.ts).
  'Van {{ impact.sentence }}. Wij {{ customer.name }}.',
  '{{ impact.sentence | append: "." }}.{{ impact.nothing }}.{{ impact.count }}.',
  '**{{ impact.sentence }}**. <em>{{ impact.sentence }}</em>. {{ impact.sentence }}... {{ impact.sentence }}.nl',
  '{% if impact.flag %}{{ impact.sentence }}.{% else %}{{ impact.sentence | upcase }}.{% endif %}',
  '{% for d in impact.ends %}{{ d -}} . {% else %}{{ impact.sentence }}.{% endfor %}',
  '{{ impact.ends }}. {{ impact.ends | join: "." }}.',
  '{% case impact.count %}{% when 3 %}{{ impact.sentence }}.{% else %}{{ impact.ends }}.{% endcase %}',
];

const SCOPES: Record<string, object> = {
  full: {
    customer: { name: 'Jan "de" Vries', key: 'count' },
    impact: {
      domains: ['a.nl', 'b.nl', 'c.nl'],
      flag: false,
      count: 3,
      index: 1,
      obj: { k: 'v<1>' },
      html: `<b>"&'</b>`,
      empty_text: '',
      empty_list: [],
      nothing: null,
      sentence: 'Voorbeeld & Zn <B.V.>',
      ends: ['a.', 'b?', 'c', 'd…', 'e!'],
    },
  },
  sparse: {
    customer: { name: 'An.', key: 'nope' },
    impact: {
      domains: 'solo.nl',
      count: 0,
      sentence: 'Voorbeeld Hosting B.V.',
      ends: 'only one',
      nothing: null,
    },
  },
};

function outcome(render: () => string): string {
  try {
    return `ok:${render()}`;
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const undefinedVariable = /undefined variable: ([\w.]+)/.exec(message);
    return undefinedVariable ? `undefined:${undefinedVariable[1]}` : `error`;
  }
}

describe('fast Liquid rendering', () => {
  for (const mode of ['html', 'text'] as const) {
    const liquid = createNoticeLiquid(mode);
    for (const source of TEMPLATES) {
      it(`${mode}: ${source}`, () => {
        const templates = liquid.parse(source);
        const compiled = compileTemplate(liquid, templates);
        for (const [name, scope] of Object.entries(SCOPES)) {
          const expected = outcome(() => liquid.renderSync(templates, scope) as string);
          expect(
            outcome(() => compiled.render(scope)),
            `${name} scope`,
          ).toBe(expected);
        }
      });
    }
  }

  it('takes the fast path for the constructs notices use, and falls back for the rest', () => {
    const liquid = createNoticeLiquid('html');
    const fast = (source: string): boolean => compileTemplate(liquid, liquid.parse(source)).fast;
    expect(fast('{% if a %}{{ b | join: ", " }}{% else %}{{ c | default: "x" }}{% endif %}')).toBe(
      true,
    );
    expect(fast('{% for d in a %}{{ d }}{% endfor %}{% assign x = 1 %}')).toBe(true);
    expect(fast('{% case a %}{% when 1 %}x{% endcase %}')).toBe(false);
    expect(fast('{% for d in a %}{{ forloop.index }}{% endfor %}')).toBe(false);
    expect(fast('{{ a | append: b }}')).toBe(false);
  });
});
