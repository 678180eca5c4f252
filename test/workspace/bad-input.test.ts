import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemActor } from '../../src/domain/access.js';
import { createCase } from '../../src/services/cases/case.service.js';
import { DIALECTS } from '../support/databases.js';
import { createHarness, type WorkspaceHarness } from './workspace-support.js';

const BOUNDARY = '----candor-test-boundary';
const FILE_PART =
  `--${BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="customers.csv"\r\n` +
  'Content-Type: text/csv\r\n\r\nexternal_id,email\nB-1,b1@example.com\n';

describe.each(DIALECTS)('bad input answered with 400, nothing left behind, on %s', (dialect) => {
  let h: WorkspaceHarness;
  let dataDir: string;
  let sanne: string;

  beforeAll(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'candor-bad-input-'));
    h = await createHarness(dialect, { requireTotpForAdmins: false }, { dataDir });
    await h.addUser('sanne', ['responder']);
    sanne = await h.login('sanne');
  });
  afterAll(async () => {
    await h.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  const uploads = () => {
    const dir = path.join(dataDir, 'uploads');
    return fs.existsSync(dir) ? fs.readdirSync(dir) : [];
  };
  const sessions = () => h.ctx.database.db.selectFrom('workspace_sessions').selectAll().execute();
  const customers = () => h.ctx.database.db.selectFrom('customers').selectAll().execute();

  async function upload(payload: string, contentType: string) {
    const token = await h.csrfOf(sanne, '/app/customers/import');
    return h.app.inject({
      method: 'POST',
      url: `/app/customers/import?_csrf=${encodeURIComponent(token)}`,
      payload,
      headers: { 'content-type': contentType, cookie: sanne },
    });
  }

  it('answers a multipart upload cut off before its closing boundary with 400 and keeps no file', async () => {
    const res = await upload(FILE_PART, `multipart/form-data; boundary=${BOUNDARY}`);
    expect(res.statusCode).toBe(400);
    expect(res.headers['content-type']).toMatch(/^text\/html/);
    expect(res.body).toMatch(/upload|multipart/i);
    expect(uploads()).toEqual([]);
    expect(await customers()).toEqual([]);
  });

  it("answers a boundary-less or cut-off upload to a case's affected list with 400", async () => {
    const kase = await createCase(
      systemActor('test'),
      { kind: 'incident', title: 'Bad upload', summary: '' },
      h.ctx.deps,
    );
    const url = `/app/cases/${kase.reference}/affected/upload`;
    const token = await h.csrfOf(sanne, `/app/cases/${kase.reference}/affected`);
    for (const [payload, type] of [
      [`${FILE_PART}\r\n--${BOUNDARY}--\r\n`, 'multipart/form-data'],
      [FILE_PART, `multipart/form-data; boundary=${BOUNDARY}`],
    ] as const) {
      const res = await h.app.inject({
        method: 'POST',
        url: `${url}?_csrf=${encodeURIComponent(token)}`,
        payload,
        headers: { 'content-type': type, cookie: sanne },
      });
      expect(res.statusCode, type).toBe(400);
      expect(res.body).toMatch(/upload|multipart|bestand|file/i);
    }
    const listed = await h.ctx.database.db.selectFrom('case_affected').selectAll().execute();
    expect(listed).toEqual([]);
  });

  it('answers multipart without a boundary, or with a garbled head, with 400', async () => {
    const noBoundary = await upload(`${FILE_PART}\r\n--${BOUNDARY}--\r\n`, 'multipart/form-data');
    expect(noBoundary.statusCode).toBe(400);
    const garbled = await upload(
      `--${BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="x.csv"\r\n` +
        'X'.repeat(100_000),
      `multipart/form-data; boundary=${BOUNDARY}`,
    );
    expect(garbled.statusCode).toBe(400);
    expect(uploads()).toEqual([]);
  });

  it('keeps no file when the connection drops in the middle of an upload', async () => {
    const token = await h.csrfOf(sanne, '/app/customers/import');
    await h.app.listen({ port: 0, host: '127.0.0.1' });
    const { port } = h.app.server.address() as net.AddressInfo;
    const socket = net.connect(port, '127.0.0.1');
    await new Promise((resolve) => socket.on('connect', resolve));
    socket.write(
      `POST /app/customers/import?_csrf=${encodeURIComponent(token)} HTTP/1.1\r\n` +
        `Host: 127.0.0.1:${port}\r\nCookie: ${sanne}\r\n` +
        `Content-Type: multipart/form-data; boundary=${BOUNDARY}\r\n` +
        'Content-Length: 1000000\r\n\r\n' +
        FILE_PART,
    );
    await new Promise((resolve) => setTimeout(resolve, 300));
    socket.destroy();
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(uploads()).toEqual([]);
  });

  it('refuses CR/LF in the login next parameter with 400 naming it, before a session exists', async () => {
    await h.addUser('ada', ['admin']);
    const before = (await sessions()).length;
    const res = await h.app.inject({
      method: 'POST',
      url: '/app/login',
      payload: new URLSearchParams({
        username: 'ada',
        password: 'correct horse battery staple',
        next: '/app/x\r\nSet-Cookie: evil=1',
      }).toString(),
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('next');
    expect(res.headers['set-cookie']).toBeUndefined();
    expect((await sessions()).length).toBe(before);
    const page = await h.get('/app/login?next=%2Fapp%2Fx%0D%0ASet-Cookie%3A%20evil%3D1', sanne);
    expect(page.statusCode).toBe(400);
  });
});
