import { sql } from 'kysely';
import type { SmtpProbe } from '../../channels/email/smtp-probe.js';
import type { Database } from '../../store/database.js';
import { allMigrations } from '../../store/migrations/index.js';
import { readLatestMigration } from '../../store/ops-metrics.repository.js';

/** One part of readiness: whether it is fine, and a short human line on why (not). */
export interface CheckResult {
  ok: boolean;
  detail: string;
}

export interface ReadinessReport {
  ready: boolean;
  /** The parts that failed, by name: what an operator looks at first. */
  failing: string[];
  checks: Record<string, CheckResult>;
}

/** Something that runs in this process and can say whether it still does (the worker). */
export interface LivenessSource {
  alive(): boolean;
}

export interface ReadinessDeps {
  database: Database;
  /** The mail relay this process sends through; null: it sends nothing itself. */
  smtp: SmtpProbe | null;
  /** Background parts this process runs (the dispatch worker), by name. */
  running?: Record<string, LivenessSource>;
}

/**
 * Whether this process can do its work: the database answers and carries every migration
 * this version knows, the mail relay answers EHLO (cached, see SmtpProbe), and the background
 * parts it runs are alive. A newer schema (another process ran a later version's migrations)
 * counts as ready: migrations only add, so an old process keeps working during an upgrade.
 */
export async function checkReadiness(deps: ReadinessDeps): Promise<ReadinessReport> {
  const checks: Record<string, CheckResult> = {};
  const [database, smtp] = await Promise.all([
    checkDatabase(deps.database),
    deps.smtp?.check().then((r) => ({ ok: r.ok, detail: r.detail })),
  ]);
  checks.database = database;
  if (smtp) checks.smtp = smtp;
  for (const [name, source] of Object.entries(deps.running ?? {})) {
    const ok = source.alive();
    checks[name] = { ok, detail: ok ? 'running' : 'not running or its heartbeat stopped' };
  }
  const failing = Object.entries(checks)
    .filter(([, c]) => !c.ok)
    .map(([name]) => name);
  return { ready: failing.length === 0, failing, checks };
}

async function checkDatabase(database: Database): Promise<CheckResult> {
  const expected = Object.keys(allMigrations(database.dialect)).sort().at(-1) ?? null;
  try {
    await sql`select 1`.execute(database.db);
  } catch (error) {
    return { ok: false, detail: `unreachable: ${(error as Error).message}` };
  }
  let latest: string | null;
  try {
    latest = await readLatestMigration(database.db);
  } catch {
    latest = null; // no migration table yet
  }
  if (expected !== null && (latest === null || latest < expected)) {
    return {
      ok: false,
      detail: `not migrated: at ${latest ?? 'nothing'}, this version needs ${expected} (run candor migrate)`,
    };
  }
  return { ok: true, detail: `reachable, migrated to ${latest ?? 'nothing'}` };
}
