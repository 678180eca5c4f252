import { once } from 'node:events';
import fs from 'node:fs';
import { customersToCsv } from '../../src/demo/customer-generator.js';
import type { BenchContext } from './scenario.js';

/** The seed of the synthetic registry every customer bench reads, so their files are the same. */
export const CUSTOMER_SEED = 1;

/** Writes `ctx.rows` synthetic customers as CSV to `file`, logging its size and time. */
export async function writeCustomerCsv(ctx: BenchContext, file: string): Promise<void> {
  ctx.log(`generating ${ctx.rows.toLocaleString('en')} customers → ${file}`);
  const started = Date.now();
  const out = fs.createWriteStream(file);
  let buffer = '';
  for (const line of customersToCsv(ctx.rows, CUSTOMER_SEED)) {
    buffer += line;
    if (buffer.length > 1 << 20) {
      if (!out.write(buffer)) await once(out, 'drain');
      buffer = '';
    }
  }
  out.end(buffer);
  await once(out, 'finish');
  const mb = fs.statSync(file).size / 2 ** 20;
  ctx.log(`  ${mb.toFixed(0)} MB in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}
