import type Database from 'better-sqlite3';
import { createMigrationTestDb, type MigrationTestDb } from '../testing/migrationDb.ts';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

let sqlite: Database.Database;
let migrationDb: MigrationTestDb;
beforeEach(() => {
  migrationDb = createMigrationTestDb();
  sqlite = migrationDb.sqlite;
});
afterEach(async () => {
  await migrationDb.destroy();
});

const counts = () =>
  sqlite
    .prepare(
      'SELECT store_id, release_key, region, ring, terminals, drifting FROM store_release_counts ORDER BY 1, 2, 3, 4',
    )
    .raw()
    .all();

describe('migration 0050-store-release-counts', () => {
  it('counts an existing fleet, then follows every insert, move and delete of a terminal row', async () => {
    await migrationDb.migrateTo('0040-sync');
    sqlite
      .prepare("INSERT INTO stores VALUES ('s1', 'Paris', 'Europe', 'lab', 'Europe/Paris')")
      .run();
    sqlite
      .prepare(
        "INSERT INTO releases VALUES ('r1', '1.0.0', 0, 'major', 'lab', 'general', NULL, NULL, 'One', '')",
      )
      .run();
    sqlite
      .prepare(
        "INSERT INTO releases VALUES ('r2', '1.1.0', 1, 'minor', 'lab', 'general', NULL, NULL, 'Two', '')",
      )
      .run();
    for (const t of ['t1', 't2', 't3']) {
      sqlite
        .prepare("INSERT INTO terminals VALUES (?, 's1', 'Lane', 'V400c', ?, NULL, NULL, NULL)")
        .run(t, `SN-${t}`);
    }
    const insertCurrent = sqlite.prepare(
      "INSERT INTO terminal_current VALUES (?, 's1', 'Paris', 'Europe', 'lab', 'Lane', 'V400c', ?, ?, NULL, NULL, NULL, NULL, 'r2', ?)",
    );
    insertCurrent.run('t1', 'SN-t1', 'r1', 1);
    insertCurrent.run('t2', 'SN-t2', null, 1);

    await migrationDb.migrateTo('0050-store-release-counts');

    const sql = sqlite
      .prepare("SELECT sql FROM sqlite_master WHERE name = 'store_release_counts'")
      .pluck()
      .get() as string;
    expect(sql).toMatch(/STRICT, WITHOUT ROWID$/);
    expect(counts()).toEqual([
      ['s1', '', 'Europe', 'lab', 1, 1],
      ['s1', 'r1', 'Europe', 'lab', 1, 1],
    ]);

    insertCurrent.run('t3', 'SN-t3', 'r1', 1);
    expect(counts()).toEqual([
      ['s1', '', 'Europe', 'lab', 1, 1],
      ['s1', 'r1', 'Europe', 'lab', 2, 2],
    ]);
    // A recording that reaches the target: the terminal changes cell and stops drifting.
    sqlite
      .prepare(
        "UPDATE terminal_current SET release_id = 'r2', is_drift = 0 WHERE terminal_id = 't1'",
      )
      .run();
    expect(counts()).toEqual([
      ['s1', '', 'Europe', 'lab', 1, 1],
      ['s1', 'r1', 'Europe', 'lab', 1, 1],
      ['s1', 'r2', 'Europe', 'lab', 1, 0],
    ]);
    // A write that touches none of the key columns changes nothing.
    sqlite
      .prepare(
        "UPDATE terminal_current SET last_seen = '2026-02-01T00:00:00.000Z', release_id = 'r2' WHERE terminal_id = 't1'",
      )
      .run();
    sqlite.prepare("UPDATE terminal_current SET region = 'Asia' WHERE terminal_id = 't2'").run();
    sqlite.prepare("DELETE FROM terminal_current WHERE terminal_id = 't3'").run();
    expect(counts()).toEqual([
      ['s1', '', 'Asia', 'lab', 1, 1],
      ['s1', 'r2', 'Europe', 'lab', 1, 0],
    ]);
    sqlite.prepare('DELETE FROM terminal_current').run();
    expect(counts()).toEqual([]);
  });
});
