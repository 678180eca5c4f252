import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyPluginAsync } from 'fastify';
import type { Registry } from 'prom-client';
import type { SmtpProbe } from '../../../channels/email/smtp-probe.js';
import {
  checkReadiness,
  type LivenessSource,
  type ReadinessReport,
} from '../../../services/operations/readiness.service.js';
import type { AppContext } from '../../../wiring.js';

export interface OpsRouteOptions {
  /** The relay this process sends through; null: no SMTP check. */
  smtp: SmtpProbe | null;
  /** Background parts this process runs, read at each check (the worker starts later). */
  running: Record<string, LivenessSource>;
  /** The metrics registry, or null when no CANDOR_METRICS_TOKEN is set. */
  metrics: Registry | null;
}

/**
 * /healthz (the process answers), /readyz (it can do its work) and /metrics (Prometheus).
 * Health and readiness are unauthenticated and cheap, for load balancers and orchestrators;
 * readiness names the failing parts but keeps their details (addresses, driver messages) for
 * the log. Metrics need the bearer token from CANDOR_METRICS_TOKEN.
 */
export function opsRoutes(ctx: AppContext, options: OpsRouteOptions): FastifyPluginAsync {
  return async (app: FastifyInstance) => {
    await Promise.resolve();
    const hide = { schema: { hide: true }, config: { permission: 'public' as const } };

    app.get('/healthz', hide, () => ({ status: 'ok' }));

    let lastFailing = '';
    app.get('/readyz', hide, async (request, reply) => {
      const report: ReadinessReport = await checkReadiness({
        database: ctx.database,
        smtp: options.smtp,
        running: options.running,
      });
      const failing = report.failing.join(',');
      // Logged when the set of failing parts changes, not on every poll of a load balancer.
      if (failing !== lastFailing) {
        lastFailing = failing;
        request.log[failing ? 'warn' : 'info']({ checks: report.checks }, 'readiness changed');
      }
      const checks = Object.fromEntries(
        Object.entries(report.checks).map(([name, c]) => [name, c.ok ? 'ok' : 'failing']),
      );
      reply.header('cache-control', 'no-store');
      if (report.ready) return { status: 'ready', checks };
      return reply.status(503).send({ status: 'unavailable', failing: report.failing, checks });
    });

    const expected = ctx.config.metricsToken ? digest(ctx.config.metricsToken) : null;
    app.get('/metrics', hide, async (request, reply) => {
      if (!options.metrics || !expected) {
        return reply.status(404).send({ status: 'no metrics endpoint: set CANDOR_METRICS_TOKEN' });
      }
      const given = /^Bearer (.+)$/i.exec(request.headers.authorization ?? '')?.[1];
      if (!given || !timingSafeEqual(digest(given), expected)) {
        return reply
          .status(401)
          .header('www-authenticate', 'Bearer realm="metrics"')
          .send({ status: 'a valid metrics token is required' });
      }
      const body = await options.metrics.metrics();
      return reply.header('cache-control', 'no-store').type(options.metrics.contentType).send(body);
    });
  };
}

/** Compared as digests: equal length, so timingSafeEqual never throws on a wrong length. */
function digest(token: string): Buffer {
  return createHash('sha256').update(token).digest();
}
