import { z } from 'zod';
import {
  parseDsnFile,
  type DsnProblem,
  type DsnRecipient,
} from '../../channels/email/dsn-parser.js';
import { authorize, type Actor } from '../../domain/access.js';
import { ConflictError, NotFoundError } from '../../domain/errors.js';
import {
  findDeliveryByMessageId,
  findLatestAcceptedDeliveryTo,
  markDeliveryBounced,
} from '../../store/bounce.repository.js';
import type { Database } from '../../store/database.js';
import { findDelivery, findDispatch } from '../../store/dispatch.repository.js';
import { nowIso } from '../../store/executor.js';
import type { DeliveryRow } from '../../store/schema.js';
import { appendAudit } from '../access/audit.service.js';
import { recordRecallEvent } from '../cases/recall-events.service.js';

/** A bounce that came back after a server accepted the message (the API's body). */
export const bounceReportSchema = z
  .object({
    messageId: z
      .string()
      .trim()
      .min(3)
      .max(998)
      .optional()
      .describe('Message-ID of the bounced notice, e.g. <candor.12.3456@candor.example>'),
    recipient: z
      .string()
      .trim()
      .min(3)
      .max(320)
      .regex(/@/, 'must be an email address')
      .optional()
      .describe('the address that bounced; used when there is no Candor Message-ID'),
    status: z
      .string()
      .trim()
      .regex(/^[45]\.\d{1,3}\.\d{1,3}$/, 'must be an RFC 3463 status such as 5.1.1')
      .optional(),
    diagnostic: z.string().trim().max(1000).optional().describe('the remote server’s reply'),
  })
  .refine((b) => b.messageId !== undefined || b.recipient !== undefined, {
    message: 'give messageId or recipient (or both)',
    path: ['messageId'],
  });
export type BounceReport = z.input<typeof bounceReportSchema>;

/** What a bounce report did. */
export const bounceResultSchema = z.object({
  deliveryId: z.number().int(),
  dispatchId: z.number().int(),
  recipientId: z.number().int(),
  email: z.string(),
  state: z.literal('bounced'),
  smtpResponse: z.string(),
  matchedBy: z.enum(['message-id', 'recipient']),
  /** False when the delivery was already bounced: reporting twice changes nothing. */
  changed: z.boolean(),
});
export type BounceResult = z.infer<typeof bounceResultSchema>;

type MatchedBy = BounceResult['matchedBy'];

/**
 * Marks the delivery a bounce refers to as bounced: by Message-ID, or by address (the most
 * recent accepted delivery to it). Idempotent. NotFoundError when nothing matches,
 * ConflictError when the delivery was never accepted (it is still queued, failed…).
 */
export async function reportBounce(
  actor: Actor,
  input: BounceReport,
  deps: { database: Database },
): Promise<BounceResult> {
  authorize(actor, 'bounces:report');
  const report = bounceReportSchema.parse(input);
  const messageId = report.messageId ? bracketed(report.messageId) : null;
  const target = await locate(
    deps.database.db,
    messageId,
    report.recipient ? [report.recipient] : [],
  );
  if (!target) {
    throw new NotFoundError(
      messageId && candorKeys(messageId)
        ? `no delivery has Message-ID ${messageId}`
        : report.recipient
          ? `no accepted delivery to ${report.recipient}`
          : `${messageId} is not a Candor Message-ID; give the recipient address as well`,
    );
  }
  return applyBounce(
    actor,
    target,
    { status: report.status, diagnostic: report.diagnostic, via: 'api' },
    deps,
  );
}

/** What `candor bounces import` found in a file and did with it. */
export interface BounceImportSummary {
  /** Messages in the file, and how many of them were delivery status notifications. */
  messages: number;
  reports: number;
  /** Deliveries marked bounced now, and those that already were. */
  bounced: number;
  alreadyBounced: number;
  /** Failed recipients whose delivery was not found or cannot bounce. */
  notFound: number;
  /** Reports that only say the relay is still trying: noted, nothing changed. */
  delayed: number;
  /** Reports with only delivered/relayed/expanded recipients. */
  ignored: number;
  unmatched: { index: number; messageId: string | null; recipient: string; reason: string }[];
  delays: { index: number; messageId: string | null; recipient: string; status: string }[];
  problems: DsnProblem[];
}

/**
 * Reads delivery status notifications (.eml or mbox) and applies them: `failed` marks the
 * delivery bounced (see docs/email.md), `delayed` is only noted, anything else is ignored.
 * A Candor Message-ID decides the delivery; without one, each failed address does.
 */
