import formbody from '@fastify/formbody';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z, ZodError } from 'zod';
import { can } from '../../../domain/access.js';
import { DomainError, ValidationError } from '../../../domain/errors.js';
import type { NoticeView } from '../../../domain/notice.js';
import { getCase } from '../../../services/cases/case.service.js';
import {
  acceptFinding,
  getDisclosureReport,
  noticeReadability,
} from '../../../services/publication/disclosure.service.js';
import { releaseEmbargoNow } from '../../../services/publication/embargo-release.service.js';
import {
  approveNotice,
  createNotice,
  listNotices,
  updateNotice,
} from '../../../services/notices/notice.service.js';
import { reviewNotice } from '../../../services/notices/notice-review.service.js';
import { publicApprovalPreview } from '../../../services/notices/public-approval-preview.service.js';
import {
  listCaseUpdates,
  postPublicUpdate,
} from '../../../services/publication/public-update.service.js';
import {
  publicationStatus,
  publishCase,
} from '../../../services/publication/publication-publish.service.js';
import type { AppContext } from '../../../wiring.js';
import { actorOf } from '../../auth.js';
import { sessionOf } from '../../workspace/workspace-session.js';
import { casePublicView, type PublicNoticePanel } from '../../views/workspace/case-public.view.js';
import { caseTabUrl } from '../../views/workspace/case-tabs.view.js';
import { isConfirmed, missingConfirmation } from '../../views/workspace/confirm-step.view.js';
import { sendWorkspacePage } from '../../views/workspace/workspace-layout.view.js';
import { flash } from '../../workspace/flash-cookie.js';
import {
  caseItemParams,
  caseParams,
  type CaseItemParams,
} from '../../workspace/workspace-params.js';
import { formOf } from './cases.routes.js';
import { viewOf } from '../../workspace/view-context-of.js';
import { csrfFormField, formValues, parseForm } from '../../workspace/form-errors.js';
import type { FormErrors } from '../../views/workspace/case-form.view.js';
import type { CasePublicModel } from '../../views/workspace/case-public.view.js';
import { texts as publicTexts } from '../../views/workspace/case-public-texts.view.js';
import { LANGUAGES } from '../../../domain/language.js';
import { updateStatusSchema } from '../../../domain/publication.js';

/** The body as it arrives; the handler parses it with the form's schema, to show it again. */
const formBody = z.record(z.string(), z.unknown());
const audienceField = z.enum(['public', 'press']);
/** "Start from the template": the audience (hidden) and, if given, the draft's default language. */
const noticeForm = z.object({
  audience: z.unknown(),
  language: z.enum(LANGUAGES).optional(),
  ...csrfFormField,
});
/** A timeline update: its kind and the text per language (at least one, checked after). */
const updateForm = z.object({
  status: updateStatusSchema,
  nl: z.string().trim().max(20_000).optional(),
  en: z.string().trim().max(20_000).optional(),
  ...csrfFormField,
});

/**
 * The public tab (/app/cases/:reference/public): the public notice and press statement with
 * readability scores and disclosure findings, approval, embargo, timeline updates and
 * publishing. Every action posts a form and redirects back (works without JavaScript).
 */
