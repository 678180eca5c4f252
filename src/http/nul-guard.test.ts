import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { findNul } from './nul-guard.js';

describe('findNul', () => {
  it('finds a NUL in nested parsed values, keys included', () => {
    expect(findNul({ a: [{ b: 'x\u0000' }] })).toEqual(['a', '0', 'b']);
    expect(findNul(Object.assign(Object.create(null), { 'k\u0000': 1 }))).toEqual(['k\u0000']);
    expect(findNul({ file: Buffer.from('\u0000') })).toBeNull();
    expect(findNul({ a: ['ok'], b: 1, c: null })).toBeNull();
  });

  it('leaves a streamed body alone instead of walking its object graph', () => {
    const stream = new PassThrough();
    // A cycle like a request stream's socket ↔ server references.
    Object.assign(stream, { self: stream, text: 'x\u0000' });
    expect(findNul(stream)).toBeNull();
    expect(findNul({ body: stream })).toBeNull();
  });
});
