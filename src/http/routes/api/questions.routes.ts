import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { QUESTION_STATES, REPLY_STATES } from '../../../domain/question.js';
import {
  INBOX_FILTERS,
  getCaseInbox,
  replyToQuestion,
} from '../../../services/recipients/question.service.js';
import type { AppContext } from '../../../wiring.js';
import { actorOf } from '../../auth.js';

const caseParams = z.object({ reference: z.string().min(1).max(64) });
const questionParams = caseParams.extend({ id: z.coerce.number().int().positive() });

const questionSchema = z.object({
  id: z.number().int(),
  state: z.enum(QUESTION_STATES),
  body: z.string().describe('plain text as the customer wrote it; newlines kept'),
  language: z.string(),
  askedAt: z.string(),
  answeredAt: z.string().nullable(),
  answeredBy: z.string().nullable(),
  closedAt: z.string().nullable(),
  closeReason: z.string().nullable(),
  customer: z.object({
    externalId: z.string(),
    name: z.string().nullable(),
    language: z.string(),
    acknowledgedAt: z.string().nullable(),
    remediedAt: z.string().nullable(),
  }),
  deliveries: z.array(
    z.object({
      dispatchId: z.number().int(),
      notice: z.string(),
      channel: z.string(),
      state: z.string(),
      at: z.string().nullable(),
    }),
  ),
  remedies: z.array(
    z.object({
      key: z.string(),
      title: z.string(),
      state: z.enum(['completed', 'customer', 'provider', 'open']),
      at: z.string().nullable(),
    }),
  ),
  replies: z.array(
    z.object({
      id: z.number().int(),
      body: z.string(),
      author: z.string(),
      state: z.enum(REPLY_STATES),
      createdAt: z.string(),
      sentAt: z.string().nullable(),
    }),
  ),
});

const replyResultSchema = z.object({
  replyId: z.number().int(),
  questionId: z.number().int(),
  state: z.enum(REPLY_STATES),
});

/** Customer questions for a ticket system: list the inbox, reply by email (docs/questions.md). */
export function questionRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      '/cases/:reference/questions',
      {
        config: { permission: 'cases:read' },
        schema: {
          summary: "A case's customer questions, open first, with each customer's context",
          tags: ['questions'],
          params: caseParams,
          querystring: z.object({ state: z.enum(INBOX_FILTERS).default('all') }),
          response: {
            200: z.object({
              questions: z.array(questionSchema),
              counts: z.object({
                open: z.number().int(),
                answered: z.number().int(),
                closed: z.number().int(),
                medianAnswerMs: z.number().nullable(),
              }),
            }),
          },
        },
      },
      async (request) => {
        const inbox = await getCaseInbox(
          actorOf(request),
          request.params.reference,
          request.query.state,
          ctx.deps,
        );
        return {
          counts: inbox.counts,
          questions: inbox.questions.map((q) => ({
            id: q.id,
            state: q.state,
            body: q.body,
            language: q.language,
            askedAt: q.askedAt,
            answeredAt: q.answeredAt,
            answeredBy: q.answeredBy,
            closedAt: q.closedAt,
            closeReason: q.closeReason,
            customer: {
              externalId: q.recipient.externalId,
              name: q.recipient.name,
              language: q.recipient.language,
              acknowledgedAt: q.recipient.acknowledgedAt,
              remediedAt: q.recipient.remediedAt,
            },
            deliveries: q.deliveries,
            remedies: q.remedies,
            replies: q.replies.map((a) => ({
              id: a.id,
              body: a.body,
              author: a.author,
              state: a.state,
              createdAt: a.createdAt,
              sentAt: a.sentAt,
            })),
          })),
        };
      },
    );

    app.post(
      '/cases/:reference/questions/:id/reply',
      {
        config: { permission: 'questions:answer' },
        schema: {
          summary: 'Reply to a customer question by email',
          description:
            "Stores the reply with the case, marks the question answered and queues the mail (plain text and escaped HTML, in the question's language, with the personal page link). The reply's state moves to `sent` when the relay accepts it.",
          tags: ['questions'],
          params: questionParams,
          body: z.object({ body: z.string().max(100_000) }),
          response: { 202: replyResultSchema },
        },
      },
      async (request, reply) => {
        const result = await replyToQuestion(
          actorOf(request),
          request.params.reference,
          request.params.id,
          request.body.body,
          ctx.deps,
        );
        return reply.code(202).send(result);
      },
    );
  };
}
