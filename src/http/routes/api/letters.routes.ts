import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  buildLetters,
  buildLettersResultSchema,
  downloadLetterBatch,
  letterBatchSchema,
  listLetterBatches,
  markLetterBatchPosted,
} from '../../../services/letters/letter.service.js';
import type { AppContext } from '../../../wiring.js';
import { actorOf } from '../../auth.js';

const caseParams = z.object({ reference: z.string().min(1).max(64) });
const batchParams = caseParams.extend({ batch: z.coerce.number().int().positive() });
const fileParams = caseParams.extend({
  file: z.string().regex(/^\d{1,12}\.(pdf|csv)$/, 'a batch file: 12.pdf or 12.csv'),
});
const buildBody = z.object({
  dispatchId: z
    .number()
    .int()
    .positive()
    .optional()
    .describe('only this dispatch of the case; default: all its live dispatches'),
  batchSize: z.number().int().min(1).max(10_000).optional().describe('letters per PDF (1,000)'),
  reprint: z.boolean().optional().describe('print again for recipients who have a letter'),
});

/** Printed letters for the recipients email cannot reach (docs/letters.md). */
export function letterRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  const deps = { ...ctx.deps, timeZone: ctx.config.workspace.defaultTimeZone };
  return async (app) => {
    app.post(
      '/cases/:reference/letters',
      {
        config: { permission: 'dispatch:start' },
        schema: {
          summary: 'Print letters for those email cannot reach, in batches',
          description:
            'Recipients without an email address, or whose mail bounced or failed, get a letter per dispatch; those who already have one do not, unless `reprint`. Recipients without street, postcode or town are listed in `notPrintable` with the reason; the rest goes through. Download each batch as `…/letters/{batch}.pdf` and `.csv`.',
          tags: ['dispatch'],
          params: caseParams,
          body: buildBody,
          response: { 200: buildLettersResultSchema },
        },
      },
      async (request) => {
        const { dispatchId, batchSize, reprint } = request.body;
        const reference = request.params.reference;
        return buildLetters(
          actorOf(request),
          {
            target: dispatchId ? { dispatchId, caseRef: reference } : { caseRef: reference },
            batchSize,
            reprint,
          },
          deps,
        );
      },
    );

    app.get(
      '/cases/:reference/letters',
      {
        config: { permission: 'cases:read' },
        schema: {
          summary: 'The letter batches of a case, newest first',
          tags: ['dispatch'],
          params: caseParams,
          response: { 200: z.object({ batches: z.array(letterBatchSchema) }) },
        },
      },
      async (request) => ({
        batches: await listLetterBatches(actorOf(request), request.params.reference, ctx.deps),
      }),
    );

    app.get(
      '/cases/:reference/letters/:file',
      {
        config: { permission: 'dispatch:start' },
        schema: {
          summary: 'A batch as merged PDF or CSV manifest (made again, byte for byte)',
          tags: ['dispatch'],
          params: fileParams,
        },
      },
      async (request, reply) => {
        const [id, kind] = request.params.file.split('.') as [string, 'pdf' | 'csv'];
        const { batch, files } = await downloadLetterBatch(
          actorOf(request),
          Number(id),
          deps,
          request.params.reference,
        );
        return reply
          .header('Content-Type', kind === 'pdf' ? 'application/pdf' : 'text/csv; charset=utf-8')
          .header(
            'Content-Disposition',
            `attachment; filename="letters-${batch.dispatchId}-${batch.id}.${kind}"`,
          )
          .send(kind === 'pdf' ? files.pdf : files.manifest);
      },
    );

    app.post(
      '/cases/:reference/letters/:batch/posted',
      {
        config: { permission: 'dispatch:control' },
        schema: {
          summary: 'Mark a batch handed to the post: its letters become posted',
          description: 'Idempotent: a second call answers `changed: false`.',
          tags: ['dispatch'],
          params: batchParams,
          response: { 200: z.object({ batch: letterBatchSchema, changed: z.boolean() }) },
        },
      },
      async (request) =>
        markLetterBatchPosted(
          actorOf(request),
          request.params.batch,
          ctx.deps,
          request.params.reference,
        ),
    );
  };
}
