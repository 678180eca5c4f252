import { LANGUAGES, type Language } from '../language.js';
import { createNoticeLiquid } from './liquid-engine.js';
import {
  checkOutputSize,
  RENDER_LIMITS,
  renderLimitMessage,
  renderLimitOf,
} from './render-limits.js';
import { sampleNoticeVariables } from './sample-variables.js';

// HTML mode charges escaped output to the memory limit too, so it is the stricter of the two.
const liquid = createNoticeLiquid('html');

const PART_FLOOR_MS = 20;

/** A field of a notice form (`nl.body`) and why its template is refused. */
export interface TemplateLimitProblem {
  field: string;
  message: string;
}

/**
 * Renders each text once with the sample recipient, within the render limits, to refuse at
 * save time a template that runs into one (nested loops over big ranges, `append` bombs).
 * Undefined variables render empty here (strictVariables off): a placeholder the sample lacks
 * must not hide a loop behind it. Syntax errors are left to the check and the preview. The
 * limits still hold at every render later (preview, check, dispatch, publication), whatever
 * the recipient's data.
 */
export function templateLimitProblems(
  texts: Partial<Record<Language, { subject: string; body: string }>>,
): TemplateLimitProblem[] {
  const problems: TemplateLimitProblem[] = [];
  // One time budget for the whole check, so four hostile texts hold the event loop ~260 ms,
  // not 4 × 200; a text checked after the budget is spent still gets PART_FLOOR_MS, ample for
  // a real template (the built-ins take under 1 ms warm).
  const deadline = performance.now() + RENDER_LIMITS.timeMs;
  for (const language of LANGUAGES) {
    const text = texts[language];
    if (!text) continue;
    const scope = sampleNoticeVariables(language);
    for (const part of ['subject', 'body'] as const) {
      let templates;
      try {
        templates = liquid.parse(text[part]);
      } catch {
        continue;
      }
      try {
        checkOutputSize(
          liquid.renderSync(templates, scope, {
            strictVariables: false,
            renderLimit: Math.max(deadline - performance.now(), PART_FLOOR_MS),
          }) as string,
        );
      } catch (error) {
        const limit = renderLimitOf(error);
        if (limit)
          problems.push({ field: `${language}.${part}`, message: renderLimitMessage(limit) });
      }
    }
  }
  return problems;
}
