import { seedDemoPosture } from './demo-posture.js';
import fs from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { systemActor, type Role } from '../domain/access.js';
import { importCustomers } from '../services/customers/customer-import.service.js';
import { createApiToken, createUser } from '../services/access/user.service.js';
import { countCustomers } from '../store/customer.repository.js';
import { listUsers } from '../store/user.repository.js';
import type { AppContext } from '../wiring.js';
import { customersToCsv } from './customer-generator.js';
import { seedDemoCases } from './demo-cases.js';
import { seedDemoAssessment } from './demo-assessment.js';
import { seedDemoPublication } from './demo-publication.js';
import { seedDemoReports } from './demo-reports.js';
import { seedDemoQuestions } from './demo-questions.js';
import { reapproveDemoReminders } from './demo-reminders.js';

/** The people of the fictitious hosting company the demo runs as. */
const DEMO_USERS: { username: string; displayName: string; roles: Role[] }[] = [
  { username: 'admin', displayName: 'Ada Admin', roles: ['admin'] },
  { username: 'sanne', displayName: 'Sanne de Vries (security lead)', roles: ['responder'] },
  { username: 'joost', displayName: 'Joost Bakker (communications)', roles: ['communicator'] },
  { username: 'fatima', displayName: 'Fatima El Amrani (DPO, approver)', roles: ['approver'] },
  { username: 'viewer', displayName: 'Vera Kijker', roles: ['viewer'] },
];

interface Credentials {
  users: { username: string; roles: Role[]; password: string }[];
  adminToken: string;
}

/** What the demo start-up prints. */
export interface DemoInfo {
  users: { username: string; roles: Role[] }[];
  credentialsFile: string;
  adminToken: string;
  customers: number;
  cases: string[];
}

/**
 * Seeds an empty store once: demo users with generated passwords (kept in the data dir,
 * readable only by the owner) and a synthetic customer registry. Later starts reuse them.
 */
export async function seedDemo(ctx: AppContext, options: { customers: number }): Promise<DemoInfo> {
  const credentialsFile = path.join(ctx.config.dataDir, 'demo-credentials.json');
  const actor = systemActor('demo');
  let credentials: Credentials;
  if ((await listUsers(ctx.database.db)).length === 0) {
    const users: Credentials['users'] = [];
    for (const u of DEMO_USERS) {
      const { generatedPassword } = await createUser(actor, { ...u, language: 'nl' }, ctx.deps);
      users.push({ username: u.username, roles: u.roles, password: generatedPassword! });
    }
    const { token } = await createApiToken(actor, 'admin', { label: 'demo' }, ctx.deps);
    credentials = { users, adminToken: token };
    fs.mkdirSync(ctx.config.dataDir, { recursive: true, mode: 0o700 });
    fs.writeFileSync(credentialsFile, `${JSON.stringify(credentials, null, 2)}\n`, { mode: 0o600 });
  } else if (fs.existsSync(credentialsFile)) {
    credentials = JSON.parse(fs.readFileSync(credentialsFile, 'utf8')) as Credentials;
  } else {
    // Users exist but the demo file is gone (a real install, or it was deleted): mint a
    // fresh admin token rather than guess, and show no passwords.
    const admin = (await listUsers(ctx.database.db)).find((u) => u.username === 'admin');
    if (!admin)
      throw new Error('this data directory has users but no demo admin; use `candor serve`');
    const { token } = await createApiToken(actor, 'admin', { label: 'demo' }, ctx.deps);
    credentials = { users: [], adminToken: token };
  }
  let customers = await countCustomers(ctx.database.db);
  if (customers === 0 && options.customers > 0) {
    const summary = await importCustomers(
      actor,
      Readable.from(chunked(customersToCsv(options.customers))),
      { source: 'demo seed' },
      ctx.deps,
    );
    customers = summary.inserted;
  }
  const cases = await seedDemoCases(ctx);
  await seedDemoAssessment(ctx);
  // The report first: the public notice says the authority was told, which must be on record.
  await seedDemoReports(ctx);
  await seedDemoPublication(ctx);
  await seedDemoPosture(ctx);
  await seedDemoQuestions(ctx);
  // Last: the report and the publication above changed facts the reminder's approval used.
  await reapproveDemoReminders(ctx);
  return {
    users: credentials.users.map(({ username, roles }) => ({ username, roles })),
    credentialsFile,
    adminToken: credentials.adminToken,
    customers,
    cases,
  };
}

/** Joins generated lines into 64 KiB chunks, like a file stream delivers them. */
function* chunked(lines: Iterable<string>): Generator<string> {
  let buffer = '';
  for (const line of lines) {
    buffer += line;
    if (buffer.length >= 1 << 16) {
      yield buffer;
      buffer = '';
    }
  }
  if (buffer) yield buffer;
}
