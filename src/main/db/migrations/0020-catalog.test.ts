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

function tableSql(name: string): string {
  return (
    (sqlite.prepare('SELECT sql FROM sqlite_master WHERE name = ?').pluck().get(name) as
      string | undefined) ?? ''
  );
}

describe('migration 0020-catalog', () => {
  it('adds the strict catalog tables and keeps the existing journal', async () => {
    await migrationDb.migrateTo('0010-journal');
    sqlite.prepare("INSERT INTO device VALUES (1, 'dev-1', '2026-01-01T00:00:00.000Z')").run();
    sqlite
      .prepare(
        "INSERT INTO journal VALUES (1, 'e1', '2026-01-01T00:00:00.000Z', 'session.signed_in', 's1', 'u1', '{}', 'h')",
      )
      .run();

    await migrationDb.migrateTo('0020-catalog');

    for (const table of [
      'catalog_meta',
      'stores',
      'releases',
      'ring_targets',
      'terminals',
      'users',
      'sign_in_failures',
    ]) {
      expect(tableSql(table), table).toMatch(/\)\s*STRICT$/);
    }
    expect(sqlite.prepare('SELECT count(*) FROM journal').pluck().get()).toBe(1);
    sqlite
      .prepare("INSERT INTO stores VALUES ('s1', 'Paris', 'Europe', 'lab', 'Europe/Paris')")
      .run();
    sqlite
      .prepare(
        "INSERT INTO releases VALUES ('r1', '1.0.0', 0, 'major', 'lab', 'planned', NULL, NULL, 'One', '')",
      )
      .run();
    sqlite
      .prepare(
        "INSERT INTO terminals VALUES ('t1', 's1', 'Lane 1', 'V400c', 'SN1', 'r1', NULL, NULL)",
      )
      .run();
    expect(() =>
      sqlite
        .prepare(
          "INSERT INTO terminals VALUES ('t2', 'nowhere', 'Lane 2', 'V400c', 'SN2', NULL, NULL, NULL)",
        )
        .run(),
    ).toThrow(/FOREIGN KEY/);
    expect(() =>
      sqlite.prepare("INSERT INTO stores VALUES ('s2', 'X', 'Y', 'moon', 'UTC')").run(),
    ).toThrow(/CHECK/);
    expect(() =>
      sqlite
        .prepare(
          "INSERT INTO releases VALUES ('r2', '1.0.0', 1, 'minor', 'lab', 'planned', NULL, NULL, 'Dup', '')",
        )
        .run(),
    ).toThrow(/UNIQUE/);
  });
});
