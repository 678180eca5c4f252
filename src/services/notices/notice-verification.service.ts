import type { PublicLanguage } from '../../domain/publication.js';
import type { Database } from '../../store/database.js';
import { findDeliveryForVerification } from '../../store/delivery-lookup.repository.js';
import { getPublishedCase } from '../publication/publication.service.js';
import { canonicalCode, deliveryIdOfCode } from '../../lib/reference-code.js';

/**
 * What the verify page may tell anyone who enters a notice code: that it is ours, when it was
 * sent, and which case it is about — never whom it was for (no name, address or impact).
 */
export interface NoticeVerification {
  /** The code as we write it ("K7Q4-M2XP-9ABC"). */
  code: string;
  /** When a mail server accepted the notice (ISO-8601 UTC). */
  sentAt: string;
  case: {
    reference: string;
    /** The public title and page when the case is on /security; null while it is not. */
    published: { title: string; path: string } | null;
  };
}

/**
 * Deliveries that went out: mail a server accepted (sent, or bounced after that), and printed
 * letters once their batch was handed to the post (a letter's code names its letter delivery).
 */
const SENT_STATES = new Set(['sent', 'bounced', 'posted']);

/**
 * Checks a notice code as someone typed it. Null — one answer for all — when the code is
 * malformed, not made by this installation, or names a delivery that was never sent (queued,
 * failed, cancelled). Public and unauthenticated: the route limits how often one client asks.
 */
export async function verifyNoticeCode(
  input: string,
  language: PublicLanguage,
  deps: { database: Database; secret: Buffer },
): Promise<NoticeVerification | null> {
  const deliveryId = deliveryIdOfCode(deps.secret, input);
  if (deliveryId === null) return null;
  const { db } = deps.database;
  const delivery = await findDeliveryForVerification(db, deliveryId);
  if (!delivery?.sentAt || !SENT_STATES.has(delivery.state)) return null;
  const published = await getPublishedCase(db, delivery.caseReference);
  const text = published?.texts[language] ?? published?.texts[published.defaultLanguage];
  return {
    code: canonicalCode(input)!,
    sentAt: delivery.sentAt,
    case: {
      reference: delivery.caseReference,
      published:
        published && text
          ? {
              title: text.title,
              path: language === 'en' ? published.paths.pageEn : published.paths.page,
            }
          : null,
    },
  };
}
