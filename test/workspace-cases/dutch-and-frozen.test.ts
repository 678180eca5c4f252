import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemActor, type Actor } from '../../src/domain/access.js';
import { Readable } from 'node:stream';
import { importCustomers } from '../../src/services/customers/customer-import.service.js';
import { startDispatch } from '../../src/services/dispatch/dispatch.service.js';
import { approveNotice } from '../../src/services/notices/notice.service.js';
import { DIALECTS } from '../support/databases.js';
import {
  createCaseVia,
  startWorkspace,
  text,
  type WorkspaceFixture,
} from './case-workspace-app.js';

const approver: Actor = {
  kind: 'user',
  userId: null,
  name: 'fatima',
  roles: ['approver'],
  source: 'test',
};

describe.each(DIALECTS)('Dutch screens and a frozen set on %s', (dialect) => {
  let w: WorkspaceFixture;
  beforeAll(async () => {
    w = await startWorkspace(dialect);
  });
  afterAll(() => w.close());

  it('shows every case screen in Dutch to a Dutch user', async () => {
    const { nina } = w.clients;
    const list = text((await nina!.get('/app/cases')).body);
    expect(list).toContain('Nieuwe zaak');
    expect(list).toContain('Bekend sinds (hier starten de wettelijke termijnen)');
    const reference = await createCaseVia(nina!, { awareAt: '2026-11-27T03:12' });
    const overview = text((await nina!.get(`/app/cases/${reference}`)).body);
    for (const words of [
      'Overzicht',
      'Getroffenen',
      'Berichten',
      'Tijdlijn',
      'Gebeurtenis toevoegen',
      'Verloop',
      'sinds bekend',
    ]) {
      expect(overview).toContain(words);
    }
    expect(overview).toContain('27 nov 2026');
    expect((await nina!.post(`/app/cases/${reference}/state`, { state: 'open' })).status).toBe(303);
    const moved = text((await nina!.get(`/app/cases/${reference}`)).body);
    expect(moved).toContain('Status: concept → open');
    expect(moved).not.toContain('Became aware');
    const affected = text((await nina!.get(`/app/cases/${reference}/affected`)).body);
    expect(affected).toContain('Een lijst uploaden');
    expect(affected).toContain('Een filter schrijven');
    const live = text(
      (
        await nina!.get(
          `/app/cases/${reference}/affected/preview?filter=${encodeURIComponent('plan = "shared"')}`,
        )
      ).body,
    );
    expect(live).toContain('3 klanten voldoen aan het filter.');
    const notices = text((await nina!.get(`/app/cases/${reference}/notices`)).body);
    expect(notices).toContain('Berichten aan getroffenen');
  });

  it('previews as any customer of a large set by customer number, not only the first twenty', async () => {
    const { rita, cor } = w.clients;
    const bulk = Array.from({ length: 30 }, (_, i) =>
      JSON.stringify({
        external_id: `B-${100 + i}`,
        email: `b${i}@example.nl`,
        name: `Bulk ${i}`,
        language: 'nl',
        plan: 'bulk',
      }),
    ).join('\n');
    await importCustomers(
      systemActor('test'),
      Readable.from([`${bulk}\n`]),
      { source: 'test', format: 'jsonl' },
      w.ctx.deps,
    );
    const reference = await createCaseVia(rita!);
    expect(
      (
        await rita!.post(`/app/cases/${reference}/affected/filter`, {
          filter: 'plan = "bulk"',
          action: 'save',
        })
      ).status,
    ).toBe(303);
    const created = await cor!.post(`/app/cases/${reference}/notices`, {});
    const noticeId = /notice=(\d+)/.exec(created.location!)![1]!;
    const first = text((await cor!.get(`/app/cases/${reference}/notices?notice=${noticeId}`)).body);
    expect(first).toContain('Preview for Bulk 0 (B-100)');
    expect(first).not.toContain('B-129');
    const last = text(
      (await cor!.get(`/app/cases/${reference}/notices?notice=${noticeId}&sample=B-129`)).body,
    );
    expect(last).toContain('Preview for Bulk 29 (B-129), in Dutch');
    const typed = await cor!.post(`/app/cases/${reference}/notices/${noticeId}/live`, {
      'nl.subject': 'Onderwerp',
      'nl.body': 'Beste {{ customer.name }},',
      lang: 'nl',
      sample: 'B-100',
      sampleId: ' B-125 ',
    });
    expect(text(typed.body)).toContain('Preview for Bulk 25 (B-125)');
    // Someone outside the set is not previewed: the preview falls back to the set.
    const outside = text(
      (await cor!.get(`/app/cases/${reference}/notices?notice=${noticeId}&sample=K-1`)).body,
    );
    expect(outside).not.toContain('Marieke');
  });

  it('shows a frozen set as frozen and refuses to change it or the notice being sent', async () => {
    const { rita, cor } = w.clients;
    const reference = await createCaseVia(rita!);
    await rita!.upload(`/app/cases/${reference}/affected/upload`, {
      name: 'list.csv',
      content: 'external_id,domains,data\nK-1,bakkerij.nl,naam\nK-2,smith.example,name\n',
    });
    const created = await cor!.post(`/app/cases/${reference}/notices`, {});
    const noticeId = Number(/notice=(\d+)/.exec(created.location!)![1]);
    await approveNotice(approver, noticeId, {}, w.ctx.deps);
    await startDispatch(systemActor('test'), noticeId, w.ctx.deps);

    const tab = await rita!.get(`/app/cases/${reference}/affected`);
    expect(text(tab.body)).toContain('This set was frozen when the notice was sent.');
    expect(tab.body).not.toContain('/affected/upload');
    const upload = await rita!.upload(`/app/cases/${reference}/affected/upload`, {
      name: 'late.csv',
      content: 'external_id\nK-5\n',
    });
    expect(upload.status).toBe(400);
    expect(text(upload.body)).toContain('was frozen when it was dispatched');
    const filter = await rita!.post(`/app/cases/${reference}/affected/filter`, {
      filter: 'plan = "vps"',
      action: 'save',
    });
    expect(filter.status).toBe(400);
    expect(text(filter.body)).toContain('is frozen');
    // The preview still works on the frozen recipients.
    const notices = text(
      (await cor!.get(`/app/cases/${reference}/notices?notice=${noticeId}`)).body,
    );
    expect(notices).toContain('Preview for Marieke Jansen (K-1), in Dutch');
    const edit = await cor!.post(`/app/cases/${reference}/notices/${noticeId}`, {
      'nl.subject': 'Nieuw onderwerp',
      'nl.body': 'Beste {{ customer.name }},',
    });
    expect(edit.status).toBe(400);
    expect(text(edit.body)).toContain('is being sent');
  });
});
