import { describe, expect, it } from 'vitest';
import { isValidEmail } from '../domain/customer.js';
import {
  asciiFold,
  customersToCsv,
  customersToJsonl,
  DEFAULT_SEED,
  generateCustomers,
  PLAN_WEIGHTS,
  SYNTHETIC_COLUMNS,
  type SyntheticCustomer,
} from './customer-generator.js';

const ROWS = 50_000;
const customers = [...generateCustomers(ROWS, 1234)];

// Deliberately stricter than RFC 5321: what we generate must pass any validator.
const EMAIL = /^[a-z0-9]+([._][a-z0-9]+)*@[a-z0-9]+(-[a-z0-9]+)*(\.[a-z0-9]+(-[a-z0-9]+)*)+$/;
const DOMAIN = /^[a-z0-9]+(-[a-z0-9]+)*(\.[a-z]{2,})+$/;
const DUTCH_POSTCODE = /^[1-9][0-9]{3} (?!SA|SD|SS)[A-Z]{2}$/;
const UK_POSTCODE = /^[A-Z]{1,2}[0-9]{1,2} [0-9][ABD-HJLNP-UW-Z]{2}$/;
const EIRCODE = /^[ACDEFHKNPRTVWXY][0-9][0-9W] [0-9ACDEFHKNPRTVWXY]{4}$/;

function share(predicate: (customer: SyntheticCustomer) => boolean): number {
  return customers.filter(predicate).length / customers.length;
}

describe('generateCustomers', () => {
  it('is deterministic for a seed and differs between seeds', () => {
    const again = [...generateCustomers(1000, 1234)];
    expect(again).toEqual(customers.slice(0, 1000));
    const other = [...generateCustomers(1000, 4321)];
    expect(other.map((c) => c.email)).not.toEqual(again.map((c) => c.email));
    // Ids are positional, everything else depends on the seed.
    expect(other.map((c) => c.external_id)).toEqual(again.map((c) => c.external_id));
  });

  it('uses the default seed when none is given', () => {
    expect([...generateCustomers(50)]).toEqual([...generateCustomers(50, DEFAULT_SEED)]);
  });

  it('gives the same customer for an index whatever chunk generates it', () => {
    const chunk = [...generateCustomers(500, 1234, 20_000)];
    expect(chunk).toEqual(customers.slice(20_000, 20_500));
    expect(chunk[0]?.external_id).toBe('C0020001');
  });

  it('numbers external ids from C0000001, zero-padded to seven digits', () => {
    expect(customers[0]?.external_id).toBe('C0000001');
    expect(customers[ROWS - 1]?.external_id).toBe('C0050000');
    expect([...generateCustomers(1, 1, 12_345_677)][0]?.external_id).toBe('C12345678');
  });

  it('fills every column with a non-empty string, in column order', () => {
    const columns = SYNTHETIC_COLUMNS.join();
    const wrong = customers.filter(
      (c) => Object.keys(c).join() !== columns || SYNTHETIC_COLUMNS.some((k) => c[k] === ''),
    );
    expect(wrong).toEqual([]);
  });

  it('has unique external ids and emails over 50k rows', () => {
    expect(new Set(customers.map((c) => c.external_id)).size).toBe(ROWS);
    expect(new Set(customers.map((c) => c.email)).size).toBe(ROWS);
  });

  it('writes valid, lower-case ASCII emails on reserved example domains only', () => {
    const invalid = customers.filter(
      ({ email }) => !EMAIL.test(email) || !/@example\.(com|net|org)$/.test(email),
    );
    expect(invalid).toEqual([]);
  });

  it('writes emails the customer registry accepts on import', () => {
    expect(customers.filter(({ email }) => !isValidEmail(email))).toEqual([]);
  });

  it('derives the email from the folded name', () => {
    const daniel = customers.find((c) => c.name.startsWith('Daniël '));
    expect(daniel?.email).toMatch(/daniel|^d\./);
    const seamus = customers.find((c) => c.name.startsWith('Seán '));
    expect(seamus?.email).toMatch(/sean|^s\./);
  });

  it('keeps language and country consistent and in the intended proportions', () => {
    const inconsistent = customers.filter(
      (c) => (c.language === 'nl') !== (c.country === 'NL') || !/^(NL|GB|IE)$/.test(c.country),
    );
    expect(inconsistent).toEqual([]);
    expect(share((c) => c.language === 'nl')).toBeCloseTo(0.8, 1);
    expect(share((c) => c.country === 'IE')).toBeGreaterThan(0.02);
  });

  it('writes postcodes in each country’s format', () => {
    const formats: Record<string, RegExp> = { NL: DUTCH_POSTCODE, GB: UK_POSTCODE, IE: EIRCODE };
    const wrong = customers.filter((c) => !formats[c.country]?.test(c.postal_code));
    expect(wrong).toEqual([]);
    expect(customers.filter((c) => c.country === 'NL').length).toBeGreaterThan(ROWS / 2);
  });

  it('writes Dutch addresses as street + number, British as number + street', () => {
    const wrong = customers.filter((c) =>
      c.country === 'NL'
        ? !/^\D+ \d+(\S*| bis)$/.test(c.street)
        : !/^(Flat \d+, )?\d+ \D+$/.test(c.street),
    );
    expect(wrong).toEqual([]);
  });

  it('includes businesses, Dutch ones with a capitalised tussenvoegsel', () => {
    const businesses = customers.filter((c) =>
      /B\.V\.|V\.O\.F\.|Ltd|LLP|Bakkerij|Bakery/.test(c.name),
    );
    expect(businesses.length).toBeGreaterThan(ROWS * 0.03);
    expect(customers.some((c) => /^\D+ (Van|De) /.test(c.name) && c.language === 'nl')).toBe(true);
    expect(customers.some((c) => /^\S+ (van der|de|van den) /.test(c.name))).toBe(true);
  });

  it('distributes plans roughly as weighted', () => {
    for (const [plan, weight] of Object.entries(PLAN_WEIGHTS)) {
      expect(
        share((c) => c.plan === plan),
        plan,
      ).toBeCloseTo(weight, 1);
    }
    expect(new Set(customers.map((c) => c.plan))).toEqual(new Set(Object.keys(PLAN_WEIGHTS)));
  });

  it('puts customers on web01..web40 and db01..db12', () => {
    const servers = new Set(customers.map((c) => c.server));
    for (const server of servers)
      expect(server).toMatch(/^(web(0[1-9]|[1-3]\d|40)|db(0[1-9]|1[0-2]))$/);
    expect(servers.size).toBe(52);
  });

  it('lists one to three distinct, valid domains, mostly .nl for Dutch customers', () => {
    const wrong = customers.filter((c) => {
      const list = c.domains.split(';');
      return (
        list.length > 3 || new Set(list).size !== list.length || !list.every((d) => DOMAIN.test(d))
      );
    });
    expect(wrong).toEqual([]);
    const counts = new Set(customers.map((c) => c.domains.split(';').length));
    expect(counts).toEqual(new Set([1, 2, 3]));
    const dutch = customers.filter((c) => c.country === 'NL');
    const nl = dutch.filter((c) => c.domains.split(';')[0]?.endsWith('.nl')).length;
    expect(nl / dutch.length).toBeGreaterThan(0.5);
    const english = customers.filter((c) => c.language === 'en');
    expect(english.every((c) => !c.domains.split(';')[0]?.endsWith('.nl'))).toBe(true);
  });

  it('writes since as a real ISO date between 2002 and 2025', () => {
    const wrong = customers.filter(
      ({ since }) =>
        !/^(200[2-9]|201\d|202[0-5])-\d\d-\d\d$/.test(since) ||
        new Date(`${since}T00:00:00Z`).toISOString().slice(0, 10) !== since,
    );
    expect(wrong).toEqual([]);
  });

  it('rejects a negative or fractional count', () => {
    expect(() => [...generateCustomers(-1)]).toThrow(RangeError);
    expect(() => [...generateCustomers(1.5)]).toThrow(RangeError);
    expect([...generateCustomers(0)]).toEqual([]);
  });
});

