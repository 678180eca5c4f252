import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { LANGUAGES } from '../../../config.js';
import { statementKeySchema, statementsInputSchema } from '../../../domain/statements.js';
import { getStatements, updateStatements } from '../../../services/cases/statement.service.js';
import type { AppContext } from '../../../wiring.js';
import { actorOf } from '../../auth.js';

const caseParams = z.object({
  case: z.string().min(1).max(40).describe('case id or reference (INC-2026-0001)'),
});

/** Statements as read: key → language → text. */
const statementsViewSchema = z.partialRecord(
  statementKeySchema,
  z.partialRecord(z.enum(LANGUAGES), z.string()),
);

const statementsUpdateResultSchema = z.object({
  statements: statementsViewSchema,
  /** Approvals that used a changed statement and no longer hold. */
  voided: z.array(
    z.object({ noticeId: z.number().int(), approvalId: z.number().int(), reason: z.string() }),
  ),
});

/** The customer-facing texts of a case, per key and language (docs/notices.md). */
export function statementRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      '/cases/:case/statements',
      {
        config: { permission: 'cases:read' },
        schema: {
          summary: "A case's statements, per key and language",
          tags: ['cases'],
          params: caseParams,
          response: { 200: statementsViewSchema },
        },
      },
      async (request) => getStatements(actorOf(request), request.params.case, ctx.deps),
    );

    app.put(
      '/cases/:case/statements',
      {
        config: { permission: 'notices:write' },
        schema: {
          summary: 'Write statements: each given key/language is set, an empty text removes it',
          description:
            'Keys and languages not in the body stay as they are. Approvals of notices that used a changed statement are voided; the answer lists them.',
          tags: ['cases'],
          params: caseParams,
          body: statementsInputSchema,
          response: { 200: statementsUpdateResultSchema },
        },
      },
      async (request) =>
        updateStatements(actorOf(request), request.params.case, request.body, ctx.deps),
    );
  };
}
