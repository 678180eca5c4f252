import type { Language } from '../../config.js';
import { createNoticeLiquid } from '../../domain/notices/liquid-engine.js';
import {
  checkOutputSize,
  renderLimitOf,
  TemplateLimitError,
} from '../../domain/notices/render-limits.js';
import {
  expandStatementBlocks,
  snapshotSharedVariables,
  type NoticeSnapshot,
} from '../../domain/notices/notice-snapshot.js';
import { NO_READER, recipientVariables } from '../notices/recipient-variables.js';

const textLiquid = createNoticeLiquid('text');

/**
 * One language of a public or press snapshot as the security page gets it: statements in
 * place, `{% if %}` blocks decided, no customer data. Publishing and the approver's preview
 * both use this, so the approver reads exactly what will be published. Throws when a
 * placeholder does not render.
 */
export function renderPublicText(
  snapshot: NoticeSnapshot,
  language: Language,
  securityPageUrl: string,
): { subject: string; body: string } | null {
  const text = snapshot.texts[language];
  if (!text) return null;
  const shared = snapshotSharedVariables(snapshot, language);
  const vars = recipientVariables(NO_READER, shared, {
    personalUrl: securityPageUrl,
    securityPageUrl,
  });
  // Bounded by the engine's render limits (render-limits.ts) and the output cap; a limit is
  // reported with its own message rather than LiquidJS's "memory alloc limit exceeded".
  const render = (source: string) => {
    try {
      return checkOutputSize(String(textLiquid.parseAndRenderSync(source, vars) as unknown));
    } catch (error) {
      const limit = renderLimitOf(error);
      throw limit ? new TemplateLimitError(limit) : error;
    }
  };
  return {
    subject: render(text.subject).replace(/\s+/g, ' ').trim(),
    body: render(expandStatementBlocks(text.body, shared.statements)),
  };
}
