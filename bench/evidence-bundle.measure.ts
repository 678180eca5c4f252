/**
 * Measures `candor export case` and `candor verify-bundle` on a case with many deliveries
 * (default 1,000,000; EVIDENCE_ROWS sets it), on SQLite: time, peak RSS and bundle size.
 * The recipients and deliveries are inserted with one SQL statement each (what is measured
 * is the export, not the dispatch). Run: npx tsx bench/evidence-bundle.measure.ts
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { loadConfig } from '../src/config.js';
import { systemActor } from '../src/domain/access.js';
import { createCase } from '../src/services/cases/case.service.js';
import { exportEvidenceBundle } from '../src/services/reports/evidence-bundle.service.js';
import { verifyEvidenceBundle } from '../src/services/reports/evidence-bundle-verify.service.js';
import { createNotice } from '../src/services/notices/notice.service.js';
import { createContext } from '../src/wiring.js';

const ROWS = Number(process.env.EVIDENCE_ROWS ?? 1_000_000);
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'candor-evidence-bench-'));
const config = loadConfig({
  CANDOR_DATA_DIR: dir,
  CANDOR_DATABASE_URL: `sqlite:${path.join(dir, 'candor.db')}`,
  CANDOR_SECRET: 'bench-secret-bench-secret-bench-secret-01',
});
const ctx = await createContext(config, { migrate: true });
const actor = systemActor('bench');
try {
  const kase = await createCase(
    actor,
    { kind: 'incident', title: 'Bench case', summary: 'Many recipients.' },
    ctx.deps,
  );
  const notice = await createNotice(actor, kase.id, {}, ctx.deps);
  const now = new Date().toISOString();
  const db = ctx.database.db;
  await sql`with recursive n(i) as (select 1 union all select i + 1 from n where i < ${ROWS})
    insert into case_recipients (case_id, customer_id, external_id, email, language, attributes, impact, acknowledged_at)
    select ${kase.id}, i, 'C' || printf('%07d', i), 'c' || i || '@example.test', 'nl', '{}', '{}',
      case when i % 3 = 0 then ${now} end from n`.execute(db);
  await sql`insert into dispatches (notice_id, case_id, state, content_hash, total, created_by, created_at)
    values (${notice.id}, ${kase.id}, 'finished', 'x', ${ROWS}, 'bench', ${now})`.execute(db);
  await sql`insert into deliveries (dispatch_id, recipient_id, email, state, attempts, next_attempt_at, message_id, smtp_response, sent_at, updated_at, channel)
    select (select max(id) from dispatches), id, email, 'sent', 1, ${now}, '<' || id || '.bench@candor.test>', '250 2.0.0 Ok: queued', ${now}, ${now}, 'email'
    from case_recipients where case_id = ${kase.id}`.execute(db);

  const out = path.join(dir, 'bundle.zip');
  const rss0 = process.memoryUsage().rss;
  let t = performance.now();
  const result = await exportEvidenceBundle(actor, kase.reference, out, { database: ctx.database });
  const exportMs = performance.now() - t;
  const rssExport = process.resourceUsage().maxRSS * 1024;
  t = performance.now();
  const verification = await verifyEvidenceBundle(out, { manifestSha256: result.manifestSha256 });
  const verifyMs = performance.now() - t;
  const csv = result.files.find((f) => f.path === 'deliveries.csv')!;
  process.stdout.write(
    `${JSON.stringify(
      {
        rows: ROWS,
        exportSeconds: +(exportMs / 1000).toFixed(1),
        rowsPerSecond: Math.round(ROWS / (exportMs / 1000)),
        verifySeconds: +(verifyMs / 1000).toFixed(1),
        verified: verification.ok,
        bundleMB: +(fs.statSync(out).size / 1e6).toFixed(1),
        deliveriesCsvMB: +(csv.bytes / 1e6).toFixed(1),
        rssBeforeMB: Math.round(rss0 / 1e6),
        peakRssMB: Math.round(rssExport / 1e6),
        peakRssAfterVerifyMB: Math.round((process.resourceUsage().maxRSS * 1024) / 1e6),
      },
      null,
      2,
    )}\n`,
  );
} finally {
  await ctx.close();
  fs.rmSync(dir, { recursive: true, force: true });
}