export function casePublicRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  return async (app) => {
    if (!app.hasContentTypeParser('application/x-www-form-urlencoded')) {
      await app.register(formbody);
    }
    const url = (reference: string) => caseTabUrl(reference, 'public');
    const nl = (request: FastifyRequest) => sessionOf(request).locale === 'nl';

    /** Runs an action; a refusal becomes a flash message instead of an error page. */
    async function act(
      request: FastifyRequest,
      reply: FastifyReply,
      reference: string,
      action: () => Promise<unknown>,
      done: { nl: string; en: string },
    ) {
      try {
        await action();
        flash(reply, nl(request) ? done.nl : done.en);
      } catch (error) {
        if (error instanceof ZodError) {
          flash(
            reply,
            error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join(' · '),
            'error',
          );
          return reply.redirect(url(reference), 303);
        }
        if (!(error instanceof DomainError)) throw error;
        const details =
          error instanceof ValidationError && error.errors.length
            ? ` ${error.errors.map((e) => e.message).join(' · ')}`
            : '';
        flash(reply, `${error.message}.${details}`, 'error');
      }
      return reply.redirect(url(reference), 303);
    }

    /** Irreversible public actions need the form's "I understand" box (confirm=yes). */
    function requireConfirmation(request: FastifyRequest): void {
      if (!isConfirmed(request.body))
        throw new ValidationError(missingConfirmation(viewOf(request)));
    }

    /** The notice of the URL, if it is a public or press notice of the URL's case. */
    async function noticeOf(
      request: FastifyRequest,
      { reference, id }: CaseItemParams,
    ): Promise<NoticeView> {
      const actor = actorOf(request);
      const kase = await getCase(actor, reference, ctx.deps);
      const notice = (await listNotices(actor, kase.id, ctx.deps)).find(
        (n) => n.id === Number(id) && (n.audience === 'public' || n.audience === 'press'),
      );
      if (!notice)
        throw new ValidationError(`no public or press notice ${id} in ${kase.reference}`);
      return notice;
    }

    /** The tab; with a refused form, that form as it was sent and a 422. */
    async function page(
      request: FastifyRequest,
      reply: FastifyReply,
      reference: string,
      forms: Pick<CasePublicModel, 'noticeForm' | 'updateForm'> = {},
    ) {
      const actor = actorOf(request);
      const session = sessionOf(request);
      const kase = await getCase(actor, reference, ctx.deps);
      const notices = await listNotices(actor, kase.id, ctx.deps);
      const status = await publicationStatus(actor, kase.id, ctx.deps);
      const panels: PublicNoticePanel[] = [];
      for (const audience of ['public', 'press'] as const) {
        const notice = notices.filter((n) => n.audience === audience).at(-1) ?? null;
        panels.push({
          audience,
          notice,
          disclosure: notice ? await getDisclosureReport(actor, notice.id, ctx.deps) : null,
          readability: notice ? await noticeReadability(actor, notice.id, ctx.deps) : null,
          preview: notice ? await publicApprovalPreview(actor, notice.id, ctx.deps) : null,
          review: notice ? await reviewNotice(actor, notice.id, ctx.deps) : null,
        });
      }
      return sendWorkspacePage(
        reply,
        request,
        {
          title: `${kase.reference} ${kase.title}`,
          section: 'cases',
          main: casePublicView(viewOf(request), {
            kase,
            status,
            panels,
            updates: await listCaseUpdates(actor, kase.id, ctx.deps),
            pagePath:
              status.published && status.year && status.slug
                ? `${session.locale === 'en' ? '/en' : ''}/security/${status.year}/${status.slug}`
                : null,
            actorName: actor.name,
            canWrite: can(session.roles, 'notices:write'),
            canPublish: can(session.roles, 'publication:publish'),
            isApprover: session.roles.includes('approver'),
            ...forms,
          }),
        },
        forms.noticeForm || forms.updateForm ? 422 : 200,
      );
    }

    app.get(
      '/cases/:reference/public',
      { config: { permission: 'cases:read' }, schema: { hide: true, params: caseParams } },
      async (request, reply) => page(request, reply, request.params.reference),
    );

    app.post(
      '/cases/:reference/public/notices',
      {
        config: { permission: 'notices:write' },
        schema: { hide: true, params: caseParams, body: formBody },
      },
      async (request, reply) => {
        const { reference } = request.params;
        // The audience is the form's hidden field: a wrong one is not the user's typing.
        const audience = audienceField.parse(formOf(request).audience);
        const parsed = parseForm(noticeForm, request.body, sessionOf(request).locale);
        if (!parsed.ok)
          return page(request, reply, reference, {
            noticeForm: { audience, errors: parsed.errors },
          });
        const { language: defaultLanguage } = parsed.data;
        return act(
          request,
          reply,
          reference,
          () => createNotice(actorOf(request), reference, { audience, defaultLanguage }, ctx.deps),
          { nl: 'Concept gemaakt uit het sjabloon.', en: 'Draft created from the template.' },
        );
      },
    );

    app.post(
      '/cases/:reference/public/notices/:id',
      { config: { permission: 'notices:write' }, schema: { hide: true, params: caseItemParams } },
      async (request, reply) => {
        const form = formOf(request);
        return act(
          request,
          reply,
          request.params.reference,
          async () => {
            const notice = await noticeOf(request, request.params);
            const texts = Object.fromEntries(
              Object.keys(notice.texts).map((l) => [
                l,
                { subject: form[`${l}.subject`] ?? '', body: form[`${l}.body`] ?? '' },
              ]),
            );
            await updateNotice(actorOf(request), notice.id, { texts }, ctx.deps);
          },
          { nl: 'Opgeslagen.', en: 'Saved.' },
        );
      },
    );

    app.post(
      '/cases/:reference/public/notices/:id/approve',
      { config: { permission: 'notices:approve' }, schema: { hide: true, params: caseItemParams } },
      async (request, reply) =>
        act(
          request,
          reply,
          request.params.reference,
          async () => {
            requireConfirmation(request);
            const notice = await noticeOf(request, request.params);
            // Without the hash of what the approver read, an approval would pin unseen values.
            const approvalHash = formOf(request).approvalHash?.trim();
            if (!approvalHash)
              throw new ValidationError(
                'approvalHash is missing: open the public tab, read the text and approve again',
              );
            await approveNotice(actorOf(request), notice.id, { approvalHash }, ctx.deps);
          },
          { nl: 'Goedgekeurd.', en: 'Approved.' },
        ),
    );

    app.post(
      '/cases/:reference/public/notices/:id/accept',
      { config: { permission: 'notices:write' }, schema: { hide: true, params: caseItemParams } },
      async (request, reply) => {
        const form = formOf(request);
        return act(
          request,
          reply,
          request.params.reference,
          async () => {
            const notice = await noticeOf(request, request.params);
            await acceptFinding(
              actorOf(request),
              notice.id,
              { fingerprint: form.fingerprint ?? '', reason: form.reason ?? '' },
              ctx.deps,
            );
          },
          { nl: 'Bevinding geaccepteerd.', en: 'Finding accepted.' },
        );
      },
    );

    app.post(
      '/cases/:reference/public/publish',
      { config: { permission: 'publication:publish' }, schema: { hide: true, params: caseParams } },
      async (request, reply) =>
        act(
          request,
          reply,
          request.params.reference,
          () => {
            requireConfirmation(request);
            return publishCase(actorOf(request), request.params.reference, ctx.deps);
          },
          {
            nl: 'Gepubliceerd. De openbare pagina toont het binnen een seconde.',
            en: 'Published. The public page shows it within a second.',
          },
        ),
    );

    app.post(
      '/cases/:reference/public/release',
      { config: { permission: 'publication:publish' }, schema: { hide: true, params: caseParams } },
      async (request, reply) =>
        act(
          request,
          reply,
          request.params.reference,
          () => {
            requireConfirmation(request);
            return releaseEmbargoNow(actorOf(request), request.params.reference, ctx.deps);
          },
          { nl: 'Technische details vrijgegeven.', en: 'Technical details released.' },
        ),
    );

    app.post(
      '/cases/:reference/public/updates',
      {
        config: { permission: 'publication:publish' },
        schema: { hide: true, params: caseParams, body: formBody },
      },
      async (request, reply) => {
        const { locale } = sessionOf(request);
        const { reference } = request.params;
        const values = formValues(request.body);
        const refuse = (errors: FormErrors) =>
          page(request, reply, reference, { updateForm: { values, errors } });
        const parsed = parseForm(updateForm, request.body, locale);
        if (!parsed.ok) return refuse(parsed.errors);
        const { status, nl: nlText, en: enText } = parsed.data;
        const texts = Object.fromEntries(
          Object.entries({ nl: nlText, en: enText }).filter(([, v]) => v),
        ) as Partial<Record<'nl' | 'en', string>>;
        if (Object.keys(texts).length === 0)
          return refuse({ nl: publicTexts(locale).updateNeedsText });
        try {
          await postPublicUpdate(actorOf(request), reference, { status, texts }, ctx.deps);
        } catch (error) {
          // Disclosure findings name their language version (texts.nl): shown at that field.
          if (!(error instanceof ValidationError)) throw error;
          const errors: FormErrors = {};
          for (const e of error.errors) errors[e.field.replace(/^texts\./, '')] ??= e.message;
          return refuse(Object.keys(errors).length > 0 ? errors : { '': error.message });
        }
        flash(reply, locale === 'nl' ? 'Update geplaatst.' : 'Update posted.');
        return reply.redirect(url(reference), 303);
      },
    );
  };
}
