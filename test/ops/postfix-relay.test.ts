import { generateKeyPairSync } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { authenticate, type DNSResolver } from 'mailauth';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemActor } from '../../src/domain/access.js';
import type { BounceImportSummary } from '../../src/services/dispatch/bounce.service.js';
import { getDispatchProgress } from '../../src/services/dispatch/dispatch.service.js';
import { updateOrganisation } from '../../src/services/access/settings.service.js';
import { bounceCustomers, deliveryTo } from '../bounces/bounce-context.js';
import { spawnWorker, stopWorker, type WorkerProcess } from '../dispatch/worker-process.js';
import { createRecallCase, type RecallCase } from '../personal-page/recall-case.js';
import { createTestContext } from '../support/app-context.js';
import { runCandor } from '../support/candor-process.js';
import { DIALECTS, databaseUrl } from '../support/databases.js';
import { POSTFIX, startPostfix, type PostfixInstance } from '../support/postfix-instance.js';
import { startSmtpPeer, type SmtpPeer, type SmtpPeerMessage } from '../support/smtp-peer.js';
import { freePort } from './serve-process.js';

const DOMAIN = 'hosting.test';
const SENDER = `security@${DOMAIN}`;
const SELECTOR = 'candor2026';
/** The recipient the next hop refuses for good (5.1.1 at RCPT TO). */
const REFUSED = 'r-2@customer.example';

/**
 * A notice through a real mail relay: `candor worker` (DKIM-signing with a fresh RSA key)
 * hands three notices to a private Postfix, which relays them to the test SMTP peer standing
 * in for the recipients' servers. The peer refuses one recipient permanently, so Postfix
 * writes a real RFC 3464 bounce to the envelope sender (the organisation's sender address)
 * and, that domain being remote too, relays it to the same peer, which keeps it. The bounce
 * goes into `candor bounces import`, and the notices the peer received are checked with a
 * real DKIM/SPF/DMARC verifier (mailauth) reading DNS records the test publishes.
 */
