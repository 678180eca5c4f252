import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { FastifyReply, FastifyRequest } from 'fastify';
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
import {
  csrfFormField,
  formCheckbox,
  formInt,
  formValues,
  parseForm,
} from '../../workspace/form-errors.js';
import type { FormErrors } from '../../views/workspace/case-form.view.js';
import type { ReminderFormState } from '../../views/workspace/case-reminders-forms.view.js';
import { MAX_REMINDER_DAYS, MAX_REMINDER_SENDS } from '../../../domain/reminders/reminder.js';

const refParams = z.object({ reference: z.string().min(1).max(64) });
const ruleParams = refParams.extend({ rule: z.coerce.number().int().positive() });
/** The add-a-rule form: every field as text, numbers read here so a typo is named at its field. */
const ruleForm = z.object({
  noticeId: formInt(1, Number.MAX_SAFE_INTEGER),
  condition: z.enum(['not-acknowledged', 'not-completed']),
  remedy: z.string().trim().max(64).optional(),
  days: formInt(1, MAX_REMINDER_DAYS),
  maxSends: formInt(1, MAX_REMINDER_SENDS),
  ...csrfFormField,
});
/** The escalation form: a checkbox and a number of days. */
const escalationForm = z.object({
  enabled: formCheckbox,
  afterDays: formInt(0, MAX_REMINDER_DAYS),
  ...csrfFormField,
});
/** The body as it arrives; the handler parses it with the form's schema, to show it again. */
const formBody = z.record(z.string(), z.unknown());

/** The rule form's one rule across fields: a remedy with "not completed", and only then. */
function ruleErrors(
  data: { condition: string; remedy?: string | undefined },
  locale: 'nl' | 'en',
): FormErrors {
  const t = remindersTexts(locale).fieldErrors;
  if (data.condition === 'not-completed' && !data.remedy) return { remedy: t.remedyNeeded };
  if (data.condition === 'not-acknowledged' && data.remedy) return { remedy: t.remedyNotTaken };
  return {};
}

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
  /** The tab; with a refused form, that form as it was sent and a 422. */
  async function page(
    request: FastifyRequest,
    reply: FastifyReply,
    reference: string,
    forms: { ruleForm?: ReminderFormState; escalationForm?: ReminderFormState } = {},
  ) {
    const session = sessionOf(request);
    const actor = actorOf(request);
    const kase = toCaseView(await requireCase(ctx.database.db, reference));
    const overview = await getReminderOverview(actor, kase.reference, ctx.deps);
    const choices = await reminderChoices(actor, kase.reference, ctx.deps);
    const refused = forms.ruleForm !== undefined || forms.escalationForm !== undefined;
    return sendWorkspacePage(
      reply,
      request,
      {
        title: `${remindersTexts(session.locale).title} · ${kase.reference}`,
        section: 'cases',
        main: renderRemindersPage(viewOf(request), {
          kase,
          overview,
          choices,
          canWrite: can(session.roles, 'dispatch:start'),
          ...forms,
        }),
      },
      refused ? 422 : 200,
    );
  }

  return async (app) => {
    app.get(
      '/cases/:reference/reminders',
      { config: { permission: 'cases:read' }, schema: { hide: true, params: refParams } },
      async (request, reply) => page(request, reply, request.params.reference),
    );

    app.post(
      '/cases/:reference/reminders',
      {
        config: { permission: 'dispatch:start' },
        schema: { hide: true, params: refParams, body: formBody },
      },
      async (request, reply) => {
        const { locale } = sessionOf(request);
        const { reference } = request.params;
        const values = formValues(request.body);
        const parsed = parseForm(ruleForm, request.body, locale);
        const errors = parsed.ok ? ruleErrors(parsed.data, locale) : parsed.errors;
        if (!parsed.ok || Object.keys(errors).length > 0)
          return page(request, reply, reference, { ruleForm: { values, errors } });
        const { _csrf: _ignored, ...input } = parsed.data;
        try {
          const rule = await createReminderRule(actorOf(request), reference, input, ctx.deps);
          flash(reply, locale === 'en' ? `Rule ${rule.id} added.` : `Regel ${rule.id} toegevoegd.`);
        } catch (error) {
          if (!(error instanceof ValidationError) || error.errors.length === 0) throw error;
          const t = remindersTexts(locale).fieldErrors;
          const named: FormErrors = {};
          for (const e of error.errors)
            named[e.field] ??=
              e.field === 'noticeId' || e.field === 'remedy' ? t[e.field] : e.message;
          return page(request, reply, reference, { ruleForm: { values, errors: named } });
        }
        return reply.redirect(remindersUrl(reference), 303);
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
        const { locale } = sessionOf(request);
        const en = locale === 'en';
        const parsed = parseForm(escalationForm, request.body, locale);
        if (!parsed.ok) {
          const state = { values: formValues(request.body), errors: parsed.errors };
          return page(request, reply, request.params.reference, { escalationForm: state });
        }
        const { enabled, afterDays } = parsed.data;
        await orFlash(reply, async () => {
          const saved = await saveEscalationRule(
            actorOf(request),
            request.params.reference,
            { enabled, afterDays },
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
