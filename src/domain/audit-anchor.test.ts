import { describe, expect, it } from 'vitest';
import {
  AUDIT_ANCHOR_FORMAT,
  checkAnchor,
  parseAuditAnchor,
  type AuditAnchor,
} from './audit-anchor.js';
import { ValidationError } from './errors.js';

const HASH = 'a'.repeat(64);
const anchor: AuditAnchor = {
  format: AUDIT_ANCHOR_FORMAT,
  seq: 12,
  hash: HASH,
  at: '2026-12-07T10:00:00.000Z',
};

describe('audit anchors', () => {
  it('parses the document `candor audit anchor` writes', () => {
    expect(parseAuditAnchor(JSON.stringify(anchor), 'a.json')).toEqual(anchor);
  });

  it('names the file and every bad field', () => {
    const bad = { ...anchor, format: 'something/2', seq: -1, hash: 'xyz' };
    try {
      parseAuditAnchor(JSON.stringify(bad), 'a.json');
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ValidationError);
      expect((error as ValidationError).message).toBe('a.json is not an audit anchor');
      expect((error as ValidationError).errors.map((e) => e.field)).toEqual([
        'format',
        'seq',
        'hash',
      ]);
    }
    expect(() => parseAuditAnchor('{"format": ', 'b.json')).toThrow(/b.json .*not JSON/);
  });

  it('passes when the entry still has the anchored hash, and names the sequence when not', () => {
    expect(checkAnchor(anchor, HASH, 'a.json')).toBeNull();
    const changed = checkAnchor(anchor, 'b'.repeat(64), 'a.json');
    expect(changed).toMatchObject({ seq: 12, problem: 'anchor-mismatch' });
    expect(changed!.message).toMatch(/^entry 12 no longer has the hash anchored in a\.json/);
    const gone = checkAnchor(anchor, null, 'a.json');
    expect(gone).toMatchObject({ seq: 12, problem: 'anchor-missing' });
    expect(gone!.message).toMatch(/^entry 12, anchored in a\.json .* is gone/);
  });
});
