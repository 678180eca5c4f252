import formbody from '@fastify/formbody';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { can } from '../../../domain/access.js';
import {
  CASE_STATES,
  caseStateSchema,
  eventKindSchema,
  type CaseState,
} from '../../../domain/case.js';
import {
  addCaseEvent,
  createCase,
  getCase,
  listCases,
  updateCase,
} from '../../../services/cases/case.service.js';
import { localInputToUtc } from '../../../services/cases/case-workspace-time.js';
import { getStatements } from '../../../services/cases/statement.service.js';
import { STATEMENT_LABELS, noticeTextGaps } from '../../../domain/statements.js';
import type { AppContext } from '../../../wiring.js';
import { actorOf } from '../../auth.js';
import { sessionOf } from '../../workspace/workspace-session.js';
import { formErrorsFrom, type FormErrors } from '../../views/workspace/case-form.view.js';
import { caseListTexts, caseListView } from '../../views/workspace/case-list.view.js';
import {
  caseOverviewView,
  type CaseOverviewModel,
} from '../../views/workspace/case-overview.view.js';
import { caseStateName, caseTabUrl } from '../../views/workspace/case-tabs.view.js';
import { caseStateConfirmTexts, confirmStepView } from '../../views/workspace/confirm-step.view.js';
import { readCloseBlockers } from '../../../services/cases/case-progress.service.js';
import { inboxCounts } from '../../../services/recipients/question.service.js';
import { ConflictError } from '../../../domain/errors.js';
import { sendWorkspacePage } from '../../views/workspace/workspace-layout.view.js';
import { flash } from '../../workspace/flash-cookie.js';
import { caseParams, queryChoice } from '../../workspace/workspace-params.js';
import { viewOf } from '../../workspace/view-context-of.js';
import { parseNewCaseForm } from '../../workspace/new-case-form.js';
import { formValues } from '../../workspace/form-errors.js';

type Form = Record<string, string>;

/** The string fields of a urlencoded form (a repeated field keeps its first value). */
export function formOf(request: FastifyRequest): Form {
  return formValues(request.body);
}

/** A datetime-local field in the user's zone, as UTC; '' is absent, garbage is an error. */
function instantField(
  request: FastifyRequest,
  form: Form,
  name: string,
  errors: FormErrors,
): string | undefined {
  const value = form[name]?.trim() ?? '';
  if (value === '') return undefined;
  const utc = localInputToUtc(value, sessionOf(request).timeZone);
  if (utc === null) {
    errors[name] =
      sessionOf(request).locale === 'nl'
        ? 'Geen geldige datum en tijd (bijvoorbeeld 2026-11-27T03:12).'
        : 'Not a valid date and time (for example 2026-11-27T03:12).';
    return undefined;
  }
  return utc;
}

/** The case list's filters (unknown values show the open cases of every kind). */
const listQuery = z.object({ status: queryChoice, kind: queryChoice });

const LIST_STATES: Record<'open' | 'closed' | 'all', CaseState[] | undefined> = {
  open: CASE_STATES.filter((s) => s !== 'closed'),
  closed: ['closed'],
  all: undefined,
};

