import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemActor } from '../../src/domain/access.js';
import type { BounceImportSummary } from '../../src/services/dispatch/bounce.service.js';
import { getDispatchProgress } from '../../src/services/dispatch/dispatch.service.js';
import { createTransport, createWorker } from '../../src/dispatch/worker-wiring.js';
import { createTestContext } from '../support/app-context.js';
import { runCandor, type CandorRun } from '../support/candor-process.js';
import { DIALECTS, databaseUrl } from '../support/databases.js';
import { startSmtpPeer } from '../support/smtp-peer.js';
import { createRecallCase, type RecallCase } from '../personal-page/recall-case.js';
import { bounceCustomers, deliveryTo, failedDsn } from './bounce-context.js';

const FIXTURES = fileURLToPath(new URL('../fixtures/dsn/', import.meta.url));

/**
 * `candor bounces import` end to end, as an operator runs it, on both engines: the notice
 * really went out (a worker sent it to an SMTP peer, which accepted it), then the relay's
 * DSN comes back in a file.
 */
describe.concurrent.each(DIALECTS)(
  'candor bounces import on %s',
  { timeout: 60_000 },
  (dialect) => {
    let ctx: Awaited<ReturnType<typeof createTestContext>>;
    let recall: RecallCase;
    let dir: string;

    const candor = (args: string[]): Promise<CandorRun> =>
      runCandor(args, { dataDir: dir, databaseUrl: databaseUrl(ctx.testDb.config) });

    beforeAll(async () => {
      dir = fs.mkdtempSync(path.join(os.tmpdir(), 'candor-bounces-'));
      ctx = await createTestContext(dialect);
      recall = await createRecallCase(ctx, bounceCustomers('C', 3));
      const peer = await startSmtpPeer();
      const transport = createTransport(ctx.config, peer.url);
      const worker = createWorker(ctx, transport, undefined, { pollMs: 20 });
      await worker.start();
      try {
        const deadline = Date.now() + 20_000;
        for (;;) {
          const p = await getDispatchProgress(systemActor(), recall.dispatchId, ctx.deps);
          if (p.counts.sent === 3) break;
          if (Date.now() > deadline) throw new Error(`not sent: ${JSON.stringify(p)}`);
          await new Promise((r) => setTimeout(r, 25));
        }
      } finally {
        await worker.stop();
        transport.close();
        await peer.close();
      }
    });
    afterAll(async () => {
      await ctx.close();
      fs.rmSync(dir, { recursive: true, force: true });
    });

    it('marks a sent notice bounced from its DSN; a second import changes nothing', async () => {
      const d = await deliveryTo(ctx, recall.dispatchId, 'c-1@customer.example');
      expect(d.state).toBe('sent');
      const file = path.join(dir, 'bounce.eml');
      fs.writeFileSync(file, failedDsn(d.message_id, d.email));

      const run = await candor(['bounces', 'import', file, '--json']);
      expect(run.stderr).toBe('');
      expect(run.code).toBe(0);
      const summary = JSON.parse(run.stdout) as BounceImportSummary;
      expect(summary).toMatchObject({ messages: 1, reports: 1, bounced: 1, notFound: 0 });
      const after = await deliveryTo(ctx, recall.dispatchId, 'c-1@customer.example');
      expect(after.state).toBe('bounced');
      expect(after.smtp_response).toMatch(/^DSN 5\.1\.1: 550 5\.1\.1 <c-1@customer\.example>/);

      const again = await candor(['bounces', 'import', file]);
      expect(again.code).toBe(0);
      expect(again.stdout).toContain('bounced: 0 (already bounced: 1)');
    });

    it('exits 3 for DSNs it cannot match, naming problems by message and line', async () => {
      // The repository's fixtures name deliveries of another installation (candor.12.…).
      const mbox = await candor(['bounces', 'import', path.join(FIXTURES, 'bounces.mbox')]);
      expect(mbox.stderr).toBe('');
      expect(mbox.code).toBe(3);
      expect(mbox.stdout).toContain('3 messages, 2 delivery reports');
      expect(mbox.stdout).toContain('not found: 2');
      expect(mbox.stdout).toContain('problems: 1');
      expect(mbox.stdout).toMatch(
        /message 1: anna@example\.nl <candor\.12\.1001@candor\.example>: no delivery has this Message-ID/,
      );
      expect(mbox.stdout).toMatch(/message 2, line \d+: not a delivery status notification/);

      const delayed = await candor([
        'bounces',
        'import',
        path.join(FIXTURES, 'sendmail-delayed-4.4.7.eml'),
        '--json',
      ]);
      expect(delayed.code).toBe(0);
      expect(JSON.parse(delayed.stdout)).toMatchObject({ delayed: 1, bounced: 0, notFound: 0 });

      const malformed = await candor([
        'bounces',
        'import',
        path.join(FIXTURES, 'malformed.eml'),
        '--json',
      ]);
      expect(malformed.code).toBe(3);
      const summary = JSON.parse(malformed.stdout) as BounceImportSummary;
      expect(summary.problems.length).toBeGreaterThan(0);
      for (const p of summary.problems) {
        expect(p.index).toBe(1);
        expect(p.line).toBeGreaterThan(0);
      }
    });

    it('says so when the file cannot be read', async () => {
      const run = await candor(['bounces', 'import', path.join(dir, 'missing.eml')]);
      expect(run.code).toBe(1);
      expect(run.stderr).toMatch(/^error: cannot read .*missing\.eml/);
    });
  },
);
