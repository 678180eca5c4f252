import { LANGUAGES, type Language } from '../../config.js';
import type { Actor } from '../../domain/access.js';
import { NoticeRenderError, renderNotice } from '../../domain/notices/notice-renderer.js';
import { snapshotSharedVariables } from '../../domain/notices/notice-snapshot.js';
import type { Organisation } from '../../domain/organisation.js';
import { recipientTimeZone } from '../../domain/recipient-time.js';
import type { LanguageStatements } from '../../domain/statements.js';
import { findLatestSentDelivery } from '../../store/delivery-lookup.repository.js';
import type { Database } from '../../store/database.js';
import { nowIso, readFactsObject } from '../../store/executor.js';
import { findNotice } from '../../store/notice.repository.js';
import {
  acknowledgeRecipient,
  findDispatchForRecipient,
  findRecipientByTokenHash,
  markRecipientRemedied,
} from '../../store/recipient.repository.js';
import type { CaseRecipientRow, DispatchRow } from '../../store/schema.js';
import { dispatchContent } from '../dispatch/dispatch-renderer.js';
import { appendAudit } from '../access/audit.service.js';
import { requireCase } from '../cases/case-lookup.js';
import { matchesTokenHash, personalTokenHash } from '../../lib/personal-token.js';
import {
  noticeLanguageFor,
  recipientFactsOf,
  recipientVariables,
} from '../notices/recipient-variables.js';
import { referenceCode } from '../../lib/reference-code.js';
import { getOrganisation } from '../access/settings.service.js';
import { recordRecallEvent } from '../cases/recall-events.service.js';
import { pageRemedies, type PageRemedy } from '../remedies/remedy-page.service.js';

export interface PersonalPageDeps {
  database: Database;
  publicUrl: string;
  defaultLanguage: Language;
  /** The installation secret: reference codes are derived from it. */
  secret: Buffer;
  /** The installation's time zone (CANDOR_TIME_ZONE), for recipients without one of their own. */
  timeZone?: string;
}

/**
 * Whoever presents a personal link. The token is the credential: it names one frozen
 * recipient, and everything they do on the page is recorded as that recipient.
 */
export interface PageVisitor {
  recipient: CaseRecipientRow;
  /** The presented token, matched against the stored hash. */
  token: string;
  tokenHash: string;
  /** Where the request came from (the client IP), for the audit log. */
  source: string;
}

/** Everything the personal page shows; the view decides how. */
export interface PersonalPageModel {
  language: Language;
  recipient: {
    externalId: string;
    name: string | null;
    acknowledgedAt: string | null;
    remediedAt: string | null;
  };
  /** Internal case title and summary stay out: they are one-language working texts. */
  case: { reference: string; kind: 'incident' | 'advisory' };
  /**
   * The approved notice rendered for this recipient, or null when there is none to show (no
   * approved version, or a value it needs is missing). `contentHtml` is trusted markup: the
   * compiled template escaped every value it substituted.
   */
  notice: { subject: string; contentHtml: string } | null;
  /** The recipient's row of the affected list, as uploaded. */
  impact: Record<string, unknown>;
  organisation: Organisation;
  /** The page's title: the notice's headline. */
  headline: string;
  /** The case's statements in the page's language: Markdown without placeholders. */
  statements: LanguageStatements;
  /** The code of the newest delivery to this recipient a server accepted; null before any. */
  referenceCode: string | null;
  /** When that delivery was accepted (ISO-8601 UTC); null before any. */
  sentAt: string | null;
  /** The IANA zone the page shows times in: the recipient's (see recipient-time.ts). */
  timeZone: string;
  /** The case's remedies in the page's language with this reader's state (remedy-page.service). */
  remedies?: PageRemedy[];
}

/**
 * The visitor a token belongs to, or null — alike for a malformed, an unknown and a revoked
 * token. Every presented string is hashed and looked up, well-formed or not, so all three
 * take the same path and the same time; the stored hash is then compared in constant time.
 */
export async function findPageVisitor(
  token: string,
  source: string,
  deps: { database: Database },
): Promise<PageVisitor | null> {
  const tokenHash = personalTokenHash(token);
  const recipient = await findRecipientByTokenHash(deps.database.db, tokenHash);
  if (!recipient?.token_hash || !matchesTokenHash(token, recipient.token_hash)) return null;
  return { recipient, token, tokenHash, source };
}

/** The personal page of a visitor, in their language (else the notice's default language). */
export async function getPersonalPage(
  visitor: PageVisitor,
  deps: PersonalPageDeps,
): Promise<PersonalPageModel> {
  const { db } = deps.database;
  const r = visitor.recipient;
  const kase = await requireCase(db, r.case_id);
  const organisation = await getOrganisation(deps);
  // The version this recipient was mailed: the approved snapshot of that dispatch, also after
  // a later re-approval of the notice.
  const dispatch = await findDispatchForRecipient(db, r.case_id, r.id);
  const content = dispatch ? await mailedContent(db, dispatch) : null;
  const language = content
    ? noticeLanguageFor(
        r.language,
        new Set(content.compiled.keys()),
        content.snapshot.defaultLanguage,
      )
    : (LANGUAGES as readonly string[]).includes(r.language)
      ? (r.language as Language)
      : deps.defaultLanguage;
  const impact = readFactsObject(r.impact);
  let rendered: PersonalPageModel['notice'] = null;
  const version = content?.compiled.get(language);
  if (content && version) {
    const variables = recipientVariables(
      recipientFactsOf(r),
      snapshotSharedVariables(content.snapshot, language),
      {
        personalUrl: `${deps.publicUrl}/n/${visitor.token}`,
        securityPageUrl: `${deps.publicUrl}/security`,
      },
    );
    try {
      const email = renderNotice(version, variables);
      rendered = { subject: email.subject, contentHtml: emailContent(email.html) };
    } catch (error) {
      // The approval check makes this rare (a value emptied after approval); the page
      // then shows the case summary instead of failing.
      if (!(error instanceof NoticeRenderError)) throw error;
    }
  }
  return {
    language,
    recipient: {
      externalId: r.external_id,
      name: r.name,
      acknowledgedAt: r.acknowledged_at,
      remediedAt: r.remedied_at,
    },
    case: {
      reference: kase.reference,
      kind: kase.kind === 'advisory' ? 'advisory' : 'incident',
    },
    notice: rendered,
    impact,
    organisation,
    // Only approved words: the mailed snapshot's subject and statements, in the page's language.
    headline: rendered?.subject ?? kase.reference,
    statements: content ? snapshotSharedVariables(content.snapshot, language).statements : {},
    ...(await readerFacts(r, deps)),
    remedies: await pageRemedies(db, r, language),
  };
}

