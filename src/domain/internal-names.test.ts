import { describe, expect, it } from 'vitest';
import { checkDisclosure, unacceptedFindings, type DisclosureText } from './disclosure-check.js';
import {
  collectInternalNames,
  internalNameMatcher,
  isUsableInternalName,
  normaliseAttributeKey,
  splitAttributeValue,
} from './internal-names.js';

const names = collectInternalNames(
  ['db-cluster-2'],
  [
    { key: 'server', value: 'cp3' },
    { key: 'servers', value: 'web12' },
    { key: 'servers', value: 'db4' },
  ],
);
const one = (body: string, subject = 'Update'): DisclosureText[] => [
  { language: 'en', subject, body },
];
const check = (body: string, subject?: string) =>
  checkDisclosure(one(body, subject), { internalDomains: [], internalNames: names }).filter(
    (f) => f.rule === 'internal-name',
  );

describe('internal-name rule', () => {
  it('flags a registry value and names the attribute it came from', () => {
    const [f, ...rest] = check('We moved every site off server cp3.');
    expect(rest).toEqual([]);
    expect(f).toMatchObject({
      rule: 'internal-name',
      part: 'body',
      line: 1,
      excerpt: 'cp3',
      message: "'cp3' is an internal name: value of the registry attribute `server`",
    });
  });

  it('flags a name from the settings with its own message, also in the subject', () => {
    const f = check('Nothing here.', 'Outage of db-cluster-2');
    expect(f.map((x) => [x.part, x.excerpt, x.message])).toEqual([
      [
        'subject',
        'db-cluster-2',
        "'db-cluster-2' is an internal name: listed as an internal name in settings",
      ],
    ]);
  });

  it('matches whole tokens only, in any case', () => {
    expect(check('Servers cp30, xcp3, cp3x, old-cp3 and cp3_b are fine.')).toEqual([]);
    expect(
      check('CP3 and Cp3 went down; see cp3.example.com\n(web12)').map((f) => f.excerpt),
    ).toEqual(['CP3', 'web12']);
    expect(check('A DB-CLUSTER-2, then').map((f) => f.line)).toEqual([1]);
  });

  it('gives one finding per name and language, stable over spelling and place', () => {
    const a = check('cp3 failed.');
    const b = check('Intro.\n\nThen CP3 failed, and cp3 again.');
    expect(b).toHaveLength(1);
    expect(b[0]!.line).toBe(3);
    expect(b[0]!.fingerprint).toBe(a[0]!.fingerprint);
    expect(unacceptedFindings(b, new Set([a[0]!.fingerprint]))).toEqual([]);
  });

  it('finds nothing when no internal names are given (customer notices)', () => {
    expect(
      checkDisclosure(one('Your site runs on cp3.'), { internalDomains: [] }).map((f) => f.rule),
    ).toEqual([]);
  });
});

describe('internal names', () => {
  it('splits registry texts on commas, semicolons and blanks', () => {
    expect(splitAttributeValue('web12, web13;db4  cp3\tx')).toEqual([
      'web12',
      'web13',
      'db4',
      'cp3',
      'x',
    ]);
  });

  it('drops names too short or only digits, and keeps settings first', () => {
    expect(
      ['cp3', 'x', '42', '2026', 'a1', '-cp3', 'cp3.', 'ä9'].map(isUsableInternalName),
    ).toEqual([true, false, false, false, true, false, false, true]);
    const collected = collectInternalNames(
      ['CP3'],
      [
        { key: 'server', value: 'cp3, 7 x db4' },
        { key: 'host', value: 'DB4' },
      ],
    );
    expect(collected).toEqual([
      { name: 'CP3', source: { kind: 'settings' } },
      { name: 'db4', source: { kind: 'attribute', key: 'server' } },
    ]);
  });

  it('caps the number of names', () => {
    const many = Array.from({ length: 50 }, (_, i) => ({ key: 'server', value: `web${i}` }));
    expect(collectInternalNames([], many, 10)).toHaveLength(10);
  });

  it('normalises configured keys as the import does', () => {
    expect(normaliseAttributeKey('  Host Name ')).toBe('host_name');
    expect(normaliseAttributeKey('Server')).toBe('server');
  });

  it('matches the longest name at a place, and names with blanks and dots', () => {
    const match = internalNameMatcher(
      collectInternalNames(['Project Falcon', 'falcon', 'web12.ams1'], []),
    );
    expect(
      match('The project  falcon and Project Falcon; web12.ams1.').map((m) => m.match),
    ).toEqual(['falcon', 'Project Falcon', 'web12.ams1']);
  });
});
