import { describe, expect, it } from 'vitest';
import {
  NoticeRenderError,
  NoticeTemplateError,
  compileNotice,
  renderNotice,
  validateNotice,
  type NoticeSource,
} from './notice-renderer.js';
import { availableVariablePaths, type NoticeVariables } from './notice-variables.js';
import { sampleNoticeVariables } from './sample-variables.js';

function render(body: string, patch: (v: NoticeVariables) => void = () => {}, subject = 'S') {
  const variables = sampleNoticeVariables('en');
  patch(variables);
  return renderNotice(compileNotice({ language: 'en', subject, body }), variables);
}

/** The part of the document the notice body renders into. */
function content(html: string): string {
  const start = html.indexOf('<div class="candor-content">');
  return html.slice(start + '<div class="candor-content">'.length, html.indexOf('</div>', start));
}

function problemsOf(source: NoticeSource): NoticeTemplateError['problems'] {
  try {
    compileNotice(source);
  } catch (error) {
    if (error instanceof NoticeTemplateError) return error.problems;
    throw error;
  }
  throw new Error('expected a NoticeTemplateError');
}

describe('renderNotice: safety', () => {
  it('escapes HTML in substituted values: a <script> in a name shows as text', () => {
    const r = render('Dear {{ customer.name }},', (v) => {
      v.customer.name = '<script>alert(1)</script> & "Co"';
    });
    expect(r.html).not.toContain('<script>');
    expect(content(r.html)).toContain(
      'Dear &lt;script&gt;alert(1)&lt;/script&gt; &amp; &#34;Co&#34;,',
    );
    expect(r.text).toContain('Dear <script>alert(1)</script> & "Co",');
  });

  it('does not render raw HTML written by the author', () => {
    const r = render(
      'Hello <b>bold</b>\n\n<script>alert(1)</script>\n\n<img src=x onerror=alert(1)>',
    );
    const body = content(r.html);
    expect(body).not.toMatch(/<(b|script|img)\b/);
    expect(body).toContain('&lt;b&gt;bold&lt;/b&gt;');
    expect(body).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
  });

  it('does not turn javascript:, data: or relative targets into links', () => {
    const body = content(
      render('[a](javascript:alert(1)) [b](data:text/html,x) [c](/relative) <javascript:alert(2)>')
        .html,
    );
    expect(body).not.toContain('<a ');
    expect(body).toContain('[a](javascript:alert(1))');
  });

  it('checks a link target that is a placeholder per recipient', () => {
    const body = '[Open]({{ impact.url }})';
    const bad = content(render(body, (v) => (v.impact['url'] = 'javascript:alert(1)')).html);
    expect(bad).toContain('href="#"');
    expect(bad).not.toContain('javascript');
    const good = content(
      render(body, (v) => (v.impact['url'] = 'https://x.example/?a=1&b=2')).html,
    );
    expect(good).toContain('href="https://x.example/?a=1&amp;b=2"');
  });

  it('never re-reads values as Liquid or Markdown', () => {
    const r = render('Dear {{ customer.name }},', (v) => {
      v.customer.name = '{{ organisation.name }} **bold** [x](https://evil.example)';
    });
    expect(content(r.html)).toContain('{{ organisation.name }} **bold** [x](https://evil.example)');
    expect(content(r.html)).not.toContain('<a ');
  });

  it('keeps a subject on one line whatever the values hold', () => {
    const r = render(
      'x',
      (v) => (v.organisation.name = 'Evil\r\nBcc: all@example.com'),
      'From {{ organisation.name }}',
    );
    expect(r.subject).toBe('From Evil Bcc: all@example.com');
  });

  it('keeps literal braces that Markdown produces from becoming Liquid', () => {
    // `{\{` is no tag for Liquid, but Markdown unescapes it to `{{`; emphasis markers vanish in
    // the text part and would glue `{` onto a placeholder.
    const r = render('Literal {\\{ x }} and {\\% y %} and {**{{ customer.name }}**}');
    expect(r.text).toContain('Literal {{ x }} and {% y %} and {Marieke Jansen}');
    expect(content(r.html)).toContain(
      'Literal &#123;&#123; x }} and &#123;% y %} and &#123;<strong>Marieke Jansen</strong>}',
    );
  });
});

