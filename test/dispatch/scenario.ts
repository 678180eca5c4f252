/**
 * Test data for the dispatch: a registry of synthetic customers, the people who run a case
 * (joost writes, fatima approves, sanne responds, vera watches), an incident case with its
 * affected set, a notice from the built-in template approved by fatima and, when asked, a
 * dispatch started by sanne. Everything goes through the services, as the CLI and API do.
 */
import { Readable } from 'node:stream';
import { loadConfig } from '../../src/config.js';
import { systemActor, type Actor, type Role } from '../../src/domain/access.js';
import { generateCustomers, customersToCsv } from '../../src/demo/customer-generator.js';
import type { SyntheticCustomer } from '../../src/demo/customer-generator.js';
import type { EmailTransport } from '../../src/channels/email/email-transport.js';
import type { DispatchWorker } from '../../src/dispatch/dispatch-worker.js';
import { importAffected, setAffectedFilter } from '../../src/services/cases/affected.service.js';
import { createCase } from '../../src/services/cases/case.service.js';
import { importCustomers } from '../../src/services/customers/customer-import.service.js';
import {
  getDispatchProgress,
  startDispatch,
  type DispatchProgress,
} from '../../src/services/dispatch/dispatch.service.js';
import { approveNotice, createNotice } from '../../src/services/notices/notice.service.js';
import { createUser } from '../../src/services/access/user.service.js';
import type { Dialect } from '../../src/store/database.js';
import type { DeliveryRow } from '../../src/store/schema.js';
import { contextOn, type AppContext } from '../../src/wiring.js';
import { createTransport, createWorker } from '../../src/dispatch/worker-wiring.js';
import { createTestDatabase, type TestDatabase } from '../support/databases.js';

/** The personal-page key of every test context, and of the `candor worker` children. */
export const TEST_SECRET = 'test-secret-test-secret-test-secret-0123';

export type DispatchTestContext = AppContext & { testDb: TestDatabase };

/** A context on a fresh database; `env` adds CANDOR_* settings (e.g. a tiny retry base). */
export async function createDispatchContext(
  dialect: Dialect,
  env: Record<string, string> = {},
): Promise<DispatchTestContext> {
  const testDb = await createTestDatabase(dialect);
  const config = {
    ...loadConfig({ CANDOR_SECRET: TEST_SECRET, ...env }),
    database: testDb.config,
  };
  return { ...contextOn(config, testDb.database), testDb, close: () => testDb.destroy() };
}

/** The cast of a case, as actors the services accept. */
export interface People {
  admin: Actor;
  joost: Actor;
  fatima: Actor;
  sanne: Actor;
  vera: Actor;
}

export interface ScenarioOptions {
  /** Synthetic customers imported into the registry (default 20). */
  customers?: number;
  seed?: number;
  /**
   * The affected set: 'list' (default) uploads every customer with impact columns `data`
   * and `domains`; a string is a filter over the registry instead.
   */
  affected?: 'list' | { filter: string };
  /** Where to stop: after the notice is written, approved (default) or dispatched. */
  until?: 'notice' | 'approved' | 'dispatched';
}

export interface Scenario {
  people: People;
  caseId: number;
  noticeId: number;
  customers: SyntheticCustomer[];
  /** The impact values uploaded per external id ('list' only). */
  impact: Map<string, { data: string; domains: string }>;
  dispatch: DispatchProgress | null;
}

const ROLES: Record<Exclude<keyof People, 'admin'>, Role> = {
  joost: 'communicator',
  fatima: 'approver',
  sanne: 'responder',
  vera: 'viewer',
};

/** Creates the users once per database (they share it between scenarios). */
export async function createPeople(ctx: AppContext): Promise<People> {
  const admin = systemActor('test');
  const people = { admin } as People;
  for (const [username, role] of Object.entries(ROLES) as [keyof typeof ROLES, Role][]) {
    const { user } = await createUser(
      admin,
      { username, roles: [role], password: 'correct horse battery staple' },
      ctx.deps,
    );
    people[username] = {
      kind: 'user',
      userId: user.id,
      name: username,
      roles: [role],
      source: 'test',
    };
  }
  return people;
}

/** Imports `count` synthetic customers (idempotent: the import upserts by external id). */
export async function importRegistry(
  ctx: AppContext,
  count: number,
  seed: number,
): Promise<SyntheticCustomer[]> {
  const csv = [...customersToCsv(count, seed)].join('');
  const summary = await importCustomers(
    systemActor(),
    Readable.from([csv]),
    { source: 'test' },
    ctx.deps,
  );
  if (summary.rejected > 0) throw new Error(`${summary.rejected} customers were rejected`);
  return [...generateCustomers(count, seed)];
}

/** The impact a customer gets in the uploaded list: distinct per customer, so mails differ. */
export function impactOf(c: SyntheticCustomer): { data: string; domains: string } {
  return { data: `invoices of ${c.external_id}`, domains: c.domains.split(';')[0] ?? '' };
}

