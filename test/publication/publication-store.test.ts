import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS, createTestDatabase, type TestDatabase } from '../support/databases.js';
import {
  listPublicationEventsAfter,
  listPublishedCases,
  publicSiteRevision,
  getPublishedCase,
} from '../../src/services/publication/publication.service.js';

describe.each(DIALECTS)('publication store on %s', (dialect) => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await createTestDatabase(dialect);
  });
  afterAll(async () => t?.destroy());

  it('starts empty at site revision 0', async () => {
    const db = t.database.db;
    expect(await publicSiteRevision(db)).toBe(0);
    expect(await listPublishedCases(db)).toEqual([]);
    expect(await getPublishedCase(db, 'INC-2026-0001')).toBeUndefined();
    expect(await listPublicationEventsAfter(db, 0, 10)).toEqual([]);
  });
});
