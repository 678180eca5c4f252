import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FilterExpression } from '../../src/domain/filter/filter-ast.js';
import { parseFilter } from '../../src/domain/filter/filter-parser.js';
import {
  countCustomersMatching,
  customerFilterExpression,
  sampleCustomersMatching,
} from '../../src/store/customer-filter.js';
import { DIALECTS, createTestDatabase, type TestDatabase } from '../support/databases.js';

/**
 * Keys that a JSON path or SQL text would misread if they were pasted in: quotes,
 * backslashes, path syntax, spaces. The import normalises names, so these rows are written
 * directly and the filters built as trees, bypassing the parser's normalisation.
 */
const KEYS = [
  'a b',
  'a"b',
  'a\\b',
  'a.b',
  '$',
  '[0]',
  "it's",
  '"',
  '\\',
  '\\"',
  'ключ',
  'new\nline',
  'tab\tkey',
  "'); drop table customers; --",
];

const equals = (key: string, value: string): FilterExpression => ({
  kind: 'compare',
  field: { kind: 'attribute', key, position: 0 },
  operator: '=',
  value: { type: 'string', value },
});

describe.each(DIALECTS)('filter SQL safety on %s', (dialect) => {
  let test: TestDatabase;

  beforeAll(async () => {
    test = await createTestDatabase(dialect);
    const now = new Date().toISOString();
    const row = (externalId: string, attributes: Record<string, unknown>) => ({
      external_id: externalId,
      language: 'nl',
      attributes: JSON.stringify(attributes),
      created_at: now,
      updated_at: now,
    });
    await test.database.db
      .insertInto('customers')
      .values([
        ...KEYS.map((key, i) => row(`K${i}`, { [key]: `v${i}` })),
        // A nested object must not answer for the key "a.b".
        row('NESTED', { a: { b: 'v3' } }),
      ])
      .execute();
  });
  afterAll(async () => {
    await test?.destroy();
  });

  it.each(KEYS.map((key, i) => [key, i] as const))(
    'finds exactly the customer with attribute key %j',
    async (key, i) => {
      const { db } = test.database;
      const rows = await sampleCustomersMatching(db, dialect, equals(key, `v${i}`), 10);
      expect(rows.map((r) => r.external_id)).toEqual([`K${i}`]);
      const exists: FilterExpression = {
        kind: 'exists',
        field: { kind: 'attribute', key, position: 0 },
        negated: false,
      };
      expect(await countCustomersMatching(db, dialect, exists)).toBe(1);
    },
  );

  it('passes every value and attribute key as a parameter, never as SQL text', () => {
    const filter =
      'plan = "sh4red" and attributes["k3y w1th sp4ce"] in ["w3b12", 1234567] and d0mains has "a.n1" ' +
      'and n4me contains "b4k" and s1nce > "2o11" and not ports has 4431 and fl4g = true';
    const compiled = test.database.db
      .selectFrom('customers')
      .select('id')
      .where((eb) => customerFilterExpression(eb, parseFilter(filter), dialect))
      .compile();
    for (const secret of ['sh4red', 'k3y', 'w3b12', '1234567', 'd0mains', 'a.n1', 'n4me', 'b4k']) {
      expect(compiled.sql).not.toContain(secret);
    }
    for (const secret of ['s1nce', '2o11', '4431', 'fl4g', 'plan']) {
      expect(compiled.sql).not.toContain(secret);
    }
    expect(compiled.parameters).toEqual(expect.arrayContaining(['sh4red', 'w3b12', 1234567]));
  });

  it('leaves the registry intact after hostile filters', async () => {
    const { db } = test.database;
    for (const filter of [
      `attributes["'); drop table customers; --"] = "x"`,
      `name = "'; delete from customers; --"`,
      `name contains "%' or '1'='1"`,
    ]) {
      expect(await countCustomersMatching(db, dialect, parseFilter(filter))).toBe(0);
    }
    expect(await countCustomersMatching(db, dialect, parseFilter('language = "nl"'))).toBe(
      KEYS.length + 1,
    );
  });
});
