import type { Readable } from 'node:stream';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  caseEventViewSchema,
  caseKindSchema,
  caseStateSchema,
  caseUpdateSchema,
  caseViewSchema,
  newCaseSchema,
  newEventSchema,
} from '../../../domain/case.js';
import { importAffected } from '../../../services/cases/affected.service.js';
import {
  addCaseEvent,
  createCase,
  getCase,
  listCases,
  updateCase,
} from '../../../services/cases/case.service.js';
import type { AppContext } from '../../../wiring.js';
import { actorOf } from '../../auth.js';

const caseParams = z.object({
  case: z.string().min(1).max(40).describe('case id or reference (INC-2026-0001)'),
});
const LIST_TYPES = ['text/csv', 'application/x-ndjson', 'application/jsonl'];

/** Cases, their timeline and their affected lists. */
export function caseRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  return async (app) => {
    app.addContentTypeParser(LIST_TYPES, (_request, payload, done) => done(null, payload));

    app.post(
      '/cases',
      {
        config: { permission: 'cases:write' },
        schema: {
          summary: 'Open a case (incident or advisory)',
          tags: ['cases'],
          body: newCaseSchema,
          response: { 201: caseViewSchema },
        },
      },
      async (request, reply) =>
        reply.status(201).send(await createCase(actorOf(request), request.body, ctx.deps)),
    );

    app.get(
      '/cases',
      {
        config: { permission: 'cases:read' },
        schema: {
          summary: 'Cases, newest first',
          tags: ['cases'],
          querystring: z.object({
            state: z
              .array(caseStateSchema)
              .or(caseStateSchema.transform((s) => [s]))
              .optional(),
            kind: caseKindSchema.optional(),
            limit: z.coerce.number().int().min(1).max(500).default(100),
          }),
          response: { 200: z.array(caseViewSchema) },
        },
      },
      async (request) =>
        listCases(
          actorOf(request),
          { states: request.query.state, kind: request.query.kind, limit: request.query.limit },
          ctx.deps,
        ),
    );

    app.get(
      '/cases/:case',
      {
        config: { permission: 'cases:read' },
        schema: {
          summary: 'A case with its timeline',
          tags: ['cases'],
          params: caseParams,
          response: { 200: caseViewSchema.extend({ events: z.array(caseEventViewSchema) }) },
        },
      },
      async (request) => getCase(actorOf(request), request.params.case, ctx.deps),
    );

    app.patch(
      '/cases/:case',
      {
        config: { permission: 'cases:write' },
        schema: {
          summary: 'Update facts, milestones or the lifecycle state',
          tags: ['cases'],
          params: caseParams,
          body: caseUpdateSchema,
          response: { 200: caseViewSchema },
        },
      },
      async (request) => updateCase(actorOf(request), request.params.case, request.body, ctx.deps),
    );

    app.post(
      '/cases/:case/events',
      {
        config: { permission: 'cases:write' },
        schema: {
          summary: 'Add a timeline event (a milestone also sets the case timestamp)',
          tags: ['cases'],
          params: caseParams,
          body: newEventSchema,
          response: { 201: caseEventViewSchema },
        },
      },
      async (request, reply) =>
        reply
          .status(201)
          .send(await addCaseEvent(actorOf(request), request.params.case, request.body, ctx.deps)),
    );

    app.post(
      '/cases/:case/affected/imports',
      {
        config: { permission: 'affected:write' },
        schema: {
          summary: 'Upload an affected list (external_id plus impact columns)',
          description:
            'The file is the streamed body (`text/csv` or `application/x-ndjson`). Every column other than `external_id` becomes a personal variable `impact.<column>`. Unknown customers and bad rows are reported with their line; the rest goes in.',
          tags: ['cases'],
          consumes: LIST_TYPES,
          params: caseParams,
          querystring: z.object({
            delimiter: z.enum(['auto', ',', ';', 'tab']).default('auto'),
            encoding: z.enum(['auto', 'utf8', 'windows-1252']).default('auto'),
            source: z.string().max(200).default('api'),
          }),
          response: {
            200: z.object({
              caseId: z.number().int(),
              total: z.number().int(),
              added: z.number().int(),
              updated: z.number().int(),
              duplicates: z.number().int(),
              rejected: z.number().int(),
              listSize: z.number().int(),
              rejects: z.array(
                z.object({ line: z.number().int(), field: z.string(), reason: z.string() }),
              ),
              duplicateLines: z.array(
                z.object({
                  line: z.number().int(),
                  previousLine: z.number().int(),
                  externalId: z.string(),
                }),
              ),
              omitted: z.number().int(),
              durationMs: z.number().int(),
            }),
          },
        },
      },
      async (request) => {
        const contentType = (request.headers['content-type'] ?? '').split(';')[0]!.trim();
        const q = request.query;
        return importAffected(
          actorOf(request),
          request.params.case,
          request.body as Readable,
          {
            format: contentType === 'text/csv' ? 'csv' : 'jsonl',
            delimiter: q.delimiter === 'tab' ? '\t' : q.delimiter,
            encoding: q.encoding,
            source: q.source,
          },
          ctx.deps,
        );
      },
    );
  };
}
