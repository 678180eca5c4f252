import { simpleParser } from 'mailparser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemActor } from '../../src/domain/access.js';
import { createTransport } from '../../src/dispatch/worker-wiring.js';
import type { EmailTransport } from '../../src/channels/email/email-transport.js';
import { recordFacts } from '../../src/services/assessment/assessment.service.js';
import { createCase } from '../../src/services/cases/case.service.js';
import { runClockAlerts } from '../../src/services/assessment/clock-alert.service.js';
import { createUser } from '../../src/services/access/user.service.js';
import { listAlertsOfCase } from '../../src/store/clock-alert.repository.js';
import { createTestContext } from '../support/app-context.js';
import { DIALECTS } from '../support/databases.js';
import { startSmtpPeer, type SmtpPeer } from '../support/smtp-peer.js';
import { WEB12_BREACH } from './facts.js';

const T0 = Date.parse('2026-11-20T08:00:00.000Z');
const at = (hours: number) => new Date(T0 + hours * 3_600_000);

describe.each(DIALECTS)('legal-clock alerts on %s', (dialect) => {
  let ctx: Awaited<ReturnType<typeof createTestContext>>;
  let peer: SmtpPeer;
  let transport: EmailTransport;
  let refusing = false;
  let caseId = 0;
  const deps = () => ({ database: ctx.database, transport, publicUrl: 'https://candor.example' });

  beforeAll(async () => {
    ctx = await createTestContext(dialect);
    peer = await startSmtpPeer({
      keepMessages: true,
      faults: ({ rcpt }) =>
        refusing && rcpt === 'abe@example.nl' ? { code: 451, message: 'try later' } : undefined,
    });
    transport = createTransport(ctx.config, peer.url);
    const actor = systemActor('test');
    for (const [username, role, email, language] of [
      ['rita', 'responder', 'rita@example.nl', 'nl'],
      ['abe', 'approver', 'abe@example.nl', 'en'],
      ['vera', 'viewer', 'vera@example.nl', 'en'],
      ['sam', 'responder', null, 'en'],
    ] as const) {
      await createUser(
        actor,
        { username, roles: [role], password: 'correct horse battery', language },
        ctx.deps,
      );
      await ctx.database.db
        .updateTable('users')
        .set({ email })
        .where('username', '=', username)
        .execute();
    }
    const c = await createCase(
      actor,
      { kind: 'incident', title: 'Breach on web12', awareAt: at(0).toISOString() },
      ctx.deps,
    );
    caseId = c.id;
    await recordFacts(actor, c.reference, WEB12_BREACH, ctx.deps);
  });
  afterAll(async () => {
    transport?.close();
    await peer?.close();
    await ctx?.close();
  });

  async function received() {
    return Promise.all(peer.messages.map((m) => simpleParser(m.raw)));
  }

  it('sends nothing before half the time has passed', async () => {
    expect(await runClockAlerts(deps(), at(35))).toEqual({ sent: 0, skipped: 0, failed: 0 });
    expect(peer.total()).toBe(0);
  });

  it('alerts responders and approvers with an email address at 50 %, each in their language, once', async () => {
    expect(await runClockAlerts(deps(), at(36))).toEqual({ sent: 2, skipped: 0, failed: 0 });
    expect([...peer.received.keys()].sort()).toEqual(['abe@example.nl', 'rita@example.nl']);
    const mails = await received();
    const rita = mails.find((m) => m.to && JSON.stringify(m.to).includes('rita'))!;
    expect(rita.subject).toBe(
      '[Candor] INC-2026-0001: AVG-melding aan de toezichthouder — 50 % van de termijn verstreken, nog 36 u 0 min',
    );
    expect(rita.text).toContain('https://candor.example/app/cases/INC-2026-0001/assessment');
    const abe = mails.find((m) => JSON.stringify(m.to).includes('abe'))!;
    expect(abe.subject).toContain(
      'GDPR notification to the supervisory authority — 50 % of the time elapsed, 36 h 0 min left',
    );
    expect(abe.html).toContain(
      '<a href="https://candor.example/app/cases/INC-2026-0001/assessment">',
    );
    expect(await runClockAlerts(deps(), at(40))).toEqual({ sent: 0, skipped: 0, failed: 0 });
    expect(peer.total()).toBe(2);
  });

  it('never double-sends when two processes run the loop at once', async () => {
    const [a, b] = await Promise.all([
      runClockAlerts(deps(), at(65)),
      runClockAlerts(deps(), at(65)),
    ]);
    expect(a.sent + b.sent).toBe(2);
    expect(peer.total()).toBe(4);
  });

  it('retries a refused alert on a later tick', async () => {
    refusing = true;
    expect(await runClockAlerts(deps(), at(73))).toEqual({ sent: 1, skipped: 0, failed: 1 });
    refusing = false;
    expect(await runClockAlerts(deps(), at(74))).toEqual({ sent: 1, skipped: 0, failed: 0 });
    const overdue = (await received()).filter(
      (m) => m.subject?.includes('OVERDUE') || m.subject?.includes('VERLOPEN'),
    );
    expect(overdue).toHaveLength(2);
    expect(overdue.find((m) => m.subject?.includes('OVERDUE'))!.text).toContain(
      'must give the reasons for the delay (GDPR Art. 33(1))',
    );
    const rows = await listAlertsOfCase(ctx.database.db, caseId);
    expect(rows.map((r) => `${r.threshold}:${r.email}:${r.status}`)).toEqual([
      '50:rita@example.nl:sent',
      '50:abe@example.nl:sent',
      '90:rita@example.nl:sent',
      '90:abe@example.nl:sent',
      'overdue:rita@example.nl:sent',
      'overdue:abe@example.nl:sent',
    ]);
    expect(rows.every((r) => r.message_id?.startsWith('<clock-'))).toBe(true);
  });

  it('a round that runs late sends only the highest threshold reached', async () => {
    const actor = systemActor('test');
    const late = await createCase(
      actor,
      { kind: 'incident', title: 'Found late', awareAt: at(0).toISOString() },
      ctx.deps,
    );
    const before = peer.total();
    await runClockAlerts(deps(), at(66));
    expect(peer.total()).toBe(before + 2);
    const rows = await listAlertsOfCase(ctx.database.db, late.id);
    expect(rows.map((r) => `${r.threshold}:${r.status}`).sort()).toEqual([
      '50:skipped',
      '50:skipped',
      '90:sent',
      '90:sent',
    ]);
  });
});
