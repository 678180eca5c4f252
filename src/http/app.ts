import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import {
  jsonSchemaTransform,
  serializerCompiler,
  validatorCompiler,
  type ZodTypeProvider,
} from 'fastify-type-provider-zod';
import type { AppContext } from '../wiring.js';
import type { MailCatcher } from '../channels/email/mail-catcher.js';
import type { Logger } from '../logger.js';
import { registerRequestIdEcho, requestIdOptions } from './request-id.js';
import { SmtpProbe } from '../channels/email/smtp-probe.js';
import type { LivenessSource } from '../services/operations/readiness.service.js';
import { createOpsSnapshot } from '../services/operations/ops-snapshot.service.js';
import { createMetricsRegistry, registerHttpMetrics } from './metrics-registry.js';
import { opsRoutes } from './routes/ops/ops.routes.js';
import { registerAuth } from './auth.js';
import { registerNulGuard } from './nul-guard.js';
import { registerSecurityHeaders } from './security-headers.js';
import { registerBodyDeadline, serverTimeoutOptions } from './timeouts.js';
import { errorHandler, sendProblem } from './problem.js';
import { accessRoutes } from './routes/api/access.routes.js';
import { customerRoutes } from './routes/api/customers.routes.js';
import { caseRoutes } from './routes/api/cases.routes.js';
import { statementRoutes } from './routes/api/statements.routes.js';
import { remedyRoutes } from './routes/api/remedies.routes.js';
import { noticeRoutes } from './routes/api/notices.routes.js';
import { mailboxRedirectRoutes } from './routes/demo/mailbox.routes.js';
import { bounceRoutes } from './routes/api/bounces.routes.js';
import { letterRoutes } from './routes/api/letters.routes.js';
import { completionRoutes } from './routes/api/completion.routes.js';
import { reminderRoutes } from './routes/api/reminders.routes.js';
import { assessmentRoutes } from './routes/api/assessment.routes.js';
import { personalPageRoutes } from './routes/public/personal-page.routes.js';
import { csafRoutes } from './routes/public/csaf.routes.js';
import { subscribeRoutes } from './routes/public/subscribe.routes.js';
import { verifyNoticeRoutes } from './routes/public/verify-notice.routes.js';
import { productRoutes } from './routes/api/products.routes.js';
import { subscriberRoutes } from './routes/api/subscribers.routes.js';
import { webhookRoutes } from './routes/api/webhooks.routes.js';
import { languageEntryRoutes } from './routes/public/language-entry.routes.js';
import { securityRoutes } from './routes/public/security.routes.js';
import { publicationRoutes } from './routes/api/publication.routes.js';
import { reportRoutes } from './routes/api/reports.routes.js';
import { registerRoutes } from './routes/api/register.routes.js';
import { postureApiRoutes } from './routes/api/posture.routes.js';
import { questionRoutes } from './routes/api/questions.routes.js';
import cookie from '@fastify/cookie';
import { cookieSigningSecret } from './workspace/cookie-secret.js';
import formbody from '@fastify/formbody';
import { workspacePlugin } from './workspace/workspace-plugin.js';
import { caseEvidenceApiRoutes } from './routes/workspace/case-evidence.routes.js';
import { workspaceAssets } from './workspace/workspace-assets.js';
import { fastifyTrustProxy } from '../trust-proxy.js';

