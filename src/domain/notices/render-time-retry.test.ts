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

/** Holds the thread without using the CPU, like a process the machine does not schedule. */
function starve(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/** Sample variables whose `impact.slow` stalls on the first `stalls` reads. */
function variablesStalling(stalls: number, hold: (ms: number) => void = stall) {
  const variables = sampleNoticeVariables('en');
  let left = stalls;
  variables.impact.three = [1, 2, 3];
  Object.defineProperty(variables.impact, 'slow', {
    enumerable: true,
    get() {
      if (left-- > 0) hold(260);
      return 'ok';
    },
  });
  Object.defineProperty(variables, 'stallsLeft', { value: () => left });
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

    it(`forgives renders starved of the CPU a few times over (${fallback ? 'LiquidJS' : 'fast path'})`, () => {
      const rendered = renderNotice(compiled, variablesStalling(4, starve));
      expect(rendered.text).toContain('ok ok ok');
    });

    it(`gives up on a render starved every time, after five tries (${fallback ? 'LiquidJS' : 'fast path'})`, () => {
      const variables = variablesStalling(1_000, starve);
      expect(() => renderNotice(compiled, variables)).toThrow(NoticeRenderError);
      // Each try reads impact.slow once before it runs out of time.
      expect(1_000 - remaining(variables)).toBe(5);
    });
  }
});

/** How many stalls a variablesStalling value has left (read without triggering one). */
function remaining(variables: ReturnType<typeof variablesStalling>): number {
  return (variables as unknown as { stallsLeft: () => number }).stallsLeft();
}
