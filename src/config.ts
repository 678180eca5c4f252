import path from 'node:path';
import { z } from 'zod';
import { parseTrustProxy, type TrustProxy } from './trust-proxy.js';

import { LANGUAGES, type Language } from './domain/language.js';
import { isTimeZone } from './domain/time-zone.js';

export { LANGUAGES, isTimeZone, type Language };

const port = z.coerce
  .number({ error: 'must be a number' })
  .int('must be a whole number')
  .min(1, 'must be between 1 and 65535')
  .max(65535, 'must be between 1 and 65535');

const httpUrl = z.url({ protocol: /^https?$/, error: 'must be an http:// or https:// URL' });

const seconds = z.coerce
  .number({ error: 'must be a number' })
  .positive('must be positive')
  .max(86_400, 'must be at most 86400');

const databaseUrl = z
  .string()
  .refine(
    (v) => /^postgres(ql)?:\/\//.test(v) || /^(sqlite:|file:)/.test(v),
    'must be postgres://… or sqlite:PATH',
  );

const smtpUrl = z.string().refine((v) => /^smtps?:\/\//.test(v), 'must be smtp://… or smtps://…');

const envSchema = z.object({
  CANDOR_DATA_DIR: z.string().min(1).default('./data'),
  CANDOR_DATABASE_URL: databaseUrl.optional(),
  CANDOR_HOST: z.string().min(1).default('127.0.0.1'),
  CANDOR_PORT: port.default(8080),
  CANDOR_PUBLIC_URL: httpUrl.optional(),
  CANDOR_SMTP_URL: smtpUrl.optional(),
  CANDOR_DEFAULT_LANGUAGE: z.enum(LANGUAGES, { error: 'must be nl or en' }).default('nl'),
  CANDOR_LOG_LEVEL: z
    .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], {
      error: 'must be one of fatal, error, warn, info, debug, trace, silent',
    })
    .default('info'),
  CANDOR_CATCHER_PORT: port.default(2525),
  CANDOR_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  CANDOR_DISPATCH_RATE: z.coerce
    .number({ error: 'must be a number' })
    .positive('must be positive')
    .optional(),
  CANDOR_DISPATCH_CONNECTIONS: z.coerce
    .number({ error: 'must be a number' })
    .int()
    .min(1)
    .max(64)
    .default(8),
  CANDOR_DISPATCH_INFLIGHT: z.coerce
    .number({ error: 'must be a number' })
    .int()
    .min(1)
    .max(10_000)
    .default(50),
  CANDOR_DISPATCH_MAX_ATTEMPTS: z.coerce
    .number({ error: 'must be a number' })
    .int()
    .min(1)
    .max(100)
    .default(8),
  CANDOR_DISPATCH_RETRY_BASE_SECONDS: z.coerce
    .number({ error: 'must be a number' })
    .positive()
    .default(60),
  // How often a worker says it is alive, and how long a silent worker counts as alive: its
  // claims are requeued only after that, so this is how long a crashed worker's in-flight
  // window waits. Must stay well above the heartbeat, or live workers' claims get requeued.
  CANDOR_DISPATCH_HEARTBEAT_SECONDS: z.coerce
    .number({ error: 'must be a number' })
    .positive('must be positive')
    .default(5),
  CANDOR_DISPATCH_STALE_SECONDS: z.coerce
    .number({ error: 'must be a number' })
    .positive('must be positive')
    .default(15),
  CANDOR_DKIM_DOMAIN: z.string().min(1).optional(),
  CANDOR_DKIM_SELECTOR: z.string().min(1).optional(),
  CANDOR_DKIM_KEY_FILE: z.string().min(1).optional(),
  // Proxies whose X-Forwarded-For/-Proto count: addresses/CIDRs or a hop count (trust-proxy.ts).
  CANDOR_TRUST_PROXY: z
    .string()
    .default('false')
    .transform((v, ctx) => {
      const parsed = parseTrustProxy(v);
      if (parsed.ok) return parsed.value;
      ctx.addIssue({ code: 'custom', message: parsed.message });
      return z.NEVER;
    }),
  // Slow clients: a request's headers, a parsed (form or JSON) body, a whole request (streamed
  // uploads included), a silent connection, an idle keep-alive connection (see app.ts).
  CANDOR_HTTP_HEADERS_TIMEOUT_SECONDS: seconds.default(15),
  CANDOR_HTTP_BODY_TIMEOUT_SECONDS: seconds.default(10),
  CANDOR_HTTP_REQUEST_TIMEOUT_SECONDS: seconds.default(300),
  CANDOR_HTTP_IDLE_TIMEOUT_SECONDS: seconds.default(120),
  CANDOR_HTTP_KEEP_ALIVE_SECONDS: seconds.default(5),
  // The workspace (web UI): session lifetimes and whether admins must use a second factor.
  CANDOR_SESSION_IDLE_MINUTES: z.coerce
    .number({ error: 'must be a number' })
    .int('must be a whole number')
    .min(1, 'must be between 1 and 1440')
    .max(1440, 'must be between 1 and 1440')
    .default(30),
  CANDOR_SESSION_MAX_HOURS: z.coerce
    .number({ error: 'must be a number' })
    .int('must be a whole number')
    .min(1, 'must be between 1 and 168')
    .max(168, 'must be between 1 and 168')
    .default(12),
  CANDOR_REQUIRE_TOTP_FOR_ADMINS: z
    .enum(['true', 'false', '1', '0'], { error: 'must be true or false' })
    .optional()
    .transform((v) => (v === undefined ? undefined : v === 'true' || v === '1')),
  CANDOR_TIME_ZONE: z
    .string()
    .refine(isTimeZone, 'must be an IANA time zone such as Europe/Amsterdam')
    .default('Europe/Amsterdam'),
  // The public record: the OpenPGP key CSAF documents and security.txt are signed with
  // (armored private key; its passphrase, if any, in a file of its own), and the webhook
  // targets that may be in private or loopback ranges (comma-separated host names or IPs).
  CANDOR_OPENPGP_KEY_FILE: z.string().min(1).optional(),
  CANDOR_OPENPGP_PASSPHRASE_FILE: z.string().min(1).optional(),
  // Bearer token for GET /metrics (Prometheus); unset: /metrics answers 404.
  CANDOR_METRICS_TOKEN: z.string().min(16, 'must be at least 16 characters').optional(),
  CANDOR_WEBHOOK_ALLOW_HOSTS: z
    .string()
    .default('')
    .transform((v) =>
      v
        .split(',')
        .map((h) =>
          h
            .trim()
            .toLowerCase()
            .replace(/^\[|\]$/g, ''),
        )
        .filter(Boolean),
    ),
});

