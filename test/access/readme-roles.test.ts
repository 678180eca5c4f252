import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  PERMISSION_PHRASES,
  ROLES,
  authorize,
  permissionsOf,
  type Role,
} from '../../src/domain/access.js';

/** The README's role table, row by row: role → the phrases in its "May" column. */
function readmeRoles(): Map<string, string[]> {
  const readme = fs.readFileSync(path.join(import.meta.dirname, '../../README.md'), 'utf8');
  const rows = new Map<string, string[]>();
  for (const line of readme.split('\n')) {
    const m = /^\| `([a-z]+)` \| (.+) \|$/.exec(line);
    if (m && (ROLES as readonly string[]).includes(m[1]!)) rows.set(m[1]!, m[2]!.split('; '));
  }
  return rows;
}

describe('the README says what each role may do, as the code grants it', () => {
  const rows = readmeRoles();

  it('has a row per role', () => {
    expect([...rows.keys()].sort()).toEqual([...ROLES].sort());
  });

  it.each(ROLES.filter((r) => r !== 'admin'))('%s: exactly its permissions', (role) => {
    const granted = permissionsOf([role as Role]).map((p) => PERMISSION_PHRASES[p]);
    expect(rows.get(role)).toEqual(granted);
  });

  it('admin: everything', () => {
    expect(permissionsOf(['admin'])).toHaveLength(Object.keys(PERMISSION_PHRASES).length);
    expect(rows.get('admin')?.join('; ')).toMatch(/^everything/);
  });
});

describe('a refusal reads as a sentence', () => {
  it('names what the user may not do in plain words', () => {
    const joost = {
      kind: 'user',
      userId: 2,
      name: 'joost',
      roles: ['communicator'],
      source: 'cli',
    } as const;
    expect(() => authorize(joost, 'notices:approve')).toThrow('joost may not approve notices');
    expect(() => authorize(joost, 'dispatch:control')).toThrow(
      'joost may not pause, resume or cancel a dispatch',
    );
  });
});
