import Database from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import * as m0010 from './0010-journal.ts';
import * as m0020 from './0020-catalog.ts';
import * as m0030 from './0030-fleet.ts';
import * as m0040 from './0040-sync.ts';

// The schema before 0040 is built by running 0010–0030 by hand, so the test
// keeps working however many migrations come after 0040.
let sqlite: Database.Database;
let db: Kysely<unknown>;
beforeEach(() => {
  sqlite = new Database(':memory:');
  sqlite.pragma('foreign_keys = ON');
  db = new Kysely<unknown>({ dialect: new SqliteDialect({ database: sqlite }) });
});
afterEach(async () => {
  await db.destroy();
});

describe('migration 0040-sync', () => {
  it('adds an empty, STRICT sync_state to a database that already has a journal, keeping its events', async () => {
    await m0010.up(db);
    await m0020.up(db);
    await m0030.up(db);
    sqlite
      .prepare(
        "INSERT INTO journal (seq, id, at, type, store_id, actor_user_id, body, hash) VALUES (1, 'e1', 'x', 't', 's', 'u', '{}', 'h')",
      )
      .run();

    await m0040.up(db);

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