export type DatabaseConfig =
  { dialect: 'sqlite'; file: string } | { dialect: 'postgres'; url: string; schema?: string };

/** The whole runtime configuration, parsed once from the environment. */
export interface Config {
  dataDir: string;
  database: DatabaseConfig;
  host: string;
  port: number;
  publicUrl: string;
  /** null: the embedded mail catcher receives everything (the demo default). */
  smtpUrl: string | null;
  catcherPort: number;
  defaultLanguage: Language;
  logLevel: z.infer<typeof envSchema>['CANDOR_LOG_LEVEL'];
  /** Proxies trusted for the client address and scheme (see trust-proxy.ts). */
  trustProxy: TrustProxy;
  /** Timeouts against slow or stalled clients, in milliseconds. */
  http: {
    /** All request headers must have arrived by then. */
    headersTimeoutMs: number;
    /** A body Candor parses whole (forms, JSON) must have arrived by then. */
    bodyTimeoutMs: number;
    /** The whole request, streamed uploads included, must have arrived by then. */
    requestTimeoutMs: number;
    /** A connection on which nothing moves this long is closed. */
    idleTimeoutMs: number;
    /** An idle keep-alive connection is closed after this. */
    keepAliveTimeoutMs: number;
  };
  /** Key for personal-page tokens; null = a random key kept in the data dir (see secret.ts). */
  secret: string | null;
  dispatch: {
    rate: number | null;
    connections: number;
    inFlight: number;
    maxAttempts: number;
    retryBaseMs: number;
    /** Worker heartbeat interval. */
    heartbeatMs: number;
    /** A worker silent this long is presumed dead and its claims are requeued. */
    staleMs: number;
  };
  dkim: { domainName: string; keySelector: string; keyFile: string } | null;
  workspace: {
    /** A session unused this long ends. */
    idleMs: number;
    /** A session ends this long after login, used or not. */
    maxAgeMs: number;
    /** Admins must enrol and use TOTP; default: true when the public URL is https. */
    requireTotpForAdmins: boolean;
    /** The time zone of users who did not choose one. */
    defaultTimeZone: string;
  };
  /** The OpenPGP signing key of the public record (CSAF, security.txt), or null: unsigned. */
  openpgp: { keyFile: string; passphraseFile: string | null } | null;
  webhooks: {
    /** Hosts (names or IP literals) webhooks may target even in private/loopback ranges. */
    allowHosts: readonly string[];
  };
  /** The bearer token Prometheus presents at /metrics; null: no /metrics endpoint. */
  metricsToken: string | null;
}

