import { describe, expect, it } from 'vitest';
import {
  AuditChainVerifier,
  canonicalJson,
  hashAuditEntry,
  type StoredAuditEntry,
} from './audit-chain.js';

const GENESIS = '0'.repeat(64);

function chain(n: number): StoredAuditEntry[] {
  const entries: StoredAuditEntry[] = [];
  let prev = GENESIS;
  for (let seq = 1; seq <= n; seq++) {
    const content = {
      seq,
      at: `2026-11-27T10:00:0${seq % 10}.000Z`,
      actor: 'sanne',
      action: `case.update.${seq}`,
      objectType: 'case',
      objectId: String(seq),
      source: '127.0.0.1',
      details: { n: seq, nested: { b: 1, a: 2 } },
      prevHash: prev,
    };
    const hash = hashAuditEntry(content);
    entries.push({ ...content, hash });
    prev = hash;
  }
  return entries;
}

function verify(entries: StoredAuditEntry[], head = { seq: 5, hash: chain(5)[4]!.hash }) {
  const v = new AuditChainVerifier(GENESIS);
  for (const e of entries) v.add(e);
  return v.finish(head);
}

describe('audit chain', () => {
  it('canonical JSON ignores key order', () => {
    expect(canonicalJson({ b: 1, a: [{ d: 1, c: 2 }] })).toBe(
      canonicalJson({ a: [{ c: 2, d: 1 }], b: 1 }),
    );
  });

  it('accepts an intact chain', () => {
    expect(verify(chain(5))).toEqual([]);
  });

  it('names an altered entry', () => {
    const entries = chain(5);
    entries[2] = { ...entries[2]!, actor: 'mallory' };
    const findings = verify(entries);
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ seq: 3, problem: 'altered' });
  });

  it('names an entry whose hash was recomputed after editing (the next link breaks)', () => {
    const entries = chain(5);
    const edited = { ...entries[1]!, details: { n: 99 } };
    entries[1] = { ...edited, hash: hashAuditEntry(edited) };
    const findings = verify(entries);
    expect(findings).toEqual([expect.objectContaining({ seq: 3, problem: 'unlinked' })]);
  });

  it('names a removed entry', () => {
    const entries = chain(5);
    entries.splice(1, 1);
    const findings = verify(entries);
    expect(findings[0]).toMatchObject({ seq: 2, problem: 'removed' });
    expect(findings[0]!.message).toBe('entry 2 was removed');
  });

  it('names a removed tail against the head record', () => {
    const findings = verify(chain(3));
    expect(findings).toEqual([expect.objectContaining({ problem: 'tail-removed', seq: 4 })]);
    expect(findings[0]!.message).toBe('entries 4–5 (the latest) were removed');
  });

  it('names reordered entries', () => {
    const entries = chain(5);
    [entries[1], entries[2]] = [entries[2]!, entries[1]!];
    const findings = verify(entries);
    expect(findings.map((f) => f.problem)).toContain('reordered');
  });

  it('hash changes with any field', () => {
    const [e] = chain(1);
    const base = hashAuditEntry(e!);
    for (const field of [
      'at',
      'actor',
      'action',
      'objectType',
      'objectId',
      'source',
      'prevHash',
    ] as const) {
      expect(hashAuditEntry({ ...e!, [field]: 'x' })).not.toBe(base);
    }
    expect(hashAuditEntry({ ...e!, seq: 2 })).not.toBe(base);
    expect(hashAuditEntry({ ...e!, details: { n: 2 } })).not.toBe(base);
  });
});
