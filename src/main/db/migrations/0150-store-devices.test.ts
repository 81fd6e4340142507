import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createMigrationTestDb, type MigrationTestDb } from '../testing/migrationDb.ts';

let migrationDb: MigrationTestDb;
beforeEach(() => {
  migrationDb = createMigrationTestDb();
});
afterEach(async () => {
  await migrationDb.destroy();
});

describe('migration 0150-store-devices', () => {
  it('adds an empty, strict store_devices table keyed by device id, a name optional', async () => {
    await migrationDb.migrateTo('0130-app-version');
    const { sqlite } = migrationDb;
    const sqlOf = () =>
      sqlite.prepare("SELECT sql FROM sqlite_master WHERE name = 'store_devices'").pluck().get();
    expect(sqlOf()).toBeUndefined();
    await migrationDb.migrateTo('0150-store-devices');
    expect(sqlOf()).toMatch(/STRICT$/);
    const insert = sqlite.prepare('INSERT INTO store_devices (device_id, name) VALUES (?, ?)');
    insert.run('dev-1', 'Paris back office');
    insert.run('dev-2', null);
    expect(() => insert.run('dev-1', 'again')).toThrow(/UNIQUE/);
  });
});