/** The reader's own facts: the code and time of their newest accepted delivery, their zone. */
async function readerFacts(
  r: CaseRecipientRow,
  deps: PersonalPageDeps,
): Promise<Pick<PersonalPageModel, 'referenceCode' | 'sentAt' | 'timeZone'>> {
  const sent = await findLatestSentDelivery(deps.database.db, r.case_id, r.id);
  return {
    referenceCode: sent ? referenceCode(deps.secret, sent.id) : null,
    sentAt: sent?.sentAt ?? null,
    timeZone: recipientTimeZone(
      { attributes: readFactsObject(r.attributes), country: r.country },
      deps.timeZone ?? 'Europe/Amsterdam',
    ),
  };
}

/**
 * Records that the visitor has read the notice. Only the first time counts (a second click
 * keeps the first timestamp and adds no audit entry). True when this call recorded it.
 */
export async function acknowledgeNotice(
  visitor: PageVisitor,
  deps: { database: Database },
): Promise<boolean> {
  const { db, dialect } = deps.database;
  const r = visitor.recipient;
  return db.transaction().execute(async (tx) => {
    const first = await acknowledgeRecipient(tx, r.id, nowIso());
    if (first) {
      await appendAudit(tx, dialect, recipientActor(visitor), {
        action: 'recipient.acknowledge',
        objectType: 'case_recipient',
        objectId: r.id,
        details: { caseId: r.case_id },
      });
      await recordRecallEvent(tx, {
        kind: 'notice.acknowledged',
        caseId: Number(r.case_id),
        recipientId: Number(r.id),
      });
    }
    return first;
  });
}

/**
 * Records that the visitor has done what the notice asked: the recall's completion. Doing it
 * implies having read it, so a missing acknowledgement is recorded at the same time.
 */
export async function confirmRemedy(
  visitor: PageVisitor,
  deps: { database: Database },
): Promise<boolean> {
  const { db, dialect } = deps.database;
  const r = visitor.recipient;
  return db.transaction().execute(async (tx) => {
    const now = nowIso();
    const first = await markRecipientRemedied(tx, r.id, now);
    if (first) {
      const alsoAcknowledged = await acknowledgeRecipient(tx, r.id, now);
      await appendAudit(tx, dialect, recipientActor(visitor), {
        action: 'recipient.remedy',
        objectType: 'case_recipient',
        objectId: r.id,
        details: { caseId: r.case_id, alsoAcknowledged },
      });
      if (alsoAcknowledged)
        await recordRecallEvent(tx, {
          kind: 'notice.acknowledged',
          caseId: Number(r.case_id),
          recipientId: Number(r.id),
          at: now,
        });
    }
    return first;
  });
}

/** The audit actor of a recipient: named by the provider's own key, located by IP. */
export function recipientActor(visitor: PageVisitor): Actor {
  return {
    kind: 'user',
    userId: null,
    name: `recipient:${visitor.recipient.external_id}`,
    roles: [],
    source: visitor.source,
  };
}

// Compiling turns Markdown into templates (milliseconds); a page view only renders. Keyed by
// dispatch and approval, so a re-approved notice's new dispatch compiles afresh. Bounded.
const compiledCache = new Map<string, Awaited<ReturnType<typeof dispatchContent>>>();
const CACHE_SIZE = 64;

async function mailedContent(
  db: Database['db'],
  dispatch: DispatchRow,
): Promise<Awaited<ReturnType<typeof dispatchContent>> | null> {
  const key = `${dispatch.id}:${dispatch.approval_id ?? dispatch.content_hash}`;
  const cached = compiledCache.get(key);
  if (cached) return cached;
  const notice = await findNotice(db, dispatch.notice_id);
  if (!notice) return null;
  let content: Awaited<ReturnType<typeof dispatchContent>>;
  try {
    content = await dispatchContent(db, dispatch, notice);
  } catch {
    // A dispatch from before snapshots whose notice was edited since: no approved text to show.
    return null;
  }
  if (compiledCache.size >= CACHE_SIZE) compiledCache.delete(compiledCache.keys().next().value!);
  compiledCache.set(key, content);
  return content;
}

const CONTENT_START = '<div class="candor-content">\n';

/**
 * The notice body inside the email document renderNotice builds (email-layout.ts): the page
 * shows the same words without the email's wrapper. The body is Markdown output, which has
 * no <div> of its own, so the first </div> after the start closes it.
 */
function emailContent(emailHtml: string): string {
  const start = emailHtml.indexOf(CONTENT_START);
  const end = start === -1 ? -1 : emailHtml.indexOf('</div>', start + CONTENT_START.length);
  if (end === -1) throw new Error('the email layout has no candor-content block any more');
  return emailHtml.slice(start + CONTENT_START.length, end);
}
