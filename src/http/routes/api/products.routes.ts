import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  productInputSchema,
  productViewSchema,
  vulnerabilityInputSchema,
  vulnerabilityViewSchema,
} from '../../../domain/csaf/affected-products.js';
import {
  addProduct,
  addVulnerability,
  listAffectedProducts,
  removeProduct,
  removeVulnerability,
  replaceVulnerability,
} from '../../../services/publication/csaf-products.service.js';
import type { AppContext } from '../../../wiring.js';
import { actorOf } from '../../auth.js';

const caseParams = z.object({
  case: z.string().min(1).max(40).describe('case id or reference (ADV-2026-0001)'),
});
const itemParams = caseParams.extend({ id: z.coerce.number().int().positive() });

/** Affected products and vulnerabilities of a case: what its CSAF advisory says. */
export function productRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  return async (app) => {
    const tags = ['csaf'];
    app.get(
      '/cases/:case/products',
      {
        config: { permission: 'cases:read' },
        schema: {
          summary: 'Products of a case',
          tags,
          params: caseParams,
          response: { 200: z.array(productViewSchema) },
        },
      },
      async (request) =>
        (await listAffectedProducts(actorOf(request), request.params.case, ctx.deps)).products,
    );
    app.post(
      '/cases/:case/products',
      {
        config: { permission: 'publication:write' },
        schema: {
          summary: 'Add a product (vendor, name, a version or a vers range, optional CPE/PURL)',
          tags,
          params: caseParams,
          body: productInputSchema,
          response: { 201: productViewSchema },
        },
      },
      async (request, reply) =>
        reply
          .status(201)
          .send(await addProduct(actorOf(request), request.params.case, request.body, ctx.deps)),
    );
    app.delete(
      '/cases/:case/products/:id',
      {
        config: { permission: 'publication:write' },
        schema: { summary: 'Remove a product no vulnerability names', tags, params: itemParams },
      },
      async (request, reply) => {
        await removeProduct(actorOf(request), request.params.case, request.params.id, ctx.deps);
        return reply.status(204).send();
      },
    );

    app.get(
      '/cases/:case/vulnerabilities',
      {
        config: { permission: 'cases:read' },
        schema: {
          summary: 'Vulnerabilities of a case',
          tags,
          params: caseParams,
          response: { 200: z.array(vulnerabilityViewSchema) },
        },
      },
      async (request) =>
        (await listAffectedProducts(actorOf(request), request.params.case, ctx.deps))
          .vulnerabilities,
    );
    app.post(
      '/cases/:case/vulnerabilities',
      {
        config: { permission: 'publication:write' },
        schema: {
          summary:
            'Add a vulnerability (CVE, CWE, CVSS 3.1 or 3.0 vector, remediation, status per product)',
          tags,
          params: caseParams,
          body: vulnerabilityInputSchema,
          response: { 201: vulnerabilityViewSchema },
        },
      },
      async (request, reply) =>
        reply
          .status(201)
          .send(
            await addVulnerability(actorOf(request), request.params.case, request.body, ctx.deps),
          ),
    );
    app.put(
      '/cases/:case/vulnerabilities/:id',
      {
        config: { permission: 'publication:write' },
        schema: {
          summary: 'Replace a vulnerability',
          tags,
          params: itemParams,
          body: vulnerabilityInputSchema,
          response: { 200: vulnerabilityViewSchema },
        },
      },
      async (request) =>
        replaceVulnerability(
          actorOf(request),
          request.params.case,
          request.params.id,
          request.body,
          ctx.deps,
        ),
    );
    app.delete(
      '/cases/:case/vulnerabilities/:id',
      {
        config: { permission: 'publication:write' },
        schema: { summary: 'Remove a vulnerability', tags, params: itemParams },
      },
      async (request, reply) => {
        await removeVulnerability(
          actorOf(request),
          request.params.case,
          request.params.id,
          ctx.deps,
        );
        return reply.status(204).send();
      },
    );
  };
}
