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
import { formErrorsFrom } from '../../views/workspace/case-form.view.js';
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
/** Form fields arrive as text; the service's schema names what is wrong. */
const formBody = z.record(z.string(), z.unknown());
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
        const t = remediesTexts(sessionOf(request).locale);
        const form = formOf(request);
        try {
          const remedy = await createRemedy(
            actorOf(request),
            request.params.reference,
            {
              key: form.key ?? '',
              completion: (form.completion ?? '') as never,
              texts: textsOfForm(form),
            },
            ctx.deps,
          );
          flash(reply, t.added(remedy.key));
          return reply.redirect(remediesUrl(request.params.reference), 303);
        } catch (error) {
          const errors = formErrorsFrom(error);
          if (!errors) throw error;
          return page(request, reply, request.params.reference, {
            remedy: null,
            values: form,
            errors,
          });
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
        const t = remediesTexts(sessionOf(request).locale);
        const { reference, remedy: key } = request.params;
        const form = formOf(request);
        const actor = actorOf(request);
        const current = (await listCaseRemedies(actor, reference, ctx.deps)).remedies.find(
          (r) => r.key === key,
        );
        try {
          await updateRemedyByKey(
            actor,
            reference,
            key,
            { texts: textsOfForm(form, Object.keys(current?.texts ?? {})) },
            ctx.deps,
          );
          flash(reply, t.saved(key));
          return reply.redirect(`${remediesUrl(reference)}#remedy-${key}`, 303);
        } catch (error) {
          const errors = formErrorsFrom(error);
          if (!errors) throw error;
          return page(request, reply, reference, { remedy: key, values: form, errors });
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
