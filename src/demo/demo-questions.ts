import type { Actor } from '../domain/access.js';
import { askQuestion, replyToQuestion } from '../services/recipients/question.service.js';
import { personalToken, personalTokenHash } from '../lib/personal-token.js';
import type { AppContext } from '../wiring.js';

const HOUR = 3_600_000;

/**
 * Two customer questions on the demo incident, one of them answered, so the inbox, its counts
 * and the reply mail (in the demo mailbox) have something to show. Asked through the service
 * as the customer's page would; idempotent: a case that has questions gets no more.
 */
export async function seedDemoQuestions(ctx: AppContext, now: Date = new Date()): Promise<void> {
  const db = ctx.database.db;
  const incident = await db
    .selectFrom('cases')
    .select('id')
    .where('kind', '=', 'incident')
    .orderBy('id')
    .executeTakeFirst();
  if (!incident) return;
  const caseId = Number(incident.id);
  const asked = await db
    .selectFrom('questions')
    .select('id')
    .where('case_id', '=', caseId)
    .executeTakeFirst();
  if (asked) return;
  const recipients = await db
    .selectFrom('case_recipients')
    .selectAll()
    .where('case_id', '=', caseId)
    .where('email', 'is not', null)
    .orderBy('id')
    .limit(200)
    .execute();
  const dutch = recipients.find((r) => r.language === 'nl');
  const english = recipients.find((r) => r.language === 'en') ?? recipients[1];
  const ask = async (recipient: (typeof recipients)[number] | undefined, text: string) => {
    if (!recipient) return null;
    const token = personalToken(ctx.deps.secret, caseId, Number(recipient.id));
    const result = await askQuestion(
      { recipient, token, tokenHash: personalTokenHash(token), source: 'demo' },
      text,
      ctx.deps,
    );
    return result.kind === 'asked' ? result.questionId : null;
  };
  const first = await ask(
    dutch,
    'Moet ik naast mijn wachtwoord ook mijn API-sleutels vervangen?\nIk gebruik ze voor onze webwinkel.',
  );
  const second = await ask(
    english,
    'Were my invoices part of the copied data? I could not find them in the list on this page.',
  );
  // Asked some hours ago; the first answered after about three hours.
  if (first) {
    await db
      .updateTable('questions')
      .set({ asked_at: new Date(now.getTime() - 6 * HOUR).toISOString() })
      .where('id', '=', first)
      .execute();
    const joost: Actor = {
      kind: 'user',
      userId: null,
      name: 'joost',
      roles: ['communicator'],
      source: 'demo',
    };
    await replyToQuestion(
      joost,
      caseId,
      first,
      'Ja, graag. Vervang uw API-sleutels in het klantpaneel onder Instellingen → API. De oude sleutels werken daarna niet meer; pas ze dus ook aan in uw webwinkel.',
      ctx.deps,
    );
    await db
      .updateTable('questions')
      .set({ answered_at: new Date(now.getTime() - 3 * HOUR).toISOString() })
      .where('id', '=', first)
      .execute();
  }
  if (second) {
    await db
      .updateTable('questions')
      .set({ asked_at: new Date(now.getTime() - 2 * HOUR).toISOString() })
      .where('id', '=', second)
      .execute();
  }
}
