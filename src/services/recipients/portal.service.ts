import { z } from 'zod';
import { authorize, type Actor } from '../../domain/access.js';
import { NotFoundError } from '../../domain/errors.js';
import { findCustomerByExternalId } from '../../store/customer.repository.js';
import { listReachedRecipientsOfCustomer } from '../../store/recipient.repository.js';
import { getPersonalPage, type PersonalPageDeps } from './personal-page.service.js';
import { personalToken, personalTokenHash } from '../../lib/personal-token.js';

/**
 * What the provider's own customer portal shows a logged-in customer: the notices that reached
 * them and still ask something of them, each with its personal-page link. Customers trust their
 * control panel more than a mail; a banner there is the same notice, from a place they know.
 * Every text is the approved, mailed one, in the customer's language (the personal page's own
 * model), so the portal can say nothing the notice did not.
 */
export const portalNoticeSchema = z.object({
  case: z.string().describe('case reference, e.g. INC-2026-0001'),
  kind: z.enum(['incident', 'advisory']),
  language: z.enum(['nl', 'en']),
  title: z.string().describe("the notice's headline as mailed, in the customer's language"),
  referenceCode: z.string().nullable().describe('the code in the mail, to check it is genuine'),
  sentAt: z.string().nullable(),
  personalPageUrl: z.string(),
  acknowledgedAt: z.string().nullable(),
  completedAt: z.string().nullable().describe('when the customer said "I\'ve done it"'),
  open: z.boolean().describe('the case is not closed and the customer has not completed it'),
  remedies: z
    .array(
      z.object({
        key: z.string(),
        title: z.string().describe("in the customer's language"),
        done: z.boolean(),
        completedAt: z.string().nullable(),
        customerMayConfirm: z.boolean().describe('the personal page offers "I\'ve done this"'),
      }),
    )
    .describe(
      "what the customer must do, with their state; with remedies, open means one isn't done",
    ),
});
export const portalNoticesSchema = z.object({
  externalId: z.string(),
  notices: z.array(portalNoticeSchema),
});
export type PortalNotices = z.infer<typeof portalNoticesSchema>;

/** The customer's notices: open ones only, or `all` that ever reached them. */
export async function customerNotices(
  actor: Actor,
  externalId: string,
  options: { all?: boolean },
  deps: PersonalPageDeps,
): Promise<PortalNotices> {
  authorize(actor, 'portal:read');
  const { db } = deps.database;
  if (!(await findCustomerByExternalId(db, externalId)))
    throw new NotFoundError(`no customer with external_id "${externalId}"`);
  const notices: PortalNotices['notices'] = [];
  for (const row of await listReachedRecipientsOfCustomer(db, externalId)) {
    // A revoked link is not offered again; the page behind it would refuse it.
    if (row.token_revoked_at) continue;
    if (row.case_state === 'closed' && !options.all) continue;
    const token = personalToken(deps.secret, row.case_id, row.id);
    const page = await getPersonalPage(
      { recipient: row, token, tokenHash: personalTokenHash(token), source: actor.source },
      deps,
    );
    const remedies = page.remedies ?? [];
    const open =
      row.case_state !== 'closed' &&
      (remedies.length > 0 ? remedies.some((r) => !r.done) : row.remedied_at === null);
    if (!open && !options.all) continue;
    notices.push({
      case: row.case_reference,
      kind: page.case.kind,
      language: page.language,
      title: page.headline,
      referenceCode: page.referenceCode,
      sentAt: page.sentAt,
      personalPageUrl: `${deps.publicUrl}/n/${token}`,
      acknowledgedAt: row.acknowledged_at,
      completedAt: row.remedied_at,
      open,
      remedies: remedies.map((r) => ({
        key: r.key,
        title: r.title,
        done: r.done,
        completedAt: r.completedAt,
        customerMayConfirm: r.canConfirm,
      })),
    });
  }
  return { externalId, notices };
}
