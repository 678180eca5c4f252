import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { LANGUAGES } from '../../../config.js';
import { can } from '../../../domain/access.js';
import type { RemedyTexts } from '../../../domain/remedies/remedy-input.js';
import { requireCase, toCaseView } from '../../../services/cases/case.service.js';
import {
  createRemedy,
  listCaseRemedies,
  updateRemedyByKey,
} from '../../../services/remedies/remedy.service.js';
import type { AppContext } from '../../../wiring.js';
import { actorOf } from '../../auth.js';
import { sessionOf } from '../../workspace/workspace-session.js';
import { formErrorsFrom, type FormErrors } from '../../views/workspace/case-form.view.js';
import { csrfFormField, formValues, parseForm } from '../../workspace/form-errors.js';
import { ValidationError } from '../../../domain/errors.js';
import { remedyCompletionSchema } from '../../../domain/remedies/remedy.js';
import { REMEDY_KEY } from '../../../domain/remedies/remedy-input.js';
import {
  remediesTexts,
  remediesUrl,
  renderRemediesTab,
  textField,
  type RemedyFormState,
} from '../../views/workspace/case-remedies.view.js';
import { sendWorkspacePage } from '../../views/workspace/workspace-layout.view.js';
import { flash } from '../../workspace/flash-cookie.js';
import { formOf } from './cases.routes.js';
import { viewOf } from '../../workspace/view-context-of.js';

const refParams = z.object({ reference: z.string().min(1).max(64) });
const remedyParams = refParams.extend({ remedy: z.string().min(1).max(63) });
/** The body as it arrives; the handler parses it with the form's schema, to show it again. */
const formBody = z.record(z.string(), z.unknown());
type Locale = 'nl' | 'en';
const optionalText = (max: number) => z.string().trim().max(max).optional();
/** The texts of a remedy form, per language: a title and Markdown instructions. */
const textsForm = z.object({
  ...Object.fromEntries(
    LANGUAGES.flatMap((l) => [
      [textField(l, 'title'), optionalText(200)],
      [textField(l, 'instructions'), optionalText(20_000)],
    ]),
  ),
  ...csrfFormField,
});
/** The add form: the texts, a key and who confirms completion. */
const newRemedyForm = (locale: Locale) =>
  textsForm.extend({
    key: z.string().regex(REMEDY_KEY, remediesTexts(locale).fieldErrors.key),
    completion: remedyCompletionSchema,
  });

/** A language that is sent (any field filled, or `keep`) needs its title. */
function titleErrors(body: unknown, keep: readonly string[], locale: Locale): FormErrors {
  const form = formValues(body);
  const errors: FormErrors = {};
  for (const l of LANGUAGES) {
    const [title, instructions] = [form[textField(l, 'title')], form[textField(l, 'instructions')]];
    if (!title?.trim() && (instructions?.trim() || keep.includes(l)))
      errors[textField(l, 'title')] = remediesTexts(locale).fieldErrors.titleNeeded;
  }
  return errors;
}

/** The service's refusals (a language the notice needs, a key in use) in the user's words. */
function serviceErrors(error: unknown, key: string, locale: Locale): FormErrors | null {
  if (!(error instanceof ValidationError)) return formErrorsFrom(error);
  const t = remediesTexts(locale).fieldErrors;
  const errors: FormErrors = {};
  for (const e of error.errors) {
    const language = /^texts\.(\w+)\.title$/.exec(e.field)?.[1];
    errors[e.field] ??= language
      ? t.needsLanguage((t.languages as Record<string, string>)[language] ?? language)
      : e.field === 'key'
        ? t.keyTaken(key)
        : e.message;
  }
  return error.errors.length > 0 ? errors : { '': error.message };
}
const retiredBody = z.object({ retired: z.enum(['true', 'false']), _csrf: z.string().optional() });

/**
 * The texts a form carries: a language is sent when any of its fields is filled, or when
 * `keep` says it exists already (so clearing an existing title is refused, not ignored).
 */
function textsOfForm(form: Record<string, string>, keep: readonly string[] = []): RemedyTexts {
  const texts: RemedyTexts = {};
  for (const language of LANGUAGES) {
    const title = form[textField(language, 'title')] ?? '';
    const instructions = form[textField(language, 'instructions')] ?? '';
    if (title.trim() || instructions.trim() || keep.includes(language))
      texts[language] = { title, instructions };
  }
  return texts;
}

