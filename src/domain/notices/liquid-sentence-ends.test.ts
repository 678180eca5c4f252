import { describe, expect, it } from 'vitest';
import { endSentence, endsSentence } from '../sentence.js';
import { createNoticeLiquid } from './liquid-engine.js';
import { compileTemplate } from './liquid-fast-render.js';
import { withoutSentenceDot } from './liquid-sentence-ends.js';
import { compileNotice, renderNotice } from './notice-renderer.js';
import { sampleNoticeVariables } from './sample-variables.js';

const DOUBLE_STOP = /(?<!\.)\.\.(?!\.)/;

describe('endSentence', () => {
  it('adds a full stop unless the text already ends a sentence', () => {
    expect(endSentence('Voorbeeld Hosting')).toBe('Voorbeeld Hosting.');
    expect(endSentence('Voorbeeld Hosting B.V.')).toBe('Voorbeeld Hosting B.V.');
    expect(endSentence('Is it safe?')).toBe('Is it safe?');
    expect(endSentence('Stop!')).toBe('Stop!');
    expect(endSentence('and so on…')).toBe('and so on…');
    expect(endSentence('and so on...')).toBe('and so on...');
    expect(endSentence('(B.V.)')).toBe('(B.V.).');
    expect(endSentence('')).toBe('.');
    expect(endsSentence('B.V.')).toBe(true);
    expect(endsSentence('B.V')).toBe(false);
  });
});

describe('withoutSentenceDot', () => {
  it('finds a sentence full stop, also behind closing inline markup', () => {
    expect(withoutSentenceDot('. Wij')).toBe(' Wij');
    expect(withoutSentenceDot('.')).toBe('');
    expect(withoutSentenceDot('.</p>\n')).toBe('</p>\n');
    expect(withoutSentenceDot('</strong>. Next')).toBe('</strong> Next');
    expect(withoutSentenceDot('</a></em>.)')).toBe('</a></em>)');
    expect(withoutSentenceDot('**.\n')).toBe('**\n');
    expect(withoutSentenceDot('_.')).toBe('_');
  });

  it('leaves ellipses, dots that start a word or number, and text without a dot', () => {
    expect(withoutSentenceDot('...')).toBeNull();
    expect(withoutSentenceDot('.. x')).toBeNull();
    expect(withoutSentenceDot('.nl')).toBeNull();
    expect(withoutSentenceDot('.5 is out')).toBeNull();
    expect(withoutSentenceDot(' .')).toBeNull();
    expect(withoutSentenceDot(', and')).toBeNull();
    expect(withoutSentenceDot('</p>.')).toBeNull();
  });
});

/** Renders on both paths: the fast closures and LiquidJS's own renderSync, plus parseAndRender. */
function renderBoth(mode: 'html' | 'text', source: string, scope: object) {
  const liquid = createNoticeLiquid(mode);
  const templates = liquid.parse(source);
  const compiled = compileTemplate(liquid, templates);
  return {
    fast: compiled.fast,
    compiled: compiled.render(scope),
    renderSync: liquid.renderSync(templates, scope) as string,
    parseAndRender: liquid.parseAndRenderSync(source, scope) as string,
  };
}