/** Builds the HTTP application (not listening); tests drive it with `inject`. */
export async function buildApp(
  ctx: AppContext,
  options: {
    /** true: a pino logger at the configured level; a Logger: that one (tests read its lines). */
    logger?: boolean | Logger;
    onDispatchStarted?: () => void;
    mailCatcher?: MailCatcher | null;
    /** The relay /readyz probes (default: CANDOR_SMTP_URL; null: none). */
    smtpUrl?: string | null;
    /** Background parts /readyz checks; filled in by serve once they run. */
    running?: Record<string, LivenessSource>;
  } = {},
): Promise<FastifyInstance> {
  // Typed as Fastify's logger, so the app keeps Fastify's default logger type parameter.
  const loggerInstance: FastifyBaseLogger | undefined =
    typeof options.logger === 'object' ? options.logger : undefined;
  const app = Fastify({
    ...(loggerInstance
      ? { loggerInstance }
      : { logger: options.logger ? { level: ctx.config.logLevel } : false }),
    ...requestIdOptions(),
    // Only the configured proxies: request.ip and request.protocol are what they vouch for.
    trustProxy: fastifyTrustProxy(ctx.config.trustProxy),
    ...serverTimeoutOptions(ctx.config.http),
  }).withTypeProvider<ZodTypeProvider>();
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  // The API's problem documents; the workspace sets its own HTML pages (workspace-plugin.ts).
  app.setErrorHandler(errorHandler);
  app.setNotFoundHandler((request, reply) => sendProblem(reply, request, 404, 'no such resource'));
  // Before any plugin, so every route (the API reference page's too) gets these hooks.
  registerRequestIdEcho(app);
  // Before the routes, so the latency hook sees every one of them.
  const snapshot = createOpsSnapshot(
    { database: ctx.database },
    { staleWorkerMs: ctx.config.dispatch.staleMs },
  );
  const metrics = ctx.config.metricsToken ? createMetricsRegistry(() => snapshot.read()) : null;
  if (metrics) registerHttpMetrics(app, metrics);
  registerSecurityHeaders(app, ctx.config.publicUrl);
  registerBodyDeadline(app, ctx.config.http.bodyTimeoutMs);
  registerNulGuard(app);
  await app.register(cookie, { secret: cookieSigningSecret(ctx.deps.secret) });

  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Candor API',
        version: '1',
        description:
          'Recall machinery for online services. Authenticate with `Authorization: Bearer <token>` (create one with `candor tokens create USER`). Errors are RFC 9457 problem documents.',
      },
      servers: [{ url: ctx.config.publicUrl }],
      components: {
        securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } },
      },
      security: [{ bearer: [] }],
    },
    transform: jsonSchemaTransform,
  });
  await app.register(swaggerUi, { routePrefix: '/api/docs' });

  registerAuth(app, ctx.deps);

  app.get('/api/openapi.json', { schema: { hide: true } }, () => app.swagger());
  // Browsers ask for it on every site; without it every first visit logs a 404.
  app.get('/favicon.ico', { schema: { hide: true } }, (request, reply) => {
    const icon = workspaceAssets().get('favicon.ico')!;
    reply.header('cache-control', 'public, max-age=86400').header('etag', icon.etag);
    if (request.headers['if-none-match'] === icon.etag) return reply.status(304).send();
    return reply.type(icon.type).send(icon.body);
  });
  const smtpUrl = options.smtpUrl === undefined ? ctx.config.smtpUrl : options.smtpUrl;
  await app.register(
    opsRoutes(ctx, {
      smtp: smtpUrl ? new SmtpProbe(smtpUrl) : null,
      running: options.running ?? {},
      metrics,
    }),
  );

  await app.register(
    async (api) => {
      await api.register(accessRoutes(ctx));
      await api.register(customerRoutes(ctx));
      await api.register(caseRoutes(ctx));
      await api.register(statementRoutes(ctx));
      await api.register(noticeRoutes(ctx, () => options.onDispatchStarted?.()));
      await api.register(bounceRoutes(ctx));
      await api.register(letterRoutes(ctx));
      await api.register(completionRoutes(ctx));
      await api.register(reminderRoutes(ctx));
      await api.register(caseEvidenceApiRoutes(ctx));
      await api.register(productRoutes(ctx));
      await api.register(subscriberRoutes(ctx));
      await api.register(webhookRoutes(ctx));
      await api.register(publicationRoutes(ctx));
      await api.register(reportRoutes(ctx));
      await api.register(registerRoutes(ctx));
      await api.register(assessmentRoutes(ctx));
      await api.register(postureApiRoutes(ctx));
      await api.register(remedyRoutes(ctx));
      await api.register(questionRoutes(ctx));
    },
    { prefix: '/api/v1' },
  );
  await app.register(personalPageRoutes(ctx));
  await app.register(securityRoutes(ctx));
  await app.register(languageEntryRoutes(ctx));
  // CSAF provider, security.txt and the posture page.
  await app.register(csafRoutes(ctx));
  // The public forms (email subscriptions, checking a notice's code) post urlencoded; the
  // parser is theirs alone. The personal page above has its own, smaller one.
  await app.register(async (forms) => {
    await forms.register(formbody, { bodyLimit: 1024 * 1024 });
    await forms.register(subscribeRoutes(ctx));
    await forms.register(verifyNoticeRoutes(ctx));
  });
  // The workspace (web UI): one encapsulated plugin with its hooks, parsers and error pages.
  await app.register(
    workspacePlugin(ctx, {
      onDispatchStarted: () => options.onDispatchStarted?.(),
      mailCatcher: options.mailCatcher ?? null,
    }),
    { prefix: '/app' },
  );
  if (options.mailCatcher) await app.register(mailboxRedirectRoutes());
  return app;
}
