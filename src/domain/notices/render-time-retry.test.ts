import { describe, expect, it } from 'vitest';
import { compileNotice, NoticeRenderError, renderNotice } from './notice-renderer.js';
import { sampleNoticeVariables } from './sample-variables.js';

/** Holds the thread like a busy machine or a long GC pause would. */
function stall(ms: number): void {
  const until = performance.now() + ms;
  while (performance.now() < until) {
    /* busy */
  }
}

/** Sample variables whose `impact.slow` stalls on the first `stalls` reads. */
function variablesStalling(stalls: number) {
  const variables = sampleNoticeVariables('en');
  let left = stalls;
  variables.impact.three = [1, 2, 3];
  Object.defineProperty(variables.impact, 'slow', {
    enumerable: true,
    get() {
      if (left-- > 0) stall(260);
      return 'ok';
    },
  });
  return variables;
}

describe('the render time limit', () => {
  for (const fallback of [false, true]) {
    const body = `{% for i in impact.three %}{{ impact.slow }} {% endfor %}${fallback ? '{% case 1 %}{% when 2 %}x{% endcase %}' : ''}`;
    const compiled = compileNotice({ language: 'en', subject: 'Hello', body });

    it(`forgives one stalled render with a second try (${fallback ? 'LiquidJS' : 'fast path'})`, () => {
      expect(compiled.html.fast).toBe(!fallback);
      const rendered = renderNotice(compiled, variablesStalling(1));
      expect(rendered.text).toContain('ok ok ok');
    });

    it(`still refuses a render that is slow every time (${fallback ? 'LiquidJS' : 'fast path'})`, () => {
      let error: unknown;
      try {
        renderNotice(compiled, variablesStalling(1_000));
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(NoticeRenderError);
      expect((error as NoticeRenderError).limit).toBe('time');
    });
  }
});
