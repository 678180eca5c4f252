/**
 * The public notice page under a press-driven spike: Candor's server with a published case
 * against a bare Fastify handler returning the same bytes and headers, both on 127.0.0.1,
 * measured by autocannon (64 connections) in a child process so the load generator does not
 * share the servers' event loop. The two are measured alternately (two rounds of half the
 * duration each), so a neighbour's load on the machine hits both alike. Target: Candor at
 * ≥ 0.9× the bare rate, with no errors and no non-2xx answers.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import Fastify from 'fastify';
import { loadConfig } from '../src/config.js';
import { systemActor, type Actor } from '../src/domain/access.js';
import { buildApp } from '../src/http/app.js';
import { createCase } from '../src/services/cases/case.service.js';
import { approveNotice, createNotice } from '../src/services/notices/notice.service.js';
import { publishCase } from '../src/services/publication/publication-publish.service.js';
import { postPublicUpdate } from '../src/services/publication/public-update.service.js';
import { getPublishedCase } from '../src/services/publication/publication.service.js';
import { createUser } from '../src/services/access/user.service.js';
import { createContext } from '../src/wiring.js';
import type { BenchResult } from './lib/results.js';
import { attempt, type Scenario } from './lib/scenario.js';

const CONNECTIONS = 64;
const SECONDS = Number(process.env.BENCH_PUBLIC_SECONDS ?? 10);
const MIN_RATIO = 0.9;

interface LoadResult {
  requests: number;
  seconds: number;
  errors: number;
  timeouts: number;
  non2xx: number;
  p99: number;
}

// Runs in the child: plain JavaScript, so it needs no TypeScript loader.
const LOADGEN = `
const autocannon = require('autocannon');
const [url, seconds, connections] = process.argv.slice(1);
autocannon({ url, duration: Number(seconds), connections: Number(connections), pipelining: 1 }, (err, r) => {
  if (err) { console.error(err); process.exit(1); }
  process.stdout.write(JSON.stringify({ requests: r.requests.total, seconds: r.duration, errors: r.errors,
    timeouts: r.timeouts, non2xx: r.non2xx, p99: r.latency.p99 }));
});`;

function load(url: string, seconds: number, cwd: string): Promise<LoadResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ['-e', LOADGEN, url, String(seconds), String(CONNECTIONS)],
      {
        cwd,
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.on('error', reject);
    child.on('exit', (code) => {
      if (code !== 0) return reject(new Error(`autocannon child exited with ${code}`));
      try {
        resolve(JSON.parse(out) as LoadResult);
      } catch {
        reject(new Error(`autocannon child printed no result: ${out.slice(0, 200)}`));
      }
    });
  });
}

function add(a: LoadResult, b: LoadResult): LoadResult {
  return {
    requests: a.requests + b.requests,
    seconds: a.seconds + b.seconds,
    errors: a.errors + b.errors,
    timeouts: a.timeouts + b.timeouts,
    non2xx: a.non2xx + b.non2xx,
    p99: Math.max(a.p99, b.p99),
  };
}

export const publicPageBench: Scenario = {
  name: 'public-page',
  async run(ctx) {
    return [
      await attempt('public-page', 1, async () => {
        const config = {
          ...loadConfig({
            CANDOR_DATA_DIR: path.join(ctx.workDir, 'public-page'),
            CANDOR_SECRET: 'bench-public-page-secret-0123456789abcdef',
            CANDOR_LOG_LEVEL: 'silent',
          }),
        };
        const app0 = await createContext(config, { migrate: true });
        const closeCtx = ctx.defer(() => app0.close());
        const admin = systemActor('bench');
        const person = async (
          username: string,
          role: 'communicator' | 'approver' | 'responder',
        ) => {
          const { user } = await createUser(
            admin,
            { username, roles: [role], password: 'correct horse battery staple' },
            app0.deps,
          );
          return {
            kind: 'user',
            userId: user.id,
            name: username,
            roles: [role],
            source: 'bench',
          } satisfies Actor;
        };
        const [writer, approver, responder] = [
          await person('writer', 'communicator'),
          await person('approver', 'approver'),
          await person('responder', 'responder'),
        ];
        const kase = await createCase(
          responder,
          {
            kind: 'incident',
            title: 'Break-in on the customer portal',
            summary: 'An attacker got into the customer portal and saw customer data.',
            statements: {
              what_happened: {
                en: 'An attacker got into the customer portal and saw customer data.',
                nl: 'Een aanvaller kwam in het klantportaal en zag klantgegevens.',
              },
            },
            awareAt: new Date(Date.now() - 8 * 3600_000).toISOString(),
          },
          app0.deps,
        );
        const notice = await createNotice(writer, kase.id, { audience: 'public' }, app0.deps);
        await approveNotice(approver, notice.id, {}, app0.deps);
        const press = await createNotice(writer, kase.id, { audience: 'press' }, app0.deps);
        await approveNotice(approver, press.id, {}, app0.deps);
        await publishCase(responder, kase.id, app0.deps);
        for (const status of ['investigating', 'identified', 'contained'] as const)
          await postPublicUpdate(
            responder,
            kase.id,
            {
              status,
              texts: {
                nl: `Stand: ${status}. Wij houden u op de hoogte.`,
                en: `Status: ${status}. We will keep you posted.`,
              },
            },
            app0.deps,
          );
        const published = (await getPublishedCase(app0.database.db, kase.reference))!;

        const candor = await buildApp(app0, { logger: false });
        await candor.listen({ host: '127.0.0.1', port: 0 });
        const closeCandor = ctx.defer(() => candor.close());
        const pagePath = published.paths.page;
        const candorUrl = `http://127.0.0.1:${(candor.server.address() as { port: number }).port}${pagePath}`;

        // The bare handler answers with exactly Candor's bytes and headers.
        const sample = await fetch(candorUrl);
        const body = Buffer.from(await sample.arrayBuffer());
        if (sample.status !== 200)
          throw new Error(`Candor answered ${sample.status} for ${pagePath}`);
        const headers: Record<string, string> = {};
        for (const name of [
          'content-type',
          'etag',
          'last-modified',
          'cache-control',
          'x-content-type-options',
          'content-security-policy',
          'referrer-policy',
          'x-frame-options',
        ])
          headers[name] = sample.headers.get(name) ?? '';
        const bare = Fastify({ logger: false });
        bare.get(pagePath, (_request, reply) => reply.headers(headers).send(body));
        await bare.listen({ host: '127.0.0.1', port: 0 });
        const closeBare = ctx.defer(() => bare.close());
        const bareUrl = `http://127.0.0.1:${(bare.server.address() as { port: number }).port}${pagePath}`;

        ctx.log(
          `page ${pagePath}: ${body.length} bytes; ${CONNECTIONS} connections, ${SECONDS} s each, alternating`,
        );
        await load(bareUrl, 1, ctx.repoRoot);
        await load(candorUrl, 1, ctx.repoRoot);
        const half = Math.max(1, Math.round(SECONDS / 2));
        let bareTotal = await load(bareUrl, half, ctx.repoRoot);
        let candorTotal = await load(candorUrl, half, ctx.repoRoot);
        candorTotal = add(candorTotal, await load(candorUrl, SECONDS - half, ctx.repoRoot));
        bareTotal = add(bareTotal, await load(bareUrl, SECONDS - half, ctx.repoRoot));
        await closeBare();
        await closeCandor();
        await closeCtx();

        const bareRate = bareTotal.requests / bareTotal.seconds;
        const candorRate = candorTotal.requests / candorTotal.seconds;
        const ratio = candorRate / bareRate;
        const problems: string[] = [];
        for (const [name, r] of [
          ['Candor', candorTotal],
          ['bare', bareTotal],
        ] as const) {
          if (r.errors || r.timeouts || r.non2xx)
            problems.push(
              `${name}: ${r.errors} errors, ${r.timeouts} timeouts, ${r.non2xx} non-2xx`,
            );
        }
        if (ratio < MIN_RATIO)
          problems.push(`Candor at ${ratio.toFixed(2)}× the bare rate (target ≥ ${MIN_RATIO}×)`);
        const result: BenchResult = {
          scenario: 'public-page (Candor vs bare Fastify)',
          seconds: candorTotal.seconds,
          rows: candorTotal.requests,
          peakMb: null,
          target: null,
          informative: false,
          problems,
          notes: [
            `Candor ${Math.round(candorRate).toLocaleString('en')} req/s, bare ${Math.round(bareRate).toLocaleString('en')} req/s, ratio ${ratio.toFixed(3)}× (target ≥ ${MIN_RATIO}×)`,
            `p99 latency: Candor ${candorTotal.p99} ms, bare ${bareTotal.p99} ms; page ${body.length} bytes`,
          ],
          details: {
            candor: candorTotal,
            bare: bareTotal,
            candorRate,
            bareRate,
            ratio,
            bytes: body.length,
          },
        };
        return result;
      }),
    ];
  },
};
