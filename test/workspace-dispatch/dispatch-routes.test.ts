import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDispatch } from '../../src/services/dispatch/dispatch.service.js';
import { listDispatchesOfCase } from '../../src/store/dispatch.repository.js';
import { DIALECTS } from '../support/databases.js';
import { startSmtpPeer, type SmtpPeer } from '../support/smtp-peer.js';
import { createHarness, type WorkspaceHarness } from '../workspace/workspace-support.js';
import {
  buildScenario,
  createPeople,
  runWorker,
  waitForDispatch,
  type People,
  type Scenario,
} from '../dispatch/scenario.js';

/** Parses a text/event-stream body into its events. */
function events(body: string): { event: string; data: Record<string, unknown> }[] {
  return body
    .split('\n\n')
    .filter((block) => block.includes('data: '))
    .map((block) => {
      const event = /^event: (.+)$/m.exec(block)?.[1] ?? 'message';
      const data = JSON.parse(/^data: (.+)$/m.exec(block)![1]!) as Record<string, unknown>;
      return { event, data };
    });
}

describe.each(DIALECTS)('workspace dispatch and deliveries on %s', (dialect) => {
  let h: WorkspaceHarness;
  let people: People;
  let s: Scenario;
  let ref: string;
  let sanne: string;
  let vera: string;
  let peer: SmtpPeer;

  beforeAll(async () => {
    h = await createHarness(dialect);
    people = await createPeople(h.ctx);
    s = await buildScenario(h.ctx, people, { customers: 8, until: 'approved' });
    ref = (
      await h.ctx.database.db
        .selectFrom('cases')
        .select('reference')
        .where('id', '=', s.caseId)
        .executeTakeFirstOrThrow()
    ).reference;
    sanne = await h.login('sanne');
    vera = await h.login('vera');
    peer = await startSmtpPeer();
  });
  afterAll(async () => {
    await peer.close();
    await h.close();
  });

  // The token of a session, read from a page as a browser's form would carry it.
  const tokens = new Map<string, string>();
  const csrf = async (cookie: string) => {
    if (!tokens.has(cookie)) {
      const page = await h.get('/app', cookie);
      tokens.set(cookie, /name="_csrf"\s+value="([^"]+)"/.exec(page.body)![1]!);
    }
    return tokens.get(cookie)!;
  };
  const post = async (url: string, form: Record<string, string>, cookie: string) =>
    h.post(url, form, cookie, await csrf(cookie));

  /** Follows a 303 like a browser: with the flash cookie the redirect set. */
  const follow = async (response: Awaited<ReturnType<typeof post>>, cookie: string) => {
    const flash = response.cookies.find((c) => c.name === 'candor_flash');
    const jar = flash ? `${cookie}; candor_flash=${flash.value}` : cookie;
    return h.get(response.headers.location as string, jar);
  };

  const dispatchCount = async () =>
    (await listDispatchesOfCase(h.ctx.database.db, s.caseId)).length;

  it('shows a viewer the numbers but no start button, and refuses a forced start', async () => {
    const page = await h.get(`/app/cases/${ref}/dispatch`, vera);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('8 ontvangers');
    expect(page.body).not.toContain(`action="/app/cases/${ref}/dispatches"`);
    expect(page.body).toContain('Alleen een responder kan het verzenden starten.');
    const forced = await post(
      `/app/cases/${ref}/dispatches`,
      { notice_id: String(s.noticeId), confirm: 'yes' },
      vera,
    );
    expect(forced.statusCode).toBe(403);
    expect(await dispatchCount()).toBe(0);
  });

  it('refuses a start without the CSRF token, and without the confirmation', async () => {
    const page = await h.get(`/app/cases/${ref}/dispatch`, sanne);
    expect(page.body).toContain(`action="/app/cases/${ref}/dispatches"`);
    const noToken = await h.post(
      `/app/cases/${ref}/dispatches`,
      { notice_id: String(s.noticeId), confirm: 'yes' },
      sanne,
      null,
    );
    expect(noToken.statusCode).toBe(403);
    const wrongToken = await h.post(
      `/app/cases/${ref}/dispatches`,
      { notice_id: String(s.noticeId), confirm: 'yes' },
      sanne,
      'not-the-token',
    );
    expect(wrongToken.statusCode).toBe(403);
    const unconfirmed = await post(
      `/app/cases/${ref}/dispatches`,
      { notice_id: String(s.noticeId) },
      sanne,
    );
    expect(unconfirmed.statusCode).toBe(422);
    expect(unconfirmed.body).toContain('Vink de bevestiging aan om te verzenden.');
    expect(await dispatchCount()).toBe(0);
  });

  it('starts a dispatch once, streams its progress to the end, and shows the deliveries', async () => {
    const started = await post(
      `/app/cases/${ref}/dispatches`,
      { notice_id: String(s.noticeId), confirm: 'yes' },
      sanne,
    );
    expect(started.statusCode).toBe(303);
    const [dispatch] = await listDispatchesOfCase(h.ctx.database.db, s.caseId);
    expect(started.headers.location).toBe(`/app/cases/${ref}/dispatch?dispatch=${dispatch!.id}`);
    // A second click sends nobody a second mail.
    const again = await post(
      `/app/cases/${ref}/dispatches`,
      { notice_id: String(s.noticeId), confirm: 'yes' },
      sanne,
    );
    expect(again.statusCode).toBe(303);
    expect((await follow(again, sanne)).body).toContain('al verzonden of wordt verzonden');
    expect(await dispatchCount()).toBe(1);

    const page = await follow(started, sanne);
    expect(page.body).toContain(
      `data-progress-stream="/app/cases/${ref}/dispatches/${dispatch!.id}/events"`,
    );
    expect(page.body).toMatch(/<progress[^>]+max="8"/);
    expect(page.body).toContain('Verzending gestart naar 8 ontvangers.');

    // The worker sends while a viewer watches the stream; it closes when all is sent.
    const worker = await runWorker(h.ctx, peer.url);
    try {
      const stream = await h.get(`/app/cases/${ref}/dispatches/${dispatch!.id}/events`, vera);
      expect(stream.statusCode).toBe(200);
      expect(stream.headers['content-type']).toMatch(/^text\/event-stream/);
      expect(stream.headers['content-security-policy']).toContain("default-src 'none'");
      const heard = events(stream.body);
      const last = heard.at(-1)!;
      expect(last.event).toBe('end');
      expect(last.data).toMatchObject({ state: 'completed', total: 8, done: 8 });
      expect((last.data.text as Record<string, string>).percent).toBe('100%');
      expect((last.data.counts as Record<string, number>).sent).toBe(8);
      expect(heard.slice(0, -1).every((e) => e.event === 'progress')).toBe(true);
    } finally {
      await worker.stop();
    }

    // A finished dispatch: the stream says so at once; its page needs no stream.
    const finished = await h.get(`/app/cases/${ref}/dispatches/${dispatch!.id}/events`, vera);
    expect(events(finished.body).map((e) => e.event)).toEqual(['end']);
    const done = await h.get(`/app/cases/${ref}/dispatch`, vera);
    expect(done.body).not.toContain('data-progress-stream');
    expect(done.body).toContain('role="img"');
    expect(done.body).toContain('Aflevering in de tijd');
    // Finished: when it ended and how long it took instead of a rate of 0/s; each count
    // opens the deliveries in that state; the way on is a follow-up notice.
    expect(done.body).toContain('Voltooid op');
    expect(done.body).toContain('Duur');
    expect(done.body).not.toContain('Klaar over');
    expect(done.body).toContain(
      `href="/app/cases/${ref}/deliveries?dispatch=${dispatch!.id}&amp;state=bounced"`,
    );
    expect(done.body).toContain('Schrijf een vervolgbericht');

    // Deliveries: all, by state, by search.
    const all = await h.get(`/app/cases/${ref}/deliveries`, vera);
    expect(all.statusCode).toBe(200);
    expect(all.body.match(/<tr>/g)?.length).toBe(9); // header + 8 rows
    expect(all.body).toContain('250');
    // Compact date-times in the rows (day, month, time, zone), the full one in the title.
    expect(all.body).toMatch(
      /<time datetime="[^"]+" title="\d+ \w+\.? \d{4}[^"]*"\s*>\d+ \w+\.?, \d\d:\d\d \S+<\/time/,
    );
    const none = await h.get(`/app/cases/${ref}/deliveries?state=bounced&q=`, vera);
    expect(none.body).toContain('Geen afleveringen die aan het filter voldoen.');
    const one = s.customers[3]!;
    const found = await h.get(
      `/app/cases/${ref}/deliveries?q=${encodeURIComponent(one.external_id)}`,
      vera,
    );
    expect(found.body).toContain(one.email);
    expect(found.body.match(/<tr>/g)?.length).toBe(2);
    const bad = await h.get(`/app/cases/${ref}/deliveries?state=exploded`, vera);
    expect(bad.statusCode).toBe(400);
  });

  it('pages deliveries with a keyset cursor', async () => {
    const first = await h.get(`/app/cases/${ref}/deliveries`, vera);
    expect(first.body).not.toContain('rel="next"');
    const ids = (
      await h.ctx.database.db.selectFrom('deliveries').select('id').orderBy('id').execute()
    ).map((r) => r.id);
    const after = await h.get(`/app/cases/${ref}/deliveries?after=${ids[5]}`, vera);
    expect(after.body.match(/<tr>/g)?.length).toBe(3);
    expect(after.body).toContain('Eerste pagina');
  });

  it('lets a responder pause and resume, not a viewer; unknown dispatches are 404', async () => {
    const second = await buildScenario(h.ctx, people, {
      customers: 8,
      seed: 99,
      until: 'approved',
    });
    const d = await startDispatch(people.sanne, second.noticeId, h.ctx.deps);
    const secondRef = (
      await h.ctx.database.db
        .selectFrom('cases')
        .select('reference')
        .where('id', '=', second.caseId)
        .executeTakeFirstOrThrow()
    ).reference;
    const url = `/app/cases/${secondRef}/dispatches/${d.id}`;
    expect((await post(`${url}/pause`, {}, vera)).statusCode).toBe(403);
    const paused = await post(`${url}/pause`, {}, sanne);
    expect(paused.statusCode).toBe(303);
    const page = await follow(paused, sanne);
    expect(page.body).toContain('Verzending gepauzeerd.');
    expect(page.body).toContain('>Hervatten<');
    const resumed = await post(`${url}/resume`, {}, sanne);
    expect(resumed.statusCode).toBe(303);
    // Cancelling cannot be undone: without the ticked box the server refuses it.
    const unconfirmed = await post(`${url}/cancel`, {}, sanne);
    expect(unconfirmed.statusCode).toBe(303);
    expect((await follow(unconfirmed, sanne)).body).toContain('vink het vakje aan');
    expect((await follow(unconfirmed, sanne)).body).toContain('>Annuleren<');
    const cancelled = await post(`${url}/cancel`, { confirm: 'yes' }, sanne);
    expect(cancelled.statusCode).toBe(303);
    // A conflict (cancelling twice) comes back as a message, not a crash.
    const twice = await post(`${url}/cancel`, { confirm: 'yes' }, sanne);
    expect(twice.statusCode).toBe(303);
    const after = await follow(twice, sanne);
    expect(after.body).toContain('cannot cancel');
    // The other case's dispatch is not this case's.
    expect((await h.get(`/app/cases/${ref}/dispatches/${d.id}/events`, vera)).statusCode).toBe(404);
    expect((await h.get(`/app/cases/${ref}/dispatch?dispatch=${d.id}`, vera)).statusCode).toBe(404);
    await waitForDispatch(h.ctx, d.id, (p) => p.state === 'cancelled');
  });

  it('refuses a pause or cancel with a tampered body as a 400, nothing changed', async () => {
    const third = await buildScenario(h.ctx, people, { customers: 4, seed: 7, until: 'approved' });
    const d = await startDispatch(people.sanne, third.noticeId, h.ctx.deps);
    const thirdRef = (
      await h.ctx.database.db
        .selectFrom('cases')
        .select('reference')
        .where('id', '=', third.caseId)
        .executeTakeFirstOrThrow()
    ).reference;
    const url = `/app/cases/${thirdRef}/dispatches/${d.id}`;
    const state = async () =>
      (
        await h.ctx.database.db
          .selectFrom('dispatches')
          .select('state')
          .where('id', '=', d.id)
          .executeTakeFirstOrThrow()
      ).state;
    const before = await state();
    expect((await post(`${url}/pause`, { confirm: 'maybe' }, sanne)).statusCode).toBe(400);
    expect((await post(`${url}/cancel`, { confirm: 'no' }, sanne)).statusCode).toBe(400);
    expect(await state()).toBe(before);
    const paused = await post(`${url}/pause`, {}, sanne);
    expect(paused.statusCode).toBe(303);
    expect((await post(`${url}/cancel`, { confirm: 'yes' }, sanne)).statusCode).toBe(303);
    await waitForDispatch(h.ctx, d.id, (p) => p.state === 'cancelled');
  });
});
