import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z, ZodError } from 'zod';
import { organisationSchema, type Organisation } from '../../../domain/organisation.js';
import type { AppContext } from '../../../wiring.js';
import { getOrganisation, updateOrganisation } from '../../../services/access/settings.service.js';
import { actorOf } from '../../auth.js';
import { renderSettings, type SettingsErrors } from '../../views/workspace/settings.view.js';
import { sendWorkspacePage } from '../../views/workspace/workspace-layout.view.js';
import { flash } from '../../workspace/flash-cookie.js';
import { sessionOf } from '../../workspace/workspace-session.js';
import { viewOf } from '../../workspace/view-context-of.js';

const formSchema = z.object(
  Object.fromEntries(
    Object.keys(organisationSchema.shape).map((k) => [k, z.string().max(500).default('')]),
  ) as Record<keyof Organisation, z.ZodDefault<z.ZodString>>,
);

/** The settings screen (organisation details; admins). */
export function settingsRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  const installation = {
    defaultLanguage: ctx.config.defaultLanguage,
    publicUrl: ctx.config.publicUrl,
  };
  return async (app) => {
    app.get(
      '/settings',
      { config: { permission: 'settings:manage' }, schema: { hide: true } },
      async (request, reply) => {
        const organisation = await getOrganisation(ctx.deps);
        return sendWorkspacePage(reply, request, {
          ...renderSettings(viewOf(request), { organisation, errors: {}, installation }),
          section: 'settings',
        });
      },
    );

    app.post(
      '/settings',
      { config: { permission: 'settings:manage' }, schema: { hide: true, body: formSchema } },
      async (request, reply) => {
        try {
          await updateOrganisation(actorOf(request), request.body, ctx.deps);
        } catch (error) {
          if (!(error instanceof ZodError)) throw error;
          // Show the form again with what was typed and a message at each wrong field.
          const errors: SettingsErrors = {};
          for (const issue of error.issues) {
            const key = String(issue.path[0]) as keyof Organisation;
            errors[key] ??= issue.message;
          }
          return sendWorkspacePage(
            reply,
            request,
            {
              ...renderSettings(viewOf(request), {
                organisation: { ...(await getOrganisation(ctx.deps)), ...request.body },
                errors,
                installation,
              }),
              section: 'settings',
            },
            422,
          );
        }
        flash(
          reply,
          sessionOf(request).locale === 'en' ? 'Settings saved.' : 'Instellingen opgeslagen.',
        );
        return reply.redirect('/app/settings', 303);
      },
    );
  };
}
