import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { NotFoundError } from '../../../domain/errors.js';
import { publishedCaseSchema, publicUpdateSchema } from '../../../domain/publication.js';
import { getCase } from '../../../services/cases/case.service.js';
import {
  acceptFinding,
  getDisclosureReport,
  getPublicationSettings,
  noticeReadability,
  publicationSettingsSchema,
  updatePublicationSettings,
} from '../../../services/publication/disclosure.service.js';
import { releaseEmbargoNow } from '../../../services/publication/embargo-release.service.js';
import { getNotice } from '../../../services/notices/notice.service.js';
import {
  newPublicUpdateSchema,
  listCaseUpdates,
  postPublicUpdate,
} from '../../../services/publication/public-update.service.js';
import {
  publicationStatus,
  publishCase,
  withdrawCase,
} from '../../../services/publication/publication-publish.service.js';
import { getPublishedCase } from '../../../services/publication/publication.service.js';
import type { AppContext } from '../../../wiring.js';
import { actorOf } from '../../auth.js';

const caseParams = z.object({ case: z.string().min(1).max(40) });
const noticeParams = caseParams.extend({ id: z.coerce.number().int().positive() });
const noticeRef = z.object({
  id: z.number().int(),
  status: z.string(),
  publishedHash: z.string().nullable(),
});
const statusSchema = z.object({
  published: z.boolean(),
  withdrawn: z.boolean(),
  slug: z.string().nullable(),
  year: z.number().int().nullable(),
  revision: z.number().int(),
  publicNotice: noticeRef.nullable(),
  pressNotice: noticeRef.nullable(),
  canPublish: z.boolean(),
  embargo: z.array(z.object({ condition: z.string(), released: z.boolean() })),
});
const findingSchema = z.object({
  rule: z.string(),
  language: z.string(),
  part: z.enum(['subject', 'body']),
  line: z.number().int(),
  excerpt: z.string(),
  message: z.string(),
  fingerprint: z.string(),
  accepted: z.object({ by: z.string(), at: z.string(), reason: z.string() }).nullable(),
});
const reportSchema = z.object({
  noticeId: z.number().int(),
  findings: z.array(findingSchema),
  open: z.number().int(),
});

