/**
 * Named administrators: an admin token now belongs to a catalog user of role
 * admin (`user_id`), so every central action names who took it and revoking
 * the user ends their tokens. Admin tokens without a user are bootstrap
 * tokens: they may only create the first named admin. Same SQL on SQLite and
 * PostgreSQL.
 */
import { sql, type Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';

export const NAMED_ADMINS_MIGRATION: Migration = {
  async up(db: Kysely<unknown>) {
    await sql`ALTER TABLE tokens ADD COLUMN user_id TEXT`.execute(db);
    await sql`CREATE INDEX tokens_by_user_id ON tokens (user_id)`.execute(db);
  },
};
