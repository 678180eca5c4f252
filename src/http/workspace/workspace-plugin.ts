import formbody from '@fastify/formbody';
import multipart from '@fastify/multipart';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { MailCatcher } from '../../channels/email/mail-catcher.js';
import type { AppContext } from '../../wiring.js';
import { mailboxRoutes } from '../routes/demo/mailbox.routes.js';
import { accountRoutes } from '../routes/workspace/account.routes.js';
import { assetsRoutes } from '../routes/workspace/assets.routes.js';
import { auditRoutes } from '../routes/workspace/audit.routes.js';
import { authRoutes } from '../routes/workspace/auth.routes.js';
import { caseAffectedRoutes } from '../routes/workspace/case-affected.routes.js';
import { caseAssessmentRoutes } from '../routes/workspace/case-assessment.routes.js';
import { caseCompletionRoutes } from '../routes/workspace/case-completion.routes.js';
import { caseCsafRoutes } from '../routes/workspace/case-csaf.routes.js';
import { caseDeliveriesRoutes } from '../routes/workspace/case-deliveries.routes.js';
import { caseDispatchRoutes } from '../routes/workspace/case-dispatch.routes.js';
import { caseEvidenceRoutes } from '../routes/workspace/case-evidence.routes.js';
import { caseLettersRoutes } from '../routes/workspace/case-letters.routes.js';
import { caseNoticeRoutes } from '../routes/workspace/case-notices.routes.js';
import { casePublicRoutes } from '../routes/workspace/case-public.routes.js';
import { caseQuestionsRoutes } from '../routes/workspace/case-questions.routes.js';
import { caseRemediesRoutes } from '../routes/workspace/case-remedies.routes.js';
import { caseRemindersRoutes } from '../routes/workspace/case-reminders.routes.js';
import { caseReportsRoutes } from '../routes/workspace/case-reports.routes.js';
import { caseWorkspaceRoutes } from '../routes/workspace/cases.routes.js';
import { customersRoutes } from '../routes/workspace/customers.routes.js';
import { dashboardRoutes } from '../routes/workspace/dashboard.routes.js';
import { postureWorkspaceRoutes } from '../routes/workspace/posture.routes.js';
import { registerPageRoutes } from '../routes/workspace/register.routes.js';
import { settingsDisclosureRoutes } from '../routes/workspace/settings-disclosure.routes.js';
import { settingsIntegrationsRoutes } from '../routes/workspace/settings-integrations.routes.js';
import { settingsRoutes } from '../routes/workspace/settings.routes.js';
import { userTokensRoutes } from '../routes/workspace/user-tokens.routes.js';
import { usersRoutes } from '../routes/workspace/users.routes.js';
import { registerCaseProgressHook } from './case-progress-hook.js';
import { sendWorkspaceNotFound, workspaceErrorHandler } from './workspace-errors.js';
import { registerWorkspaceHook } from './workspace-hook.js';

/** What the workspace needs besides the application context. */
export interface WorkspacePluginOptions {
  /** Called when a dispatch starts, so serve wakes its worker at once. */
  onDispatchStarted?: () => void;
  /** The embedded mail catcher (demo): its mailbox is a workspace screen. */
  mailCatcher?: MailCatcher | null;
}

/**
 * The workspace (web UI), registered once with `{ prefix: '/app' }`. Everything that makes a
 * route a workspace route lives in this one encapsulated context, so it reaches the /app routes
 * and nothing else, without looking at URLs: the session, CSRF and security-header hooks, the
 * permission check at route registration, the case tracker, HTML error and not-found pages,
 * and the form and multipart body parsers.
 */
export function workspacePlugin(
  ctx: AppContext,
  options: WorkspacePluginOptions = {},
): FastifyPluginAsyncZod {
  return async (app) => {
    registerWorkspaceHook(app, {
      deps: { database: ctx.database, workspace: ctx.config.workspace },
      publicUrl: ctx.config.publicUrl,
      defaultLocale: ctx.config.defaultLanguage,
      mailbox: Boolean(options.mailCatcher),
    });
    registerCaseProgressHook(app, ctx);
    // A person reads these errors, not a program: HTML pages in the workspace's look.
    app.setErrorHandler(workspaceErrorHandler);
    // An unknown /app URL passes the hooks above too, so the page shows who is logged in
    // (and a visitor without a session is sent to the login first).
    app.setNotFoundHandler(sendWorkspaceNotFound);
    // Before the routes, which register their own parsers only when none is present.
    await app.register(formbody, { bodyLimit: 1024 * 1024 });
    // Affected lists and customer files are large; one file per request.
    await app.register(multipart, {
      limits: { fileSize: 200 * 1024 * 1024, files: 1, fields: 50, fieldSize: 1024 * 1024 },
    });

    await app.register(assetsRoutes(ctx));
    await app.register(authRoutes(ctx));
    await app.register(dashboardRoutes(ctx));
    await app.register(accountRoutes(ctx));
    await app.register(usersRoutes(ctx));
    await app.register(userTokensRoutes(ctx));
    await app.register(settingsRoutes(ctx));
    await app.register(auditRoutes(ctx));
    await app.register(customersRoutes(ctx));
    await app.register(caseWorkspaceRoutes(ctx));
    await app.register(caseAffectedRoutes(ctx));
    await app.register(caseNoticeRoutes(ctx));
    await app.register(
      caseDispatchRoutes(ctx, { onDispatchStarted: () => options.onDispatchStarted?.() }),
    );
    await app.register(caseDeliveriesRoutes(ctx));
    await app.register(caseLettersRoutes(ctx));
    await app.register(caseCompletionRoutes(ctx));
    await app.register(caseRemediesRoutes(ctx));
    await app.register(caseRemindersRoutes(ctx));
    await app.register(caseEvidenceRoutes(ctx));
    await app.register(caseAssessmentRoutes(ctx));
    await app.register(casePublicRoutes(ctx));
    await app.register(caseCsafRoutes(ctx));
    await app.register(settingsIntegrationsRoutes(ctx));
    await app.register(settingsDisclosureRoutes(ctx));
    await app.register(caseReportsRoutes(ctx));
    await app.register(registerPageRoutes(ctx));
    await app.register(postureWorkspaceRoutes(ctx));
    await app.register(caseQuestionsRoutes(ctx));
    if (options.mailCatcher) await app.register(mailboxRoutes(options.mailCatcher));
  };
}
