/**
 * The outbox: messages (email, SMS, webhook deliveries) written in the same transaction as the
 * change that caused them, delivered by workers that claim rows with FOR UPDATE SKIP LOCKED and a
 * lease. Each attempt is logged. Webhook subscriptions keep their signing secret sealed.
 */
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('webhook_subscriptions', (t) => {
    t.text('id').primary();
    t.text('url').notNullable();
    t.text('description').notNullable().defaultTo('');
    t.specificType('event_types', 'text[]').notNullable();
    // AES-256-GCM with the key-encryption key, bound to the subscription id.
    t.text('secret_sealed').notNullable();
    t.boolean('active').notNullable().defaultTo(true);
    // Optimistic concurrency for the admin API (ETag / If-Match), as the other administered records.
    t.integer('version').notNullable().defaultTo(1);
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });
  await knex.schema.createTable('outbox_messages', (t) => {
    t.text('id').primary();
    // email | sms | webhook
    t.text('kind').notNullable();
    // Sealed JSON: links and codes in an intent are secrets in transit.
    t.text('payload_sealed').notNullable();
    // Non-secret summary for listings: template, or webhook event type.
    t.text('topic').notNullable();
    t.text('subscription_id').references('id').inTable('webhook_subscriptions').onDelete('CASCADE');
    // pending | processing | delivered | dead
    t.text('status').notNullable().defaultTo('pending');
    t.integer('attempts').notNullable().defaultTo(0);
    t.integer('max_attempts').notNullable();
    t.timestamp('next_attempt_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.text('lease_token');
    t.timestamp('lease_until', { useTz: true });
    t.text('provider');
    t.text('provider_message_id');
    // What the provider reported afterwards (Twilio / SES callbacks): delivered, bounced, undelivered...
    t.text('delivery_status');
    t.text('last_error');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('delivered_at', { useTz: true });
  });
  // The claim query scans due work only; delivered and dead rows stay out of this index.
  await knex.raw("CREATE INDEX outbox_messages_due ON outbox_messages (next_attempt_at) WHERE status IN ('pending', 'processing')");
  await knex.raw('CREATE INDEX outbox_messages_provider_id ON outbox_messages (provider, provider_message_id) WHERE provider_message_id IS NOT NULL');
  await knex.raw('CREATE INDEX outbox_messages_subscription ON outbox_messages (subscription_id, created_at DESC) WHERE subscription_id IS NOT NULL');
  await knex.schema.createTable('outbox_attempts', (t) => {
    t.bigIncrements('id').primary();
    t.text('message_id').notNullable().references('id').inTable('outbox_messages').onDelete('CASCADE');
    t.integer('attempt').notNullable();
    t.timestamp('at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.text('provider').notNullable();
    t.text('provider_message_id');
    // delivered | retry | dead | status (a provider callback)
    t.text('status').notNullable();
    t.integer('response_status');
    t.integer('duration_ms');
    // Sanitized: never a recipient's secret, a token or a response body beyond a short excerpt.
    t.text('error');
  });
  await knex.raw('CREATE INDEX outbox_attempts_message ON outbox_attempts (message_id, id)');
}

export async function down(): Promise<void> {
  throw new Error('migrations are forward-only');
}
