import type { Kysely, Migration } from 'kysely';

/**
 * Provider confirmations name recipients by the provider's own key, up to 100,000 per request:
 * an index on (case, external id) turns each batch into index lookups instead of a scan of the
 * case's whole frozen set per batch.
 */
export function remedyConfirmations(): Migration {
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createIndex('case_recipients_case_external')
        .on('case_recipients')
        .columns(['case_id', 'external_id'])
        .execute();
    },
  };
}
