import formbody from '@fastify/formbody';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { LANGUAGES } from '../../../config.js';
import { can } from '../../../domain/access.js';
import { NotFoundError, ValidationError, ConflictError } from '../../../domain/errors.js';
import type { NoticeText, NoticeView } from '../../../domain/notice.js';
import type { CaseStatements } from '../../../domain/statements.js';
import { previewAffected } from '../../../services/cases/affected.service.js';
import { getCase } from '../../../services/cases/case.service.js';
import { previewNotice } from '../../../services/notices/case-workspace-preview.js';
import { checkNotice } from '../../../services/notices/notice-check.service.js';
import {
  approveNotice,
  createNotice,
  getNotice,
  listNotices,
  updateNotice,
} from '../../../services/notices/notice.service.js';
import type { AppContext } from '../../../wiring.js';
import { fromReadable, UnknownChipError } from '../../../domain/notices/notice-chips.js';
import { getStatements, updateStatements } from '../../../services/cases/statement.service.js';
import { reviewNotice } from '../../../services/notices/notice-review.service.js';
import { AFFECTED_STATEMENT_KEYS } from '../../views/workspace/notice-statements.view.js';
import { actorOf } from '../../auth.js';
import { html } from '../../views/html.js';
import { sessionOf } from '../../workspace/workspace-session.js';
import { WORKSPACE_CSP } from '../../workspace/workspace-hook.js';
import { formErrorsFrom, type FormErrors } from '../../views/workspace/case-form.view.js';
import { caseNoticesView } from '../../views/workspace/case-notices.view.js';
import {
  noticePreviewTexts,
  noticePreviewView,
  noticeStatus,
} from '../../views/workspace/notice-preview.view.js';
import { caseTabUrl } from '../../views/workspace/case-tabs.view.js';
import { isConfirmed, missingConfirmation } from '../../views/workspace/confirm-step.view.js';
import { sendWorkspacePage } from '../../views/workspace/workspace-layout.view.js';
import { flash } from '../../workspace/flash-cookie.js';
import {
  caseItemParams,
  caseParams,
  queryChoice,
  type CaseItemParams,
} from '../../workspace/workspace-params.js';
import { formOf } from './cases.routes.js';
import { viewOf } from '../../workspace/view-context-of.js';

/** Above this many recipients the full check waits for the approval click (it walks them all). */
const CHECK_ON_VIEW_LIMIT = 20_000;

/**
 * The email preview is a document of its own: the rendered email with its inline styles,
 * scripts and plugins off, no network, sandboxed as an opaque origin, framable only by us.
 */
const PREVIEW_CSP =
  "sandbox; default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-ancestors 'self'; base-uri 'none'; form-action 'none'";

/**
 * The notice to select, and the language and recipient to preview. A repeated sample is refused
 * with 400 (it used to crash the preview).
 */
const noticeQuery = z.object({
  notice: queryChoice,
  lang: queryChoice,
  sample: z.string().optional(),
});
/** The preview document's language and recipient. */
const previewQuery = noticeQuery.omit({ notice: true });

/** The recipient to preview as: a typed customer number wins over the list's choice. */
function sampleOf(form: Record<string, string>): string | undefined {
  return form.sampleId?.trim() || form.sample || undefined;
}