/** The remedies tab: the case's remedies with their counts, and (for managers) the forms. */
export function caseRemediesRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  async function page(
    request: FastifyRequest,
    reply: FastifyReply,
    reference: string,
    form?: RemedyFormState,
  ) {
    const session = sessionOf(request);
    const kase = toCaseView(await requireCase(ctx.database.db, reference));
    const list = await listCaseRemedies(actorOf(request), kase.reference, ctx.deps);
    return sendWorkspacePage(
      reply,
      request,
      {
        title: `${remediesTexts(session.locale).title} · ${kase.reference}`,
        section: 'cases',
        main: renderRemediesTab(viewOf(request), {
          kase,
          list,
          canWrite: can(session.roles, 'remedies:manage'),
          form,
        }),
      },
      form ? 422 : 200,
    );
  }

  return async (app) => {
    app.get(
      '/cases/:reference/remedies',
      { config: { permission: 'cases:read' }, schema: { hide: true, params: refParams } },
      async (request, reply) => page(request, reply, request.params.reference),
    );

    app.post(
      '/cases/:reference/remedies',
      {
        config: { permission: 'remedies:manage' },
        schema: { hide: true, params: refParams, body: formBody },
      },
      async (request, reply) => {
        const { locale } = sessionOf(request);
        const t = remediesTexts(locale);
        const form = formOf(request);
        const refuse = (errors: FormErrors) =>
          page(request, reply, request.params.reference, { remedy: null, values: form, errors });
        const parsed = parseForm(newRemedyForm(locale), request.body, locale);
        const errors = {
          ...titleErrors(request.body, [], locale),
          ...(parsed.ok ? {} : parsed.errors),
        };
        if (!parsed.ok || Object.keys(errors).length > 0) return refuse(errors);
        try {
          const remedy = await createRemedy(
            actorOf(request),
            request.params.reference,
            { key: parsed.data.key, completion: parsed.data.completion, texts: textsOfForm(form) },
            ctx.deps,
          );
          flash(reply, t.added(remedy.key));
          return reply.redirect(remediesUrl(request.params.reference), 303);
        } catch (error) {
          const found = serviceErrors(error, parsed.data.key, locale);
          if (!found) throw error;
          return refuse(found);
        }
      },
    );

    app.post(
      '/cases/:reference/remedies/:remedy',
      {
        config: { permission: 'remedies:manage' },
        schema: { hide: true, params: remedyParams, body: formBody },
      },
      async (request, reply) => {
        const { locale } = sessionOf(request);
        const t = remediesTexts(locale);
        const { reference, remedy: key } = request.params;
        const form = formOf(request);
        const actor = actorOf(request);
        const current = (await listCaseRemedies(actor, reference, ctx.deps)).remedies.find(
          (r) => r.key === key,
        );
        const keep = Object.keys(current?.texts ?? {});
        const refuse = (errors: FormErrors) =>
          page(request, reply, reference, { remedy: key, values: form, errors });
        const parsed = parseForm(textsForm, request.body, locale);
        const errors = {
          ...titleErrors(request.body, keep, locale),
          ...(parsed.ok ? {} : parsed.errors),
        };
        if (Object.keys(errors).length > 0) return refuse(errors);
        try {
          await updateRemedyByKey(
            actor,
            reference,
            key,
            { texts: textsOfForm(form, keep) },
            ctx.deps,
          );
          flash(reply, t.saved(key));
          return reply.redirect(`${remediesUrl(reference)}#remedy-${key}`, 303);
        } catch (error) {
          const found = serviceErrors(error, key, locale);
          if (!found) throw error;
          return refuse(found);
        }
      },
    );

    app.post(
      '/cases/:reference/remedies/:remedy/retired',
      {
        config: { permission: 'remedies:manage' },
        schema: { hide: true, params: remedyParams, body: retiredBody },
      },
      async (request, reply) => {
        const t = remediesTexts(sessionOf(request).locale);
        const { reference, remedy: key } = request.params;
        const retired = request.body.retired === 'true';
        await updateRemedyByKey(actorOf(request), reference, key, { retired }, ctx.deps);
        flash(reply, retired ? t.retiredFlash(key) : t.restoredFlash(key));
        return reply.redirect(`${remediesUrl(reference)}#remedy-${key}`, 303);
      },
    );
  };
}
