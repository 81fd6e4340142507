/**
 * Server migration `0120-webhooks`, one statement list per dialect, spread
 * into src/server/db/migrations/{sqlite,postgres}.ts.
 *
 * - `webhook_subscriptions`: a URL, the event types it wants, its signing
 *   secret, and its pause state (paused after repeated failures).
 * - `webhook_messages`: the outbox, one row per (subscription, source fact),
 *   written in the push transaction that recorded the fact; the unique key
 *   makes a second write of the same fact a no-op.
 * - `webhook_deliveries`: the delivery log, one row per attempt, keyed by
 *   (message, attempt number) so an attempt can only be recorded once.
 */
import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { Migration } from 'kysely/migration';

type Dialect = 'sqlite' | 'postgres';

function statements(d: Dialect): Array<RawBuilder<unknown>> {
  const strict = sql.raw(d === 'sqlite' ? ' STRICT' : '');
  const big = sql.raw(d === 'sqlite' ? 'INTEGER' : 'bigint');
  return [
    sql`CREATE TABLE webhook_subscriptions (
      id TEXT PRIMARY KEY, url TEXT NOT NULL, event_types TEXT NOT NULL, secret TEXT NOT NULL,
      wait_minutes INTEGER NOT NULL, created_at TEXT NOT NULL, paused_at TEXT, pause_reason TEXT,
      consecutive_failures INTEGER NOT NULL)${strict}`,
    sql`CREATE TABLE webhook_messages (
      id TEXT PRIMARY KEY, subscription_id TEXT NOT NULL, event_type TEXT NOT NULL, event_key TEXT NOT NULL,
      body TEXT NOT NULL, created_at TEXT NOT NULL, attempts INTEGER NOT NULL, next_attempt_ms ${big} NOT NULL,
      delivered_at TEXT, last_error TEXT)${strict}`,
    sql`CREATE UNIQUE INDEX webhook_messages_by_subscription_key ON webhook_messages (subscription_id, event_key)`,
    sql`CREATE INDEX webhook_messages_by_due ON webhook_messages (next_attempt_ms) WHERE delivered_at IS NULL`,
    sql`CREATE TABLE webhook_deliveries (
      message_id TEXT NOT NULL, attempt INTEGER NOT NULL, subscription_id TEXT NOT NULL, attempted_at TEXT NOT NULL,
      status_code INTEGER, outcome TEXT NOT NULL, error TEXT, duration_ms INTEGER NOT NULL,
      PRIMARY KEY (message_id, attempt))${strict}`,
    sql`CREATE INDEX webhook_deliveries_by_subscription ON webhook_deliveries (subscription_id, attempted_at)`,
  ];
}

function webhooksMigration(d: Dialect): Migration {
  return {
    async up(db: Kysely<unknown>) {
      for (const stmt of statements(d)) await stmt.execute(db);
    },
  };
}

export const WEBHOOKS_MIGRATION_SQLITE = webhooksMigration('sqlite');
export const WEBHOOKS_MIGRATION_POSTGRES = webhooksMigration('postgres');

/** Kysely table types, merged into ServerSchema. */
export type WebhookSchema = {
  webhook_subscriptions: {
    id: string;
    url: string;
    /** JSON array of WebhookEventType. */
    event_types: string;
    /** `whsec_` + base64 of the key bytes. */
    secret: string;
    wait_minutes: number;
    created_at: string;
    paused_at: string | null;
    pause_reason: string | null;
    consecutive_failures: number;
  };
  webhook_messages: {
    id: string;
    subscription_id: string;
    event_type: string;
    event_key: string;
    body: string;
    created_at: string;
    attempts: number;
    /** Epoch ms of the next attempt (a lease while an attempt is in flight). */
    next_attempt_ms: number;
    delivered_at: string | null;
    last_error: string | null;
  };
  webhook_deliveries: {
    message_id: string;
    attempt: number;
    subscription_id: string;
    attempted_at: string;
    status_code: number | null;
    outcome: string;
    error: string | null;
    duration_ms: number;
  };
};