/** An affected list as CSV: external_id plus the impact columns. */
export function affectedCsv(customers: SyntheticCustomer[]): string {
  const rows = customers.map((c) => {
    const { data, domains } = impactOf(c);
    return `${c.external_id},${data},${domains}\n`;
  });
  return `external_id,data,domains\n${rows.join('')}`;
}

/** Builds a case up to the step `until`; `people` come from createPeople on the same ctx. */
export async function buildScenario(
  ctx: AppContext,
  people: People,
  options: ScenarioOptions = {},
): Promise<Scenario> {
  const customers = await importRegistry(ctx, options.customers ?? 20, options.seed ?? 7);
  const kase = await createCase(
    people.sanne,
    {
      kind: 'incident',
      title: 'Customer database copied by an attacker',
      summary: 'An attacker copied part of our customer database through a stolen admin key.',
      statements: {
        what_happened: {
          en: 'An attacker copied part of our customer database through a stolen admin key.',
          nl: 'Een aanvaller kopieerde een deel van onze klantendatabase met een gestolen beheersleutel.',
        },
      },
      detectedAt: '2026-11-26T21:10:00Z',
      awareAt: '2026-11-27T02:45:00Z',
    },
    ctx.deps,
  );
  const impact = new Map<string, { data: string; domains: string }>();
  const affected = options.affected ?? 'list';
  if (affected === 'list') {
    for (const c of customers) impact.set(c.external_id, impactOf(c));
    const summary = await importAffected(
      people.sanne,
      kase.id,
      Readable.from([affectedCsv(customers)]),
      { source: 'test' },
      ctx.deps,
    );
    if (summary.rejected > 0) throw new Error(`${summary.rejected} affected rows were rejected`);
  } else {
    await setAffectedFilter(people.sanne, kase.id, affected.filter, ctx.deps);
  }
  const notice = await createNotice(people.joost, kase.id, {}, ctx.deps);
  const scenario: Scenario = {
    people,
    caseId: kase.id,
    noticeId: notice.id,
    customers,
    impact,
    dispatch: null,
  };
  const until = options.until ?? 'approved';
  if (until === 'notice') return scenario;
  await approveNotice(people.fatima, notice.id, {}, ctx.deps);
  if (until === 'approved') return scenario;
  scenario.dispatch = await startDispatch(people.sanne, notice.id, ctx.deps);
  return scenario;
}

/** Worker settings a test may change; inFlight and retryBaseMs override the context's config. */
export interface WorkerOptions {
  inFlight?: number;
  retryBaseMs?: number;
  staleMs?: number;
  heartbeatMs?: number;
  pollMs?: number;
  log?: (message: string, fields?: Record<string, unknown>) => void;
}

/** An in-process worker towards an SMTP URL, not started; close() ends its connection pool. */
export function makeWorker(
  ctx: AppContext,
  smtpUrl: string,
  options: WorkerOptions = {},
): { worker: DispatchWorker; transport: EmailTransport } {
  const { inFlight, retryBaseMs, log, ...overrides } = options;
  const dispatch = {
    ...ctx.config.dispatch,
    ...(inFlight ? { inFlight } : {}),
    ...(retryBaseMs ? { retryBaseMs } : {}),
  };
  const config = { ...ctx.config, dispatch };
  const transport = createTransport(config, smtpUrl);
  const worker = createWorker({ ...ctx, config }, transport, log, {
    pollMs: 20,
    ...overrides,
  });
  return { worker, transport };
}

/** A started in-process worker, polling fast; stop() ends it and its connection pool. */
export async function runWorker(
  ctx: AppContext,
  smtpUrl: string,
  options: WorkerOptions = {},
): Promise<{ worker: DispatchWorker; stop(): Promise<void> }> {
  const { worker, transport } = makeWorker(ctx, smtpUrl, options);
  await worker.start();
  return {
    worker,
    async stop() {
      await worker.stop();
      transport.close();
    },
  };
}

/** Polls the dispatch until `done` says so; fails after timeoutMs with the last progress. */
export async function waitForDispatch(
  ctx: AppContext,
  dispatchId: number,
  done: (p: DispatchProgress) => boolean = (p) => p.state === 'completed',
  timeoutMs = 20_000,
): Promise<DispatchProgress> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const progress = await getDispatchProgress(systemActor(), dispatchId, ctx.deps);
    if (done(progress)) return progress;
    if (Date.now() > deadline) {
      throw new Error(
        `dispatch ${dispatchId} not done in ${timeoutMs} ms: ${JSON.stringify(progress)}`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** Every delivery of a dispatch, in id order. */
export async function deliveriesOf(ctx: AppContext, dispatchId: number): Promise<DeliveryRow[]> {
  return ctx.database.db
    .selectFrom('deliveries')
    .selectAll()
    .where('dispatch_id', '=', dispatchId)
    .orderBy('id')
    .execute();
}
