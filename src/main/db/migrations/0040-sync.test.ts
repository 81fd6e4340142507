import type Database from 'better-sqlite3';
import { createMigrationTestDb, type MigrationTestDb } from '../testing/migrationDb.ts';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

// The schema before 0040 is built with migrateTo(0030), so the test
// keeps working however many migrations come after 0040.
let sqlite: Database.Database;
let migrationDb: MigrationTestDb;
beforeEach(() => {
  migrationDb = createMigrationTestDb();
  sqlite = migrationDb.sqlite;
});
afterEach(async () => {
  await migrationDb.destroy();
});

describe('migration 0040-sync', () => {
  it('adds an empty, STRICT sync_state to a database that already has a journal, keeping its events', async () => {
    await migrationDb.migrateTo('0030-fleet');
    sqlite
      .prepare(
        "INSERT INTO journal (seq, id, at, type, store_id, actor_user_id, body, hash) VALUES (1, 'e1', 'x', 't', 's', 'u', '{}', 'h')",
      )
      .run();

    await migrationDb.migrateTo('0040-sync');

    expect(sqlite.prepare('SELECT count(*) AS n FROM journal').get()).toEqual({ n: 1 });
    expect(sqlite.prepare('SELECT count(*) AS n FROM sync_state').get()).toEqual({ n: 0 });
    const ddl = sqlite.prepare("SELECT sql FROM sqlite_master WHERE name = 'sync_state'").get() as {
      sql: string;
    };
    expect(ddl.sql).toMatch(/STRICT$/);
    expect(() =>
      sqlite
        .prepare(
          "INSERT INTO sync_state (singleton, server_url, device_token, store_id, log_id, log_public_key, device_public_key, enrolled_at, acked_seq) VALUES (2, 'u', 't', 's', 'l', 'k', 'd', 'a', 0)",
        )
        .run(),
    ).toThrow(/CHECK/);
  });
});
