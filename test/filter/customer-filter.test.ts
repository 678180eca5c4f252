import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemActor } from '../../src/domain/access.js';
import { parseFilter } from '../../src/domain/filter/filter-parser.js';
import { importCustomers } from '../../src/services/customers/customer-import.service.js';
import {
  countCustomersMatching,
  sampleCustomersMatching,
} from '../../src/store/customer-filter.js';
import { DIALECTS, createTestDatabase, type TestDatabase } from '../support/databases.js';

// CSV values are all strings; the importer trims them, stores empty cells as null and
// normalises header names (`Support Contract` → `support_contract`, `say "hi"` → `say_"hi"`).
const CSV = [
  'external_id,email,name,language,city,country,plan,server,domains,since,Support Contract,it\'s,"say ""hi"""',
  'C1,ann@example.com,Ann de Vries,nl,Delft,NL,shared,web12,a.nl;b.nl,2011-03-17,gold,yes,hello',
  'C2,bob@example.net,Bob Bakker,en,Leeds,GB,shared,web13,"c.nl, d.nl",2015-06-01,,,',
  'C3,cees@example.org,Cees Jansen,nl,Ede,NL,vps,web12,a.nl.evil.com,2020-01-01,silver,,',
  'C4,dirk@EXAMPLE.com,Dirk,nl,,NL,Shared,db01,,,,,',
  'C5,eva@example.net,Eva Evans,en,Leeds,GB,reseller,web14, e.nl ;f.nl ,2008-12-31,,,',
  'C6,,Fien,nl,Gouda,NL,,12,"a.nl,b.nl",42,,,',
].join('\n');

// JSONL keeps types: numbers, booleans and arrays.
const JSONL = [
  {
    external_id: 'J1',
    language: 'nl',
    plan: 'shared',
    server: 'web12',
    ports: [80, 443],
    tags: ['Web', 'mail server'],
    active: true,
    quota: 250,
  },
  {
    external_id: 'J2',
    language: 'en',
    plan: 'dedicated',
    server: 'web13',
    ports: '22;443',
    tags: [],
    active: false,
    quota: '1000',
    services: ' web hosting ;mail server,\tdns',
  },
  {
    external_id: 'J3',
    language: 'nl',
    plan: ['shared'],
    ports: [8080],
    active: 'TRUE',
    quota: 99.5,
  },
  { external_id: 'J4', language: 'en', plan: 42, tags: ['a.nl'], active: 'yes', quota: 'abc' },
]
  .map((c) => JSON.stringify(c))
  .join('\n');

const ALL = ['C1', 'C2', 'C3', 'C4', 'C5', 'C6', 'J1', 'J2', 'J3', 'J4'];
const except = (...ids: string[]) => ALL.filter((id) => !ids.includes(id));

