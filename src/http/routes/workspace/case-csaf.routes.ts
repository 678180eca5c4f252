import formbody from '@fastify/formbody';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { can } from '../../../domain/access.js';
import type { ProductInput, VulnerabilityInput } from '../../../domain/csaf/affected-products.js';
import { csafFilename } from '../../../domain/csaf/csaf-document.js';
import { getCase } from '../../../services/cases/case.service.js';
import {
  addProduct,
  addVulnerability,
  listAffectedProducts,
  removeProduct,
  removeVulnerability,
} from '../../../services/publication/csaf-products.service.js';
import { publicationStatus } from '../../../services/publication/publication-publish.service.js';
import type { AppContext } from '../../../wiring.js';
import { actorOf } from '../../auth.js';
import { sessionOf } from '../../workspace/workspace-session.js';
import { formErrorsFrom, type FormErrors } from '../../views/workspace/case-form.view.js';
import { caseCsafUrl, caseCsafView, type FormState } from '../../views/workspace/case-csaf.view.js';
import { sendWorkspacePage } from '../../views/workspace/workspace-layout.view.js';
import { flash } from '../../workspace/flash-cookie.js';
import { caseItemParams, caseParams } from '../../workspace/workspace-params.js';
import { formOf } from './cases.routes.js';
import { viewOf } from '../../workspace/view-context-of.js';

/** An optional text field: '' is absent. */
const opt = (value: string | undefined) => (value?.trim() ? value : undefined);

/** The product form as the service's input; one version field takes a version or a vers range. */
function productInput(form: Record<string, string>): ProductInput {
  const version = opt(form.version);
  const range = version?.trim().startsWith('vers:');
  return {
    vendor: form.vendor ?? '',
    name: form.name ?? '',
    version: range ? undefined : version,
    versionRange: range ? version : undefined,
    cpe: opt(form.cpe),
    purl: opt(form.purl),
  };
}

/** The vulnerability form as the service's input; `status.<product id>` selects a status each. */
function vulnerabilityInput(form: Record<string, string>): VulnerabilityInput {
  const cweId = opt(form.cweId);
  const cweName = opt(form.cweName);
  return {
    cve: opt(form.cve),
    title: form.title ?? '',
    description: opt(form.description),
    cwe: cweId || cweName ? { id: cweId ?? '', name: cweName ?? '' } : undefined,
    cvssVector: opt(form.cvssVector),
    remediation: {
      category: form.remediationCategory as VulnerabilityInput['remediation']['category'],
      details: form.remediationDetails ?? '',
      url: opt(form.remediationUrl),
    },
    productStatus: Object.entries(form)
      .filter(([key, value]) => key.startsWith('status.') && value)
      .map(([key, value]) => ({
        product: Number(key.slice('status.'.length)),
        status: value as VulnerabilityInput['productStatus'][number]['status'],
      })),
  };
}

/** The service's field paths (cwe.id, remediation.url, productStatus.0.product) as form fields. */
function formFields(errors: FormErrors): FormErrors {
  const out: FormErrors = {};
  for (const [path, message] of Object.entries(errors)) {
    const field = path.startsWith('productStatus')
      ? 'productStatus'
      : path === 'versionRange'
        ? 'version'
        : path
            .replace(/^cwe\.id$/, 'cweId')
            .replace(/^cwe\.name$/, 'cweName')
            .replace(/^remediation\.(\w)/, (_, c: string) => `remediation${c.toUpperCase()}`);
    out[field] ??= message;
  }
  return out;
}

/**
 * The CSAF page of a case (/app/cases/:reference/public/csaf), linked from the public tab:
 * products and vulnerabilities of its advisory. Forms post and redirect back; a refused form
 * is shown again with each error next to its field (422), and nothing is stored.
 */
