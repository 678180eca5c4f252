import { describe, expect, it } from 'vitest';
import { hasChanges, lineDiff } from '../../src/domain/line-diff.js';

describe('lineDiff', () => {
  it('marks added and removed lines and keeps the rest in order', () => {
    const diff = lineDiff('a\nb\nc\nd', 'a\nc\nx\nd');
    expect(diff).toEqual([
      { kind: 'same', text: 'a' },
      { kind: 'removed', text: 'b' },
      { kind: 'same', text: 'c' },
      { kind: 'added', text: 'x' },
      { kind: 'same', text: 'd' },
    ]);
    expect(hasChanges(diff)).toBe(true);
  });

  it('reports no change for equal texts and handles empty sides', () => {
    expect(hasChanges(lineDiff('a\nb', 'a\nb'))).toBe(false);
    expect(lineDiff('', 'a')).toEqual([{ kind: 'added', text: 'a' }]);
    expect(lineDiff('a', '')).toEqual([{ kind: 'removed', text: 'a' }]);
  });

  it('rebuilds both texts from the diff', () => {
    const before = 'one\ntwo\nthree\nfour\nfive\nsix';
    const after = 'zero\none\nthree\nfour changed\nfive\nsix\nseven';
    const diff = lineDiff(before, after);
    const back = (skip: string) =>
      diff
        .filter((l) => l.kind !== skip)
        .map((l) => l.text)
        .join('\n');
    expect(back('added')).toBe(before);
    expect(back('removed')).toBe(after);
    expect(diff.filter((l) => l.kind === 'same')).toHaveLength(4);
  });
});