describe.each(DIALECTS)(
  'a dispatch through a real Postfix relay on %s',
  { timeout: 60_000 },
  (dialect) => {
    let dir: string;
    let ctx: Awaited<ReturnType<typeof createTestContext>>;
    let recall: RecallCase;
    let peer: SmtpPeer;
    let postfix: PostfixInstance;
    let worker: WorkerProcess;
    let dns: Record<string, string[][]>;

    beforeAll(async () => {
      expect(fs.existsSync(POSTFIX), `${POSTFIX} is missing: apt-get install postfix`).toBe(true);
      dir = fs.mkdtempSync(path.join(os.tmpdir(), 'candor-postfix-'));
      // Postfix's daemons (user postfix) work in dir/postfix; the key stays root's (0600).
      fs.chmodSync(dir, 0o755);
      fs.mkdirSync(path.join(dir, 'postfix'));
      const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
      const keyFile = path.join(dir, 'dkim.key');
      fs.writeFileSync(keyFile, privateKey.export({ type: 'pkcs8', format: 'pem' }), {
        mode: 0o600,
      });
      const p = publicKey.export({ type: 'spki', format: 'der' }).toString('base64');
      // What the sender publishes: the DKIM key, SPF for the relay, a strict DMARC policy.
      dns = {
        [`${SELECTOR}._domainkey.${DOMAIN}`]: [[`v=DKIM1; k=rsa; p=${p}`]],
        [DOMAIN]: [['v=spf1 ip4:127.0.0.1 -all']],
        [`_dmarc.${DOMAIN}`]: [['v=DMARC1; p=reject; adkim=s; aspf=s']],
      };

      ctx = await createTestContext(dialect);
      await updateOrganisation(
        systemActor('test'),
        { senderEmail: SENDER, contactEmail: SENDER },
        ctx.deps,
      );
      recall = await createRecallCase(ctx, bounceCustomers('R', 3));
      peer = await startSmtpPeer({
        keepMessages: true,
        faults: ({ rcpt, stage }) =>
          rcpt === REFUSED && stage === 'rcpt'
            ? { code: 550, message: '5.1.1 <r-2@customer.example>: mailbox unknown' }
            : undefined,
      });
      postfix = await startPostfix({
        dir: path.join(dir, 'postfix'),
        port: await freePort(),
        relayPort: peer.port,
      });
      worker = spawnWorker(ctx.testDb.config, postfix.url, {
        CANDOR_DKIM_DOMAIN: DOMAIN,
        CANDOR_DKIM_SELECTOR: SELECTOR,
        CANDOR_DKIM_KEY_FILE: keyFile,
      });
      await worker.running;
      // Postfix takes all three (250 queued); the peer then gets two notices and one bounce.
      const deadline = Date.now() + 30_000;
      for (;;) {
        const progress = await getDispatchProgress(systemActor(), recall.dispatchId, ctx.deps);
        if (progress.counts.sent === 3) break;
        if (Date.now() > deadline) throw new Error(`not sent: ${JSON.stringify(progress)}`);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      await peer.waitFor(3, 30_000);
    }, 180_000);

    afterAll(async () => {
      if (worker) await stopWorker(worker);
      await postfix?.stop();
      await peer?.close();
      await ctx?.close();
      if (dir) fs.rmSync(dir, { recursive: true, force: true });
    });

    const resolver: DNSResolver = async (name, rrtype) => {
      const found = rrtype === 'TXT' ? dns[name.toLowerCase()] : undefined;
      if (found) return found;
      throw Object.assign(new Error(`query${rrtype} ENOTFOUND ${name}`), { code: 'ENOTFOUND' });
    };

    /** mailauth's verdict on a message as the receiving server (the peer) saw it. */
    const verify = (message: SmtpPeerMessage | Buffer, ip = '127.0.0.1') =>
      authenticate(Buffer.isBuffer(message) ? message : message.raw, {
        ip,
        helo: 'relay.candor.test',
        sender: SENDER,
        mta: 'mx.customer.example',
        resolver,
        disableArc: true,
        disableBimi: true,
      });

    const notices = () => peer.messages.filter((m) => m.from === SENDER);

    it('relays the DKIM-signed notices, whose signatures verify after Postfix (DKIM, SPF, DMARC pass)', async () => {
      expect(notices().flatMap((m) => m.rcpt)).toEqual(
        expect.arrayContaining(['r-1@customer.example', 'r-3@customer.example']),
      );
      expect(notices()).toHaveLength(2);
      for (const message of notices()) {
        const raw = message.raw.toString('utf8');
        // It really passed Postfix, and carries Candor's signature for the sender's domain.
        expect(raw).toMatch(/^Received: from .*\r?\n\s+by relay\.candor\.test \(Postfix\)/m);
        expect(raw).toMatch(new RegExp(`^DKIM-Signature: .*d=${DOMAIN}`, 'm'));
        const result = await verify(message);
        expect(result.dkim.results.map((r) => [r.signingDomain, r.status.result])).toEqual([
          [DOMAIN, 'pass'],
        ]);
        expect(result.dkim.results[0]!.status.aligned).toBe(DOMAIN);
        expect(result.spf && result.spf.status.result).toBe('pass');
        expect(result.dmarc && result.dmarc.status.result).toBe('pass');
      }
    });

    it('the verifier is not a formality: a changed body does not pass DKIM, nor DMARC from elsewhere', async () => {
      const raw = notices()[0]!.raw.toString('utf8');
      const [head, ...body] = raw.split('\r\n\r\n');
      const altered = Buffer.from(`${head}\r\n\r\nX${body.join('\r\n\r\n')}`);
      const result = await verify(altered, '192.0.2.1');
      // RFC 6376 §3.9: a body hash mismatch; mailauth reports it as neutral.
      expect(result.dkim.results[0]!.status.result).toBe('neutral');
      expect(result.dkim.results[0]!.status.comment).toMatch(/body hash did not verify/);
      // Sent from an address outside the SPF record, nothing aligned passes: DMARC fails.
      expect(result.spf && result.spf.status.result).toBe('fail');
      expect(result.dmarc && result.dmarc.status.result).toBe('fail');
    });

    it("imports Postfix's bounce: the refused delivery is bounced, matched by its Message-ID", async () => {
      const bounces = peer.messages.filter((m) => m.from === '');
      expect(bounces.map((m) => m.rcpt)).toEqual([[SENDER]]);
      const raw = bounces[0]!.raw.toString('utf8');
      expect(raw).toMatch(/^Content-Type: multipart\/report; report-type=delivery-status;/m);
      const refused = await deliveryTo(ctx, recall.dispatchId, REFUSED);
      expect(refused.state).toBe('sent');
      expect(raw).toContain(refused.message_id);
      expect(postfix.log()).toMatch(/status=bounced \(host 127\.0\.0\.1\[127\.0\.0\.1\] said: 550/);

      const file = path.join(dir, 'bounce.eml');
      fs.writeFileSync(file, bounces[0]!.raw);
      const run = await runCandor(['bounces', 'import', file, '--json'], {
        dataDir: path.join(dir, 'cli'),
        databaseUrl: databaseUrl(ctx.testDb.config),
      });
      expect(run.stderr).toBe('');
      expect(run.code).toBe(0);
      const summary = JSON.parse(run.stdout) as BounceImportSummary;
      expect(summary).toMatchObject({ messages: 1, reports: 1, bounced: 1, notFound: 0 });

      const after = await deliveryTo(ctx, recall.dispatchId, REFUSED);
      expect(after.state).toBe('bounced');
      expect(after.smtp_response).toMatch(/^DSN 5\.1\.1: .*550 5\.1\.1/);
      for (const ok of ['r-1@customer.example', 'r-3@customer.example']) {
        expect((await deliveryTo(ctx, recall.dispatchId, ok)).state).toBe('sent');
      }
    });
  },
);
