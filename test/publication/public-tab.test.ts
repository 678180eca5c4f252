import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../support/databases.js';
import {
  startWorkspace,
  text,
  type WorkspaceFixture,
} from '../workspace-cases/case-workspace-app.js';

/** Follows a 303 and returns the page it leads to. */
async function follow(
  w: WorkspaceFixture,
  who: string,
  res: { status: number; location: string | undefined },
) {
  expect(res.status).toBe(303);
  return w.clients[who]!.get(res.location!);
}

describe.each(DIALECTS)('the public tab on %s', (dialect) => {
  let w: WorkspaceFixture;
  let reference: string;
  beforeAll(async () => {
    w = await startWorkspace(dialect);
    const created = await w.clients.rita!.post('/app/cases', {
      kind: 'incident',
      title: 'Portal break-in',
      summary: 'An attacker got into the portal.',
    });
    reference = /\/app\/cases\/([A-Z]+-\d{4}-\d{4})/.exec(created.location ?? '')![1]!;
  });
  afterAll(async () => w?.close());

  it('writes, checks, approves (four eyes), publishes and updates the public record', async () => {
    const base = `/app/cases/${reference}/public`;
    const empty = await w.clients.cor!.get(base);
    expect(empty.status).toBe(200);
    expect(text(empty.body)).toContain('No public notice yet.');

    let page = await follow(
      w,
      'cor',
      await w.clients.cor!.post(`${base}/notices`, { audience: 'public' }),
    );
    expect(text(page.body)).toContain('Readability (Flesch)');
    expect(text(page.body)).toContain('Readability (Flesch–Douma)');
    const noticeId = /public\/notices\/(\d+)"/.exec(page.body)![1]!;

    // A text with a private address: a finding that blocks approval until accepted.
    page = await follow(
      w,
      'cor',
      await w.clients.cor!.post(`${base}/notices/${noticeId}`, {
        'en.subject': 'Portal break-in',
        'en.body':
          'We found an attacker on 192.168.10.4. We are working to close the hole.\n\n:::embargo until=resolved\nThe login check was skipped.\n:::',
        'nl.subject': 'Inbraak op het portaal',
        'nl.body': 'Wij vonden een aanvaller. Wij werken eraan om het lek te dichten.',
      }),
    );
    expect(text(page.body)).toContain('Private IP address');
    expect(text(page.body)).toContain('192.168.10.4');
    const anna = await w.clients.anna!.get(base);
    expect(text(anna.body)).toContain('Approval needs the finding fixed or accepted first.');
    const refused = await follow(
      w,
      'anna',
      await w.clients.anna!.post(`${base}/notices/${noticeId}/approve`, { confirm: 'yes' }),
    );
    expect(text(refused.body)).toContain('Approval needs the finding fixed or accepted first.');
    const fingerprint = /name="fingerprint" value="([0-9a-f]+)"/.exec(page.body)![1]!;
    page = await follow(
      w,
      'cor',
      await w.clients.cor!.post(`${base}/notices/${noticeId}/accept`, {
        fingerprint,
        reason: 'test network, documented',
      }),
    );
    expect(text(page.body)).toContain('Accepted by cor');

    // carla wrote part of it (she edits): four eyes stop her; anna approves.
    await w.clients.carla!.post(`${base}/notices/${noticeId}`, {
      'en.subject': 'Portal break-in',
      'en.body':
        'We found an attacker on 192.168.10.4. We are working to close the hole.\n\n:::embargo until=resolved\nThe login check was skipped.\n:::',
      'nl.subject': 'Inbraak op het klantportaal',
      'nl.body': 'Wij vonden een aanvaller. Wij werken eraan om het lek te dichten.',
    });
    expect(text((await w.clients.carla!.get(base)).body)).toContain('someone else must approve it');
    // anna approves what she read: the form posts the hash of the resolved texts.
    const approvalHash = /name="approvalHash" value="([0-9a-f]{64})"/.exec(
      (await w.clients.anna!.get(base)).body,
    )![1]!;
    page = await follow(
      w,
      'anna',
      await w.clients.anna!.post(`${base}/notices/${noticeId}/approve`, {
        confirm: 'yes',
        approvalHash,
      }),
    );
    expect(text(page.body)).toContain('Approved by anna');

    // Publishing cannot be taken back: without the ticked box the server refuses it.
    const unticked = await w.clients.rita!.post(`${base}/publish`, {});
    expect(unticked.status).toBe(303);
    expect(String(unticked.headers['set-cookie'])).toContain('candor_flash');
    expect(text((await w.clients.rita!.get(unticked.location!)).body)).toContain(
      'State not published',
    );
    page = await follow(
      w,
      'rita',
      await w.clients.rita!.post(`${base}/publish`, { confirm: 'yes' }),
    );
    expect(text(page.body)).toContain('State published');
    const publicPath = /href="(\/en\/security\/\d{4}\/[^"]+)"/.exec(page.body)![1]!;
    // The public site picks the change up within about a second.
    let publicPage = await w.app.inject({ url: publicPath });
    for (let i = 0; i < 40 && publicPage.statusCode !== 200; i++) {
      await new Promise((r) => setTimeout(r, 50));
      publicPage = await w.app.inject({ url: publicPath });
    }
    expect(publicPage.statusCode).toBe(200);
    expect(publicPage.body).not.toContain('The login check was skipped.');

    page = await follow(
      w,
      'rita',
      await w.clients.rita!.post(`${base}/updates`, {
        status: 'contained',
        en: 'Contained.',
        nl: 'Ingedamd.',
      }),
    );
    expect(text(page.body)).toContain('Contained.');
    page = await follow(
      w,
      'rita',
      await w.clients.rita!.post(`${base}/release`, { confirm: 'yes' }),
    );
    expect(text(page.body)).toContain('Until the case is resolved: released');

    // A viewer reads but may not publish; no CSRF token, no change.
    expect((await w.clients.vera!.get(base)).status).toBe(200);
    expect((await w.clients.vera!.post(`${base}/publish`, { confirm: 'yes' })).status).toBe(403);
    expect(
      (await w.clients.rita!.post(`${base}/publish`, { confirm: 'yes' }, { csrf: false })).status,
    ).toBe(403);
  });

  // Runs after the flow above: the case is published, so the update form is shown.
  it('shows the update form again with a Dutch message at the field, the typing kept', async () => {
    const base = `/app/cases/${reference}/public`;
    const updates = () => w.ctx.database.db.selectFrom('public_updates').select('id').execute();
    const before = (await updates()).length;
    const empty = await w.clients.nina!.post(`${base}/updates`, {
      status: 'resolved',
      nl: '  ',
      en: '',
    });
    expect(empty.status).toBe(422);
    expect(empty.body).toContain('id="update-nl-error">Schrijf de update in minstens één taal.');
    expect(empty.body).toMatch(/<option value="resolved"\s+selected/);
    const status = await w.clients.nina!.post(`${base}/updates`, { status: 'zz', nl: 'Opgelost.' });
    expect(status.status).toBe(422);
    expect(status.body).toContain('id="update-status-error">Kies een van de mogelijkheden.');
    expect(status.body).toContain('Opgelost.</textarea');
    expect((await updates()).length).toBe(before);
  });

  it('refuses an unknown language for a draft from the template at the field', async () => {
    const base = `/app/cases/${reference}/public`;
    const press = () =>
      w.ctx.database.db
        .selectFrom('notices')
        .select('id')
        .where('audience', '=', 'press')
        .execute();
    const res = await w.clients.cor!.post(`${base}/notices`, { audience: 'press', language: 'zz' });
    expect(res.status).toBe(422);
    expect(res.body).toContain('id="notice-press-language-error">Choose one of the options.');
    expect(await press()).toEqual([]);
    const tampered = await w.clients.cor!.post(`${base}/notices`, { audience: 'zz' });
    expect(tampered.status).toBe(400);
    expect(await press()).toEqual([]);
  });
});
