import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { FastifyReply } from 'fastify';
import { z } from 'zod';
import { can } from '../../../domain/access.js';
import { DomainError, ValidationError } from '../../../domain/errors.js';
import { toCaseView } from '../../../services/cases/case.service.js';
import {
  getReminderOverview,
  reminderChoices,
} from '../../../services/remedies/reminder-overview.service.js';
import {
  escalateToLetters,
  saveEscalationRule,
} from '../../../services/remedies/reminder-escalation.service.js';
import {
  createReminderRule,
  retireReminderRule,
  runDueReminders,
} from '../../../services/remedies/reminder.service.js';
import { requireCase } from '../../../services/cases/case.service.js';
import type { AppContext } from '../../../wiring.js';
import { actorOf } from '../../auth.js';
import { sessionOf } from '../../workspace/workspace-session.js';
import {
  remindersTexts,
  remindersUrl,
  renderRemindersPage,
} from '../../views/workspace/case-reminders.view.js';
import { sendWorkspacePage } from '../../views/workspace/workspace-layout.view.js';
import { flash } from '../../workspace/flash-cookie.js';
import { viewOf } from '../../workspace/view-context-of.js';

const refParams = z.object({ reference: z.string().min(1).max(64) });
const ruleParams = refParams.extend({ rule: z.coerce.number().int().positive() });
/** Form fields arrive as text; the service's schema names what is wrong. */
const formBody = z.record(z.string(), z.unknown());

/** A refusal the person can act on, shown on the page instead of an error page. */
async function orFlash(reply: FastifyReply, body: () => Promise<string>): Promise<void> {
  try {
    flash(reply, await body());
  } catch (error) {
    if (!(error instanceof DomainError)) throw error;
    const fields =
      error instanceof ValidationError && error.errors.length > 0
        ? error.errors.map((e) => `${e.field}: ${e.message}`).join('; ')
        : error.message;
    flash(reply, fields, 'error');
  }
}

/** The reminders tab: rules, sends, effect and the escalation to letters. */
export function caseRemindersRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  const letterDeps = { ...ctx.deps, timeZone: ctx.config.workspace.defaultTimeZone };
  return async (app) => {
    app.get(
      '/cases/:reference/reminders',
      { config: { permission: 'cases:read' }, schema: { hide: true, params: refParams } },
      async (request, reply) => {
        const session = sessionOf(request);
        const actor = actorOf(request);
        const kase = toCaseView(await requireCase(ctx.database.db, request.params.reference));
        const overview = await getReminderOverview(actor, kase.reference, ctx.deps);
        const choices = await reminderChoices(actor, kase.reference, ctx.deps);
        return sendWorkspacePage(reply, request, {
          title: `${remindersTexts(session.locale).title} · ${kase.reference}`,
          section: 'cases',
          main: renderRemindersPage(viewOf(request), {
            kase,
            overview,
            choices,
            canWrite: can(session.roles, 'dispatch:start'),
          }),
        });
      },
    );

    app.post(
      '/cases/:reference/reminders',
      {
        config: { permission: 'dispatch:start' },
        schema: { hide: true, params: refParams, body: formBody },
      },
      async (request, reply) => {
        const en = sessionOf(request).locale === 'en';
        const { _csrf: _ignored, ...input } = request.body;
        await orFlash(reply, async () => {
          const rule = await createReminderRule(
            actorOf(request),
            request.params.reference,
            input as never,
            ctx.deps,
          );
          return en ? `Rule ${rule.id} added.` : `Regel ${rule.id} toegevoegd.`;
        });
        return reply.redirect(remindersUrl(request.params.reference), 303);
      },
    );

    app.post(
      '/cases/:reference/reminders/:rule/retire',
      { config: { permission: 'dispatch:start' }, schema: { hide: true, params: ruleParams } },
      async (request, reply) => {
        const en = sessionOf(request).locale === 'en';
        await orFlash(reply, async () => {
          await retireReminderRule(
            actorOf(request),
            request.params.reference,
            request.params.rule,
            ctx.deps,
          );
          return en
            ? `Rule ${request.params.rule} stopped.`
            : `Regel ${request.params.rule} gestopt.`;
        });
        return reply.redirect(remindersUrl(request.params.reference), 303);
      },
    );

    app.post(
      '/cases/:reference/reminders/run',
      { config: { permission: 'dispatch:start' }, schema: { hide: true, params: refParams } },
      async (request, reply) => {
        const en = sessionOf(request).locale === 'en';
        await orFlash(reply, async () => {
          const results = await runDueReminders(actorOf(request), ctx.deps, {
            caseRef: request.params.reference,
          });
          const sent = results.filter((r) => r.outcome === 'sent');
          const refused = results.filter((r) => r.outcome === 'refused');
          const mailed = sent.reduce((a, r) => a + r.recipients, 0);
          return en
            ? `${sent.length} reminders sent to ${mailed} recipients.${refused.length ? ` Not sent: ${refused.map((r) => r.message).join('; ')}` : ''}`
            : `${sent.length} herinneringen verstuurd aan ${mailed} ontvangers.${refused.length ? ` Niet verstuurd: ${refused.map((r) => r.message).join('; ')}` : ''}`;
        });
        return reply.redirect(remindersUrl(request.params.reference), 303);
      },
    );

    app.post(
      '/cases/:reference/reminders/escalation',
      {
        config: { permission: 'dispatch:start' },
        schema: { hide: true, params: refParams, body: formBody },
      },
      async (request, reply) => {
        const en = sessionOf(request).locale === 'en';
        await orFlash(reply, async () => {
          const saved = await saveEscalationRule(
            actorOf(request),
            request.params.reference,
            { enabled: request.body.enabled === 'on', afterDays: Number(request.body.afterDays) },
            ctx.deps,
          );
          return en
            ? `Escalation ${saved.enabled ? 'on' : 'off'}, after ${saved.afterDays} days.`
            : `Escalatie ${saved.enabled ? 'aan' : 'uit'}, na ${saved.afterDays} dagen.`;
        });
        return reply.redirect(`${remindersUrl(request.params.reference)}#escalation`, 303);
      },
    );

    app.post(
      '/cases/:reference/reminders/escalation/letters',
      { config: { permission: 'dispatch:start' }, schema: { hide: true, params: refParams } },
      async (request, reply) => {
        const en = sessionOf(request).locale === 'en';
        await orFlash(reply, async () => {
          const { letters } = await escalateToLetters(
            actorOf(request),
            request.params.reference,
            letterDeps,
          );
          return en
            ? `${letters.letters} letters in ${letters.batches.length} batches; download them on the letters page.`
            : `${letters.letters} brieven in ${letters.batches.length} partijen; download ze bij de brieven.`;
        });
        return reply.redirect(`${remindersUrl(request.params.reference)}#escalation`, 303);
      },
    );
  };
}
