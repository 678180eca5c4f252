import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  confirmationsInputSchema,
  remedyCreateSchema,
  remedyUpdateSchema,
} from '../../../domain/remedies/remedy-input.js';
import {
  confirmationSummarySchema,
  confirmRemedyForCustomers,
} from '../../../services/remedies/remedy-confirmation.service.js';
import {
  createRemedy,
  listCaseRemedies,
  remedyListSchema,
  remedyViewSchema,
  updateRemedyByKey,
} from '../../../services/remedies/remedy.service.js';
import type { AppContext } from '../../../wiring.js';
import { actorOf } from '../../auth.js';

const caseParams = z.object({
  case: z.string().min(1).max(40).describe('case id or reference (INC-2026-0001)'),
});
const remedyParams = caseParams.extend({
  remedy: z.string().min(1).max(63).describe('the remedy key, e.g. update-plugin'),
});

/** 100,000 external ids of a few dozen characters each, with room to spare. */
const CONFIRMATIONS_BODY_LIMIT = 16 * 1024 * 1024;

/** Remedies of a case and the provider's confirmations (docs/remedies.md). */
export function remedyRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      '/cases/:case/remedies',
      {
        config: { permission: 'cases:read' },
        schema: {
          summary: "A case's remedies, with texts and completion counts",
          tags: ['remedies'],
          params: caseParams,
          response: { 200: remedyListSchema },
        },
      },
      async (request) => listCaseRemedies(actorOf(request), request.params.case, ctx.deps),
    );

    app.post(
      '/cases/:case/remedies',
      {
        config: { permission: 'remedies:manage' },
        schema: {
          summary: 'Add a remedy: what customers must do, and who says it is done',
          description:
            "Texts are needed in every language the case's customer notice is written in. Instructions are Markdown (no HTML, no images).",
          tags: ['remedies'],
          params: caseParams,
          body: remedyCreateSchema,
          response: { 201: remedyViewSchema },
        },
      },
      async (request, reply) =>
        reply
          .status(201)
          .send(await createRemedy(actorOf(request), request.params.case, request.body, ctx.deps)),
    );

    app.patch(
      '/cases/:case/remedies/:remedy',
      {
        config: { permission: 'remedies:manage' },
        schema: {
          summary: 'Change a remedy: texts, completion rule, position, or retire it',
          description:
            'The completion rule can change only while nobody has confirmed the remedy. Languages left out of `texts` stay.',
          tags: ['remedies'],
          params: remedyParams,
          body: remedyUpdateSchema,
          response: { 200: remedyViewSchema },
        },
      },
      async (request) =>
        updateRemedyByKey(
          actorOf(request),
          request.params.case,
          request.params.remedy,
          request.body,
          ctx.deps,
        ),
    );

    for (const withdraw of [false, true]) {
      app.post(
        `/cases/:case/remedies/:remedy/confirmations${withdraw ? '/withdraw' : ''}`,
        {
          config: { permission: 'remedies:confirm' },
          bodyLimit: CONFIRMATIONS_BODY_LIMIT,
          schema: {
            summary: withdraw
              ? 'Withdraw provider confirmations (the scan found the problem again)'
              : "Confirm the remedy for customers, from the provider's own systems",
            description: withdraw
              ? 'Clears the provider confirmation; where the rule was met it is reopened. Ids without a provider confirmation are counted as notConfirmed.'
              : 'Idempotent: ids confirmed before are counted as alreadyConfirmed. Ids not among the case recipients are listed in `unknown` with their index; the rest go through. Up to 100,000 ids per request.',
            tags: ['remedies'],
            params: remedyParams,
            body: confirmationsInputSchema,
            response: { 200: confirmationSummarySchema },
          },
        },
        async (request) =>
          confirmRemedyForCustomers(
            actorOf(request),
            request.params.case,
            request.params.remedy,
            request.body,
            { withdraw },
            ctx.deps,
          ),
      );
    }
  };
}
