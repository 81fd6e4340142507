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

describe('migration 0030-fleet', () => {
  it('adds the fleet projection with its indexes over an existing catalog', async () => {
    await migrationDb.migrateTo('0020-catalog');
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
        "INSERT INTO terminals VALUES ('t1', 's1', 'Lane 1', 'V400c', 'SN1', 'r1', '2026-01-01T00:00:00.000Z', NULL)",
      )
      .run();

    await migrationDb.migrateTo('0030-fleet');

    const strict = (name: string) =>
      sqlite.prepare('SELECT sql FROM sqlite_master WHERE name = ?').pluck().get(name) as string;
    expect(strict('terminal_current')).toMatch(/\)\s*STRICT$/);
    expect(strict('terminal_versions')).toMatch(/\)\s*STRICT$/);
    const indexes = sqlite
      .prepare(
        "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name IN ('terminal_current', 'terminal_versions') AND sql IS NOT NULL",
      )
      .pluck()
      .all();
    expect(indexes).toEqual(
      expect.arrayContaining([
        'terminal_current_by_store_release',
        'terminal_current_by_release',
        'terminal_versions_by_terminal',
      ]),
    );
    // The catalog rows from before are untouched and can be projected.
    sqlite
      .prepare(
        "INSERT INTO terminal_current VALUES ('t1', 's1', 'Paris', 'Europe', 'lab', 'Lane 1', 'V400c', 'SN1', 'r1', '1.0.0', 0, NULL, NULL, 'r1', 0)",
      )
      .run();
    expect(() =>
      sqlite
        .prepare(
          "INSERT INTO terminal_versions (terminal_id, version, release_id, observed_at, source) VALUES ('t1', '1.0.0', 'r1', 'x', 'guessed')",
        )
        .run(),
    ).toThrow(/CHECK/);
    expect(() =>
      sqlite
        .prepare(
          "INSERT INTO terminal_versions (terminal_id, version, release_id, observed_at, source) VALUES ('t9', '1.0.0', 'r1', 'x', 'typed')",
        )
        .run(),
    ).toThrow(/FOREIGN KEY/);
  });
});
