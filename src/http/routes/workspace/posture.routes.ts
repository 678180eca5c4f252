import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { DomainError, ValidationError } from '../../../domain/errors.js';
import {
  approvePostureDraft,
  postureContentToEdit,
  postureOverview,
  publishPostureDraft,
  savePostureDraft,
  startPostureDraft,
} from '../../../services/publication/posture.service.js';
import type { AppContext } from '../../../wiring.js';
import { actorOf } from '../../auth.js';
import { sessionOf } from '../../workspace/workspace-session.js';
import type { FormErrors } from '../../views/workspace/case-form.view.js';
import {
  formFieldOf,
  postureFormValues,
  postureFromForm,
  type PostureForm,
} from '../../views/workspace/posture-form.js';
import { renderPostureEditor, renderPostureOverview } from '../../views/workspace/posture.view.js';
import { sendWorkspacePage } from '../../views/workspace/workspace-layout.view.js';
import { flash } from '../../workspace/flash-cookie.js';
import { formOf } from './cases.routes.js';
import { viewOf } from '../../workspace/view-context-of.js';

/**
 * The posture statement in the workspace (/app/posture): overview, editor, and the four-eyes
 * steps. The service authorizes, validates and audits; these handlers only translate.
 */
export function postureWorkspaceRoutes(ctx: AppContext): FastifyPluginAsync {
  return async (app) => {
    const nl = (request: FastifyRequest) => sessionOf(request).locale === 'nl';
    const editor = (
      request: FastifyRequest,
      reply: FastifyReply,
      model: { values: PostureForm; errors: FormErrors },
      status = 200,
    ) =>
      sendWorkspacePage(
        reply,
        request,
        { section: 'posture', ...renderPostureEditor(viewOf(request), model) },
        status,
      );
    /** Runs a step; a refusal (four eyes, not approved, incomplete) comes back as a message. */
    const step = async (
      request: FastifyRequest,
      reply: FastifyReply,
      run: () => Promise<unknown>,
      done: { nl: string; en: string },
    ) => {
      try {
        await run();
        flash(reply, nl(request) ? done.nl : done.en);
      } catch (error) {
        if (!(error instanceof DomainError)) throw error;
        flash(reply, error.message, 'error');
      }
      return reply.redirect('/app/posture', 303);
    };

    app.get('/posture', { config: { permission: 'cases:read' } }, async (request, reply) => {
      const overview = await postureOverview(actorOf(request), ctx.deps);
      return sendWorkspacePage(reply, request, {
        section: 'posture',
        ...renderPostureOverview(viewOf(request), { ...overview, now: new Date() }),
      });
    });

    app.get(
      '/posture/edit',
      { config: { permission: 'posture:write' } },
      async (request, reply) => {
        const content = await postureContentToEdit(actorOf(request), ctx.deps);
        return editor(request, reply, { values: postureFormValues(content), errors: {} });
      },
    );

    app.post(
      '/posture/edit',
      { config: { permission: 'posture:write' } },
      async (request, reply) => {
        const form = formOf(request);
        const parsed = postureFromForm(form);
        try {
          await savePostureDraft(actorOf(request), parsed.content, ctx.deps);
        } catch (error) {
          if (!(error instanceof ValidationError)) throw error;
          const errors: FormErrors = {};
          for (const e of error.errors) errors[formFieldOf(e.field, parsed)] ??= e.message;
          return editor(request, reply, { values: form, errors }, 422);
        }
        flash(reply, nl(request) ? 'Concept opgeslagen.' : 'Draft saved.');
        return reply.redirect('/app/posture', 303);
      },
    );

    app.post('/posture/draft', { config: { permission: 'posture:write' } }, (request, reply) =>
      step(request, reply, () => startPostureDraft(actorOf(request), ctx.deps), {
        nl: 'Nieuw concept begonnen.',
        en: 'New draft started.',
      }),
    );

    app.post(
      '/posture/approve',
      { config: { permission: 'posture:approve' } },
      (request, reply) => {
        const hash = formOf(request).hash;
        return step(
          request,
          reply,
          () => approvePostureDraft(actorOf(request), hash ? { expectedHash: hash } : {}, ctx.deps),
          { nl: 'Goedgekeurd.', en: 'Approved.' },
        );
      },
    );

    app.post(
      '/posture/publish',
      { config: { permission: 'publication:publish' } },
      (request, reply) =>
        step(request, reply, () => publishPostureDraft(actorOf(request), ctx.deps), {
          nl: 'Gepubliceerd op /security/posture.',
          en: 'Published at /security/posture.',
        }),
    );
  };
}
