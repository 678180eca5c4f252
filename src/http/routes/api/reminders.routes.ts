import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  escalationInputSchema,
  reminderRuleInputSchema,
} from '../../../domain/reminders/reminder.js';
import {
  getReminderOverview,
  reminderSendSchema,
} from '../../../services/remedies/reminder-overview.service.js';
import { reminderEffectSchema } from '../../../services/remedies/reminder-effect.service.js';
import {
  escalateToLetters,
  escalationPreviewSchema,
  escalationResultSchema,
  previewEscalation,
  saveEscalationRule,
} from '../../../services/remedies/reminder-escalation.service.js';
import {
  createReminderRule,
  listReminderRules,
  reminderRuleSchema,
  reminderRunResultSchema,
  retireReminderRule,
  runDueReminders,
} from '../../../services/remedies/reminder.service.js';
import type { AppContext } from '../../../wiring.js';
import { actorOf } from '../../auth.js';

const caseParams = z.object({ reference: z.string().min(1).max(64) });
const ruleParams = caseParams.extend({ rule: z.coerce.number().int().positive() });

/** Reminder rules, the reminders sent and their effect, and escalation to letters. */
export function reminderRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  const letterDeps = { ...ctx.deps, timeZone: ctx.config.workspace.defaultTimeZone };
  return async (app) => {
    app.get(
      '/cases/:reference/reminders',
      {
        config: { permission: 'cases:read' },
        schema: {
          summary: 'The reminder rules of a case',
          tags: ['dispatch'],
          params: caseParams,
          response: { 200: z.object({ rules: z.array(reminderRuleSchema) }) },
        },
      },
      async (request) => ({
        rules: await listReminderRules(actorOf(request), request.params.reference, ctx.deps),
      }),
    );

    app.post(
      '/cases/:reference/reminders',
      {
        config: { permission: 'dispatch:start' },
        schema: {
          summary: 'Add a reminder rule',
          description:
            'After `days` days (since the first dispatch, then since the previous send), the approved `noticeId` goes to the recipients who have not acknowledged, or not completed `remedy`, at most `maxSends` times each. A rule whose notice is not approved does not send and says why in `refusal`.',
          tags: ['dispatch'],
          params: caseParams,
          body: reminderRuleInputSchema,
          response: { 201: reminderRuleSchema },
        },
      },
      async (request, reply) => {
        const rule = await createReminderRule(
          actorOf(request),
          request.params.reference,
          request.body,
          ctx.deps,
        );
        return reply.code(201).send(rule);
      },
    );

    app.delete(
      '/cases/:reference/reminders/:rule',
      {
        config: { permission: 'dispatch:start' },
        schema: {
          summary: 'Retire a reminder rule (what it sent stays on record)',
          tags: ['dispatch'],
          params: ruleParams,
        },
      },
      async (request, reply) => {
        await retireReminderRule(
          actorOf(request),
          request.params.reference,
          request.params.rule,
          ctx.deps,
        );
        return reply.code(204).send();
      },
    );

    app.post(
      '/cases/:reference/reminders/run',
      {
        config: { permission: 'dispatch:start' },
        schema: {
          summary: "Send this case's due reminders now",
          tags: ['dispatch'],
          params: caseParams,
          response: { 200: z.object({ results: z.array(reminderRunResultSchema) }) },
        },
      },
      async (request) => ({
        results: await runDueReminders(actorOf(request), ctx.deps, {
          caseRef: request.params.reference,
        }),
      }),
    );

    app.get(
      '/cases/:reference/reminders/sends',
      {
        config: { permission: 'cases:read' },
        schema: {
          summary: 'The reminders sent, and their effect',
          description:
            'Per send: when, how many were chosen and mailed, and the mails by state; per send the effect: among recipients with email, the share of the still-open who acknowledged (and completed) per day in the N days after against the N days before.',
          tags: ['dispatch'],
          params: caseParams,
          response: {
            200: z.object({
              sends: z.array(reminderSendSchema),
              effect: z.array(reminderEffectSchema),
            }),
          },
        },
      },
      async (request) => {
        const o = await getReminderOverview(actorOf(request), request.params.reference, ctx.deps);
        return { sends: o.sends, effect: o.effect };
      },
    );

    app.get(
      '/cases/:reference/reminders/escalation',
      {
        config: { permission: 'cases:read' },
        schema: {
          summary: 'The escalation rule, and how many would get a letter now, and why',
          tags: ['dispatch'],
          params: caseParams,
          response: { 200: escalationPreviewSchema },
        },
      },
      async (request) => previewEscalation(actorOf(request), request.params.reference, ctx.deps),
    );

    app.put(
      '/cases/:reference/reminders/escalation',
      {
        config: { permission: 'dispatch:start' },
        schema: {
          summary: 'Turn escalation to letters on or off, and after how many days',
          tags: ['dispatch'],
          params: caseParams,
          body: escalationInputSchema,
          response: { 200: escalationPreviewSchema },
        },
      },
      async (request) =>
        saveEscalationRule(actorOf(request), request.params.reference, request.body, ctx.deps),
    );

    app.post(
      '/cases/:reference/reminders/escalation/letters',
      {
        config: { permission: 'dispatch:start' },
        schema: {
          summary: 'Print the escalation letters now (a letter batch)',
          description:
            'Download the batches under `/cases/{case}/letters/{batch}.pdf` and `.csv`. Refused (409) while escalation is off.',
          tags: ['dispatch'],
          params: caseParams,
          response: { 200: escalationResultSchema },
        },
      },
      async (request) => escalateToLetters(actorOf(request), request.params.reference, letterDeps),
    );
  };
}
