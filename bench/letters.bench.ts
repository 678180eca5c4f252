/**
 * Printed letters: a case whose recipients have no email address, all of them written to in
 * batches of 1,000 — the service as `candor letters build` runs it (candidates, deliveries,
 * render, merged PDF, manifest, audit), files written to disk. Target: ≥ 400 letters/s.
 * Beside it, for the record, the same letters through `renderPdf` (pdf-document.ts, one PDF
 * per letter), the writer the reports use. BENCH_LETTERS sets the count (default 5,000).
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { renderPdf } from '../src/channels/letters/pdf-document.js';
import { loadConfig } from '../src/config.js';
import { systemActor } from '../src/domain/access.js';
import { importAffected } from '../src/services/cases/affected.service.js';
import { createCase } from '../src/services/cases/case.service.js';
import { importCustomers } from '../src/services/customers/customer-import.service.js';
import { startDispatch } from '../src/services/dispatch/dispatch.service.js';
import { buildLetters } from '../src/services/letters/letter.service.js';
import { approveNotice, createNotice } from '../src/services/notices/notice.service.js';
import { createRemedy } from '../src/services/remedies/remedy.service.js';
import { createContext } from '../src/wiring.js';
import { benchPerson } from './lib/recall-case.js';
import type { BenchResult } from './lib/results.js';
import { attempt, type Scenario } from './lib/scenario.js';

const LETTERS = Number(process.env.BENCH_LETTERS ?? 5000);
const BATCH = 1000;
const MIN_RATE = 400;
const BASELINE_LETTERS = 200;

function customers(count: number): string {
  let out = '';
  for (let i = 1; i <= count; i++) {
    out += `${JSON.stringify({
      external_id: `P${String(i).padStart(7, '0')}`,
      name: `Klant ${i}`,
      language: i % 4 === 0 ? 'en' : 'nl',
      street: `Dorpsstraat ${i}`,
      postal_code: '1234 AB',
      city: 'Amsterdam',
      country: 'NL',
    })}\n`;
  }
  return out;
}

export const lettersBench: Scenario = {
  name: 'letters',
  async run(ctx) {
    const results: BenchResult[] = [];
    let sampleText: { subject: string; body: string } | null = null;
    results.push(
      await attempt('letters', LETTERS, async () => {
        const config = loadConfig({
          CANDOR_DATA_DIR: path.join(ctx.workDir, 'letters'),
          CANDOR_SECRET: 'bench-letters-secret-0123456789abcdef0123',
          CANDOR_LOG_LEVEL: 'silent',
        });
        const app = await createContext(config, { migrate: true });
        const close = ctx.defer(() => app.close());
        const admin = systemActor('bench');
        ctx.log(`letters: ${LETTERS.toLocaleString('en')} customers without email`);
        await importCustomers(
          admin,
          Readable.from([customers(LETTERS)]),
          { source: 'bench', format: 'jsonl' },
          app.deps,
        );
        const kase = await createCase(
          benchPerson('sanne', 'responder'),
          {
            kind: 'incident',
            title: 'Klantgegevens gekopieerd via een gestolen beheersleutel',
            summary: 'Een aanvaller heeft een deel van onze klantgegevens gekopieerd.',
            statements: {
              what_happened: {
                nl: 'Een aanvaller heeft via een gestolen beheersleutel een deel van onze klantgegevens gekopieerd.',
                en: 'An attacker used a stolen admin key to copy part of our customer data.',
              },
            },
            detectedAt: '2026-11-26T21:10:00Z',
            awareAt: '2026-11-27T02:45:00Z',
          },
          app.deps,
        );
        let affected = '';
        for (let i = 1; i <= LETTERS; i++)
          affected += `${JSON.stringify({ external_id: `P${String(i).padStart(7, '0')}`, data: 'naam, adres' })}\n`;
        await importAffected(
          benchPerson('sanne', 'responder'),
          kase.id,
          Readable.from([affected]),
          { source: 'bench', format: 'jsonl' },
          app.deps,
        );
        const notice = await createNotice(
          benchPerson('joost', 'communicator'),
          kase.id,
          {},
          app.deps,
        );
        // Two remedies, as a real recall has: every letter lists them with their state.
        for (const [key, nl, en] of [
          ['change-password', 'Wijzig uw wachtwoord', 'Change your password'],
          ['update-plugin', 'Werk de plug-in bij naar 4.2.1', 'Update the plugin to 4.2.1'],
        ] as const) {
          await createRemedy(
            benchPerson('joost', 'communicator'),
            kase.id,
            {
              key,
              completion: 'customer',
              texts: {
                nl: { title: nl, instructions: `1. Log in.\n2. ${nl}.` },
                en: { title: en, instructions: `1. Log in.\n2. ${en}.` },
              },
            },
            app.deps,
          );
        }
        await approveNotice(benchPerson('fatima', 'approver'), notice.id, {}, app.deps);
        const dispatch = await startDispatch(admin, notice.id, app.deps);

        const out = path.join(ctx.workDir, 'letters-out');
        fs.mkdirSync(out, { recursive: true });
        let firstBatch: { pdf: string; lastPage: number } | null = null;
        const started = performance.now();
        const cpuBefore = process.cpuUsage();
        const result = await buildLetters(
          admin,
          { target: { dispatchId: dispatch.id }, batchSize: BATCH },
          { ...app.deps, timeZone: 'Europe/Amsterdam' },
          (batch, files) => {
            const base = path.join(out, `letters-${batch.id}`);
            fs.writeFileSync(`${base}.pdf`, files.pdf);
            fs.writeFileSync(`${base}.csv`, files.manifest);
            firstBatch ??= { pdf: `${base}.pdf`, lastPage: files.pages };
          },
        );
        const seconds = (performance.now() - started) / 1000;
        const cpu = process.cpuUsage(cpuBefore);
        const cpuSeconds = (cpu.user + cpu.system) / 1e6;
        const problems: string[] = [];
        if (result.letters !== LETTERS)
          problems.push(`${result.letters} letters printed, expected ${LETTERS}`);
        if (result.batches.length !== Math.ceil(LETTERS / BATCH))
          problems.push(`${result.batches.length} batches, expected ${Math.ceil(LETTERS / BATCH)}`);
        const first = firstBatch as { pdf: string; lastPage: number } | null;
        if (first) {
          const pages = Number(
            /^Pages:\s+(\d+)/m.exec(
              execFileSync('pdfinfo', [first.pdf], { encoding: 'utf8' }),
            )?.[1],
          );
          if (pages !== first.lastPage)
            problems.push(`pdfinfo counts ${pages} pages, the manifest ${first.lastPage}`);
        }
        const rate = LETTERS / seconds;
        if (rate < MIN_RATE)
          problems.push(`${Math.round(rate)} letters/s (target ≥ ${MIN_RATE} letters/s)`);
        const pages = result.batches.reduce((n, b) => n + b.pages, 0);
        const bytes = fs
          .readdirSync(out)
          .filter((f) => f.endsWith('.pdf'))
          .reduce((n, f) => n + fs.statSync(path.join(out, f)).size, 0);
        sampleText = {
          subject: 'Datalek bij Example Hosting B.V.: wat dit voor u betekent',
          body: 'Een aanvaller heeft via een gestolen beheersleutel een deel van onze klantgegevens gekopieerd. '.repeat(
            20,
          ),
        };
        await close();
        return {
          scenario: 'letters',
          seconds,
          rows: LETTERS,
          peakMb: null,
          target: null,
          informative: false,
          problems,
          notes: [
            `${Math.round(rate).toLocaleString('en')} letters/s, ${Math.round(pages / seconds).toLocaleString('en')} pages/s (${pages.toLocaleString('en')} pages, ${(bytes / LETTERS / 1024).toFixed(1)} KB a letter) into ${result.batches.length} merged PDFs (target ≥ ${MIN_RATE} letters/s)`,
            // Other work on the machine stretches the wall time; CPU time shows what it costs.
            `${Math.round(LETTERS / cpuSeconds).toLocaleString('en')} letters per CPU second of this process`,
          ],
          details: { rate, pages, bytes, cpuSeconds },
        };
      }),
    );
    results.push(
      await attempt(
        'letters: renderPdf one PDF per letter (for comparison)',
        BASELINE_LETTERS,
        async () => {
          const text = sampleText ?? { subject: 'Letter', body: 'Text. '.repeat(300) };
          const started = performance.now();
          for (let i = 0; i < BASELINE_LETTERS; i++) {
            await renderPdf({
              title: text.subject,
              author: 'Example Hosting B.V.',
              createdAt: '2026-12-07T00:00:00Z',
              sections: [
                {
                  blocks: [
                    { type: 'paragraph', text: `Klant ${i}\nDorpsstraat ${i}\n1234 AB  AMSTERDAM` },
                    { type: 'paragraph', text: text.body },
                  ],
                },
              ],
            });
          }
          const seconds = (performance.now() - started) / 1000;
          return {
            scenario: 'letters: renderPdf one PDF per letter (for comparison)',
            seconds,
            rows: BASELINE_LETTERS,
            peakMb: null,
            target: null,
            informative: false,
            problems: [],
            notes: [
              `${Math.round(BASELINE_LETTERS / seconds).toLocaleString('en')} letters/s without QR code, and not merged`,
            ],
          };
        },
      ),
    );
    return results;
  },
};
