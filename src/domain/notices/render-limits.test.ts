import { describe, expect, it } from 'vitest';
import { AUDIENCE_TEMPLATES, BUILTIN_TEMPLATES } from './builtin-templates.js';
import { createNoticeLiquid } from './liquid-engine.js';
import { compileTemplate } from './liquid-fast-render.js';
import { compileMarkdownTemplate } from './markdown-template.js';
import { compileNotice, NoticeRenderError, renderNotice } from './notice-renderer.js';
import { RENDER_LIMITS } from './render-limits.js';
import { sampleNoticeVariables } from './sample-variables.js';
import { templateLimitProblems } from './template-limit-check.js';

export const NESTED_LOOP =
  '{% for a in (1..1000) %}{% for b in (1..1000) %}x{% endfor %}{% endfor %}';
export const APPEND_BOMB =
  '{% assign s = "xxxxxxxxxx" %}{% for i in (1..22) %}{% assign s = s | append: s %}{% endfor %}{{ s | size }}';

function renderBody(body: string): unknown {
  try {
    return renderNotice(
      compileNotice({ language: 'en', subject: 'Hi', body }),
      sampleNoticeVariables('en'),
    );
  } catch (error) {
    return error;
  }
}

describe('render limits', () => {
  const templates = [...BUILTIN_TEMPLATES, ...AUDIENCE_TEMPLATES];

  it.each(templates.map((t) => [t.id, t] as const))(
    'leave the built-in template %s a wide margin',
    (_id, t) => {
      const vars = sampleNoticeVariables(t.language);
      expect(templateLimitProblems({ [t.language]: t })).toEqual([]);
      const out = renderNotice(
        compileNotice({ language: t.language, subject: t.subject, body: t.body }),
        vars,
      );
      expect(out.html.length).toBeLessThan(RENDER_LIMITS.outputChars / 100);
      // A hundredth of the memory limit is enough for every part (measured: at most 921 units).
      const html = createNoticeLiquid('html');
      const md = compileMarkdownTemplate(t.body, createNoticeLiquid('text'), 'body');
      expect(() => {
        html.renderSync(html.parse(md.templates.html), vars, {
          memoryLimit: RENDER_LIMITS.memory / 100,
        });
      }).not.toThrow();
    },
  );

  it('stop a nested loop over big ranges quickly, with a message naming the limit', () => {
    const started = performance.now();
    const error = renderBody(NESTED_LOOP);
    expect(performance.now() - started).toBeLessThan(1_000);
    expect(error).toBeInstanceOf(NoticeRenderError);
    expect((error as NoticeRenderError).limit).toBe('time');
    expect((error as Error).message).toMatch(/body: the template takes longer than 200 ms/);
    expect((error as Error).message).toMatch(/tijdslimiet/);
  });

  it('stop an append bomb at the memory limit before it builds megabytes', () => {
    const error = renderBody(APPEND_BOMB);
    expect((error as NoticeRenderError).limit).toBe('memory');
    expect((error as Error).message).toMatch(/memory limit of 1,000,000 units/);
    expect((error as Error).message).toMatch(/geheugenlimiet/);
  });

  it('cap the output of a loop over the recipient data on the fast path', () => {
    const liquid = createNoticeLiquid('text');
    const compiled = compileTemplate(
      liquid,
      // Few iterations with much text each: the output cap is reached long before the time
      // limit, however loaded the machine is.
      liquid.parse(
        `{% for a in list %}{% for b in list %}${'x'.repeat(1000)}{% endfor %}{% endfor %}`,
      ),
    );
    expect(compiled.fast).toBe(true);
    const list = Array.from({ length: 60 }, (_, i) => i);
    expect(() => compiled.render({ list })).toThrow(/output limit/);
    expect(compiled.render({ list: list.slice(0, 10) })).toHaveLength(100_000);
  });

  it('give each fast-path render its own memory budget (no creep over many recipients)', () => {
    const liquid = createNoticeLiquid('text');
    const compiled = compileTemplate(
      liquid,
      liquid.parse(
        `{% for d in list %}{% assign s = d | append: "${'y'.repeat(50)}" %}{% endfor %}{{ s }}`,
      ),
    );
    expect(compiled.fast).toBe(true);
    const list = Array.from({ length: 100 }, () => 'x'.repeat(50));
    // ~10,000 units per render: a shared limiter would give out after 100 renders.
    for (let i = 0; i < 300; i++) expect(compiled.render({ list })).toHaveLength(100);
  });

  it('refuse the bombs at save time and name the field', () => {
    const problems = templateLimitProblems({
      en: { subject: 'Hi', body: NESTED_LOOP },
      nl: { subject: APPEND_BOMB, body: 'Hallo' },
    });
    expect(problems.map((p) => p.field)).toEqual(['nl.subject', 'en.body']);
    expect(problems[0]!.message).toMatch(/memory limit/);
    expect(problems[1]!.message).toMatch(/render time limit/);
  });

  it('check four hostile texts within one time budget, not four', () => {
    const started = performance.now();
    const problems = templateLimitProblems({
      en: { subject: NESTED_LOOP, body: NESTED_LOOP },
      nl: { subject: NESTED_LOOP, body: NESTED_LOOP },
    });
    // 200 ms for the first, 20 ms floors for the rest: ~260 ms (was 4 × 200 ms).
    expect(performance.now() - started).toBeLessThan(700);
    expect(problems).toHaveLength(4);
  });

  it('find a loop hidden behind a placeholder the sample recipient lacks', () => {
    const body = `{{ impact.nothing_like_this }}\n\n${APPEND_BOMB}`;
    expect(templateLimitProblems({ en: { subject: 'Hi', body } })).toHaveLength(1);
  });
});