export async function importBounces(
  actor: Actor,
  file: Buffer,
  deps: { database: Database },
): Promise<BounceImportSummary> {
  authorize(actor, 'bounces:report');
  const { db } = deps.database;
  const parsed = parseDsnFile(file);
  const summary: BounceImportSummary = {
    messages: parsed.messages,
    reports: parsed.reports.length,
    bounced: 0,
    alreadyBounced: 0,
    notFound: 0,
    delayed: 0,
    ignored: 0,
    unmatched: [],
    delays: [],
    problems: parsed.problems,
  };
  for (const report of parsed.reports) {
    const messageId = report.originalMessageId;
    const failed = report.recipients.filter((r) => r.action === 'failed');
    if (failed.length === 0) {
      const delays = report.recipients.filter((r) => r.action === 'delayed');
      if (delays.length === 0) summary.ignored++;
      else {
        summary.delayed++;
        for (const r of delays) {
          summary.delays.push({
            index: report.index,
            messageId,
            recipient: r.finalRecipient,
            status: r.status,
          });
        }
      }
      continue;
    }
    // One Candor message has one recipient; several failed groups are aliases of it, unless
    // the Message-ID is not ours and each address stands for itself.
    const groups = messageId && candorKeys(messageId) ? [failed] : failed.map((r) => [r]);
    for (const group of groups) {
      const target = await locate(db, messageId, group.flatMap(addressesOf));
      const miss = (reason: string) => {
        summary.notFound++;
        summary.unmatched.push({
          index: report.index,
          messageId,
          recipient: group[0]!.finalRecipient,
          reason,
        });
      };
      if (!target) {
        miss(
          messageId && candorKeys(messageId)
            ? 'no delivery has this Message-ID'
            : 'no accepted delivery to this address',
        );
        continue;
      }
      const r =
        group.find((g) => addressesOf(g).includes(target.delivery.email.toLowerCase())) ??
        group[0]!;
      try {
        const result = await applyBounce(
          actor,
          target,
          {
            status: r.status,
            diagnostic: r.diagnosticCode,
            via: 'dsn-import',
            index: report.index,
          },
          deps,
        );
        if (result.changed) summary.bounced++;
        else summary.alreadyBounced++;
      } catch (error) {
        if (!(error instanceof ConflictError)) throw error;
        miss(error.message);
      }
    }
  }
  return summary;
}

interface Target {
  delivery: DeliveryRow;
  matchedBy: MatchedBy;
}

/**
 * A Candor Message-ID decides on its own: if it matches nothing, the bounce is not ours to
 * guess about (another installation, or deleted data). Any other Message-ID, or none, falls
 * back to the addresses.
 */
async function locate(
  db: Database['db'],
  messageId: string | null,
  addresses: readonly string[],
): Promise<Target | null> {
  const keys = messageId ? candorKeys(messageId) : null;
  if (messageId && keys) {
    const delivery = await findDeliveryByMessageId(db, messageId, keys);
    return delivery ? { delivery, matchedBy: 'message-id' } : null;
  }
  for (const address of addresses) {
    const delivery = await findLatestAcceptedDeliveryTo(db, address);
    if (delivery) return { delivery, matchedBy: 'recipient' };
  }
  return null;
}

async function applyBounce(
  actor: Actor,
  target: Target,
  info: { status?: string; diagnostic?: string; via: 'api' | 'dsn-import'; index?: number },
  deps: { database: Database },
): Promise<BounceResult> {
  const { db, dialect } = deps.database;
  const id = target.delivery.id;
  const response = bounceResponse(info.status, info.diagnostic);
  return db.transaction().execute(async (tx) => {
    const changed = await markDeliveryBounced(tx, id, response, nowIso());
    const delivery = (await findDelivery(tx, id))!;
    if (!changed && delivery.state !== 'bounced') {
      throw new ConflictError(
        `delivery ${id} is ${delivery.state}: only a delivery a server accepted can bounce afterwards`,
      );
    }
    if (changed) {
      await appendAudit(tx, dialect, actor, {
        action: 'delivery.bounce',
        objectType: 'delivery',
        objectId: id,
        details: {
          dispatchId: delivery.dispatch_id,
          recipientId: delivery.recipient_id,
          status: info.status ?? null,
          diagnostic: info.diagnostic ?? null,
          matchedBy: target.matchedBy,
          via: info.via,
          ...(info.index === undefined ? {} : { message: info.index }),
        },
      });
      const dispatch = (await findDispatch(tx, Number(delivery.dispatch_id)))!;
      await recordRecallEvent(tx, {
        kind: 'delivery.bounced',
        caseId: Number(dispatch.case_id),
        recipientId: Number(delivery.recipient_id),
        data: {
          deliveryId: Number(delivery.id),
          dispatchId: Number(delivery.dispatch_id),
          status: info.status ?? null,
        },
      });
    }
    return {
      deliveryId: delivery.id,
      dispatchId: delivery.dispatch_id,
      recipientId: delivery.recipient_id,
      email: delivery.email,
      state: 'bounced',
      smtpResponse: delivery.smtp_response ?? response,
      matchedBy: target.matchedBy,
      changed,
    };
  });
}

/** `<candor.A.B@domain>` → its two numbers, or null for anybody else's Message-ID. */
function candorKeys(messageId: string): { first: number; second: number } | null {
  const match = /^<candor\.(\d{1,15})\.(\d{1,15})@[^<>\s]+>$/i.exec(messageId);
  return match ? { first: Number(match[1]), second: Number(match[2]) } : null;
}

/** Message-IDs are stored with their angle brackets. */
function bracketed(messageId: string): string {
  return /^<.*>$/.test(messageId) ? messageId : `<${messageId}>`;
}

function addressesOf(r: DsnRecipient): string[] {
  const all = [r.originalRecipient, r.finalRecipient].filter((a): a is string => !!a);
  return [...new Set(all.map((a) => a.toLowerCase()))];
}

/** What is kept in smtp_response: marked as a DSN, with the status and the remote reply. */
function bounceResponse(status: string | undefined, diagnostic: string | undefined): string {
  const text = status
    ? `DSN ${status}${diagnostic ? `: ${diagnostic}` : ''}`
    : `DSN: ${diagnostic ?? 'bounced after acceptance'}`;
  return text.slice(0, 1000);
}