const CASES: { source: string; value: string; html: string; text: string }[] = [
  {
    source: 'bij {{ name }}. Wij',
    value: 'Voorbeeld Hosting B.V.',
    html: 'bij Voorbeeld Hosting B.V. Wij',
    text: 'bij Voorbeeld Hosting B.V. Wij',
  },
  {
    source: 'bij {{ name }}. Wij',
    value: 'Voorbeeld Hosting',
    html: 'bij Voorbeeld Hosting. Wij',
    text: 'bij Voorbeeld Hosting. Wij',
  },
  {
    source: 'Q: {{ name }}.',
    value: 'Is it safe?',
    html: 'Q: Is it safe?',
    text: 'Q: Is it safe?',
  },
  { source: '{{ name }}.', value: 'Stop!', html: 'Stop!', text: 'Stop!' },
  { source: '{{ name }}.', value: 'and so on…', html: 'and so on…', text: 'and so on…' },
  // An ellipsis in the template is the author's: kept.
  { source: '{{ name }}...', value: 'B.V.', html: 'B.V....', text: 'B.V....' },
  // A dot inside the value is never touched, nor one that starts a word.
  { source: '{{ name }} is it.', value: 'B.V.', html: 'B.V. is it.', text: 'B.V. is it.' },
  {
    source: 'www.{{ name }}.nl',
    value: 'voorbeeld',
    html: 'www.voorbeeld.nl',
    text: 'www.voorbeeld.nl',
  },
  // Escaping: the test looks at what is written, which ends the same way.
  {
    source: '{{ name }}.',
    value: 'Tom & Jerry <B.V.>',
    html: 'Tom &amp; Jerry &lt;B.V.&gt;.',
    text: 'Tom & Jerry <B.V.>.',
  },
  {
    source: '{{ name }}.',
    value: 'Tom & Jerry B.V.',
    html: 'Tom &amp; Jerry B.V.',
    text: 'Tom & Jerry B.V.',
  },
  // Inside blocks, with filters, with whitespace control, in loops.
  {
    source: '{% if name %}Van {{ name | strip }}.{% else %}-{% endif %}',
    value: ' B.V. ',
    html: 'Van B.V.',
    text: 'Van B.V.',
  },
  { source: '{{ name -}}  . Next', value: 'B.V.', html: 'B.V. Next', text: 'B.V. Next' },
  {
    source: '{% for n in list %}{{ n }}. {% endfor %}',
    value: 'unused',
    html: 'A. B. C. ',
    text: 'A. B. C. ',
  },
  {
    source: '{% unless list == empty %}{{ list | join: ", " }}.{% endunless %}',
    value: 'unused',
    html: 'A., B, C.',
    text: 'A., B, C.',
  },
  // Markdown emphasis in Markdown source (public texts) and closing tags in generated HTML.
  { source: '**{{ name }}**.', value: 'B.V.', html: '**B.V.**', text: '**B.V.**' },
  {
    source: '<strong>{{ name }}</strong>.',
    value: 'B.V.',
    html: '<strong>B.V.</strong>',
    text: '<strong>B.V.</strong>',
  },
  // `case` falls back to LiquidJS's renderSync: same rule.
  {
    source: '{% case kind %}{% when "x" %}{{ name }}.{% endcase %}',
    value: 'B.V.',
    html: 'B.V.',
    text: 'B.V.',
  },
];

describe('the sentence rule in the Liquid engine', () => {
  for (const mode of ['html', 'text'] as const) {
    for (const c of CASES) {
      it(`${mode}: ${c.source} with "${c.value}"`, () => {
        const scope = { name: c.value, list: ['A.', 'B', 'C.'], kind: 'x' };
        const out = renderBoth(mode, c.source, scope);
        const expected = mode === 'html' ? c.html : c.text;
        expect(out.compiled).toBe(expected);
        expect(out.renderSync).toBe(expected);
        expect(out.parseAndRender).toBe(expected);
      });
    }
  }

  it('covers both the fast path and the fallback', () => {
    expect(renderBoth('html', 'bij {{ name }}. Wij', { name: 'B.V.' }).fast).toBe(true);
    expect(renderBoth('html', '{% case a %}{% when 1 %}{{ name }}.{% endcase %}', {}).fast).toBe(
      false,
    );
  });

  it('decides per render: one parsed template, values with and without a full stop', () => {
    const liquid = createNoticeLiquid('text');
    const templates = liquid.parse('{% for n in list %}[{{ n }}.]{% endfor %}');
    const compiled = compileTemplate(liquid, templates);
    const scope = { list: ['a.', 'b', 'c?', 'd'] };
    expect(compiled.render(scope)).toBe('[a.][b.][c?][d.]');
    expect(liquid.renderSync(templates, scope)).toBe('[a.][b.][c?][d.]');
    expect(liquid.renderSync(templates, { list: ['x'] })).toBe('[x.]');
  });

  it('renders the same when LiquidJS renders asynchronously, several at once', async () => {
    const liquid = createNoticeLiquid('html');
    const templates = liquid.parse('{{ name }}. Next');
    const results = await Promise.all(
      ['B.V.', 'Hosting', 'Q?', 'X'].map((name) => liquid.render(templates, { name })),
    );
    expect(results).toEqual(['B.V. Next', 'Hosting. Next', 'Q? Next', 'X. Next']);
  });

  it('still reports undefined variables the same way', () => {
    const liquid = createNoticeLiquid('text');
    const templates = liquid.parse('{{ missing }}.');
    expect(() => String(liquid.renderSync(templates, {}))).toThrow(/undefined variable: missing/);
    expect(() => compileTemplate(liquid, templates).render({})).toThrow(
      /undefined variable: missing/,
    );
  });
});

