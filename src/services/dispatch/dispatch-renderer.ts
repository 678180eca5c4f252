import type { Language } from '../../config.js';
import { buildRawMessage } from '../../channels/email/mime.js';
import { renderNotice, type CompiledNotice } from '../../domain/notices/notice-renderer.js';
import {
  compileSnapshot,
  snapshotHash,
  snapshotSharedVariables,
  type NoticeSnapshot,
} from '../../domain/notices/notice-snapshot.js';
import type { OutgoingMessage } from '../../channels/email/email-transport.js';
import type { ClaimedDelivery } from '../../store/delivery-queue.repository.js';
import type { Database } from '../../store/database.js';
import { findDispatch } from '../../store/dispatch.repository.js';
import type { Executor } from '../../store/executor.js';
import { findApproval } from '../../store/notice-approval.repository.js';
import type { DispatchRow, NoticeRow } from '../../store/schema.js';
import { approvalSnapshot, currentSnapshot } from '../notices/notice-approval.service.js';
import { NotFoundError } from '../../domain/errors.js';
import { findNotice } from '../../store/notice.repository.js';
import { requireCase } from '../cases/case-lookup.js';
import { personalToken } from '../../lib/personal-token.js';
import { noticeLanguageFor, recipientVariables } from '../notices/recipient-variables.js';
import { referenceCode } from '../../lib/reference-code.js';
import { getOrganisation } from '../access/settings.service.js';

/** Turns one claimed delivery into the message to send; built once per dispatch. */
export type MessageRenderer = (delivery: ClaimedDelivery) => OutgoingMessage;

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
  if (!notice) throw new NotFoundError(`no notice ${dispatch.notice_id}`);
  const kase = await requireCase(db, dispatch.case_id);
  const organisation = await getOrganisation(deps);
  const { snapshot, compiled } = await dispatchContent(db, dispatch, notice);
  const languages = new Set<string>(compiled.keys());
  const fallback = snapshot.defaultLanguage;
  const shared = new Map(
    [...languages].map((l) => [l, snapshotSharedVariables(snapshot, l as Language)]),
  );
  const securityPageUrl = `${deps.publicUrl}/security`;
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
      shared.get(language)!,
      { personalUrl: url, securityPageUrl },
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

/**
 * What a dispatch sends: the snapshot of the approval it pinned, compiled once per language.
 * A dispatch from before snapshots existed sends the notice's texts as they were approved.
 */
export async function dispatchContent(
  db: Executor,
  dispatch: DispatchRow,
  notice: NoticeRow,
): Promise<{ snapshot: NoticeSnapshot; compiled: Map<Language, CompiledNotice> }> {
  let snapshot: NoticeSnapshot;
  if (dispatch.approval_id !== null) {
    const approval = await findApproval(db, Number(dispatch.approval_id));
    if (!approval) throw new Error(`dispatch ${dispatch.id}: its approval is missing`);
    snapshot = approvalSnapshot(approval);
    // A snapshot altered behind the services' back is not what the approver signed.
    if (snapshotHash(snapshot) !== approval.snapshot_hash)
      throw new Error(`dispatch ${dispatch.id}: the notice no longer matches the approved content`);
  } else {
    if (notice.content_hash !== dispatch.content_hash) {
      // The notice changed under a running dispatch: refuse to send anything else than what was approved.
      throw new Error(`dispatch ${dispatch.id}: the notice no longer matches the approved content`);
    }
    snapshot = (await currentSnapshot(db, notice)).snapshot;
  }
  const compiled = new Map<Language, CompiledNotice>();
  for (const language of Object.keys(snapshot.texts) as Language[]) {
    compiled.set(language, compileSnapshot(snapshot, language));
  }
  return { snapshot, compiled };
}
