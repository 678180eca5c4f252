import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ValidationError } from '../../src/domain/errors.js';
import { DIALECTS } from '../support/databases.js';
import {
  Collector,
  countRows,
  createTestContext,
  customer,
  resetCustomers,
  runImport,
  type TestContext,
} from './context.js';

const UTF8_BOM = Buffer.from([0xef, 0xbb, 0xbf]);

/** Encodes text as Windows-1252, as Excel under a Dutch locale saves "CSV (;)". */
function windows1252(text: string): Buffer {
  return Buffer.from(
    [...text].map((c) => {
      if (c === '€') return 0x80;
      const code = c.charCodeAt(0);
      if (code > 0xff || (code >= 0x80 && code <= 0x9f))
        throw new Error(`not in the test map: ${c}`);
      return code;
    }),
  );
}

/** Files, formats, rejects files and the upsert semantics of the customer import. */
describe.each(DIALECTS)('customer import files on %s', (dialect) => {
  let ctx: TestContext;
  beforeAll(async () => {
    ctx = await createTestContext(dialect);
  });
  afterAll(async () => {
    await ctx?.close();
  });
  beforeEach(async () => {
    await resetCustomers(ctx);
  });

  it('upserts by external_id: new rows are inserted, known rows updated in place', async () => {
    const first = await runImport(
      ctx,
      'external_id,email,name,city\nA1,a@example.com,Ann,Delft\nA2,b@example.com,Bert,Ede\nA3,c@example.com,Cor,Gouda\n',
    );
    expect(first).toMatchObject({ total: 3, inserted: 3, updated: 0, duplicates: 0, rejected: 0 });
    const before = await customer(ctx, 'A2');

    const second = await runImport(
      ctx,
      'external_id,email,name,city\nA2,bert@example.com,Bert Jansen,Arnhem\nA4,d@example.com,Dirk,Zwolle\nA3,c@example.com,Cor,Utrecht\n',
    );
    expect(second).toMatchObject({ total: 3, inserted: 1, updated: 2, duplicates: 0, rejected: 0 });
    expect(second.importId).not.toBe(first.importId);
    const after = await customer(ctx, 'A2');
    expect(after).toMatchObject({
      id: before!.id,
      created_at: before!.created_at,
      email: 'bert@example.com',
      name: 'Bert Jansen',
      city: 'Arnhem',
      import_id: second.importId,
    });
    expect(await customer(ctx, 'A1')).toMatchObject({ name: 'Ann', import_id: first.importId });
    expect(await customer(ctx, 'A3')).toMatchObject({ city: 'Utrecht' });
    expect(await countRows(ctx, 'customers')).toBe(4);
  });

  it.each([
    [',', 'comma'],
    [';', 'semicolon'],
    ['\t', 'tab'],
  ])('detects the %j delimiter (%s)', async (delimiter) => {
    const other = delimiter === ',' ? ';' : ',';
    const text =
      ['external_id', 'name', 'city'].join(delimiter) +
      '\n' +
      ['T1', `Jansen${other} B.V.`, 'Delft'].join(delimiter) +
      '\n' +
      // The quoted delimiter sits in the city: a name may not hold a tab (it is rejected).
      ['T2', 'Quoted Name', '"Ede' + delimiter + ' Centrum"'].join(delimiter) +
      '\n';
    const summary = await runImport(ctx, text);
    expect(summary).toMatchObject({ format: 'csv', delimiter, inserted: 2, rejected: 0 });
    expect(await customer(ctx, 'T1')).toMatchObject({ name: `Jansen${other} B.V.`, city: 'Delft' });
    expect(await customer(ctx, 'T2')).toMatchObject({
      name: 'Quoted Name',
      city: `Ede${delimiter} Centrum`,
    });
  });

  it.each([
    ['UTF-8 without BOM', 'utf8', (t: string) => Buffer.from(t, 'utf8')],
    ['UTF-8 with BOM', 'utf8', (t: string) => Buffer.concat([UTF8_BOM, Buffer.from(t, 'utf8')])],
    ['Windows-1252 (Dutch Excel)', 'windows-1252', windows1252],
  ] as const)('reads %s: é, ë and € come out right', async (_label, encoding, encode) => {
    const text =
      'external_id;name;city;Prijs Plan\r\n' +
      'E1;Café Ëlla;Liège;€ 12,50\r\n' +
      'E2;Noël Baëlde;Zoë-stad;\r\n';
    const summary = await runImport(ctx, encode(text));
    expect(summary).toMatchObject({ encoding, delimiter: ';', inserted: 2, rejected: 0 });
    expect(await customer(ctx, 'E1')).toMatchObject({
      name: 'Café Ëlla',
      city: 'Liège',
      attributes: { prijs_plan: '€ 12,50' },
    });
    const e2 = await customer(ctx, 'E2');
    expect(e2).toMatchObject({ name: 'Noël Baëlde', city: 'Zoë-stad' });
    expect(e2!.attributes).toEqual({});
  });

  it('writes a rejects file with the header and exactly the bad rows, and the fixed file imports', async () => {
    const input =
      'external_id;email;name;city\n' +
      'R1;r1@example.com;Good One;Delft\n' +
      'R2;not-an-email;"Two; with ""quotes""";Ede\n' +
      'R3;r3@example.com;Good Three;Gouda\n' +
      'R4;r4@example.com;Four;"Zeist\non two lines";extra\n' +
      ';r5@example.com;No Id;Breda\n';
    const rejects = new Collector();
    const summary = await runImport(ctx, input, { rejects });
    expect(summary).toMatchObject({ total: 5, inserted: 2, rejected: 3 });
    expect(summary.rejects.map((r) => r.line)).toEqual([3, 5, 7]);

    const lines = [
      'external_id;email;name;city;candor_reject_reason',
      'R2;not-an-email;"Two; with ""quotes""";Ede;"not a valid email address: ""not-an-email"""',
      'R4;r4@example.com;Four;"Zeist\non two lines";extra;expected 4 fields as in the header, found 5',
      ';r5@example.com;No Id;Breda;missing: every customer needs an external_id',
    ];
    expect(rejects.text()).toBe(`${lines.join('\n')}\n`);

    // Fix two rows where they are, leaving the reason column in place, and import that file.
    const fixed = rejects
      .text()
      .replace('not-an-email', 'two@example.com')
      .replace('lines";extra;', 'lines";');
    const rejectsAgain = new Collector();
    const again = await runImport(ctx, fixed, { rejects: rejectsAgain });
    expect(again).toMatchObject({ total: 3, inserted: 2, updated: 0, rejected: 1 });
    const r2 = await customer(ctx, 'R2');
    expect(r2).toMatchObject({ email: 'two@example.com', name: 'Two; with "quotes"' });
    expect(r2!.attributes).toEqual({}); // the reason column is not an attribute
    expect(await customer(ctx, 'R4')).toMatchObject({ name: 'Four', city: 'Zeist\non two lines' });

    // The row still wrong comes back with a second reason; fixed, that file imports too.
    expect(rejectsAgain.text()).toBe(
      'external_id;email;name;city;candor_reject_reason;candor_reject_reason\n' +
        `${lines[3]!};missing: every customer needs an external_id\n`,
    );
    const last = await runImport(ctx, rejectsAgain.text().replace('\n;r5@', '\nR5;r5@'));
    expect(last).toMatchObject({ total: 1, inserted: 1, rejected: 0 });
    expect(await countRows(ctx, 'customers')).toBe(5);
  });

  it('writes a JSONL rejects file in JSONL, and the fixed file imports', async () => {
    const input =
      '{"external_id":"L1","name":"Good"}\n' +
      '{"external_id":"L2","email":"broken"}\n' +
      '{"external_id":"L3",\n' +
      '{"external_id":"L4","language":"fr","plan":"gold"}\n';
    const rejects = new Collector();
    const summary = await runImport(ctx, input, { rejects });
    expect(summary).toMatchObject({ total: 4, inserted: 1, rejected: 3 });
    const written = rejects.text().split('\n');
    expect(written).toHaveLength(4); // three lines and the final newline
    expect(JSON.parse(written[0]!)).toEqual({
      external_id: 'L2',
      email: 'broken',
      candor_reject_reason: 'not a valid email address: "broken"',
    });
    expect(written[1]).toBe('{"external_id":"L3",');
    expect(JSON.parse(written[2]!)).toMatchObject({ external_id: 'L4', language: 'fr' });

    const fixed = rejects
      .text()
      .replace('"broken"', '"l2@example.com"')
      .replace('{"external_id":"L3",', '{"external_id":"L3"}')
      .replace('"fr"', '"en"');
    const again = await runImport(ctx, fixed);
    expect(again).toMatchObject({ total: 3, inserted: 3, rejected: 0 });
    expect(await customer(ctx, 'L4')).toMatchObject({
      language: 'en',
      attributes: { plan: 'gold' },
    });
  });

  it('overwrites only the columns in the file; attribute columns become attributes', async () => {
    await runImport(
      ctx,
      'external_id,email,name,language,city,Hosting Plan,server\n' +
        'P1,p1@example.com,Piet,en,Delft,shared,web01\n' +
        'P2,p2@example.com,Pam,nl,Ede,vps,\n',
    );
    expect(await customer(ctx, 'P1')).toMatchObject({
      language: 'en',
      attributes: { hosting_plan: 'shared', server: 'web01' },
    });
    // An empty attribute cell on a new customer stores nothing for it.
    expect((await customer(ctx, 'P2'))!.attributes).toEqual({ hosting_plan: 'vps' });

    await runImport(ctx, 'external_id,city\nP1,Leiden\n');
    expect(await customer(ctx, 'P1')).toMatchObject({
      email: 'p1@example.com',
      name: 'Piet',
      language: 'en',
      city: 'Leiden',
      attributes: { hosting_plan: 'shared', server: 'web01' },
    });

    await runImport(ctx, 'external_id,hosting_plan\nP1,dedicated\n');
    expect(await customer(ctx, 'P1')).toMatchObject({
      name: 'Piet',
      city: 'Leiden',
      attributes: { hosting_plan: 'dedicated', server: 'web01' },
    });

    // An empty attribute cell removes that attribute; the others stay.
    await runImport(ctx, 'external_id,server,domains\nP1,,piet.nl\n');
    expect((await customer(ctx, 'P1'))!.attributes).toEqual({
      hosting_plan: 'dedicated',
      domains: 'piet.nl',
    });

    // An empty language keeps the existing one, and gives a new customer the default.
    const summary = await runImport(ctx, 'external_id,language,name\nP1,,Piet B.\nP3,,Nieuw\n');
    expect(summary).toMatchObject({ inserted: 1, updated: 1, rejected: 0 });
    expect(await customer(ctx, 'P1')).toMatchObject({ language: 'en', name: 'Piet B.' });
    expect(await customer(ctx, 'P3')).toMatchObject({ language: 'nl' });

    // An empty field cell clears that field.
    await runImport(ctx, 'external_id,city\nP1,\n');
    expect(await customer(ctx, 'P1')).toMatchObject({ city: null, name: 'Piet B.' });
  });

  it('changes nothing on a dry run, and counts what the real run then does', async () => {
    const existing = ['external_id,name'];
    for (let i = 0; i < 100; i++) existing.push(`K${i},Known ${i}`);
    await runImport(ctx, `${existing.join('\n')}\n`);
    const snapshot = async () => ({
      rows: await ctx.database.db.selectFrom('customers').selectAll().orderBy('id').execute(),
      imports: await countRows(ctx, 'customer_imports'),
      audit: await countRows(ctx, 'audit_events'),
    });
    const before = await snapshot();

    // More than one write batch on both engines, with a duplicate across batches and rejects.
    const rows = ['external_id,name,email'];
    for (let i = 0; i < 50; i++) rows.push(`K${i},Changed ${i},`);
    for (let i = 0; i < 11_000; i++) rows.push(`N${i},New ${i},`);
    rows.push('N0,New again,', 'K0,Bad,not-an-email', ',Nobody,');
    const file = `${rows.join('\n')}\n`;

    const dry = await runImport(ctx, file, { dryRun: true });
    expect(dry).toMatchObject({
      importId: null,
      dryRun: true,
      total: 11_053,
      inserted: 11_000,
      updated: 50,
      duplicates: 1,
      rejected: 2,
    });
    expect(dry.duplicateLines).toEqual([{ line: 11_052, previousLine: 52, externalId: 'N0' }]);
    expect(await snapshot()).toEqual(before);

    const real = await runImport(ctx, file);
    const counts = ({ total, inserted, updated, duplicates, rejected }: typeof dry) =>
      ({ total, inserted, updated, duplicates, rejected }) as const;
    expect(counts(real)).toEqual(counts(dry));
    expect(await countRows(ctx, 'customers')).toBe(11_100);
  });

  it.each([
    ['an empty file', Buffer.alloc(0), /^the file is empty$/],
    ['a file of blank lines', Buffer.from('\n  \r\n\n'), /^the file is empty$/],
    [
      'binary data',
      Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]),
      /binary data \(NUL byte/,
    ],
    [
      'an Excel workbook',
      Buffer.from('PK\x03\x04\x14\x00\x06\x00rest-of-zip', 'latin1'),
      /ZIP archive.*xlsx/,
    ],
    ['a gzip file', Buffer.from([0x1f, 0x8b, 0x08, 0x00, 1, 2, 3]), /gzip-compressed/],
    ['UTF-16 text', Buffer.from('\ufeffexternal_id,name\n', 'utf16le'), /UTF-16/],
    [
      'a CSV without external_id',
      Buffer.from('name,email\nAnn,a@example.com\n'),
      /no external_id column.*"name", "email"/,
    ],
    [
      'a header naming a column twice',
      Buffer.from('external_id,name,Name\nA,B,C\n'),
      /column "name" appears twice/,
    ],
  ])(
    'refuses %s with a clear ValidationError and changes nothing',
    async (_label, bytes, message) => {
      await runImport(ctx, 'external_id,name\nKEEP,Kept\n');
      const before = {
        rows: await ctx.database.db.selectFrom('customers').selectAll().execute(),
        imports: await countRows(ctx, 'customer_imports'),
        audit: await countRows(ctx, 'audit_events'),
      };
      const rejects = new Collector();
      const error = await runImport(ctx, bytes, { rejects }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ValidationError);
      expect((error as ValidationError).message).toMatch(message);
      expect({
        rows: await ctx.database.db.selectFrom('customers').selectAll().execute(),
        imports: await countRows(ctx, 'customer_imports'),
        audit: await countRows(ctx, 'audit_events'),
      }).toEqual(before);
      expect(rejects.text()).toBe('');
    },
  );
});
