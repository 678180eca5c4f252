import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  assessmentFactsSchema,
  assessmentSchema,
  decisionKindSchema,
  effectiveDecisionSchema,
  overrideInputSchema,
} from '../../../domain/assessment/assessment-facts.js';
import { factsJsonSchema } from '../../../domain/assessment/facts-json-schema.js';
import { legalClockSchema } from '../../../domain/assessment/legal-clocks.js';
import {
  overrideDecision,
  readCaseAssessment,
  recordFacts,
  type CaseAssessmentRead,
} from '../../../services/assessment/assessment.service.js';
import { readCaseClocks } from '../../../services/assessment/legal-clock.service.js';
import type { AppContext } from '../../../wiring.js';
import { actorOf } from '../../auth.js';

const caseParams = z.object({
  case: z.string().min(1).max(40).describe('case id or reference (INC-2026-0001)'),
});
const langQuery = z.object({
  lang: z.enum(['en', 'nl']).default('en').describe('language of the explanation and reasons'),
});

const overrideViewSchema = z.object({
  id: z.number().int(),
  factsVersion: z.number().int(),
  decision: decisionKindSchema,
  notify: z.boolean(),
  publicCommunication: z.boolean().nullable(),
  adviceNotify: z.boolean(),
  rationale: z.string(),
  decidedBy: z.string(),
  decidedAt: z.string(),
  current: z
    .boolean()
    .describe('made on the facts version in force; false once newer facts were recorded'),
});

const caseAssessmentViewSchema = z.object({
  reference: z.string(),
  factsVersion: z.number().int().nullable(),
  recordedBy: z.string().nullable(),
  recordedAt: z.string().nullable(),
  facts: assessmentFactsSchema.nullable(),
  advice: assessmentSchema.nullable(),
  overrides: z.array(overrideViewSchema),
  effective: effectiveDecisionSchema.nullable(),
});

function present(read: CaseAssessmentRead): z.infer<typeof caseAssessmentViewSchema> {
  const a = read.assessment;
  return {
    reference: read.case.reference,
    factsVersion: a?.factsVersion ?? null,
    recordedBy: a?.recordedBy ?? null,
    recordedAt: a?.recordedAt ?? null,
    facts: a?.facts ?? null,
    advice: read.localAdvice,
    overrides: a?.overrides ?? [],
    effective: a?.effective ?? null,
  };
}

/** Assessment facts, advice, overrides, legal clocks, and the published facts schema. */
export function assessmentRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      '/schemas/assessment-facts.json',
      {
        config: { permission: 'public' },
        schema: { summary: 'JSON Schema of an assessment facts document', tags: ['assessment'] },
      },
      async (_request, reply) =>
        reply
          .type('application/schema+json; charset=utf-8')
          .header('cache-control', 'public, max-age=300')
          .send(JSON.stringify(factsJsonSchema(), null, 2)),
    );

    app.get(
      '/cases/:case/assessment',
      {
        config: { permission: 'cases:read' },
        schema: {
          summary: 'The assessment of a case: facts, advice, overrides, decision in force',
          tags: ['assessment'],
          params: caseParams,
          querystring: langQuery,
          response: { 200: caseAssessmentViewSchema },
        },
      },
      async (request) =>
        present(
          await readCaseAssessment(
            actorOf(request),
            request.params.case,
            ctx.deps,
            request.query.lang,
          ),
        ),
    );

    app.put(
      '/cases/:case/assessment',
      {
        config: { permission: 'assessment:write' },
        schema: {
          summary: 'Record a new version of the assessment facts; returns the new advice',
          description:
            'The body is a facts document: see GET /api/v1/schemas/assessment-facts.json.',
          tags: ['assessment'],
          params: caseParams,
          querystring: langQuery,
          body: assessmentFactsSchema,
          response: { 200: caseAssessmentViewSchema },
        },
      },
      async (request) => {
        const actor = actorOf(request);
        await recordFacts(actor, request.params.case, request.body, ctx.deps);
        return present(
          await readCaseAssessment(actor, request.params.case, ctx.deps, request.query.lang),
        );
      },
    );

    app.post(
      '/cases/:case/assessment/overrides',
      {
        config: { permission: 'assessment:override' },
        schema: {
          summary: 'Override one decision of the advice, with a written rationale',
          tags: ['assessment'],
          params: caseParams,
          querystring: langQuery,
          body: overrideInputSchema,
          response: { 201: caseAssessmentViewSchema },
        },
      },
      async (request, reply) => {
        const actor = actorOf(request);
        await overrideDecision(actor, request.params.case, request.body, ctx.deps);
        return reply
          .status(201)
          .send(
            present(
              await readCaseAssessment(actor, request.params.case, ctx.deps, request.query.lang),
            ),
          );
      },
    );

    app.get(
      '/cases/:case/clocks',
      {
        config: { permission: 'cases:read' },
        schema: {
          summary: 'The legal clocks of a case (GDPR Art. 33, NIS2 Art. 23)',
          tags: ['assessment'],
          params: caseParams,
          response: {
            200: z.object({
              reference: z.string(),
              awareAt: z.string().nullable(),
              now: z.string(),
              decision: effectiveDecisionSchema.nullable(),
              clocks: z.array(legalClockSchema),
            }),
          },
        },
      },
      async (request) => {
        const now = new Date();
        const c = await readCaseClocks(actorOf(request), request.params.case, ctx.deps, now);
        return {
          reference: c.reference,
          awareAt: c.awareAt,
          now: now.toISOString(),
          decision: c.decision,
          clocks: c.clocks,
        };
      },
    );
  };
}
