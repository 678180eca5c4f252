import type { Readable } from 'node:stream';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { customerViewSchema } from '../../../domain/customer.js';
import { importCustomers } from '../../../services/customers/customer-import.service.js';
import {
  getCustomer,
  listImports,
  searchCustomers,
} from '../../../services/customers/customer.service.js';
import {
  customerNotices,
  portalNoticesSchema,
} from '../../../services/recipients/portal.service.js';
import type { AppContext } from '../../../wiring.js';
import { actorOf } from '../../auth.js';
import { sendProblem } from '../../problem.js';

const importSummarySchema = z.object({
  importId: z.number().int().nullable(),
  dryRun: z.boolean(),
  format: z.enum(['csv', 'jsonl']),
  encoding: z.string(),
  delimiter: z.string().nullable(),
  total: z.number().int(),
  inserted: z.number().int(),
  updated: z.number().int(),
  duplicates: z.number().int(),
  rejected: z.number().int(),
  rejects: z.array(z.object({ line: z.number().int(), field: z.string(), reason: z.string() })),
  duplicateLines: z.array(
    z.object({ line: z.number().int(), previousLine: z.number().int(), externalId: z.string() }),
  ),
  omitted: z.number().int(),
  durationMs: z.number().int(),
});

const IMPORT_TYPES = ['text/csv', 'application/x-ndjson', 'application/jsonl'];

/** The customer registry over HTTP. */
export function customerRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  return async (app) => {
    // Import bodies are streamed into the importer unparsed; the role check already ran in
    // onRequest, before any of the body was read.
    app.addContentTypeParser(IMPORT_TYPES, (_request, payload, done) => done(null, payload));

    app.get(
      '/customers',
      {
        config: { permission: 'customers:read' },
        schema: {
          summary: 'Search the customer registry',
          description:
            'Exact match on external id or email, or a case-insensitive fragment of the name. Keyset-paginated: pass `next` as `after` for the following page.',
          tags: ['customers'],
          querystring: z.object({
            q: z.string().max(200).optional(),
            after: z.coerce.number().int().min(0).optional(),
            limit: z.coerce.number().int().min(1).max(500).default(50),
          }),
          response: {
            200: z.object({
              items: z.array(customerViewSchema),
              next: z.number().int().nullable(),
            }),
          },
        },
      },
      async (request) => searchCustomers(actorOf(request), request.query, ctx.deps),
    );

    app.get(
      '/customers/:externalId',
      {
        config: { permission: 'customers:read' },
        schema: {
          summary: 'One customer by external id',
          tags: ['customers'],
          params: z.object({ externalId: z.string().min(1).max(128) }),
          response: { 200: customerViewSchema },
        },
      },
      async (request) => getCustomer(actorOf(request), request.params.externalId, ctx.deps),
    );

    app.get(
      '/customers/:externalId/notices',
      {
        config: { permission: 'portal:read' },
        schema: {
          summary: "A customer's open notices, for the provider's own portal",
          description:
            'The notices that reached this customer and still ask something of them (the case is ' +
            'not closed and they have not completed it), with title and reference code as mailed ' +
            'and their personal-page link. `all=true` lists every notice that reached them. ' +
            'A token created with scope `portal` may call this and nothing else.',
          tags: ['customers'],
          params: z.object({ externalId: z.string().min(1).max(128) }),
          querystring: z.object({ all: z.enum(['true', 'false']).optional() }),
          response: { 200: portalNoticesSchema },
        },
      },
      async (request, reply) => {
        reply.header('cache-control', 'no-store');
        return customerNotices(
          actorOf(request),
          request.params.externalId,
          { all: request.query.all === 'true' },
          { ...ctx.deps, timeZone: ctx.config.workspace.defaultTimeZone },
        );
      },
    );

    app.post(
      '/customers/imports',
      {
        config: { permission: 'customers:import' },
        schema: {
          summary: 'Import customers from a streamed CSV or JSONL body',
          description:
            'Send the file as the request body with `Content-Type: text/csv` or `application/x-ndjson`. Rows are upserted by `external_id`; bad rows are reported with their line number and the rest goes in.',
          tags: ['customers'],
          consumes: IMPORT_TYPES,
          querystring: z.object({
            dry_run: z
              .enum(['true', 'false', '1', '0'])
              .optional()
              .transform((v) => v === 'true' || v === '1'),
            delimiter: z.enum(['auto', ',', ';', 'tab']).default('auto'),
            encoding: z.enum(['auto', 'utf8', 'windows-1252']).default('auto'),
            source: z.string().max(200).default('api'),
          }),
          response: { 200: importSummarySchema },
        },
      },
      async (request, reply) => {
        const contentType = (request.headers['content-type'] ?? '')
          .split(';')[0]!
          .trim()
          .toLowerCase();
        // Fastify's own JSON and text parsers also reach this route: a JSON body arrives as an
        // object (a 500 when iterated) and text/plain would be read as JSONL, whatever it holds.
        if (!IMPORT_TYPES.includes(contentType)) {
          return sendProblem(
            reply,
            request,
            415,
            `send the file as ${IMPORT_TYPES.join(' or ')}, not ${contentType || 'without a Content-Type'}`,
          );
        }
        const format = contentType === 'text/csv' ? 'csv' : 'jsonl';
        const q = request.query;
        return importCustomers(
          actorOf(request),
          request.body as Readable,
          {
            format,
            delimiter: q.delimiter === 'tab' ? '\t' : q.delimiter,
            encoding: q.encoding,
            dryRun: q.dry_run,
            source: q.source,
          },
          ctx.deps,
        );
      },
    );

    app.get(
      '/customers/imports',
      {
        config: { permission: 'customers:read' },
        schema: {
          summary: 'Recent import runs',
          tags: ['customers'],
          response: {
            200: z.array(
              z.object({
                id: z.number().int(),
                actor: z.string(),
                source: z.string(),
                status: z.string(),
                dry_run: z.number().int(),
                started_at: z.string(),
                finished_at: z.string().nullable(),
                total: z.number().int(),
                inserted: z.number().int(),
                updated: z.number().int(),
                duplicates: z.number().int(),
                rejected: z.number().int(),
                error: z.string().nullable(),
              }),
            ),
          },
        },
      },
      async (request) => listImports(actorOf(request), ctx.deps),
    );
  };
}