describe('renderNotice: no double full stop in any part', () => {
  const body = [
    'Dear {{ customer.name }},',
    '',
    'This message is from {{ organisation.name }}. We are sorry.',
    '',
    'Sent by **{{ organisation.name }}**.',
    '',
    '- [{{ organisation.name }}]({{ organisation.website }}).',
    '- {% if organisation.name %}From {{ organisation.name }}.{% endif %}',
    '',
    'In code: `{{ organisation.name }}`.',
  ].join('\n');

  for (const fallback of [false, true]) {
    it(fallback ? 'on the LiquidJS fallback' : 'on the fast path', () => {
      // A `case` anywhere makes the whole body take LiquidJS's renderSync.
      const source = fallback ? `${body}\n\n{% case 1 %}{% when 2 %}x{% endcase %}` : body;
      const compiled = compileNotice({
        language: 'en',
        subject: 'Notice from {{ organisation.name }}.',
        body: source,
        preheader: 'A word from {{ organisation.name }}.',
      });
      expect(compiled.html.fast).toBe(!fallback);
      const variables = sampleNoticeVariables('en');
      expect(variables.organisation.name).toBe('Voorbeeld Hosting B.V.');
      const r = renderNotice(compiled, variables);
      expect(r.subject).toBe('Notice from Voorbeeld Hosting B.V.');
      expect(r.html).toContain('A word from Voorbeeld Hosting B.V.&#8199;');
      expect(r.html).toContain('This message is from Voorbeeld Hosting B.V. We are sorry.');
      expect(r.html).toContain('Sent by <strong>Voorbeeld Hosting B.V.</strong></p>');
      expect(r.html).toMatch(/>Voorbeeld Hosting B\.V\.<\/a><\/li>/);
      expect(r.html).toContain('<li style="margin:0 0 8px 0;">From Voorbeeld Hosting B.V.</li>');
      expect(r.html).toMatch(/>Voorbeeld Hosting B\.V\.<\/code><\/p>/);
      expect(r.text).toContain('This message is from Voorbeeld Hosting B.V. We are sorry.');
      expect(r.text).toContain('Sent by Voorbeeld Hosting B.V.\n');
      expect(r.text).toContain('- From Voorbeeld Hosting B.V.\n');
      expect(r.text).toContain('In code: Voorbeeld Hosting B.V.\n');
      for (const part of [r.subject, r.html, r.text]) expect(part).not.toMatch(DOUBLE_STOP);

      // A name without a full stop keeps the template's.
      variables.organisation.name = 'Voorbeeld Hosting';
      const plain = renderNotice(compiled, variables);
      expect(plain.subject).toBe('Notice from Voorbeeld Hosting.');
      expect(plain.text).toContain('This message is from Voorbeeld Hosting. We are sorry.');
      expect(plain.html).toContain('Sent by <strong>Voorbeeld Hosting</strong>.</p>');
    });
  }

  it('is the same on both paths, for every part', () => {
    const variables = sampleNoticeVariables('nl');
    const fast = compileNotice({ language: 'nl', subject: 'Van {{ organisation.name }}.', body });
    const slow = compileNotice({
      language: 'nl',
      subject: 'Van {{ organisation.name }}.{% case 1 %}{% endcase %}',
      body: `${body}\n\n{% case 1 %}{% when 2 %}x{% endcase %}`,
    });
    expect(fast.fast).toBe(true);
    expect(slow.subject.fast || slow.html.fast || slow.text.fast).toBe(false);
    const a = renderNotice(fast, variables);
    const b = renderNotice(slow, variables);
    expect(b.subject).toBe(a.subject);
    expect(b.text).toBe(a.text);
    expect(b.html).toBe(a.html);
  });
});