export function caseCsafRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  return async (app) => {
    if (!app.hasContentTypeParser('application/x-www-form-urlencoded')) {
      await app.register(formbody);
    }
    const nl = (request: FastifyRequest) => sessionOf(request).locale === 'nl';

    async function page(
      request: FastifyRequest,
      reply: FastifyReply,
      reference: string,
      forms: { productForm?: FormState; vulnerabilityForm?: FormState } = {},
      status = 200,
    ) {
      const actor = actorOf(request);
      const kase = await getCase(actor, reference, ctx.deps);
      const { products, vulnerabilities } = await listAffectedProducts(
        actor,
        kase.reference,
        ctx.deps,
      );
      const publication = await publicationStatus(actor, kase.id, ctx.deps);
      return sendWorkspacePage(
        reply,
        request,
        {
          title: `${kase.reference} ${kase.title}`,
          section: 'cases',
          main: caseCsafView(viewOf(request), {
            kase,
            products,
            vulnerabilities,
            csafPath:
              publication.published && publication.year
                ? `/.well-known/csaf/white/${publication.year}/${csafFilename(kase.reference)}`
                : null,
            canWrite: can(sessionOf(request).roles, 'publication:write'),
            ...forms,
          }),
        },
        status,
      );
    }

    /** Runs a change; input errors re-render the page with the form, anything else a flash. */
    async function change(
      request: FastifyRequest,
      reply: FastifyReply,
      reference: string,
      form: 'productForm' | 'vulnerabilityForm' | null,
      action: () => Promise<unknown>,
      done: { nl: string; en: string },
    ) {
      try {
        await action();
        flash(reply, nl(request) ? done.nl : done.en);
      } catch (error) {
        const errors = formErrorsFrom(error);
        if (!errors) throw error;
        if (form) {
          const state = { values: formOf(request), errors: formFields(errors) };
          return page(request, reply, reference, { [form]: state }, 422);
        }
        flash(reply, Object.values(errors).join(' · '), 'error');
      }
      return reply.redirect(caseCsafUrl(reference), 303);
    }

    app.get(
      '/cases/:reference/public/csaf',
      { config: { permission: 'cases:read' }, schema: { hide: true, params: caseParams } },
      async (request, reply) => page(request, reply, request.params.reference),
    );

    app.post(
      '/cases/:reference/public/csaf/products',
      { config: { permission: 'publication:write' }, schema: { hide: true, params: caseParams } },
      async (request, reply) =>
        change(
          request,
          reply,
          request.params.reference,
          'productForm',
          () =>
            addProduct(
              actorOf(request),
              request.params.reference,
              productInput(formOf(request)),
              ctx.deps,
            ),
          { nl: 'Product toegevoegd.', en: 'Product added.' },
        ),
    );

    app.post(
      '/cases/:reference/public/csaf/products/:id/remove',
      {
        config: { permission: 'publication:write' },
        schema: { hide: true, params: caseItemParams },
      },
      async (request, reply) =>
        change(
          request,
          reply,
          request.params.reference,
          null,
          () =>
            removeProduct(
              actorOf(request),
              request.params.reference,
              Number(request.params.id),
              ctx.deps,
            ),
          { nl: 'Product verwijderd.', en: 'Product removed.' },
        ),
    );

    app.post(
      '/cases/:reference/public/csaf/vulnerabilities',
      { config: { permission: 'publication:write' }, schema: { hide: true, params: caseParams } },
      async (request, reply) =>
        change(
          request,
          reply,
          request.params.reference,
          'vulnerabilityForm',
          () =>
            addVulnerability(
              actorOf(request),
              request.params.reference,
              vulnerabilityInput(formOf(request)),
              ctx.deps,
            ),
          { nl: 'Kwetsbaarheid toegevoegd.', en: 'Vulnerability added.' },
        ),
    );

    app.post(
      '/cases/:reference/public/csaf/vulnerabilities/:id/remove',
      {
        config: { permission: 'publication:write' },
        schema: { hide: true, params: caseItemParams },
      },
      async (request, reply) =>
        change(
          request,
          reply,
          request.params.reference,
          null,
          () =>
            removeVulnerability(
              actorOf(request),
              request.params.reference,
              Number(request.params.id),
              ctx.deps,
            ),
          { nl: 'Kwetsbaarheid verwijderd.', en: 'Vulnerability removed.' },
        ),
    );
  };
}
