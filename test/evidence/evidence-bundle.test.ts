import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { unzipSync, zipSync, strFromU8, strToU8 } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemActor } from '../../src/domain/access.js';
import { listAudit } from '../../src/services/access/audit.service.js';
import { requireCase } from '../../src/services/cases/case.service.js';
import { recordFacts } from '../../src/services/assessment/assessment.service.js';
import { createReport } from '../../src/services/reports/report.service.js';
import { runCandor, type CandorRun } from '../support/candor-process.js';
import { DIALECTS, databaseUrl } from '../support/databases.js';
import {
  buildScenario,
  createDispatchContext,
  createPeople,
  type DispatchTestContext,
  type Scenario,
} from '../dispatch/scenario.js';
import { BREACH_FACTS, breachCase } from '../reports/report-fixture.js';

const hasUnzip = spawnSync('unzip', ['-v']).status === 0;

/** Reads every file of a zip with the library (small test bundles only). */
function readBundle(file: string): Record<string, Uint8Array> {
  return unzipSync(new Uint8Array(fs.readFileSync(file)));
}

/** Writes a copy of a bundle with one file's text changed by `edit`. */
function tamper(
  from: string,
  to: string,
  name: string,
  edit: (text: string) => string,
): Record<string, Uint8Array> {
  const files = readBundle(from);
  const before = strFromU8(files[name]!);
  const after = edit(before);
  expect(after).not.toBe(before);
  files[name] = strToU8(after);
  fs.writeFileSync(to, zipSync(files));
  return files;
}

