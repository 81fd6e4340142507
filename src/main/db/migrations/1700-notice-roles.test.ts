import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createMigrationTestDb, type MigrationTestDb } from '../testing/migrationDb.ts';

let migrationDb: MigrationTestDb;
beforeEach(() => {
  migrationDb = createMigrationTestDb();
});
afterEach(async () => {
  await migrationDb.destroy();
});

describe('migration 1700-notice-roles', () => {
  it('keeps the notices and their reads, adds their roles, and reads the log again from the start', async () => {
    await migrationDb.migrateTo('1500-risks-and-store-notes');
    const { sqlite } = migrationDb;
    sqlite.exec(`INSERT INTO notices (id, kind, at, received_at)
      VALUES ('log:7', 'release_blocked', '2026-12-07T10:00:00.000Z', '2026-12-07T10:01:00.000Z');
      INSERT INTO notice_reads (notice_id, user_id, read_at) VALUES ('log:7', 'u-ann', '2026-12-07T10:02:00.000Z');
      INSERT INTO notice_state (singleton, next) VALUES (1, 42);`);
    await migrationDb.migrateTo('1700-notice-roles');
    expect(sqlite.prepare('SELECT id, roles FROM notices').all()).toEqual([
      { id: 'log:7', roles: null },
    ]);
    expect(sqlite.prepare('SELECT count(*) FROM notice_reads').pluck().get()).toBe(1);
    expect(sqlite.prepare('SELECT next FROM notice_state').pluck().get()).toBe(0);
  });
});
