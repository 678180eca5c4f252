import { describe, expect, it } from 'vitest';
import { readFactsObject, readJson, stringListJson } from './executor.js';

describe('JSON columns', () => {
  it('reads customer facts as an object, NULL as the empty object, anything else refused', () => {
    expect(readFactsObject('{"plan":"shared"}')).toEqual({ plan: 'shared' });
    expect(readFactsObject({ plan: 'shared' })).toEqual({ plan: 'shared' });
    expect(readFactsObject(null)).toEqual({});
    expect(readFactsObject('null')).toEqual({});
    expect(() => readFactsObject('["a"]')).toThrow(/JSON object of customer facts, got an array/);
    expect(() => readFactsObject('3')).toThrow(/got number/);
  });

  it('checks a column against its schema, naming what is wrong', () => {
    expect(readJson('["a","b"]', stringListJson)).toEqual(['a', 'b']);
    expect(() => readJson('["a",1]', stringListJson)).toThrow(/expected string/);
  });
});