describe('asciiFold', () => {
  it('lower-cases and strips diacritics', () => {
    expect(asciiFold('Daniël Çelik-Öztürk')).toBe('daniel celik-ozturk');
    expect(asciiFold('Renée José Siobhán Yılmaz Straße')).toBe('renee jose siobhan yilmaz strasse');
  });
});

describe('customersToCsv', () => {
  it('yields the header and one line per customer', () => {
    const lines = [...customersToCsv(1000, 99)];
    expect(lines).toHaveLength(1001);
    expect(lines[0]).toBe(`${SYNTHETIC_COLUMNS.join(',')}\n`);
    expect(lines.every((line) => line.endsWith('\n'))).toBe(true);
    const first = [...generateCustomers(1, 99)][0];
    expect(lines[1]?.startsWith(`${first?.external_id},${first?.email},`)).toBe(true);
  });

  it('honours the delimiter, quoting the ;-separated domains when it is ;', () => {
    const lines = [...customersToCsv(500, 99, { delimiter: ';' })];
    expect(lines[0]).toBe(`${SYNTHETIC_COLUMNS.join(';')}\n`);
    const customers = [...generateCustomers(500, 99)];
    const i = customers.findIndex((c) => c.domains.includes(';'));
    expect(lines[i + 1]).toContain(`;"${customers[i]?.domains}";`);
  });
});

describe('customersToJsonl', () => {
  it('yields one parseable JSON object per line', () => {
    const lines = [...customersToJsonl(200, 5)];
    expect(lines).toHaveLength(200);
    expect(lines.map((line) => JSON.parse(line) as unknown)).toEqual([
      ...generateCustomers(200, 5),
    ]);
  });
});