/** The public record over the API: status, publish, updates, embargo, disclosure, readability. */
export function publicationRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  return async (app) => {
    /** A notice of the URL's case, public or press (or affected, for the disclosure check). */
    async function noticeOf(actor: ReturnType<typeof actorOf>, ref: string, id: number) {
      const kase = await getCase(actor, ref, ctx.deps);
      const notice = await getNotice(actor, id, ctx.deps);
      if (notice.caseId !== kase.id)
        throw new NotFoundError(`no notice ${id} in ${kase.reference}`);
      return notice;
    }

    app.get(
      '/cases/:case/publication',
      {
        config: { permission: 'cases:read' },
        schema: {
          summary: 'Where the case stands publicly',
          tags: ['publication'],
          params: caseParams,
          response: { 200: statusSchema },
        },
      },
      async (request) => publicationStatus(actorOf(request), request.params.case, ctx.deps),
    );

    app.get(
      '/cases/:case/publication/snapshot',
      {
        config: { permission: 'cases:read' },
        schema: {
          summary:
            'The public snapshot of the case, exactly as the security page, feeds and CSAF see it (embargo-free)',
          tags: ['publication'],
          params: caseParams,
          response: { 200: publishedCaseSchema },
        },
      },
      async (request) => {
        const kase = await getCase(actorOf(request), request.params.case, ctx.deps);
        const snapshot = await getPublishedCase(ctx.database.db, kase.reference);
        if (!snapshot) throw new NotFoundError(`${kase.reference} is not published`);
        return snapshot;
      },
    );

    app.post(
      '/cases/:case/publication/publish',
      {
        config: { permission: 'publication:publish' },
        schema: {
          summary:
            'Publish the approved public notice (and approved press statement) on the security page',
          tags: ['publication'],
          params: caseParams,
          response: { 200: statusSchema },
        },
      },
      async (request) => publishCase(actorOf(request), request.params.case, ctx.deps),
    );

    app.post(
      '/cases/:case/publication/withdraw',
      {
        config: { permission: 'publication:publish' },
        schema: {
          summary: 'Take the case off the security page',
          tags: ['publication'],
          params: caseParams,
          body: z.object({ reason: z.string().trim().min(3).max(1000) }),
          response: { 200: statusSchema },
        },
      },
      async (request) =>
        withdrawCase(actorOf(request), request.params.case, request.body.reason, ctx.deps),
    );

    app.get(
      '/cases/:case/publication/updates',
      {
        config: { permission: 'cases:read' },
        schema: {
          summary: 'The public timeline updates (raw, with embargo markup)',
          tags: ['publication'],
          params: caseParams,
          response: { 200: z.array(publicUpdateSchema.extend({ createdBy: z.string() })) },
        },
      },
      async (request) => listCaseUpdates(actorOf(request), request.params.case, ctx.deps),
    );

    app.post(
      '/cases/:case/publication/updates',
      {
        config: { permission: 'publication:publish' },
        schema: {
          summary:
            'Post a timeline update (investigating, identified, contained, resolved, update)',
          tags: ['publication'],
          params: caseParams,
          body: newPublicUpdateSchema,
          response: { 201: publicUpdateSchema },
        },
      },
      async (request, reply) => {
        const update = await postPublicUpdate(
          actorOf(request),
          request.params.case,
          request.body,
          ctx.deps,
        );
        return reply.code(201).send(update);
      },
    );

    app.post(
      '/cases/:case/publication/embargo/release',
      {
        config: { permission: 'publication:publish' },
        schema: {
          summary: 'Release every embargoed part of the case now',
          tags: ['publication'],
          params: caseParams,
          response: { 200: z.object({ conditions: z.array(z.string()) }) },
        },
      },
      async (request) => releaseEmbargoNow(actorOf(request), request.params.case, ctx.deps),
    );

    app.get(
      '/cases/:case/publication/notices/:id/disclosure',
      {
        config: { permission: 'cases:read' },
        schema: {
          summary: 'The disclosure check of a notice, with accepted findings',
          tags: ['publication'],
          params: noticeParams,
          response: { 200: reportSchema },
        },
      },
      async (request) => {
        const actor = actorOf(request);
        await noticeOf(actor, request.params.case, request.params.id);
        return getDisclosureReport(actor, request.params.id, ctx.deps);
      },
    );

    app.post(
      '/cases/:case/publication/notices/:id/disclosure/accept',
      {
        config: { permission: 'notices:write' },
        schema: {
          summary: 'Accept a disclosure finding, with the reason',
          tags: ['publication'],
          params: noticeParams,
          body: z.object({ fingerprint: z.string().min(1).max(64), reason: z.string().max(1000) }),
          response: { 200: reportSchema },
        },
      },
      async (request) => {
        const actor = actorOf(request);
        await noticeOf(actor, request.params.case, request.params.id);
        return acceptFinding(actor, request.params.id, request.body, ctx.deps);
      },
    );

    app.get(
      '/cases/:case/publication/notices/:id/readability',
      {
        config: { permission: 'cases:read' },
        schema: {
          summary: 'Plain-language score per language (Flesch for English, Flesch–Douma for Dutch)',
          tags: ['publication'],
          params: noticeParams,
          response: {
            200: z.object({ threshold: z.number(), languages: z.record(z.string(), z.any()) }),
          },
        },
      },
      async (request) => {
        const actor = actorOf(request);
        await noticeOf(actor, request.params.case, request.params.id);
        return noticeReadability(actor, request.params.id, ctx.deps);
      },
    );

    app.get(
      '/publication/settings',
      {
        config: { permission: 'cases:read' },
        schema: {
          summary: 'Internal domains and names, and the readability threshold',
          tags: ['publication'],
          response: { 200: publicationSettingsSchema },
        },
      },
      async () => getPublicationSettings(ctx.database.db),
    );

    app.put(
      '/publication/settings',
      {
        config: { permission: 'settings:manage' },
        schema: {
          summary: 'Set the internal domains and names, and the readability threshold',
          description:
            'Fields left out keep their value. `infrastructureAttributeKeys` are the registry attributes whose values (e.g. `server: cp3`) must not appear in public or press notices; `internalNames` are further names of our own.',
          tags: ['publication'],
          body: z.object({
            internalDomains: z.array(z.string().max(253)).max(100).optional(),
            readabilityThreshold: z.number().min(-100).max(120).optional(),
            infrastructureAttributeKeys: z.array(z.string().max(64)).max(50).optional(),
            internalNames: z.array(z.string().max(100)).max(1000).optional(),
          }),
          response: { 200: publicationSettingsSchema },
        },
      },
      async (request) => updatePublicationSettings(actorOf(request), request.body, ctx.deps),
    );
  };
}
