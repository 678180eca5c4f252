import { describe, expect, it } from 'vitest';
import { RendererCache } from './renderer-cache.js';

describe('the renderer cache of a worker', () => {
  it('holds at most its capacity, evicting the least recently used', async () => {
    const cache = new RendererCache<string>(3);
    const built: number[] = [];
    const build = (id: number) => {
      built.push(id);
      return Promise.resolve(`renderer ${id}`);
    };
    for (let id = 1; id <= 100; id++) await cache.get(id, build);
    expect(cache.keys()).toEqual([98, 99, 100]);
    await cache.get(98, build); // used again: now the most recent
    await cache.get(101, build);
    expect(cache.keys()).toEqual([100, 98, 101]);
    expect(built.filter((id) => id === 98)).toHaveLength(1);
  });

  it('builds once per dispatch while cached, and never keeps a failed build', async () => {
    const cache = new RendererCache<string>(4);
    let calls = 0;
    const failing = () => {
      calls++;
      return Promise.reject(new Error('notice cannot compile'));
    };
    await expect(cache.get(7, failing)).rejects.toThrow('notice cannot compile');
    await new Promise((resolve) => setImmediate(resolve));
    expect(cache.keys()).toEqual([]);
    await expect(cache.get(7, failing)).rejects.toThrow();
    expect(calls).toBe(2);
    const ok = () => {
      calls++;
      return Promise.resolve('fixed');
    };
    expect(await cache.get(7, ok)).toBe('fixed');
    expect(await cache.get(7, ok)).toBe('fixed');
    expect(calls).toBe(3);
  });

  it('drops finished dispatches', async () => {
    const cache = new RendererCache<string>(8);
    for (const id of [1, 2, 3, 4]) await cache.get(id, (d) => Promise.resolve(String(d)));
    cache.delete(2);
    cache.retainOnly([3, 4, 9]);
    expect(cache.keys()).toEqual([3, 4]);
  });
});
