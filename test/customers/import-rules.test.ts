import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DIALECTS } from '../support/databases.js';
import {
  countRows,
  createTestContext,
  customer,
  resetCustomers,
  runImport,
  sumOf,
  type TestContext,
} from './context.js';

/** Row-level validation: every bad row is reported with line, field and reason; the rest goes in. */
describe.each(DIALECTS)('customer import rules on %s', (dialect) => {
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

  it('rejects every kind of bad CSV row with line, field and reason, and imports the good rows', async () => {
    const lines = [
      'external_id,email,name,language,city', // 1
      'C1,ann@example.com,Ann de Vries,nl,Delft', // 2 good
      ',bob@example.com,Bob,en,Leeds', // 3 no external_id
      '"  ",x@example.com,X,nl,Ede', // 4 blank external_id
      'C2,not-an-email,Cees,nl,Breda', // 5
      'C3,dirk@example.com,Dirk,fr,Gouda', // 6
      `C4,eva@example.com,${'e'.repeat(201)},nl,Zeist`, // 7
      `${'X'.repeat(129)},f@example.com,F,nl,Ede`, // 8
      'C5,gijs@example.com,Gijs,nl', // 9 four fields
      'C6,h@example.com,Henk,nl,Ede,extra', // 10 six fields
      'C7,i@example.com,"Ine"x,nl,Ede', // 11
      'C8,j@example.com,Jo"ost,nl,Ede', // 12
      'C9,bad,Kees,xx,Ede', // 13 two problems
      'C10,kim@EXAMPLE.com,  Kim  ,EN-gb,Kampen', // 14 good
      'C11,l@example.com,"Lies,nl,Lelystad', // 15 quote never closes
    ];
    const summary = await runImport(ctx, `${lines.join('\n')}\n`);

    expect(summary).toMatchObject({ total: 14, inserted: 2, updated: 0, duplicates: 0 });
    expect(summary.rejected).toBe(12);
    expect(sumOf(summary)).toBe(summary.total);
    const r = (line: number, field: string, reason: RegExp) => ({
      line,
      field,
      reason: expect.stringMatching(reason) as unknown,
    });
    expect(summary.rejects).toEqual([
      r(3, 'external_id', /^missing/),
      r(4, 'external_id', /^missing/),
      r(5, 'email', /^not a valid email address: "not-an-email"$/),
      r(6, 'language', /^unknown language "fr"/),
      r(7, 'name', /^longer than 200 characters \(201\)$/),
      r(8, 'external_id', /^longer than 128 characters \(129\)$/),
      r(9, '(row)', /^expected 5 fields as in the header, found 4$/),
      r(10, '(row)', /^expected 5 fields as in the header, found 6$/),
      r(11, 'column 3', /^malformed quoting in column 3: text after a closing quote$/),
      r(12, 'column 3', /^malformed quoting in column 3: quote inside an unquoted field$/),
      r(13, 'email, language', /^email: not a valid .*; language: unknown language "xx"/),
      r(15, 'column 3', /^malformed quoting in column 3: unterminated quoted field$/),
    ]);

    expect(await countRows(ctx, 'customers')).toBe(2);
    expect(await customer(ctx, 'C1')).toMatchObject({
      email: 'ann@example.com',
      name: 'Ann de Vries',
      language: 'nl',
      city: 'Delft',
      import_line: 2,
    });
    // Trimmed, the domain lower-cased, `EN-gb` understood as English.
    expect(await customer(ctx, 'C10')).toMatchObject({
      email: 'kim@example.com',
      name: 'Kim',
      language: 'en',
      city: 'Kampen',
      import_line: 14,
    });
  });

  it('rejects every kind of bad JSONL line and imports the good ones', async () => {
    const lines = [
      '{"external_id":"J1","email":"a@example.com","name":"Anna","language":"en"}', // 1
      '', // 2 blank: not a record
      '{"email":"b@example.com","name":"No Id"}', // 3
      '{"external_id":"J2","email":"nope"}', // 4
      '{"external_id":"J3","language":"de"}', // 5
      'not json at all', // 6
      '[1,2,3]', // 7
      '{"external_id":"J4","name":{"first":"Jan"}}', // 8
      `{"external_id":"J5","city":"${'c'.repeat(101)}"}`, // 9
      '{"external_id":42,"name":"Numeric Id","plan":"gold","since":2019}', // 10
    ];
    const summary = await runImport(ctx, `${lines.join('\n')}\n`);

    expect(summary).toMatchObject({ format: 'jsonl', total: 9, inserted: 2, rejected: 7 });
    expect(sumOf(summary)).toBe(summary.total);
    expect(summary.rejects.map((e) => [e.line, e.field])).toEqual([
      [3, 'external_id'],
      [4, 'email'],
      [5, 'language'],
      [6, '(row)'],
      [7, '(row)'],
      [8, 'name'],
      [9, 'city'],
    ]);
    expect(summary.rejects[3]!.reason).toMatch(/^invalid JSON/);
    expect(summary.rejects[4]!.reason).toBe('expected a JSON object per line');
    expect(summary.rejects[5]!.reason).toBe('must be a string');
    expect(await customer(ctx, 'J1')).toMatchObject({ name: 'Anna', language: 'en' });
    expect(await customer(ctx, '42')).toMatchObject({
      name: 'Numeric Id',
      language: 'nl',
      attributes: { plan: 'gold', since: 2019 },
    });
  });

  it('rejects values no engine can store (NUL, unpaired surrogate) instead of failing the import', async () => {
    // The NUL comes after the first 64 KiB, which the binary-file check looks at.
    const filler = Array.from({ length: 2500 }, (_, i) => `F${i},filler${i}@example.com,Filler`);
    const csv = ['external_id,email,name', ...filler, 'Z1,z@example.com,Nul\0Byte', 'Z2,,Last'];
    const fromCsv = await runImport(ctx, `${csv.join('\n')}\n`);
    expect(csv.slice(0, -2).join('\n').length).toBeGreaterThan(64 * 1024);
    expect(fromCsv).toMatchObject({ total: 2502, inserted: 2501, rejected: 1 });
    expect(fromCsv.rejects).toEqual([
      { line: 2502, field: 'name', reason: 'contains a NUL character (U+0000)' },
    ]);

    const jsonl = [
      '{"external_id":"N1","name":"a\\u0000b"}',
      '{"external_id":"N2","plan":"\\ud800"}',
      '{"external_id":"N3","tags":["ok","x\\u0000"]}',
      '{"external_id":"N4","name":"Emoji \\ud83d\\ude00 ok","plan":"\\ud83d\\ude80"}',
    ];
    const fromJsonl = await runImport(ctx, `${jsonl.join('\n')}\n`);
    expect(fromJsonl).toMatchObject({ total: 4, inserted: 1, rejected: 3 });
    expect(fromJsonl.rejects.map((e) => [e.line, e.field])).toEqual([
      [1, 'name'],
      [2, 'plan'],
      [3, 'tags'],
    ]);
    expect(fromJsonl.rejects[1]!.reason).toMatch(/unpaired UTF-16 surrogate/);
    expect(await customer(ctx, 'Z2')).toMatchObject({ name: 'Last' });
    expect(await customer(ctx, 'N4')).toMatchObject({
      name: 'Emoji 😀 ok',
      attributes: { plan: '🚀' },
    });
  });

  it('rejects a name with a line break, tab or other control character, naming the field', async () => {
    // A quoted CSV cell may span lines; in a name it would break the To: header of every mail.
    const csv = [
      'external_id,email,name,city',
      'L1,l1@example.com,"Jan\r\nJansen",Delft',
      'L2,l2@example.com,"Piet\nPietersen",Ede',
      'L3,l3@example.com,"Tab\tName",Ede',
      'L4,l4@example.com,"Bell\u0007",Ede',
      'L5,l5@example.com,Gewoon Mens,"Den\nHaag"',
    ];
    const summary = await runImport(ctx, `${csv.join('\n')}\n`);
    expect(summary).toMatchObject({ total: 5, inserted: 1, rejected: 4 });
    expect(summary.rejects.map((r) => [r.line, r.field])).toEqual([
      // A record's line is the physical line it starts on.
      [2, 'name'],
      [4, 'name'],
      [6, 'name'],
      [7, 'name'],
    ]);
    expect(summary.rejects[0]!.reason).toMatch(/line break/);
    const jsonl = '{"external_id":"J1","name":"Eerste\\r\\nTweede"}\n';
    const fromJsonl = await runImport(ctx, jsonl);
    expect(fromJsonl).toMatchObject({ total: 1, inserted: 0, rejected: 1 });
    expect(fromJsonl.rejects[0]).toMatchObject({ line: 1, field: 'name' });
    expect(await customer(ctx, 'L5')).toMatchObject({ name: 'Gewoon Mens' });
  });

  it('lets the later of two lines with one external_id win and reports both line numbers', async () => {
    const csv = [
      'external_id,name,city',
      'D1,First,Delft',
      'D2,Other,Ede',
      'D1,Second,Leiden',
      'D3,Bad,"x"y',
      'D3,Good,Gouda',
    ];
    const summary = await runImport(ctx, `${csv.join('\n')}\n`);
    expect(summary).toMatchObject({ total: 5, inserted: 3, duplicates: 1, rejected: 1 });
    expect(summary.duplicateLines).toEqual([{ line: 4, previousLine: 2, externalId: 'D1' }]);
    expect(await customer(ctx, 'D1')).toMatchObject({
      name: 'Second',
      city: 'Leiden',
      import_line: 4,
    });
    // A rejected line supersedes nothing.
    expect(await customer(ctx, 'D3')).toMatchObject({ name: 'Good', import_line: 6 });
  });

  it('finds duplicates more than a whole write batch apart (2,000 on SQLite, 10,000 on PostgreSQL)', async () => {
    const gap = 10_500;
    const rows = ['external_id,name,plan', 'X,Early,basic'];
    for (let i = 0; i < gap; i++) rows.push(`G${i},Filler ${i},basic`);
    rows.push('X,Late,premium');
    const lastLine = rows.length;
    const file = `${rows.join('\n')}\n`;

    const first = await runImport(ctx, file);
    expect(first).toMatchObject({
      total: gap + 2,
      inserted: gap + 1,
      updated: 0,
      duplicates: 1,
      rejected: 0,
    });
    expect(first.duplicateLines).toEqual([{ line: lastLine, previousLine: 2, externalId: 'X' }]);
    expect(await customer(ctx, 'X')).toMatchObject({
      name: 'Late',
      attributes: { plan: 'premium' },
      import_line: lastLine,
    });

    // The same file again: everything is an update, and X is still one duplicate, not an update.
    const second = await runImport(ctx, file);
    expect(second).toMatchObject({ inserted: 0, updated: gap + 1, duplicates: 1, rejected: 0 });
    expect(second.duplicateLines).toEqual([{ line: lastLine, previousLine: 2, externalId: 'X' }]);
    expect(await countRows(ctx, 'customers')).toBe(gap + 1);
  });

  it('adds the summary up exactly for JSONL: inserted + updated + duplicates + rejected', async () => {
    await runImport(ctx, 'external_id,name\nU1,Old One\nU2,Old Two\n');
    const jsonl = [
      '{"external_id":"U1","name":"New One"}',
      '{"external_id":"N1","name":"Fresh"}',
      '{"external_id":"U2","name":"New Two"}',
      '{"external_id":"N1","name":"Fresher"}',
      '{"external_id":"","name":"Nobody"}',
      '{"external_id":"N2","email":"@"}',
      '{"external_id":"N3"}',
    ];
    const summary = await runImport(ctx, `${jsonl.join('\r\n')}\r\n`);
    expect(summary).toMatchObject({
      format: 'jsonl',
      delimiter: null,
      total: 7,
      inserted: 2,
      updated: 2,
      duplicates: 1,
      rejected: 2,
    });
    expect(sumOf(summary)).toBe(summary.total);
    expect(summary.duplicateLines).toEqual([{ line: 4, previousLine: 2, externalId: 'N1' }]);
    expect(await customer(ctx, 'U1')).toMatchObject({ name: 'New One' });
    expect(await customer(ctx, 'N1')).toMatchObject({ name: 'Fresher' });
    expect(await countRows(ctx, 'customers')).toBe(4);
    const history = await ctx.database.db
      .selectFrom('customer_imports')
      .selectAll()
      .orderBy('id', 'desc')
      .executeTakeFirstOrThrow();
    expect(history).toMatchObject({
      status: 'completed',
      total: 7,
      inserted: 2,
      updated: 2,
      duplicates: 1,
      rejected: 2,
    });
  });
});