/** The notices tab: notices to the affected customers, editing, live preview, approval. */
export function caseNoticeRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  return async (app) => {
    if (!app.hasContentTypeParser('application/x-www-form-urlencoded')) {
      await app.register(formbody);
    }

    /** The notice of the URL, if it belongs to the case of the URL and to the affected. */
    async function noticeOfCase(
      request: FastifyRequest,
      { reference, id }: CaseItemParams,
    ): Promise<NoticeView> {
      const actor = actorOf(request);
      const kase = await getCase(actor, reference, ctx.deps);
      const noticeId = Number(id);
      if (!Number.isSafeInteger(noticeId) || noticeId <= 0)
        throw new NotFoundError(`no notice ${id}`);
      const notice = await getNotice(actor, noticeId, ctx.deps);
      if (notice.caseId !== kase.id || notice.audience !== 'affected') {
        throw new NotFoundError(`no notice ${noticeId} to the affected of ${kase.reference}`);
      }
      return notice;
    }

    async function page(
      request: FastifyRequest,
      reply: FastifyReply,
      reference: string,
      options: {
        noticeId?: number;
        language?: string;
        sample?: string;
        draft?: Partial<Record<string, NoticeText>>;
        draftIsReadable?: boolean;
        statements?: CaseStatements;
        errors?: FormErrors;
      },
      status = 200,
    ) {
      const actor = actorOf(request);
      const session = sessionOf(request);
      const kase = await getCase(actor, reference, ctx.deps);
      const notices = (await listNotices(actor, kase.id, ctx.deps)).filter(
        (n) => n.audience === 'affected',
      );
      const selected = notices.find((n) => n.id === options.noticeId) ?? notices[0] ?? null;
      let preview = null;
      let check = null;
      let review = null;
      if (selected) {
        review = await reviewNotice(actor, selected.id, ctx.deps);
        preview = await previewNotice(
          actor,
          selected.id,
          { language: options.language, externalId: options.sample },
          ctx.deps,
        );
        const size = await previewAffected(actor, kase.id, { sample: 0 }, ctx.deps);
        if (size.total <= CHECK_ON_VIEW_LIMIT)
          check = await checkNotice(actor, selected.id, ctx.deps);
      }
      // The page frames the email preview (same origin); the rest of the policy stays.
      reply.header('content-security-policy', `${WORKSPACE_CSP}; frame-src 'self'`);
      return sendWorkspacePage(
        reply,
        request,
        {
          title: `${kase.reference} ${kase.title}`,
          section: 'cases',
          main: caseNoticesView(viewOf(request), {
            kase,
            notices,
            selected,
            draft: options.draft ?? selected?.texts ?? {},
            draftIsReadable: options.draft !== undefined && options.draftIsReadable === true,
            statements: options.statements ?? (await getStatements(actor, kase.id, ctx.deps)),
            review,
            preview,
            check,
            actorName: actor.name,
            canWrite: can(session.roles, 'notices:write'),
            isApprover: session.roles.includes('approver'),
            errors: options.errors ?? {},
          }),
        },
        status,
      );
    }

    app.get(
      '/cases/:reference/notices',
      {
        config: { permission: 'cases:read' },
        schema: { hide: true, params: caseParams, querystring: noticeQuery },
      },
      (request, reply) => {
        const { query } = request;
        return page(request, reply, request.params.reference, {
          noticeId: Number(query.notice) || undefined,
          language: query.lang,
          sample: query.sample,
        });
      },
    );

    app.post(
      '/cases/:reference/notices',
      { config: { permission: 'notices:write' }, schema: { hide: true, params: caseParams } },
      async (request, reply) => {
        const { reference } = request.params;
        const notice = await createNotice(
          actorOf(request),
          reference,
          { audience: 'affected' },
          ctx.deps,
        );
        return reply.redirect(
          `${caseTabUrl(reference.toUpperCase(), 'notices')}?notice=${notice.id}`,
          303,
        );
      },
    );

    /** The language versions a form carries, as posted (`nl.subject`, `nl.body`, …). */
    function postedTexts(form: Record<string, string>): Partial<Record<string, NoticeText>> {
      const texts: Partial<Record<string, NoticeText>> = {};
      for (const l of LANGUAGES) {
        if (form[`${l}.subject`] !== undefined || form[`${l}.body`] !== undefined) {
          // Browsers send a textarea's line breaks as CRLF; templates are written with LF.
          texts[l] = {
            subject: (form[`${l}.subject`] ?? '').replace(/\r\n?/g, '\n'),
            body: (form[`${l}.body`] ?? '').replace(/\r\n?/g, '\n'),
          };
        }
      }
      return texts;
    }

    /**
     * The language versions as Liquid: a field posted in readable form (`nl.format=readable`)
     * has its chips turned back into placeholders; an unknown chip is an error of that field.
     */
    function textsOf(form: Record<string, string>): {
      texts: Partial<Record<string, NoticeText>>;
      errors: FormErrors;
    } {
      const texts = postedTexts(form);
      const errors: FormErrors = {};
      for (const [l, text] of Object.entries(texts)) {
        if (!text || form[`${l}.format`] !== 'readable') continue;
        for (const part of ['subject', 'body'] as const) {
          try {
            text[part] = fromReadable(text[part]);
          } catch (error) {
            if (!(error instanceof UnknownChipError)) throw error;
            errors[`${l}.${part}`] = error.message;
          }
        }
      }
      return { texts, errors };
    }

    app.post(
      '/cases/:reference/notices/statements',
      {
        config: { permission: 'notices:write' },
        schema: { hide: true, params: caseParams, querystring: noticeQuery.pick({ notice: true }) },
      },
      async (request, reply) => {
        const { reference } = request.params;
        const form = formOf(request);
        const locale = sessionOf(request).locale;
        const input: Record<string, Record<string, string>> = {};
        for (const key of AFFECTED_STATEMENT_KEYS) {
          for (const l of LANGUAGES) {
            const value = form[`${key}.${l}`];
            if (value !== undefined) (input[key] ??= {})[l] = value;
          }
        }
        let result;
        try {
          result = await updateStatements(actorOf(request), reference, input, ctx.deps);
        } catch (error) {
          const errors = formErrorsFrom(error);
          if (!errors) throw error;
          return page(
            request,
            reply,
            reference,
            {
              noticeId: Number(request.query.notice) || undefined,
              statements: input,
              errors,
            },
            400,
          );
        }
        const voided = result.voided.map((v) =>
          locale === 'nl'
            ? `goedkeuring van bericht ${v.noticeId} vervallen: ${v.reason}`
            : `approval of notice ${v.noticeId} voided: ${v.reason}`,
        );
        const saved = locale === 'nl' ? 'Teksten opgeslagen.' : 'Texts saved.';
        flash(reply, voided.length ? `${saved} ${voided.join('; ')}.` : saved);
        return reply.redirect(caseTabUrl(reference.toUpperCase(), 'notices'), 303);
      },
    );

    app.post(
      '/cases/:reference/notices/:id',
      { config: { permission: 'notices:write' }, schema: { hide: true, params: caseItemParams } },
      async (request, reply) => {
        const notice = await noticeOfCase(request, request.params);
        const form = formOf(request);
        const { texts, errors: chipErrors } = textsOf(form);
        try {
          if (Object.keys(chipErrors).length > 0)
            throw new ValidationError(
              'unknown placeholders',
              Object.entries(chipErrors).map(([field, message]) => ({ field, message })),
            );
          await updateNotice(actorOf(request), notice.id, { texts }, ctx.deps);
        } catch (error) {
          const errors = formErrorsFrom(error);
          if (!errors) throw error;
          return page(
            request,
            reply,
            request.params.reference,
            {
              noticeId: notice.id,
              language: form.lang,
              sample: sampleOf(form),
              // The fields show what was typed, chips and all.
              draft: postedTexts(form),
              draftIsReadable: LANGUAGES.some((l) => form[`${l}.format`] === 'readable'),
              errors,
            },
            400,
          );
        }
        flash(reply, sessionOf(request).locale === 'nl' ? 'Bericht opgeslagen.' : 'Notice saved.');
        return reply.redirect(showUrl(request.params.reference, notice.id, form), 303);
      },
    );

    function showUrl(reference: string, noticeId: number, form: Record<string, string>) {
      const query = new URLSearchParams({ notice: String(noticeId) });
      if (form.lang) query.set('lang', form.lang);
      const sample = sampleOf(form);
      if (sample) query.set('sample', sample);
      return `${caseTabUrl(reference.toUpperCase(), 'notices')}?${query.toString()}`;
    }

    // The live preview of an unsaved draft (htmx posts the editor form as it changes).
    app.post(
      '/cases/:reference/notices/:id/live',
      { config: { permission: 'cases:read' }, schema: { hide: true, params: caseItemParams } },
      async (request, reply) => {
        const notice = await noticeOfCase(request, request.params);
        const form = formOf(request);
        const language = LANGUAGES.find((l) => l === form.lang) ?? notice.defaultLanguage;
        const { texts, errors } = textsOf(form);
        const preview = await previewNotice(
          actorOf(request),
          notice.id,
          { language, externalId: sampleOf(form), draft: texts[language] },
          ctx.deps,
        );
        for (const [field, message] of Object.entries(errors)) {
          if (!field.startsWith(`${language}.`)) continue;
          const line = /line (\d+):(\d+)/.exec(message);
          preview.problems.push({
            part: field.slice(3),
            line: Number(line?.[1] ?? 1),
            column: Number(line?.[2] ?? 1),
            message: message.replace(/^line \d+:\d+: /, ''),
          });
        }
        const view = viewOf(request);
        return reply
          .header('cache-control', 'no-store')
          .type('text/html; charset=utf-8')
          .send(
            html`${noticePreviewView(view, preview)}${noticeStatus(view, preview, true)}`.toString(),
          );
      },
    );

    async function sendPreviewDocument(
      request: FastifyRequest,
      reply: FastifyReply,
      params: CaseItemParams,
      options: { language?: string; sample?: string; draft?: NoticeText },
    ) {
      const notice = await noticeOfCase(request, params);
      const preview = await previewNotice(
        actorOf(request),
        notice.id,
        { language: options.language, externalId: options.sample, draft: options.draft },
        ctx.deps,
      );
      const t = noticePreviewTexts(sessionOf(request).locale);
      const body =
        preview.rendered?.html ??
        html`<!doctype html>
          <html lang="${sessionOf(request).locale}">
            <head>
              <meta charset="utf-8" />
              <title>${t.frameTitle}</title>
            </head>
            <body>
              ${noticePreviewView(viewOf(request), preview)}
            </body>
          </html>`.toString();
      return reply
        .header('content-security-policy', PREVIEW_CSP)
        .header('x-frame-options', 'SAMEORIGIN')
        .header('cache-control', 'no-store')
        .type('text/html; charset=utf-8')
        .send(body);
    }

    app.get(
      '/cases/:reference/notices/:id/preview.html',
      {
        config: { permission: 'cases:read' },
        schema: { hide: true, params: caseItemParams, querystring: previewQuery },
      },
      (request, reply) => {
        const { query } = request;
        return sendPreviewDocument(request, reply, request.params, {
          language: query.lang,
          sample: query.sample,
        });
      },
    );

    // "Show this draft": the editor form posts into the frame (formtarget), no script needed.
    app.post(
      '/cases/:reference/notices/:id/preview.html',
      { config: { permission: 'cases:read' }, schema: { hide: true, params: caseItemParams } },
      (request, reply) => {
        const form = formOf(request);
        const language = LANGUAGES.find((l) => l === form.lang);
        // An unknown chip leaves the chip as text: the live panel names it with its place.
        const draft = language ? postedTexts(form)[language] : undefined;
        if (draft && form[`${language}.format`] === 'readable') {
          for (const part of ['subject', 'body'] as const) {
            try {
              draft[part] = fromReadable(draft[part]);
            } catch (error) {
              if (!(error instanceof UnknownChipError)) throw error;
            }
          }
        }
        return sendPreviewDocument(request, reply, request.params, {
          language,
          sample: sampleOf(form),
          draft,
        });
      },
    );

    app.post(
      '/cases/:reference/notices/:id/approve',
      { config: { permission: 'notices:approve' }, schema: { hide: true, params: caseItemParams } },
      async (request, reply) => {
        const notice = await noticeOfCase(request, request.params);
        const form = formOf(request);
        if (!isConfirmed(form))
          return page(
            request,
            reply,
            request.params.reference,
            { noticeId: notice.id, errors: { '': missingConfirmation(viewOf(request)) } },
            400,
          );
        try {
          // The service enforces four eyes: an author gets ForbiddenError (a 403 page).
          await approveNotice(
            actorOf(request),
            notice.id,
            {
              contentHash: form.contentHash || undefined,
              approvalHash: form.approvalHash || undefined,
            },
            ctx.deps,
          );
        } catch (error) {
          if (!(error instanceof ValidationError || error instanceof ConflictError)) throw error;
          const errors: FormErrors =
            error instanceof ValidationError && error.errors.length
              ? Object.fromEntries(error.errors.map((e, i) => [`check-${i}`, e.message]))
              : { '': error.message };
          return page(
            request,
            reply,
            request.params.reference,
            { noticeId: notice.id, errors },
            400,
          );
        }
        flash(
          reply,
          sessionOf(request).locale === 'nl' ? 'Bericht goedgekeurd.' : 'Notice approved.',
        );
        return reply.redirect(showUrl(request.params.reference, notice.id, {}), 303);
      },
    );
  };
}
