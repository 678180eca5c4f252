import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { ZodError } from 'zod';
import {
  getPublicationSettings,
  updatePublicationSettings,
} from '../../../services/publication/disclosure.service.js';
import type { AppContext } from '../../../wiring.js';
import { actorOf } from '../../auth.js';
import { sessionOf } from '../../workspace/workspace-session.js';
import type { FormErrors } from '../../views/workspace/case-form.view.js';
import {
  disclosureSettingsForm,
  renderDisclosureSettings,
  type DisclosureSettingsForm,
} from '../../views/workspace/settings-disclosure.view.js';
import { sendWorkspacePage } from '../../views/workspace/workspace-layout.view.js';
import { flash } from '../../workspace/flash-cookie.js';
import { formOf } from './cases.routes.js';
import { viewOf } from '../../workspace/view-context-of.js';

const FIELDS = [
  'internalDomains',
  'infrastructureAttributeKeys',
  'internalNames',
  'readabilityThreshold',
] as const;

/** A list field: one item per line (commas also separate), blanks dropped. */
function lines(text: string): string[] {
  return text
    .split(/[\r\n,]+/)
    .map((s) => s.trim())
    .filter(Boolean);
}

/**
 * The disclosure-check settings (/app/settings/disclosure; admins): internal domains, the
 * registry attributes that name servers, other internal names, the readability threshold.
 * The service validates and audits; this page turns its issues into messages at each field,
 * naming the line that is wrong.
 */
export function settingsDisclosureRoutes(ctx: AppContext): FastifyPluginAsync {
  return async (app) => {
    const page = (
      request: FastifyRequest,
      reply: FastifyReply,
      model: { values: DisclosureSettingsForm; errors: FormErrors },
      status = 200,
    ) =>
      sendWorkspacePage(
        reply,
        request,
        { section: 'settings', ...renderDisclosureSettings(viewOf(request), model) },
        status,
      );

    app.get(
      '/settings/disclosure',
      { config: { permission: 'settings:manage' } },
      async (request, reply) =>
        page(request, reply, {
          values: disclosureSettingsForm(await getPublicationSettings(ctx.database.db)),
          errors: {},
        }),
    );

    app.post(
      '/settings/disclosure',
      { config: { permission: 'settings:manage' } },
      async (request, reply) => {
        const form = formOf(request);
        const values = Object.fromEntries(
          FIELDS.map((f) => [f, form[f] ?? '']),
        ) as DisclosureSettingsForm;
        const threshold = values.readabilityThreshold.trim();
        if (threshold === '' || !Number.isFinite(Number(threshold))) {
          const nl = sessionOf(request).locale === 'nl';
          return page(
            request,
            reply,
            {
              values,
              errors: {
                readabilityThreshold: nl ? 'Vul een getal in.' : 'Enter a number.',
              },
            },
            422,
          );
        }
        try {
          await updatePublicationSettings(
            actorOf(request),
            {
              internalDomains: lines(values.internalDomains),
              infrastructureAttributeKeys: lines(values.infrastructureAttributeKeys),
              internalNames: lines(values.internalNames),
              readabilityThreshold: Number(threshold),
            },
            ctx.deps,
          );
        } catch (error) {
          if (!(error instanceof ZodError)) throw error;
          const errors: FormErrors = {};
          for (const issue of error.issues) {
            const [field, index] = issue.path;
            const key = String(field);
            // A list item's message names the item: "'cp3.': must start and end with …".
            const item =
              typeof index === 'number' && key in values
                ? lines(values[key as keyof DisclosureSettingsForm])[index]
                : undefined;
            errors[key] ??= item === undefined ? issue.message : `'${item}': ${issue.message}`;
          }
          return page(request, reply, { values, errors }, 422);
        }
        flash(
          reply,
          sessionOf(request).locale === 'nl' ? 'Instellingen opgeslagen.' : 'Settings saved.',
        );
        return reply.redirect('/app/settings/disclosure', 303);
      },
    );
  };
}
