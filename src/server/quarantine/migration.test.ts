/**
 * Migration 0070-quarantine on a server that already holds a log: the actor
 * rule starts at the log's size (earlier events were never judged), the users
 * and terminals already in the catalog become its first versions, and
 * repeated equivocation records collapse to the first with their count.
 */
import Database from 'better-sqlite3';
import { Kysely, PostgresDialect, SqliteDialect, sql } from 'kysely';
import { Migrator, type Migration } from 'kysely/migration';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { POSTGRES_MIGRATIONS } from '../db/migrations/postgres.ts';
import { SQLITE_MIGRATIONS } from '../db/migrations/sqlite.ts';
import { startTestPostgres, type TestPostgres } from '../testing/postgres.ts';

let postgres: TestPostgres;
beforeAll(async () => {
  postgres = await startTestPostgres();
});
afterAll(() => postgres.stop());

function migrator(db: Kysely<unknown>, migrations: Record<string, Migration>): Migrator {
  return new Migrator({
    db,
    provider: { getMigrations: () => Promise.resolve(migrations) },
    migrationTableName: 'server_migrations',
    migrationLockTableName: 'server_migrations_lock',
  });
}

describe.each(['sqlite', 'postgres'] as const)('migration 0070-quarantine on %s', (dialect) => {
  it('starts the rule at the log size, versions the existing catalog and bounds equivocations', async () => {
    const db =
      dialect === 'sqlite'
        ? new Kysely<unknown>({
            dialect: new SqliteDialect({ database: new Database(':memory:') }),
          })
        : new Kysely<unknown>({
            dialect: new PostgresDialect({
              pool: new pg.Pool({ connectionString: await postgres.createDatabase() }),
            }),
          });
    try {
      const migrations = dialect === 'sqlite' ? SQLITE_MIGRATIONS : POSTGRES_MIGRATIONS;
      const before = await migrator(db, migrations).migrateTo('0060-read-models');
      expect(before.error).toBeUndefined();
      await sql`UPDATE log_head SET size = 42 WHERE id = 1`.execute(db);
      await sql`INSERT INTO users (id, data) VALUES ('u-1', ${JSON.stringify({
        id: 'u-1',
        name: 'One',
        role: 'manager',
        pinHash: 'x',
        storeIds: ['S-1'],
      })})`.execute(db);
      await sql`INSERT INTO terminals (id, store_id, data) VALUES ('T-1', 'S-1', '{}')`.execute(db);
      for (let i = 0; i < 3; i++)
        await sql`INSERT INTO equivocations (device_id, seq, stored_hash, offered_hash, offered_body, detected_at)
          VALUES ('d-1', 5, 's', ${`o${i}`}, 'b', 't')`.execute(db);
      await sql`INSERT INTO equivocations (device_id, seq, stored_hash, offered_hash, offered_body, detected_at)
          VALUES ('d-1', 6, 's', 'other', 'b', 't')`.execute(db);

      const after = await migrator(db, migrations).migrateToLatest();
      expect(after.error).toBeUndefined();
      const rule = await sql<{ from_index: number }>`SELECT from_index FROM actor_rule`.execute(db);
      expect(rule.rows.map((r) => Number(r.from_index))).toEqual([42]);
      const catalog = await sql<{
        entity: string;
        entity_id: string;
        from_index: number;
        data: string;
      }>`SELECT entity, entity_id, from_index, data FROM actor_catalog ORDER BY entity, entity_id`.execute(
        db,
      );
      expect(
        catalog.rows.map((r) => [
          r.entity,
          r.entity_id,
          Number(r.from_index),
          JSON.parse(r.data) as unknown,
        ]),
      ).toEqual([
        ['terminal', 'T-1', 0, { storeId: 'S-1' }],
        ['user', 'u-1', 0, { role: 'manager', storeIds: ['S-1'], isRevoked: false }],
      ]);
      const equivocations = await sql<{
        seq: number;
        offered_hash: string;
        offer_count: number;
      }>`SELECT seq, offered_hash, offer_count FROM equivocations ORDER BY seq`.execute(db);
      expect(
        equivocations.rows.map((r) => [Number(r.seq), r.offered_hash, Number(r.offer_count)]),
      ).toEqual([
        [5, 'o0', 3],
        [6, 'other', 1],
      ]);
      const quarantined = await sql`SELECT quarantine_reason FROM log_entries`.execute(db);
      expect(quarantined.rows).toEqual([]);
    } finally {
      await db.destroy();
    }
  });
});