/** `candor export case` and `candor verify-bundle`, as an operator and an auditor run them. */
describe.each(DIALECTS)('evidence bundle on %s', { timeout: 240_000 }, (dialect) => {
  let ctx: DispatchTestContext;
  let dir: string;
  let scenario: Scenario;
  let reference: string;
  let quietReference: string;
  let bundle: string;
  let manifestSha: string;

  const candor = (args: string[]): Promise<CandorRun> =>
    runCandor(args, { dataDir: dir, databaseUrl: databaseUrl(ctx.testDb.config) });

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'candor-evidence-'));
    ctx = await createDispatchContext(dialect);
    const people = await createPeople(ctx);
    scenario = await buildScenario(ctx, people, { customers: 12, until: 'dispatched' });
    reference = (await requireCase(ctx.database.db, scenario.caseId)).reference;
    await recordFacts(people.sanne, reference, BREACH_FACTS, ctx.deps);
    await createReport(people.sanne, reference, 'gdpr-art33', { database: ctx.database });
    // A second case, without notices or dispatch: its entries are in the chain range of the
    // first bundle, as links only.
    quietReference = (await breachCase(ctx.database, { title: 'Quiet case' })).reference;
    bundle = path.join(dir, 'bundle.zip');
  }, 180_000);
  afterAll(async () => {
    await ctx.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('exports a case with its deliveries, reports and audit slice, and the bundle verifies', async () => {
    const run = await candor(['export', 'case', reference, '--out', bundle]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const hash = /manifest\.json SHA-256: ([0-9a-f]{64})/.exec(run.stdout);
    expect(hash, run.stdout).not.toBeNull();
    manifestSha = hash![1]!;
    expect(run.stdout).toContain('12 deliveries, 12 recipients');

    const files = readBundle(bundle);
    const names = Object.keys(files);
    for (const name of [
      'manifest.json',
      'case.json',
      'timeline.json',
      'assessment.json',
      'notices.json',
      'dispatches.json',
      'deliveries.csv',
      'recipients.csv',
      'remedies.json',
      'remedy-completions.csv',
      'audit/anchor.json',
      'audit/chain.jsonl',
    ]) {
      expect(names).toContain(name);
    }
    expect(names.filter((n) => n.startsWith('reports/') && n.endsWith('.json'))).toHaveLength(1);
    expect(names.filter((n) => n.startsWith('reports/') && n.endsWith('.pdf'))).toHaveLength(2);
    expect(strFromU8(files[names.find((n) => n.endsWith('.pdf'))!]!.subarray(0, 5))).toBe('%PDF-');

    const csv = strFromU8(files['deliveries.csv']!).trimEnd().split('\n');
    expect(csv[0]).toBe(
      'dispatch_id,notice_id,delivery_id,external_id,channel,address,state,attempts,message_id,sent_at,next_attempt_at,updated_at,response',
    );
    expect(csv).toHaveLength(13);
    const externalIds = csv.slice(1).map((line) => line.split(',')[3]);
    expect(externalIds.sort()).toEqual(scenario.customers.map((c) => c.external_id).sort());
    expect(csv[1]).toMatch(/,email,.+@.+,queued,0,<.+>,/);

    const recipients = strFromU8(files['recipients.csv']!).trimEnd().split('\n');
    expect(recipients[0]).toBe('recipient_id,external_id,language,acknowledged_at,remedied_at');
    expect(recipients).toHaveLength(13);
    expect(strFromU8(files['remedy-completions.csv']!)).toBe(
      'remedy_key,recipient_id,external_id,customer_confirmed_at,provider_confirmed_at,completed_at,updated_at\n',
    );

    const notices = JSON.parse(strFromU8(files['notices.json']!)) as {
      approvals: { approvedBy: string; snapshot: unknown }[];
    }[];
    expect(notices[0]!.approvals[0]).toMatchObject({ approvedBy: 'fatima' });
    expect(notices[0]!.approvals[0]!.snapshot).toBeTruthy();

    const manifest = JSON.parse(strFromU8(files['manifest.json']!)) as {
      files: { path: string }[];
    };
    expect(manifest.files.map((f) => f.path).sort()).toEqual(
      names.filter((n) => n !== 'manifest.json').sort(),
    );

    const chain = strFromU8(files['audit/chain.jsonl']!)
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l) as { seq: number; action?: string; objectId?: string });
    const actions = chain.flatMap((e) => (e.action ? [e.action] : []));
    expect(actions).toEqual(
      expect.arrayContaining(['case.create', 'notice.approve', 'dispatch.start', 'report.create']),
    );
    // The quiet case's creation lies inside the range but is not this case's: a link only.
    const quietId = String((await requireCase(ctx.database.db, quietReference)).id);
    expect(chain.some((e) => e.action === 'case.create' && e.objectId === quietId)).toBe(false);
    expect(chain.some((e) => e.action === undefined)).toBe(true);
    const anchor = JSON.parse(strFromU8(files['audit/anchor.json']!)) as { seq: number };
    expect(chain.at(-1)!.seq).toBe(anchor.seq);

    if (hasUnzip) {
      const listing = spawnSync('unzip', ['-l', bundle], { encoding: 'utf8' });
      expect(listing.status).toBe(0);
      expect(listing.stdout).toContain('deliveries.csv');
      expect(listing.stdout).toContain('audit/chain.jsonl');
      const test = spawnSync('unzip', ['-tq', bundle], { encoding: 'utf8' });
      expect(test.stdout).toContain('No errors detected');
    }

    const verify = await candor(['verify-bundle', bundle, '--manifest-sha256', manifestSha]);
    expect(verify.code, verify.stdout + verify.stderr).toBe(0);
    expect(verify.stdout).toContain('Bundle intact');
    expect(verify.stdout).toContain('The manifest has the hash given.');

    // The anchor in the bundle is an ordinary anchor: the live log still extends it.
    const live = await candor([
      'audit',
      'verify',
      '--anchor',
      extract(bundle, 'audit/anchor.json'),
    ]);
    expect(live.code, live.stdout).toBe(0);
    expect(live.stdout).toContain('still extends the anchor');

    // The export itself is on record, with the manifest's hash.
    const [latest] = await listAudit(systemActor(), ctx.database, { limit: 1 });
    expect(latest).toMatchObject({
      action: 'case.evidence_export',
      details: { reference, manifestSha256: manifestSha },
    });
  });

  it('names the file when one CSV line was changed', async () => {
    const bad = path.join(dir, 'csv-tampered.zip');
    tamper(bundle, bad, 'deliveries.csv', (text) => text.replace(',queued,', ',sent,'));
    const run = await candor(['verify-bundle', bad]);
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(
      /^Bundle does NOT verify: deliveries\.csv: does not match manifest\.json/,
    );
  });

  it('names the entry when one audit entry was changed, even with a rewritten manifest', async () => {
    const bad = path.join(dir, 'audit-tampered.zip');
    let lineNo = 0;
    let seq = 0;
    const files = tamper(bundle, bad, 'audit/chain.jsonl', (text) =>
      text
        .split('\n')
        .map((line, i) => {
          if (!line.includes('"action":"dispatch.start"')) return line;
          lineNo = i + 1;
          seq = (JSON.parse(line) as { seq: number }).seq;
          return line.replace('"actor":"sanne"', '"actor":"vera"');
        })
        .join('\n'),
    );
    const run = await candor(['verify-bundle', bad]);
    expect(run.code).toBe(1);
    expect(run.stdout.split('\n')[0]).toBe(
      `Bundle does NOT verify: audit/chain.jsonl line ${lineNo}: entry ${seq} (dispatch.start) was altered: its content no longer matches its hash`,
    );
    expect(run.stdout).toContain('audit/chain.jsonl: does not match manifest.json');

    // A forger who also recomputes the manifest: the entry is still named, and the manifest
    // no longer has the hash printed at export.
    const { createHash } = await import('node:crypto');
    const manifest = JSON.parse(strFromU8(files['manifest.json']!)) as {
      files: { path: string; sha256: string; bytes: number }[];
    };
    const chainFile = manifest.files.find((f) => f.path === 'audit/chain.jsonl')!;
    chainFile.sha256 = createHash('sha256').update(files['audit/chain.jsonl']!).digest('hex');
    chainFile.bytes = files['audit/chain.jsonl']!.length;
    const forged = path.join(dir, 'forged.zip');
    tamper(bad, forged, 'manifest.json', () => `${JSON.stringify(manifest, null, 2)}\n`);
    const again = await candor(['verify-bundle', forged, '--manifest-sha256', manifestSha]);
    expect(again.code).toBe(1);
    expect(again.stdout.split('\n')[0]).toContain(`entry ${seq} (dispatch.start) was altered`);
    expect(again.stdout).toContain('manifest.json: its SHA-256 is');
  });

  it('exports a case without notices or dispatch', async () => {
    const quiet = path.join(dir, 'quiet.zip');
    const run = await candor(['export', 'case', quietReference, '--out', quiet]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain('0 deliveries, 0 recipients');
    const files = readBundle(quiet);
    expect(strFromU8(files['deliveries.csv']!).trimEnd().split('\n')).toHaveLength(1);
    expect(JSON.parse(strFromU8(files['dispatches.json']!))).toEqual([]);
    const verify = await candor(['verify-bundle', quiet]);
    expect(verify.code, verify.stdout).toBe(0);
  });

  it('refuses an unknown case and a file that is not a bundle', async () => {
    const out = path.join(dir, 'nothing.zip');
    const run = await candor(['export', 'case', 'INC-1999-999', '--out', out]);
    expect(run.code).not.toBe(0);
    expect(run.stderr).toContain('no case INC-1999-999');
    expect(fs.existsSync(out)).toBe(false);

    const junk = path.join(dir, 'junk.zip');
    fs.writeFileSync(junk, 'not a zip at all');
    const verify = await candor(['verify-bundle', junk]);
    expect(verify.code).toBe(1);
    expect(verify.stdout).toContain('Bundle does NOT verify');
  });
});

/** Extracts one file of a bundle next to it, for commands that take a file. */
function extract(bundle: string, name: string): string {
  const target = path.join(path.dirname(bundle), path.basename(name));
  fs.writeFileSync(target, readBundle(bundle)[name]!);
  return target;
}
