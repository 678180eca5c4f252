import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { ImportSummary } from '../../src/services/customers/customer-import.service.js';
import { runCandor, type CandorRun } from '../support/candor-process.js';
import { DIALECTS, databaseUrl } from '../support/databases.js';
import { countRows, createTestContext, customer, runImport, type TestContext } from './context.js';

/** Runs `candor ARGS` against the test database, as an operator runs it. */
function candor(ctx: TestContext, args: string[]): Promise<CandorRun> {
  return runCandor(args, { dataDir: ctx.dir, databaseUrl: databaseUrl(ctx.test.config) });
}

/**
 * `candor customers …` end to end, as an operator runs it, on both engines. Each test has its
 * own database, so the tests (each a few child processes) run concurrently; child processes
 * start slowly on a busy machine, hence more than the default 30 s.
 */
describe.concurrent.each(DIALECTS)('candor customers CLI on %s', { timeout: 60_000 }, (dialect) => {
  const contexts: TestContext[] = [];
  const open = async () => {
    const ctx = await createTestContext(dialect);
    contexts.push(ctx);
    return { ctx, file: (name: string) => path.join(ctx.dir, name) };
  };
  afterAll(async () => {
    await Promise.all(contexts.map((ctx) => ctx.close()));
  });

  it('imports, exits 3 with a rejects file when rows were rejected, and prints --json', async () => {
    const { ctx, file } = await open();
    fs.writeFileSync(
      file('customers.csv'),
      'external_id;email;name;city\n' +
        'K1;k1@example.com;Klaas;Delft\n' +
        'K2;k2@example;Kees;Ede\n' +
        "K3;k3@example.com;=cmd|' /C calc'!A0;Gouda\n" +
        'K1;k1@example.com;Klaas Jr.;Delft\n',
    );
    const run = await candor(ctx, [
      'customers',
      'import',
      file('customers.csv'),
      '--rejects',
      file('rejects.csv'),
      '--json',
    ]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(3);
    const summary = JSON.parse(run.stdout) as ImportSummary;
    expect(Object.keys(summary).sort()).toEqual(
      [
        'importId',
        'dryRun',
        'format',
        'encoding',
        'delimiter',
        'total',
        'inserted',
        'updated',
        'duplicates',
        'rejected',
        'rejects',
        'duplicateLines',
        'omitted',
        'durationMs',
      ].sort(),
    );
    expect(summary).toEqual({
      importId: expect.any(Number) as unknown,
      dryRun: false,
      format: 'csv',
      encoding: 'utf8',
      delimiter: ';',
      total: 4,
      inserted: 2,
      updated: 0,
      duplicates: 1,
      rejected: 1,
      rejects: [{ line: 3, field: 'email', reason: 'not a valid email address: "k2@example"' }],
      duplicateLines: [{ line: 5, previousLine: 2, externalId: 'K1' }],
      omitted: 0,
      durationMs: expect.any(Number) as unknown,
    });
    expect(fs.readFileSync(file('rejects.csv'), 'utf8')).toBe(
      'external_id;email;name;city;candor_reject_reason\n' +
        'K2;k2@example;Kees;Ede;"not a valid email address: ""k2@example"""\n',
    );
    expect(await customer(ctx, 'K1')).toMatchObject({ name: 'Klaas Jr.' });

    // The fixed rejects file goes in with exit 0 and a readable summary.
    const fixed = fs
      .readFileSync(file('rejects.csv'), 'utf8')
      .replace(';k2@example;', ';k2@example.com;');
    fs.writeFileSync(file('fixed.csv'), fixed);
    const again = await candor(ctx, ['customers', 'import', file('fixed.csv')]);
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(/^Imported .*fixed\.csv \(CSV, utf8, delimiter ;\)/);
    expect(again.stdout).toMatch(/inserted\s+1\n/);
    expect(again.stdout).toMatch(/rejected\s+0\n/);
    expect(await countRows(ctx, 'customers')).toBe(3);
  });

  it('exports with formulas neutralised', async () => {
    const { ctx, file } = await open();
    await runImport(
      ctx,
      'external_id,name,street,city\n' +
        'F1,"=HYPERLINK(""http://evil.example"")",-2+3,@risk\n' +
        'F2,+31 Bakker,Dorpsstraat 1,Ede\n' +
        "F3,=cmd|' /C calc'!A0,,Gouda\n",
    );
    const run = await candor(ctx, ['customers', 'export', '--out', file('export.csv')]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const lines = fs.readFileSync(file('export.csv'), 'utf8').split('\n');
    expect(lines[0]).toBe('external_id,email,name,language,street,postal_code,city,country');
    expect(lines).toContain("F3,,'=cmd|' /C calc'!A0,nl,,,Gouda,");
    expect(lines).toContain(`F1,,"'=HYPERLINK(""http://evil.example"")",nl,'-2+3,,'@risk,`);
    expect(lines).toContain("F2,,'+31 Bakker,nl,Dorpsstraat 1,,Ede,");
  });

  it('changes nothing on --dry-run and exits 1 with a clear message for an unusable file', async () => {
    const { ctx, file } = await open();
    await runImport(ctx, 'external_id,name\nD1,Dirk\n');
    const before = {
      customers: await countRows(ctx, 'customers'),
      imports: await countRows(ctx, 'customer_imports'),
    };
    fs.writeFileSync(file('new.jsonl'), '{"external_id":"N1"}\n{"external_id":"D1","name":"X"}\n');
    const dry = await candor(ctx, [
      'customers',
      'import',
      file('new.jsonl'),
      '--dry-run',
      '--json',
    ]);
    expect(dry.code).toBe(0);
    expect(JSON.parse(dry.stdout)).toMatchObject({
      importId: null,
      dryRun: true,
      format: 'jsonl',
      total: 2,
      inserted: 1,
      updated: 1,
    });

    fs.writeFileSync(file('no-id.csv'), 'name,email\nAnn,a@example.com\n');
    const noId = await candor(ctx, ['customers', 'import', file('no-id.csv'), '--json']);
    expect(noId.code).toBe(1);
    expect(noId.stdout).toBe('');
    expect(noId.stderr).toMatch(/^error: not a usable customer file: no external_id column/);

    expect({
      customers: await countRows(ctx, 'customers'),
      imports: await countRows(ctx, 'customer_imports'),
    }).toEqual(before);
    expect(await customer(ctx, 'D1')).toMatchObject({ name: 'Dirk' });
  });
});
