import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ValidationError } from '../../../domain/errors.js';
import {
  overrideDecision,
  readCaseAssessment,
  recordFacts,
} from '../../../services/assessment/assessment.service.js';
import { toCaseView, updateCase } from '../../../services/cases/case.service.js';
import { localInputToUtc } from '../../../services/cases/case-workspace-time.js';
import { readCaseClocks } from '../../../services/assessment/legal-clock.service.js';
import type { AppContext } from '../../../wiring.js';
import { actorOf } from '../../auth.js';
import { sessionOf } from '../../workspace/workspace-session.js';
import { factsFromForm } from '../../views/workspace/case-assessment-form.view.js';
import { assessmentTexts } from '../../views/workspace/case-assessment-texts.view.js';
import {
  renderAssessmentTab,
  type AssessmentTabModel,
} from '../../views/workspace/case-assessment.view.js';
import { sendWorkspacePage } from '../../views/workspace/workspace-layout.view.js';
import { flash } from '../../workspace/flash-cookie.js';
import { viewOf } from '../../workspace/view-context-of.js';
import {
  assessmentFactsSchema,
  decisionKindSchema,
} from '../../../domain/assessment/assessment-facts.js';
import { toFormErrors, type FormErrors } from '../../views/workspace/case-form.view.js';
import {
  csrfFormField,
  formCheckbox,
  formIssueMessage,
  formValues,
  parseForm,
} from '../../workspace/form-errors.js';

const params = z.object({ reference: z.string().min(1).max(64) });
const formBody = z.record(z.string(), z.union([z.string(), z.array(z.string())]));
/** The override form of one decision: the choice, the subjects' public box, the rationale. */
const overrideForm = z.object({
  decision: decisionKindSchema,
  notify: z.enum(['yes', 'no']),
  publicCommunication: formCheckbox,
  rationale: z.string().trim().min(20).max(10_000),
  ...csrfFormField,
});
const first = (value: unknown): unknown => (Array.isArray(value) ? value[0] : value);

/** A facts field's message: decimals are fine where the schema does not ask for an integer. */
function factIssueMessage(issue: z.core.$ZodIssue, locale: 'nl' | 'en'): string {
  if (issue.code === 'invalid_type' && issue.expected === 'number')
    return locale === 'nl' ? 'Vul een getal in.' : 'Enter a number.';
  return formIssueMessage(issue, locale, undefined);
}

/** The assessment tab of a case: clocks, severity, decisions, overrides, the facts form. */
export function caseAssessmentRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  async function page(
    request: FastifyRequest,
    reply: FastifyReply,
    reference: string,
    extra: Partial<AssessmentTabModel> = {},
    status = 200,
  ) {
    const actor = actorOf(request);
    const locale = sessionOf(request).locale;
    const read = await readCaseAssessment(actor, reference, ctx.deps, locale);
    const clocks = await readCaseClocks(actor, read.case.id, ctx.deps);
    const kase = toCaseView(read.case);
    return sendWorkspacePage(
      reply,
      request,
      {
        title: `${assessmentTexts(locale).title} · ${kase.reference}`,
        section: 'cases',
        main: renderAssessmentTab(viewOf(request), {
          kase,
          assessment: read.assessment,
          advice: read.localAdvice,
          clocks: clocks.clocks,
          ...extra,
        }),
      },
      status,
    );
  }

  return async (app) => {
    app.get(
      '/cases/:reference/assessment',
      { config: { permission: 'cases:read' }, schema: { hide: true, params } },
      async (request, reply) => page(request, reply, request.params.reference),
    );

    app.post(
      '/cases/:reference/assessment',
      {
        config: { permission: 'assessment:write' },
        schema: { hide: true, params, body: formBody },
      },
      async (request, reply) => {
        const values = factsFromForm(request.body);
        // "Is it contained?": a time given here becomes the case's milestone (responders).
        const containedRaw = request.body.containedAt;
        const containedText = (Array.isArray(containedRaw) ? containedRaw[0] : containedRaw) ?? '';
        let containedAt: string | null = null;
        if (typeof containedText === 'string' && containedText.trim() !== '') {
          containedAt = localInputToUtc(containedText.trim(), sessionOf(request).timeZone);
          if (containedAt === null) {
            const nl = sessionOf(request).locale === 'nl';
            return page(
              request,
              reply,
              request.params.reference,
              {
                formValues: values,
                formErrors: [
                  {
                    field: 'containedAt',
                    message: nl
                      ? 'Geen geldige datum en tijd (bijvoorbeeld 2026-11-27T03:12).'
                      : 'Not a valid date and time (for example 2026-11-27T03:12).',
                  },
                ],
              },
              422,
            );
          }
        }
        // The facts' own schema, read here so each message is in the user's language.
        const facts = assessmentFactsSchema.safeParse(values);
        if (!facts.success) {
          const { locale } = sessionOf(request);
          const formErrors = facts.error.issues.map((issue) => ({
            field: issue.path.length > 0 ? issue.path.map(String).join('.') : '',
            message: factIssueMessage(issue, locale),
          }));
          return page(
            request,
            reply,
            request.params.reference,
            { formValues: values, formErrors },
            422,
          );
        }
        try {
          if (containedAt) {
            await updateCase(actorOf(request), request.params.reference, { containedAt }, ctx.deps);
          }
          const saved = await recordFacts(
            actorOf(request),
            request.params.reference,
            values,
            ctx.deps,
          );
          const nl = sessionOf(request).locale === 'nl';
          flash(
            reply,
            nl
              ? `Feiten vastgelegd (versie ${saved.factsVersion}).`
              : `Facts recorded (version ${saved.factsVersion}).`,
          );
          return reply.redirect(
            `/app/cases/${encodeURIComponent(request.params.reference)}/assessment`,
            303,
          );
        } catch (error) {
          if (!(error instanceof ValidationError)) throw error;
          return page(
            request,
            reply,
            request.params.reference,
            { formValues: values, formErrors: error.errors },
            422,
          );
        }
      },
    );

    app.post(
      '/cases/:reference/assessment/overrides',
      {
        config: { permission: 'assessment:override' },
        schema: { hide: true, params, body: formBody },
      },
      async (request, reply) => {
        const { locale } = sessionOf(request);
        const { reference } = request.params;
        // The decision is the form's hidden field: a wrong one is not the user's typing.
        const kind = decisionKindSchema.parse(first(request.body.decision));
        const values = formValues(request.body);
        const refuse = (errors: FormErrors) =>
          page(request, reply, reference, { override: { kind, values, errors } }, 422);
        const parsed = parseForm(overrideForm, request.body, locale);
        if (!parsed.ok) return refuse(parsed.errors);
        const o = parsed.data;
        try {
          await overrideDecision(
            actorOf(request),
            reference,
            {
              decision: o.decision,
              notify: o.notify === 'yes',
              publicCommunication: o.decision === 'subjects' ? o.publicCommunication : undefined,
              rationale: o.rationale,
            },
            ctx.deps,
          );
          flash(reply, locale === 'nl' ? 'Afwijking vastgelegd.' : 'Override recorded.');
          return reply.redirect(`/app/cases/${encodeURIComponent(reference)}/assessment`, 303);
        } catch (error) {
          if (!(error instanceof ValidationError)) throw error;
          return refuse(toFormErrors(error.errors));
        }
      },
    );
  };
}
