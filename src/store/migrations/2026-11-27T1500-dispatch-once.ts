import { sql, type Kysely, type Migration } from 'kysely';

/**
 * A notice goes out at most once: one dispatch per notice that is not cancelled. The index,
 * not a read-then-insert in the service, is what holds when two processes start the same
 * notice at the same moment (a double click on two servers, the CLI next to the web). A
 * cancelled dispatch does not count, so a notice can be sent again after a cancel. Partial
 * unique indexes work alike on SQLite and PostgreSQL.
 */
export function dispatchOnce(): Migration {
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createIndex('dispatches_notice_once')
        .on('dispatches')
        .column('notice_id')
        .unique()
        .where(sql.ref('state'), '<>', 'cancelled')
        .execute();
    },
  };
}