describe('renderNotice: literal Liquid', () => {
  it('shows {% raw %} content literally in both parts', () => {
    const r = render('Type `{% raw %}{{ customer.name }}{% endraw %}` to greet.');
    expect(r.text).toContain('Type {{ customer.name }} to greet.');
    expect(content(r.html)).toContain('<code style="');
    expect(content(r.html)).toContain('>&#123;&#123; customer.name }}</code> to greet.');
  });
});

describe('renderNotice: output', () => {
  const body = `Dear {{ customer.name }},

## What happened?

We found **a flaw**. See [your page]({{ personal_url }}) or [{{ personal_url }}]({{ personal_url }}).

{% if impact.domains %}
It is about:

- {{ impact.domains | join: ", " }}
- {% if impact.nothing %}never shown{% endif %}
- mail [{{ organisation.contact_email }}](mailto:{{ organisation.contact_email }})
{% endif %}

1. First
2. Second

> Quoted {{ case.reference }}
`;

  it('renders a readable plain-text part, the personal page first', () => {
    const { text } = render(body);
    expect(text).toBe(
      [
        'Open your personal page: https://notices.voorbeeld-hosting.nl/p/8f3K2qLm9xTz4vWc7bNd',
        '',
        'Dear Marieke Jansen,',
        '',
        'What happened?',
        '--------------',
        '',
        `We found a flaw. See your page (https://notices.voorbeeld-hosting.nl/p/8f3K2qLm9xTz4vWc7bNd) or https://notices.voorbeeld-hosting.nl/p/8f3K2qLm9xTz4vWc7bNd.`,
        '',
        'It is about:',
        '',
        '- bakkerij-jansen.nl, jansenbrood.nl',
        '- mail security@voorbeeld-hosting.nl',
        '',
        '1. First',
        '2. Second',
        '',
        '> Quoted CND-2025-004',
        '',
        '--',
        'Voorbeeld Hosting B.V. sent this message to you personally.',
        'Questions? security@voorbeeld-hosting.nl · +31 20 123 4567 · https://www.voorbeeld-hosting.nl',
        '',
        'Not sure this message is from us? You can also type www.voorbeeld-hosting.nl into your browser yourself and contact us from there. We never ask for your password.',
        '',
      ].join('\n'),
    );
    expect(text).not.toMatch(/<[a-z]/);
  });

  it('shows the notice code by the link and in the footer of both parts, with the verify page', () => {
    const r = render(body, (v) => (v.reference_code = 'K7Q4-M2XP-9ABC'));
    expect(
      r.text.startsWith(
        'Open your personal page: https://notices.voorbeeld-hosting.nl/p/8f3K2qLm9xTz4vWc7bNd\nNotice code: K7Q4-M2XP-9ABC\n\nDear Marieke Jansen,',
      ),
    ).toBe(true);
    expect(r.text).toContain(
      'Not sure this message is from us? Enter the notice code K7Q4-M2XP-9ABC at https://www.voorbeeld-hosting.nl/en/security/verify.',
    );
    const html = r.html;
    const button = html.indexOf('class="candor-button"');
    expect(button).toBeGreaterThan(-1);
    expect(html.indexOf('Notice code: <strong')).toBeGreaterThan(button);
    expect(html.indexOf('Notice code: <strong')).toBeLessThan(html.indexOf('candor-content'));
    expect(html).toContain('href="https://www.voorbeeld-hosting.nl/en/security/verify"');
  });

  it('renders HTML with links, lists and no empty items left by a false if', () => {
    const html = content(render(body).html);
    expect(html).toContain('<strong>a flaw</strong>');
    expect(html).toContain(
      '<a href="https://notices.voorbeeld-hosting.nl/p/8f3K2qLm9xTz4vWc7bNd" style="color:#1d4ed8;text-decoration:underline;">your page</a>',
    );
    expect(html).toContain('href="mailto:security@voorbeeld-hosting.nl"');
    expect(html.match(/<li\b/g)).toHaveLength(4);
    expect(html).not.toMatch(/<li[^>]*>\s*<\/li>/);
    expect(html).not.toContain('{%');
  });

  it('drops a whole guarded block when the value is absent', () => {
    const r = render(body, (v) => delete v.impact['domains']);
    expect(r.text).not.toContain('It is about');
    expect(content(r.html)).not.toContain('It is about');
    expect(r.text).toContain('1. First');
  });

  it('wraps the body in the email document with the personal button before it', () => {
    const r = render(body);
    expect(r.html.startsWith('<!doctype html>')).toBe(true);
    expect(r.html).toContain('<html lang="en"');
    expect(r.html).toContain('class="candor-button" href="https://notices.voorbeeld-hosting.nl/p/');
    expect(r.html.indexOf('class="candor-button"')).toBeLessThan(r.html.indexOf('Dear Marieke'));
    // Preheader: the first paragraph after the greeting and the heading.
    expect(r.html).toMatch(/mso-hide:all;">We found a flaw\. See your page/);
  });

  it('takes the fast path for ordinary templates', () => {
    expect(compileNotice({ language: 'en', subject: 'S {{ case.title }}', body }).fast).toBe(true);
  });
});

describe('compileNotice: problems', () => {
  it('reports Liquid syntax errors with part, line and column', () => {
    const problems = problemsOf({
      language: 'nl',
      subject: 'Hi {{ customer.name',
      body: 'Line one\n\nLine {% if impact.x %} three',
    });
    expect(problems).toEqual([
      expect.objectContaining({ part: 'subject', line: 1, column: 4 }),
      expect.objectContaining({
        part: 'body',
        line: 3,
        column: 6,
        message: 'tag {% if impact.x %} not closed',
      }),
    ]);
  });

  it('refuses file-system tags and unknown or unsafe filters', () => {
    const problems = problemsOf({
      language: 'en',
      subject: 'x',
      body: '{% include "secrets" %}',
    });
    expect(problems[0]?.message).toMatch(/tag "include" is not allowed/);
    for (const filter of ['raw', 'escape', 'json', 'nope']) {
      const [problem] = problemsOf({
        language: 'en',
        subject: `{{ customer.name | ${filter} }}`,
        body: 'x',
      });
      expect(problem).toMatchObject({ part: 'subject', line: 1, column: 1 });
      expect(problem?.message).toContain(`"${filter}"`);
    }
  });

  it('reports block tags that Markdown would split across elements', () => {
    const [problem] = problemsOf({
      language: 'en',
      subject: 'x',
      body: 'Intro {% if impact.x %}\n\n- item\n{% endif %}',
    });
    expect(problem).toMatchObject({ part: 'body', line: 4, column: 1 });
    expect(problem?.message).toContain('different paragraph');
  });

  it('reports tags inside link targets', () => {
    const [problem] = problemsOf({
      language: 'en',
      subject: 'x',
      body: 'See [here]({% if impact.x %}https://a.example{% endif %}).',
    });
    expect(problem).toMatchObject({ line: 1, column: 12 });
    expect(problem?.message).toContain('inside a link target');
  });

  it('throws NoticeRenderError naming the variable when a required value is undefined', () => {
    const compiled = compileNotice({
      language: 'en',
      subject: 'S',
      body: 'Sites: {{ impact.domains }}',
    });
    const variables = sampleNoticeVariables('en');
    delete variables.impact['domains'];
    expect(() => renderNotice(compiled, variables)).toThrow(NoticeRenderError);
    try {
      renderNotice(compiled, variables);
    } catch (error) {
      expect(error).toMatchObject({ part: 'body', path: 'impact.domains' });
    }
  });
});

describe('validateNotice', () => {
  it('collects unknown placeholders, syntax and structure problems for save/approve time', () => {
    const available = availableVariablePaths({ impactKeys: ['domains'] });
    const ok = validateNotice(
      { language: 'en', subject: 'Hi {{ customer.name }}', body: '{{ impact.domains }}' },
      available,
    );
    expect(ok.problems).toEqual([]);
    expect(ok.unknown).toEqual([]);
    const bad = validateNotice(
      {
        language: 'en',
        subject: 'Hi {{ customer.nmae }}',
        body: 'A {% if impact.x %}\n\n- b\n{% endif %}',
      },
      available,
    );
    expect(bad.unknown.map((u) => u.path)).toEqual(['customer.nmae']);
    expect(bad.problems).toEqual([expect.objectContaining({ part: 'body', line: 4, column: 1 })]);
  });
});
