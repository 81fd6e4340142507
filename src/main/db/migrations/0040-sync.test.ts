import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createLogger } from '../../log.ts';
import { openDatabase } from '../open.ts';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'm0040-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('migration 0040-sync', () => {
  it('adds an empty, STRICT sync_state to a database that already has a journal, keeping its events', async () => {
    const file = join(dir, 'console.sqlite');
    const log = createLogger();
    const first = await openDatabase(file, { log });
    // Roll the database back to the schema before 0040, with one journal event.
    first.sqlite.exec("DROP TABLE sync_state; DELETE FROM kysely_migration WHERE name = '0040-sync'");
    first.sqlite
      .prepare("INSERT INTO journal (seq, id, at, type, store_id, actor_user_id, body, hash) VALUES (1, 'e1', 'x', 't', 's', 'u', '{}', 'h')")
      .run();
    first.close();

    const db = await openDatabase(file, { log });
    expect(db.sqlite.prepare('SELECT count(*) AS n FROM journal').get()).toEqual({ n: 1 });
    expect(db.sqlite.prepare('SELECT count(*) AS n FROM sync_state').get()).toEqual({ n: 0 });
    const ddl = db.sqlite.prepare("SELECT sql FROM sqlite_master WHERE name = 'sync_state'").get() as { sql: string };
    expect(ddl.sql).toMatch(/STRICT$/);
    expect(() =>
      db.sqlite
        .prepare("INSERT INTO sync_state (singleton, server_url, device_token, store_id, log_id, log_public_key, device_public_key, enrolled_at, acked_seq) VALUES (2, 'u', 't', 's', 'l', 'k', 'd', 'a', 0)")
        .run(),
    ).toThrow(/CHECK/);
    db.close();
  });
});
