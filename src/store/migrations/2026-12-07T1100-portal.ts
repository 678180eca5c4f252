import type { Kysely, Migration } from 'kysely';

/**
 * The provider's customer portal. API tokens may be limited to one use: a portal token reads a
 * customer's open notices and nothing else, whatever its user's roles allow. The portal asks
 * by customer, across cases: indexes on the frozen recipients' customer and on deliveries'
 * recipient.
 */
export function portalAccess(): Migration {
  return {
    async up(db: Kysely<unknown>) {
      await db.schema.alterTable('api_tokens').addColumn('scope', 'text').execute();
      await db.schema
        .createIndex('case_recipients_customer')
        .on('case_recipients')
        .column('customer_id')
        .execute();
      // "Was this recipient reached?" without scanning every delivery.
      await db.schema
        .createIndex('deliveries_recipient')
        .on('deliveries')
        .column('recipient_id')
        .execute();
    },
  };
}
