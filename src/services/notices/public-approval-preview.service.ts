import { authorize, type Actor } from '../../domain/access.js';
import { LANGUAGES, type Language } from '../../config.js';
import type { Executor } from '../../store/executor.js';
import { currentSnapshot } from './notice-approval.service.js';
import { requireNotice } from './notice-lookup.js';
import { renderPublicText } from '../publication/public-text.js';

/** One language of a public or press text as publishing it now would put it on the page. */
export interface PublishedLanguagePreview {
  language: Language;
  subject: string;
  /** Markdown with every value filled in; embargo blocks are still in it. */
  body: string;
  /** Why this language does not render (publishing would refuse it); null when it does. */
  problem: string | null;
}

/** What approving a public or press notice now pins, and what that would publish. */
export interface PublicApprovalPreview {
  /** The snapshot hash of exactly these texts: the approve form posts it back. */
  approvalHash: string;
  languages: PublishedLanguagePreview[];
}

/**
 * The current snapshot of a notice rendered the way publishCase renders an approved one
 * (statements in place, `{% if %}` blocks decided, no customer data), so the approver reads
 * what the security page will say rather than the template source.
 */
export async function publicApprovalPreview(
  actor: Actor,
  noticeId: number,
  deps: { database: { db: Executor }; publicUrl: string },
): Promise<PublicApprovalPreview> {
  authorize(actor, 'cases:read');
  const notice = await requireNotice(deps.database.db, noticeId);
  const { snapshot, hash } = await currentSnapshot(deps.database.db, notice);
  // The same address publishCase gives the texts.
  const securityPageUrl = `${deps.publicUrl}/security`;
  const languages = LANGUAGES.flatMap((language): PublishedLanguagePreview[] => {
    const text = snapshot.texts[language];
    if (!text) return [];
    try {
      const rendered = renderPublicText(snapshot, language, securityPageUrl)!;
      return [{ language, ...rendered, problem: null }];
    } catch (error) {
      return [
        {
          language,
          subject: text.subject,
          body: '',
          problem: (error as Error).message,
        },
      ];
    }
  });
  return { approvalHash: hash, languages };
}
