import type { Language } from '../config.js';
import { buildRawMessage } from '../channels/email/mime.js';
import {
  compileNotice,
  renderNotice,
  type CompiledNotice,
} from '../domain/notices/notice-renderer.js';
import type { MessageRenderer } from '../dispatch/dispatch-worker.js';
import type { Database } from '../store/database.js';
import { findDispatch } from '../store/dispatch.repository.js';
import { listNoticeTexts } from '../store/notice.repository.js';
import { NotFoundError } from '../domain/errors.js';
import { findNotice } from '../store/notice.repository.js';
import { requireCase } from './case.service.js';
import { personalToken } from './personal-token.js';
import { noticeLanguageFor, recipientVariables } from './recipient-variables.js';
import { referenceCode } from './reference-code.js';
import { getOrganisation } from './settings.service.js';

export interface RendererDeps {
  database: Database;
  secret: Buffer;
  publicUrl: string;
}

/**
 * Builds the renderer of one dispatch: the notice compiled once per language (Markdown is
 * turned into Liquid templates up front), then per delivery only the Liquid outputs and the
 * raw MIME. The content is what the approver signed: the dispatch pins the content hash.
 */
export async function createDispatchRenderer(
  dispatchId: number,
  deps: RendererDeps,
): Promise<MessageRenderer> {
  const { db } = deps.database;
  const dispatch = await findDispatch(db, dispatchId);
  if (!dispatch) throw new NotFoundError(`no dispatch ${dispatchId}`);
  const notice = await findNotice(db, dispatch.notice_id);
  if (!notice || notice.content_hash !== dispatch.content_hash) {
    // The notice changed under a running dispatch: refuse to send anything else than what was approved.
    throw new Error(`dispatch ${dispatchId}: the notice no longer matches the approved content`);
  }
  const kase = await requireCase(db, dispatch.case_id);
  const organisation = await getOrganisation(deps);
  const compiled = new Map<string, CompiledNotice>();
  for (const t of await listNoticeTexts(db, notice.id)) {
    compiled.set(
      t.language,
      compileNotice({ language: t.language as Language, subject: t.subject, body: t.body }),
    );
  }
  const languages = new Set(compiled.keys());
  const fallback = notice.default_language as Language;
  const shared = { kase, organisation, securityPageUrl: `${deps.publicUrl}/security` };
  const from = {
    name: organisation.senderName || organisation.name,
    address: organisation.senderEmail,
  };
  const replyTo = organisation.contactEmail;
  return (delivery) => {
    const language = noticeLanguageFor(delivery.recipient.language, languages, fallback);
    const url = `${deps.publicUrl}/n/${personalToken(deps.secret, kase.id, delivery.recipientId)}`;
    const variables = recipientVariables(
      { ...delivery.recipient, email: delivery.email },
      shared,
      language,
      url,
    );
    variables.reference_code = referenceCode(deps.secret, delivery.id);
    const rendered = renderNotice(compiled.get(language)!, variables);
    const raw = buildRawMessage({
      from,
      to: { name: delivery.recipient.name, address: delivery.email },
      replyTo,
      subject: rendered.subject,
      html: rendered.html,
      text: rendered.text,
      messageId: delivery.messageId,
      date: new Date(),
      headers: { 'X-Candor-Delivery': String(delivery.id) },
    });
    return { from: organisation.senderEmail, to: delivery.email, raw };
  };
}
