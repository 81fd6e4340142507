import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createMigrationTestDb, type MigrationTestDb } from '../testing/migrationDb.ts';

let migrationDb: MigrationTestDb;
beforeEach(() => {
  migrationDb = createMigrationTestDb();
});
afterEach(async () => {
  await migrationDb.destroy();
});

describe('migration 0130-app-version', () => {
  it('adds an empty, strict console_versions table keyed by version to a console that had none', async () => {
    await migrationDb.migrateTo('0080-deployment-actors');
    const { sqlite } = migrationDb;
    const sqlOf = () =>
      sqlite.prepare("SELECT sql FROM sqlite_master WHERE name = 'console_versions'").pluck().get();
    expect(sqlOf()).toBeUndefined();
    await migrationDb.migrateTo('0130-app-version');
    expect(sqlOf()).toMatch(/STRICT, WITHOUT ROWID$/);
    expect(sqlite.prepare('SELECT count(*) FROM console_versions').pluck().get()).toBe(0);
    const insert = sqlite.prepare(
      "INSERT INTO console_versions VALUES (?, '2026-12-07T10:00:00.000Z', '2026-12-07T10:00:00.000Z')",
    );
    insert.run('0.2.0');
    expect(() => insert.run('0.2.0')).toThrow(/UNIQUE/);
  });
});
