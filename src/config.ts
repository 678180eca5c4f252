import path from 'node:path';
import { z } from 'zod';

/** Languages Candor writes notices in. */
export const LANGUAGES = ['nl', 'en'] as const;
export type Language = (typeof LANGUAGES)[number];

const port = z.coerce
  .number({ error: 'must be a number' })
  .int('must be a whole number')
  .min(1, 'must be between 1 and 65535')
  .max(65535, 'must be between 1 and 65535');

const httpUrl = z.url({ protocol: /^https?$/, error: 'must be an http:// or https:// URL' });

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
  CANDOR_TRUST_PROXY: z
    .enum(['true', 'false', '1', '0'], { error: 'must be true or false' })
    .default('false')
    .transform((v) => v === 'true' || v === '1'),
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
  smtpUrl: string | null;
  defaultLanguage: Language;
  logLevel: z.infer<typeof envSchema>['CANDOR_LOG_LEVEL'];
  trustProxy: boolean;
}

/** Thrown with every invalid setting at once, so an operator fixes them in one go. */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** Parses the CANDOR_* variables; throws ConfigError listing every problem. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
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
  const dataDir = path.resolve(e.CANDOR_DATA_DIR);
  return Object.freeze({
    dataDir,
    database: parseDatabaseUrl(e.CANDOR_DATABASE_URL, dataDir),
    host: e.CANDOR_HOST,
    port: e.CANDOR_PORT,
    publicUrl: (e.CANDOR_PUBLIC_URL ?? `http://localhost:${e.CANDOR_PORT}`).replace(/\/+$/, ''),
    smtpUrl: e.CANDOR_SMTP_URL ?? null,
    defaultLanguage: e.CANDOR_DEFAULT_LANGUAGE,
    logLevel: e.CANDOR_LOG_LEVEL,
    trustProxy: e.CANDOR_TRUST_PROXY,
  });
}

function parseDatabaseUrl(url: string | undefined, dataDir: string): DatabaseConfig {
  if (url === undefined) return { dialect: 'sqlite', file: path.join(dataDir, 'candor.db') };
  if (url.startsWith('postgres')) return { dialect: 'postgres', url };
  const file = url.replace(/^(sqlite|file):(\/\/)?/, '');
  return { dialect: 'sqlite', file: file === ':memory:' ? file : path.resolve(file) };
}
