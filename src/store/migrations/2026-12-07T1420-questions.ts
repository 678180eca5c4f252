import type { Kysely, Migration } from 'kysely';
import type { ColumnTypes } from './column-types.js';

/**
 * Customer questions from the personal page, and the replies the team sends back by email.
 *
 * A question keeps the client address only as a keyed hash: enough to count questions per
 * address for the rate limit across servers, not an IP address kept with the text. A reply
 * is its own outbox row (queued → sending → sent/failed) so a background sender delivers it
 * once, with retries, whichever process picks it up.
 */
export function questions(t: ColumnTypes): Migration {
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('questions')
        .addColumn('id', t.id, t.idModifier)
        .addColumn('case_id', t.bigint, (c) => c.notNull().references('cases.id'))
        .addColumn('recipient_id', t.bigint, (c) => c.notNull().references('case_recipients.id'))
        .addColumn('body', 'text', (c) => c.notNull())
        // The page's language when asked: the reply goes out in it.
        .addColumn('language', 'text', (c) => c.notNull())
        // open | answered | closed
        .addColumn('state', 'text', (c) => c.notNull())
        .addColumn('client_hash', 'text', (c) => c.notNull())
        .addColumn('asked_at', t.timestamp, (c) => c.notNull())
        .addColumn('answered_at', t.timestamp)
        .addColumn('answered_by', 'text')
        .addColumn('closed_at', t.timestamp)
        .addColumn('closed_by', 'text')
        .addColumn('close_reason', 'text')
        .execute();
      await db.schema
        .createIndex('questions_case_state')
        .on('questions')
        .columns(['case_id', 'state', 'asked_at'])
        .execute();
      await db.schema
        .createIndex('questions_recipient_asked')
        .on('questions')
        .columns(['recipient_id', 'asked_at'])
        .execute();
      await db.schema
        .createIndex('questions_client_asked')
        .on('questions')
        .columns(['client_hash', 'asked_at'])
        .execute();

      await db.schema
        .createTable('question_replies')
        .addColumn('id', t.id, t.idModifier)
        .addColumn('question_id', t.bigint, (c) => c.notNull().references('questions.id'))
        .addColumn('case_id', t.bigint, (c) => c.notNull())
        .addColumn('recipient_id', t.bigint, (c) => c.notNull())
        .addColumn('body', 'text', (c) => c.notNull())
        .addColumn('author', 'text', (c) => c.notNull())
        .addColumn('email', 'text', (c) => c.notNull())
        .addColumn('language', 'text', (c) => c.notNull())
        // queued | sending | sent | failed
        .addColumn('state', 'text', (c) => c.notNull())
        .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('next_attempt_at', t.timestamp, (c) => c.notNull())
        .addColumn('claimed_by', 'text')
        .addColumn('claimed_at', t.timestamp)
        .addColumn('message_id', 'text', (c) => c.notNull())
        .addColumn('smtp_response', 'text')
        .addColumn('sent_at', t.timestamp)
        .addColumn('created_at', t.timestamp, (c) => c.notNull())
        .addColumn('updated_at', t.timestamp, (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex('question_replies_due')
        .on('question_replies')
        .columns(['state', 'next_attempt_at'])
        .execute();
      await db.schema
        .createIndex('question_replies_question')
        .on('question_replies')
        .column('question_id')
        .execute();
    },
  };
}