/** Thrown with every invalid setting at once, so an operator fixes them in one go. */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/**
 * Parses the CANDOR_* variables; throws ConfigError listing every problem. `defaults` are
 * variables an entry point sets unless the environment does (the demo's quieter log level).
 */
export function loadConfig(
  env: Record<string, string | undefined> = process.env,
  defaults: Record<string, string> = {},
): Config {
  env = { ...defaults, ...Object.fromEntries(Object.entries(env).filter(([, v]) => v)) };
  const relevant = Object.fromEntries(
    Object.entries(env).filter(([k, v]) => k.startsWith('CANDOR_') && v !== undefined && v !== ''),
  );
  const parsed = envSchema.safeParse(relevant);
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((issue) => {
        const key = String(issue.path[0] ?? 'environment');
        const value = relevant[key];
        return `${key}${value === undefined ? '' : ` (${JSON.stringify(value)})`}: ${issue.message}`;
      }),
    );
  }
  const e = parsed.data;
  if (e.CANDOR_DISPATCH_STALE_SECONDS < 2 * e.CANDOR_DISPATCH_HEARTBEAT_SECONDS) {
    throw new ConfigError([
      `CANDOR_DISPATCH_STALE_SECONDS (${e.CANDOR_DISPATCH_STALE_SECONDS}): must be at least twice CANDOR_DISPATCH_HEARTBEAT_SECONDS (${e.CANDOR_DISPATCH_HEARTBEAT_SECONDS})`,
    ]);
  }
  if (e.CANDOR_HTTP_HEADERS_TIMEOUT_SECONDS > e.CANDOR_HTTP_REQUEST_TIMEOUT_SECONDS) {
    throw new ConfigError([
      `CANDOR_HTTP_HEADERS_TIMEOUT_SECONDS (${e.CANDOR_HTTP_HEADERS_TIMEOUT_SECONDS}): must not exceed CANDOR_HTTP_REQUEST_TIMEOUT_SECONDS (${e.CANDOR_HTTP_REQUEST_TIMEOUT_SECONDS})`,
    ]);
  }
  const dataDir = path.resolve(e.CANDOR_DATA_DIR);
  const publicUrl = (e.CANDOR_PUBLIC_URL ?? `http://localhost:${e.CANDOR_PORT}`).replace(
    /\/+$/,
    '',
  );
  return Object.freeze({
    dataDir,
    database: parseDatabaseUrl(e.CANDOR_DATABASE_URL, dataDir),
    host: e.CANDOR_HOST,
    port: e.CANDOR_PORT,
    publicUrl,
    smtpUrl: e.CANDOR_SMTP_URL ?? null,
    catcherPort: e.CANDOR_CATCHER_PORT,
    defaultLanguage: e.CANDOR_DEFAULT_LANGUAGE,
    logLevel: e.CANDOR_LOG_LEVEL,
    trustProxy: e.CANDOR_TRUST_PROXY,
    http: {
      headersTimeoutMs: e.CANDOR_HTTP_HEADERS_TIMEOUT_SECONDS * 1000,
      bodyTimeoutMs: e.CANDOR_HTTP_BODY_TIMEOUT_SECONDS * 1000,
      requestTimeoutMs: e.CANDOR_HTTP_REQUEST_TIMEOUT_SECONDS * 1000,
      idleTimeoutMs: e.CANDOR_HTTP_IDLE_TIMEOUT_SECONDS * 1000,
      keepAliveTimeoutMs: e.CANDOR_HTTP_KEEP_ALIVE_SECONDS * 1000,
    },
    secret: e.CANDOR_SECRET ?? null,
    dispatch: {
      rate: e.CANDOR_DISPATCH_RATE ?? null,
      connections: e.CANDOR_DISPATCH_CONNECTIONS,
      inFlight: e.CANDOR_DISPATCH_INFLIGHT,
      maxAttempts: e.CANDOR_DISPATCH_MAX_ATTEMPTS,
      retryBaseMs: e.CANDOR_DISPATCH_RETRY_BASE_SECONDS * 1000,
      heartbeatMs: e.CANDOR_DISPATCH_HEARTBEAT_SECONDS * 1000,
      staleMs: e.CANDOR_DISPATCH_STALE_SECONDS * 1000,
    },
    dkim:
      e.CANDOR_DKIM_DOMAIN && e.CANDOR_DKIM_SELECTOR && e.CANDOR_DKIM_KEY_FILE
        ? {
            domainName: e.CANDOR_DKIM_DOMAIN,
            keySelector: e.CANDOR_DKIM_SELECTOR,
            keyFile: e.CANDOR_DKIM_KEY_FILE,
          }
        : null,
    workspace: {
      idleMs: e.CANDOR_SESSION_IDLE_MINUTES * 60_000,
      maxAgeMs: e.CANDOR_SESSION_MAX_HOURS * 3_600_000,
      // A deployment reachable over https is a real one: admins there need a second factor.
      // The local demo on http://localhost does not ask for one unless told to.
      requireTotpForAdmins: e.CANDOR_REQUIRE_TOTP_FOR_ADMINS ?? publicUrl.startsWith('https:'),
      defaultTimeZone: e.CANDOR_TIME_ZONE,
    },
    openpgp: e.CANDOR_OPENPGP_KEY_FILE
      ? {
          keyFile: path.resolve(e.CANDOR_OPENPGP_KEY_FILE),
          passphraseFile: e.CANDOR_OPENPGP_PASSPHRASE_FILE
            ? path.resolve(e.CANDOR_OPENPGP_PASSPHRASE_FILE)
            : null,
        }
      : null,
    webhooks: { allowHosts: Object.freeze([...e.CANDOR_WEBHOOK_ALLOW_HOSTS]) },
    metricsToken: e.CANDOR_METRICS_TOKEN ?? null,
  });
}

function parseDatabaseUrl(url: string | undefined, dataDir: string): DatabaseConfig {
  if (url === undefined) return { dialect: 'sqlite', file: path.join(dataDir, 'candor.db') };
  if (url.startsWith('postgres')) return { dialect: 'postgres', url };
  const file = url.replace(/^(sqlite|file):(\/\/)?/, '');
  return { dialect: 'sqlite', file: file === ':memory:' ? file : path.resolve(file) };
}
