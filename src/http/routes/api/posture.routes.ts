import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { postureContentSchema } from '../../../domain/posture/posture.js';
import { postureDocumentSchema } from '../../../domain/posture/posture-document.js';
import {
  approvePostureDraft,
  postureDocument,
  postureDraft,
  postureVersionViewSchema,
  publishPostureDraft,
  savePostureDraft,
} from '../../../services/publication/posture.service.js';
import type { AppContext } from '../../../wiring.js';
import { actorOf } from '../../auth.js';

const tags = ['posture'];

/**
 * The security posture statement (docs/posture.md): read what is published, write the draft,
 * approve it (a second person), publish it. The same permissions as the workspace.
 */
export function postureApiRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      '/posture',
      {
        config: { permission: 'cases:read' },
        schema: {
          summary: 'The published statement in force, as /security/posture.json serves it',
          tags,
          response: { 200: postureDocumentSchema },
        },
      },
      async (request) => postureDocument(actorOf(request), ctx.deps),
    );

    app.get(
      '/posture/versions/:version',
      {
        config: { permission: 'cases:read' },
        schema: {
          summary: 'One published version of the statement',
          tags,
          params: z.object({ version: z.coerce.number().int().min(1) }),
          response: { 200: postureDocumentSchema },
        },
      },
      async (request) => postureDocument(actorOf(request), ctx.deps, request.params.version),
    );

    app.get(
      '/posture/draft',
      {
        config: { permission: 'cases:read' },
        schema: {
          summary: 'The draft (or the approved, unpublished version)',
          tags,
          response: { 200: postureVersionViewSchema },
        },
      },
      async (request) => postureDraft(actorOf(request), ctx.deps),
    );

    app.put(
      '/posture/draft',
      {
        config: { permission: 'posture:write' },
        schema: {
          summary: 'Write the draft (created when there is none)',
          description:
            'Saving different content over an approved draft withdraws the approval. Texts may be incomplete while drafting; approval needs both languages.',
          tags,
          body: postureContentSchema,
          response: { 200: postureVersionViewSchema },
        },
      },
      async (request) => savePostureDraft(actorOf(request), request.body, ctx.deps),
    );

    app.post(
      '/posture/draft/approve',
      {
        config: { permission: 'posture:approve' },
        schema: {
          summary: 'Approve the draft (four eyes: not by anyone who wrote part of it)',
          tags,
          body: z
            .object({
              expectedHash: z
                .string()
                .regex(/^[0-9a-f]{64}$/)
                .optional()
                .describe('the contentHash you read; refused when the draft changed since'),
            })
            .default({}),
          response: { 200: postureVersionViewSchema },
        },
      },
      async (request) => approvePostureDraft(actorOf(request), request.body, ctx.deps),
    );

    app.post(
      '/posture/draft/publish',
      {
        config: { permission: 'publication:publish' },
        schema: {
          summary: 'Publish the approved draft as the next version',
          tags,
          response: { 200: postureVersionViewSchema },
        },
      },
      async (request) => publishPostureDraft(actorOf(request), ctx.deps),
    );
  };
}