/** The list of cases, "new case", and the overview tab of one case. */
export function caseWorkspaceRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  return async (app) => {
    if (!app.hasContentTypeParser('application/x-www-form-urlencoded')) {
      await app.register(formbody);
    }

    async function listPage(
      request: FastifyRequest,
      reply: FastifyReply,
      query: z.infer<typeof listQuery>,
      form: { values: Form; errors: FormErrors },
      status = 200,
    ) {
      const statusFilter =
        query.status === 'closed' || query.status === 'all' ? query.status : 'open';
      const kind = query.kind === 'incident' || query.kind === 'advisory' ? query.kind : '';
      const cases = await listCases(
        actorOf(request),
        { states: LIST_STATES[statusFilter], kind: kind || undefined, limit: 200 },
        ctx.deps,
      );
      const session = sessionOf(request);
      return sendWorkspacePage(
        reply,
        request,
        {
          title: caseListTexts(session.locale).title,
          section: 'cases',
          main: caseListView(viewOf(request), {
            cases,
            status: statusFilter,
            kind,
            canCreate: can(session.roles, 'cases:write'),
            form,
          }),
        },
        status,
      );
    }

    app.get(
      '/cases',
      { config: { permission: 'cases:read' }, schema: { hide: true, querystring: listQuery } },
      (request, reply) => listPage(request, reply, request.query, { values: {}, errors: {} }),
    );

    app.post(
      '/cases',
      { config: { permission: 'cases:write' }, schema: { hide: true, querystring: listQuery } },
      async (request, reply) => {
        const form = formOf(request);
        const { locale } = sessionOf(request);
        const parsed = parseNewCaseForm(request.body, locale);
        const errors: FormErrors = parsed.ok ? {} : { ...parsed.errors };
        const detectedAt = instantField(request, form, 'detectedAt', errors);
        const awareAt = instantField(request, form, 'awareAt', errors);
        if (parsed.ok && Object.keys(errors).length === 0) {
          const d = parsed.data;
          const [nl, en] = [d['whatHappened.nl'] ?? '', d['whatHappened.en'] ?? ''];
          try {
            const kase = await createCase(
              actorOf(request),
              {
                kind: d.kind ?? 'incident',
                title: d.title,
                summary: d.summary ?? '',
                detectedAt,
                awareAt,
                ...(nl || en ? { statements: { what_happened: { nl, en } } } : {}),
              },
              ctx.deps,
            );
            const gaps = noticeTextGaps(await getStatements(actorOf(request), kase.id, ctx.deps));
            // Said now, not first at approval: which texts a customer notice still lacks.
            const lacking = gaps
              .map(
                (g) =>
                  `'${STATEMENT_LABELS[g.key][locale]}' (${LANGUAGE_WORDS[locale][g.language]})`,
              )
              .join(', ');
            flash(
              reply,
              locale === 'nl'
                ? `Zaak ${kase.reference} is geopend.` +
                    (lacking ? ` Voor een klantbericht ontbreekt nog: ${lacking}.` : '')
                : `Case ${kase.reference} is open.` +
                    (lacking ? ` A customer notice still needs: ${lacking}.` : ''),
            );
            return reply.redirect(caseTabUrl(kase.reference, 'overview'), 303);
          } catch (error) {
            const found = formErrorsFrom(error);
            if (!found) throw error;
            Object.assign(errors, found);
          }
        }
        return listPage(request, reply, request.query, { values: form, errors }, 422);
      },
    );

    async function overviewPage(
      request: FastifyRequest,
      reply: FastifyReply,
      reference: string,
      form: CaseOverviewModel['form'],
      status = 200,
    ) {
      const kase = await getCase(actorOf(request), reference, ctx.deps);
      return sendWorkspacePage(
        reply,
        request,
        {
          title: `${kase.reference} ${kase.title}`,
          section: 'cases',
          main: caseOverviewView(viewOf(request), {
            kase,
            canWrite: can(sessionOf(request).roles, 'cases:write'),
            questionCounts: await inboxCounts(ctx.database.db, kase.id),
            form,
          }),
        },
        status,
      );
    }

    app.get(
      '/cases/:reference',
      { config: { permission: 'cases:read' }, schema: { hide: true, params: caseParams } },
      (request, reply) =>
        overviewPage(request, reply, request.params.reference, {
          name: null,
          values: {},
          errors: {},
        }),
    );

    /** Runs a change; on bad input re-renders the overview with the form's errors. */
    async function change(
      request: FastifyRequest,
      reply: FastifyReply,
      reference: string,
      name: 'facts' | 'event',
      run: (reference: string, form: Form, errors: FormErrors) => Promise<unknown>,
    ) {
      const form = formOf(request);
      const errors: FormErrors = {};
      try {
        await run(reference, form, errors);
        if (Object.keys(errors).length === 0) {
          return reply.redirect(caseTabUrl(reference.toUpperCase(), 'overview'), 303);
        }
      } catch (error) {
        const found = formErrorsFrom(error);
        if (!found) throw error;
        Object.assign(errors, found);
      }
      return overviewPage(request, reply, reference, { name, values: form, errors }, 400);
    }

    app.post(
      '/cases/:reference/facts',
      { config: { permission: 'cases:write' }, schema: { hide: true, params: caseParams } },
      (request, reply) =>
        change(request, reply, request.params.reference, 'facts', (reference, form) =>
          updateCase(
            actorOf(request),
            reference,
            { title: form.title, summary: form.summary },
            ctx.deps,
          ),
        ),
    );

    /**
     * The confirm step of resolving or closing: a page naming the consequence (and, for a close
     * with running clocks or unsent notices, asking the override reason). Without confirm=yes
     * the server never makes the change.
     */
    async function confirmStatePage(
      request: FastifyRequest,
      reply: FastifyReply,
      reference: string,
      state: 'resolved' | 'closed',
      error?: string,
    ) {
      const session = sessionOf(request);
      const t = caseStateConfirmTexts(session.locale);
      const kase = await getCase(actorOf(request), reference, ctx.deps);
      const blockers =
        state === 'closed' ? await readCloseBlockers(actorOf(request), kase.id, ctx.deps) : null;
      const stateName = caseStateName(viewOf(request), state);
      return sendWorkspacePage(
        reply,
        request,
        {
          title: t.heading(kase.reference, stateName),
          section: 'cases',
          main: confirmStepView(viewOf(request), {
            heading: t.heading(kase.reference, stateName),
            consequences: t[state],
            blockers: blockers
              ? [
                  ...(blockers.runningClocks > 0 ? [t.clocks(blockers.runningClocks)] : []),
                  ...(blockers.unsentNotices > 0 ? [t.unsent(blockers.unsentNotices)] : []),
                ]
              : [],
            action: `${caseTabUrl(kase.reference, 'overview')}/state`,
            fields: { state },
            submit: t.submit(stateName),
            backHref: caseTabUrl(kase.reference, 'overview'),
            error,
          }),
        },
        error ? 409 : 200,
      );
    }

    app.post(
      '/cases/:reference/state',
      { config: { permission: 'cases:write' }, schema: { hide: true, params: caseParams } },
      async (request, reply) => {
        const form = formOf(request);
        const state = caseStateSchema.safeParse(form.state);
        const { reference } = request.params;
        const irreversible =
          state.success && (state.data === 'resolved' || state.data === 'closed')
            ? state.data
            : null;
        if (irreversible && form.confirm !== 'yes') {
          return confirmStatePage(request, reply, reference, irreversible);
        }
        const reason = form.overrideReason?.trim();
        if (!state.success) {
          return overviewPage(
            request,
            reply,
            reference,
            { name: 'state', values: form, errors: { state: 'unknown state' } },
            400,
          );
        }
        try {
          await updateCase(
            actorOf(request),
            reference,
            { state: state.data, ...(reason ? { override: { reason } } : {}) },
            ctx.deps,
          );
        } catch (error) {
          // A close refused for what is still open (or with too short a reason): the confirm
          // step again, with the reason field.
          const t = caseStateConfirmTexts(sessionOf(request).locale);
          if (irreversible === 'closed' && error instanceof ConflictError) {
            if (error.details?.reason === 'close-blocked')
              return confirmStatePage(request, reply, reference, 'closed', t.refused);
          }
          const found = formErrorsFrom(error);
          if (!found) throw error;
          if (irreversible === 'closed' && reason)
            return confirmStatePage(
              request,
              reply,
              reference,
              'closed',
              Object.values(found).join(' '),
            );
          return overviewPage(
            request,
            reply,
            reference,
            { name: 'state', values: form, errors: found },
            400,
          );
        }
        if (reason && state.data === 'closed')
          flash(reply, caseStateConfirmTexts(sessionOf(request).locale).overridden);
        return reply.redirect(caseTabUrl(reference.toUpperCase(), 'overview'), 303);
      },
    );

    app.post(
      '/cases/:reference/events',
      { config: { permission: 'cases:write' }, schema: { hide: true, params: caseParams } },
      (request, reply) =>
        change(
          request,
          reply,
          request.params.reference,
          'event',
          async (reference, form, errors) => {
            const kind = eventKindSchema.safeParse(form.kind ?? 'note');
            if (!kind.success) errors.kind = 'unknown kind';
            const at = instantField(request, form, 'at', errors);
            if (Object.keys(errors).length > 0) return;
            await addCaseEvent(
              actorOf(request),
              reference,
              { kind: kind.data, at, text: form.text ?? '' },
              ctx.deps,
            );
          },
        ),
    );
  };
}

/** Language names in each interface language. */
const LANGUAGE_WORDS = {
  nl: { nl: 'Nederlands', en: 'Engels' },
  en: { nl: 'Dutch', en: 'English' },
} as const;
