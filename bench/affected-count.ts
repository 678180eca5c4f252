import { parseFilter } from '../src/domain/filter/filter-parser.js';
import { countCustomersMatching } from '../src/store/customer-filter.js';
import { openDatabase } from '../src/store/database.js';
import type { BenchResult } from './lib/results.js';
import type { BenchContext } from './lib/scenario.js';
import { scaleTarget } from './lib/scenario.js';

/** The example filter of the issue: a typical advisory selection. */
const FILTER = 'plan = "shared" and server in ["web12", "web13"]';

/**
 * The affected-set preview's count over the whole registry (target ≤ 2 s at 1M customers):
 * the filter compiled to SQL and counted on the database the import just filled. The worst
 * of three runs counts (the first pays for a cold page cache).
 */
export async function measureAffectedCount(
  ctx: BenchContext,
  sqliteFile: string,
): Promise<BenchResult> {
  const database = openDatabase({ dialect: 'sqlite', file: sqliteFile });
  try {
    const ast = parseFilter(FILTER);
    const times: number[] = [];
    let count = 0;
    for (let i = 0; i < 3; i++) {
      const started = performance.now();
      count = await countCustomersMatching(database.db, 'sqlite', ast);
      times.push((performance.now() - started) / 1000);
    }
    const seconds = Math.max(...times);
    return {
      scenario: 'affected-set count over the registry (SQLite)',
      seconds,
      rows: ctx.rows,
      peakMb: null,
      target: scaleTarget(ctx, { maxSeconds: 2 }),
      informative: !ctx.full,
      problems: count > 0 ? [] : ['the filter selected nobody'],
      notes: [
        `${FILTER} → ${count.toLocaleString('en')} customers; runs ${times.map((t) => t.toFixed(2)).join(' s, ')} s`,
      ],
    };
  } finally {
    await database.close();
  }
}