/** Each filter with exactly the customers it must select, in id order. */
const CASES: [string, string[]][] = [
  // equality and lists; text compares case-sensitively with text values only
  ['plan = "shared"', ['C1', 'C2', 'J1']],
  ['plan = "Shared"', ['C4']],
  ['plan != "shared"', except('C1', 'C2', 'J1')],
  ['plan = "shared" and server in ["web12", "web13"]', ['C1', 'C2', 'J1']],
  ['server in ["web12", "web13"]', ['C1', 'C2', 'C3', 'J1', 'J2']],
  ['server not in ["web12", "web13"]', ['C4', 'C5', 'C6', 'J3', 'J4']],
  ['external_id in ["C1", "J4"]', ['C1', 'J4']],
  ['country in ["NL"] and language = "nl"', ['C1', 'C3', 'C4', 'C6']],
  ['language = "en"', ['C2', 'C5', 'J2', 'J4']],
  ['city = "Leeds" or city = "Ede"', ['C2', 'C3', 'C5']],
  // numbers: numerically, against numbers and strings written as numbers
  ['server = 12', ['C6']],
  ['server = "12"', ['C6']],
  ['plan = 42', ['J4']],
  ['quota > 100', ['J1', 'J2']],
  ['quota <= 99.5', ['J3']],
  ['quota in [250, "1000"]', ['J1', 'J2']],
  ['quota = "250"', []],
  ['quota >= "2"', ['J4']],
  ['since = 42', ['C6']],
  ['since > 2000', []],
  ['since < "2012"', ['C1', 'C5']],
  ['since >= "2015-06-01" and since <= "2020-01-01"', ['C2', 'C3']],
  // booleans: JSON booleans and the text true/false in any case
  ['active = true', ['J1', 'J3']],
  ['active = false', ['J2']],
  ['active != true', except('J1', 'J3')],
  ['active = "yes"', ['J4']],
  // case-insensitive text tests; % and _ are not wildcards
  ['email ends with "@EXAMPLE.COM"', ['C1', 'C4']],
  ['name contains "bak"', ['C2']],
  ['name not contains "e"', ['C4', 'J1', 'J2', 'J3', 'J4']],
  ['domains contains ".NL"', ['C1', 'C2', 'C3', 'C5', 'C6']],
  ['server starts with "WEB1"', ['C1', 'C2', 'C3', 'C5', 'J1', 'J2']],
  ['plan matches "sh*"', ['C1', 'C2', 'C4', 'J1']],
  ['plan matches "?ps"', ['C3']],
  ['plan matches "s"', []],
  ['plan matches "%"', []],
  ['plan contains "_"', []],
  // has: JSON arrays, or text split on ; and , with blanks trimmed
  ['domains has "a.nl"', ['C1', 'C6']],
  ['domains has "d.nl"', ['C2']],
  ['domains has "e.nl" and domains has "f.nl"', ['C5']],
  ['domains has " e.nl"', []],
  ['domains has "a.nl;b.nl"', []],
  ['domains has ""', []],
  ['domains not has "a.nl"', except('C1', 'C6')],
  ['plan has "shared"', ['C1', 'C2', 'J1', 'J3']],
  ['tags has "mail server"', ['J1']],
  ['tags has "Web"', ['J1']],
  ['tags has "web"', []],
  ['tags has "a.nl" or domains has "a.nl"', ['C1', 'C6', 'J4']],
  ['ports has 443', ['J1', 'J2']],
  ['ports has "443"', ['J1', 'J2']],
  ['ports has 8080', ['J3']],
  ['ports has 22', ['J2']],
  ['services has "web hosting" and services has "mail server" and services has "dns"', ['J2']],
  ['services has "mail" or services has "hosting ;mail"', []],
  // exists: present and not empty; missing attributes
  ['tags exists', ['J1', 'J4']],
  ['tags not exists', except('J1', 'J4')],
  ['since exists', ['C1', 'C2', 'C3', 'C5', 'C6']],
  ['plan exists', except('C6')],
  ['city not exists', ['C4', 'J1', 'J2', 'J3', 'J4']],
  ['postal_code exists', []],
  ['colour != "red"', ALL],
  ['colour = "red"', []],
  // names with spaces and quotes, written the way the header had them
  ['attributes["Support Contract"] = "gold"', ['C1']],
  ['support_contract exists', ['C1', 'C3']],
  ['attributes["it\'s"] exists', ['C1']],
  ['attributes[\'say "hi"\'] = "hello"', ['C1']],
  // boolean structure: not is the exact complement
  ['not (plan = "shared" or server = "web12")', ['C4', 'C5', 'C6', 'J2', 'J3', 'J4']],
  ['not plan = "shared" and not server = "web12"', ['C4', 'C5', 'C6', 'J2', 'J3', 'J4']],
  ['plan = "shared" or plan = "vps" and server = "web12"', ['C1', 'C2', 'C3', 'J1']],
  ['(plan = "shared" or plan = "vps") and server = "web13"', ['C2']],
  ['not not (quota > 100)', ['J1', 'J2']],
  // injection attempts select nothing (and break nothing)
  ['plan = "x\' or 1=1 --"', []],
  ['name = "\'; drop table customers; --"', []],
  ['attributes["plan\') or 1=1 --"] exists', []],
  ['attributes["plan\\"] or 1=1"] exists', []],
  ["domains has \"a.nl' or '1'='1\"", []],
  ["server in [\"web12') or ('1'='1\"]", []],
];

describe.each(DIALECTS)('affected-set filter on %s', (dialect) => {
  let test: TestDatabase;

  beforeAll(async () => {
    test = await createTestDatabase(dialect);
    const deps = { database: test.database, defaultLanguage: 'nl' as const };
    for (const [text, source] of [
      [CSV, 'filter.csv'],
      [JSONL, 'filter.jsonl'],
    ] as const) {
      const summary = await importCustomers(systemActor(), Readable.from([text]), { source }, deps);
      expect(summary.rejected).toBe(0);
    }
  });
  afterAll(async () => {
    await test?.destroy();
  });

  /** The external ids the filter selects, checked against the count. */
  async function selected(filter: string): Promise<string[]> {
    const { db } = test.database;
    const ast = parseFilter(filter);
    const rows = await sampleCustomersMatching(db, dialect, ast, 100);
    expect(await countCustomersMatching(db, dialect, ast)).toBe(rows.length);
    return rows.map((r) => r.external_id);
  }

  it.each(CASES)('%s', async (filter, expected) => {
    expect(await selected(filter)).toEqual(expected);
  });

  it('returns samples in id order, at most the limit', async () => {
    const { db } = test.database;
    const rows = await sampleCustomersMatching(db, dialect, parseFilter('language exists'), 4);
    expect(rows.map((r) => r.external_id)).toEqual(['C1', 'C2', 'C3', 'C4']);
    expect(rows.map((r) => r.id)).toEqual([...rows.map((r) => r.id)].sort((a, b) => a - b));
    expect(await countCustomersMatching(db, dialect, parseFilter('language exists'))).toBe(10);
  });
});
