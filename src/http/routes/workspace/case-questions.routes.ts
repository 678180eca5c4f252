import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { can } from '../../../domain/access.js';
import { ConflictError, ValidationError } from '../../../domain/errors.js';
import { toCaseView } from '../../../services/cases/case.service.js';
import {
  INBOX_FILTERS,
  TextRefusal,
  closeQuestion,
  getCaseInbox,
  replyToQuestion,
  type InboxFilter,
} from '../../../services/recipients/question.service.js';
import type { AppContext } from '../../../wiring.js';
import { actorOf } from '../../auth.js';
import { sessionOf } from '../../workspace/workspace-session.js';
import {
  questionsTitle,
  questionsUrl,
  renderQuestionsPage,
  type QuestionFormError,
} from '../../views/workspace/case-questions.view.js';
import { sendWorkspacePage } from '../../views/workspace/workspace-layout.view.js';
import { flash } from '../../workspace/flash-cookie.js';
import { viewOf } from '../../workspace/view-context-of.js';

const refParams = z.object({ reference: z.string().min(1).max(64) });
const questionParams = refParams.extend({ id: z.coerce.number().int().positive() });
const listQuery = z.object({ show: z.enum(INBOX_FILTERS).optional() });
const replyBody = z.object({ reply: z.string().max(100_000), _csrf: z.string().optional() });
const closeBody = z.object({ reason: z.string().max(10_000), _csrf: z.string().optional() });

const MESSAGES = {
  nl: {
    empty: (field: string) => `${field} is leeg.`,
    long: (field: string, n: number, max: number) =>
      `${field} is te lang: ${n} tekens, hoogstens ${max}.`,
    control: (field: string, code: string, at: number) =>
      `${field} bevat een stuurteken (${code}, teken ${at}).`,
    fields: { reply: 'Het antwoord', reason: 'De reden' },
    replied: 'Antwoord opgeslagen; het gaat nu per e-mail naar de klant.',
    closed: 'Vraag gesloten zonder antwoord.',
    conflict: {
      reply: 'Deze vraag is gesloten; er kan geen antwoord meer bij.',
      reason: 'Deze vraag is niet meer open; sluiten kan alleen bij een open vraag.',
    },
  },
  en: {
    empty: (field: string) => `${field} is empty.`,
    long: (field: string, n: number, max: number) =>
      `${field} is too long: ${n} characters, at most ${max}.`,
    control: (field: string, code: string, at: number) =>
      `${field} contains a control character (${code}, character ${at}).`,
    fields: { reply: 'The reply', reason: 'The reason' },
    replied: 'Reply saved; it is now on its way to the customer by email.',
    closed: 'Question closed without a reply.',
    conflict: {
      reply: 'This question is closed; it takes no reply.',
      reason: 'This question is no longer open; only an open question can be closed.',
    },
  },
} as const;

/**
 * The questions tab of a case (the inbox): read with cases:read, reply and close with
 * questions:answer. A refused reply shows the tab again with the message at its form.
 */
export function caseQuestionsRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  return async (app) => {
    const page = async (
      request: FastifyRequest,
      reply: FastifyReply,
      reference: string,
      filter: InboxFilter,
      error?: QuestionFormError,
    ) => {
      const session = sessionOf(request);
      const inbox = await getCaseInbox(actorOf(request), reference, filter, ctx.deps);
      const kase = toCaseView(inbox.kase);
      return sendWorkspacePage(
        reply,
        request,
        {
          title: `${questionsTitle(viewOf(request))} · ${kase.reference}`,
          section: 'cases',
          main: renderQuestionsPage(viewOf(request), {
            kase,
            questions: inbox.questions,
            counts: inbox.counts,
            filter,
            canAnswer: can(session.roles, 'questions:answer'),
            error,
          }),
        },
        error ? 400 : 200,
      );
    };

    app.get(
      '/cases/:reference/questions',
      {
        config: { permission: 'cases:read' },
        schema: { hide: true, params: refParams, querystring: listQuery },
      },
      (request, reply) =>
        page(request, reply, request.params.reference, request.query.show ?? 'all'),
    );

    /** Runs a write; a refusal of the text or the state comes back at the question's form. */
    const act = async (
      request: FastifyRequest,
      reply: FastifyReply,
      params: { reference: string; id: number },
      field: 'reply' | 'reason',
      value: string,
      write: () => Promise<unknown>,
      done: string,
    ) => {
      const m = MESSAGES[sessionOf(request).locale];
      try {
        await write();
      } catch (error) {
        if (!(error instanceof ValidationError) && !(error instanceof ConflictError)) throw error;
        const message =
          error instanceof ValidationError ? localized(m, field, error) : m.conflict[field];
        return page(request, reply, params.reference, 'all', {
          questionId: params.id,
          field,
          message,
          value,
        });
      }
      flash(reply, done);
      return reply.redirect(`${questionsUrl(params.reference)}#question-${params.id}`, 303);
    };

    app.post(
      '/cases/:reference/questions/:id/reply',
      {
        config: { permission: 'questions:answer' },
        schema: { hide: true, params: questionParams, body: replyBody },
      },
      (request, reply) =>
        act(
          request,
          reply,
          request.params,
          'reply',
          request.body.reply,
          () =>
            replyToQuestion(
              actorOf(request),
              request.params.reference,
              request.params.id,
              request.body.reply,
              ctx.deps,
            ),
          MESSAGES[sessionOf(request).locale].replied,
        ),
    );

    app.post(
      '/cases/:reference/questions/:id/close',
      {
        config: { permission: 'questions:answer' },
        schema: { hide: true, params: questionParams, body: closeBody },
      },
      (request, reply) =>
        act(
          request,
          reply,
          request.params,
          'reason',
          request.body.reason,
          () =>
            closeQuestion(
              actorOf(request),
              request.params.reference,
              request.params.id,
              request.body.reason,
              ctx.deps,
            ),
          MESSAGES[sessionOf(request).locale].closed,
        ),
    );
  };
}

/** The service's refusal in the user's language, naming the field. */
function localized(
  m: (typeof MESSAGES)['nl' | 'en'],
  field: 'reply' | 'reason',
  error: ValidationError,
): string {
  if (!(error instanceof TextRefusal)) return error.errors[0]?.message ?? error.message;
  const name = m.fields[field];
  const p = error.problem;
  if (p.kind === 'empty') return m.empty(name);
  if (p.kind === 'too-long') return m.long(name, p.length, p.max);
  return m.control(name, p.code, p.position);
}
