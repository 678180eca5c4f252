import { sql, type Kysely, type Migration } from 'kysely';

/**
 * The retries metric (attempts beyond the first, per dispatch) without reading the deliveries
 * table: a partial index holds only deliveries that were tried more than once, so it stays
 * small (a row enters it at its second claim) and costs nothing on first sends, which is
 * almost every row. /metrics sums it per dispatch. Partial indexes work alike on SQLite and
 * PostgreSQL.
 */
export function deliveryRetriesIndex(): Migration {
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createIndex('deliveries_retried')
        .on('deliveries')
        .columns(['dispatch_id', 'attempts'])
        .where(sql.ref('attempts'), '>', 1)
        .execute();
    },
  };
}
