import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createMigrationTestDb, type MigrationTestDb } from '../testing/migrationDb.ts';

let migrationDb: MigrationTestDb;
beforeEach(() => {
  migrationDb = createMigrationTestDb();
});
afterEach(async () => {
  await migrationDb.destroy();
});

describe('migration 0100-desk', () => {
  it('adds the desk tables to a console that has deployments, and the cached list reads by release and region through its index', async () => {
    const { sqlite } = migrationDb;
    await migrationDb.migrateTo('0080-deployment-actors');
    sqlite
      .prepare(
        "INSERT INTO deployments VALUES ('d1', 's1', 'r1', 'planned', '2026-03-10T09:00:00.000Z', '2026-03-10T09:00:00.000Z', 1, '{}')",
      )
      .run();
    await migrationDb.migrateTo('0100-desk');
    expect(sqlite.prepare('SELECT count(*) FROM deployments').pluck().get()).toBe(1);
    const tables = sqlite
      .prepare(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name LIKE 'desk%' ORDER BY name",
      )
      .pluck()
      .all();
    expect(tables).toEqual(['desk_connection', 'desk_store_details', 'desk_store_states']);
    // One connection only.
    const connect = sqlite.prepare(
      "INSERT INTO desk_connection VALUES (?, 'http://x', 'desk-1', 'all', 'support', '2026-03-10T09:00:00.000Z')",
    );
    connect.run(1);
    expect(() => connect.run(2)).toThrow(/CHECK/);
    const plan = sqlite
      .prepare(
        "EXPLAIN QUERY PLAN SELECT store_id FROM desk_store_states WHERE release_id = 'r' AND region = 'Europe' ORDER BY store_id",
      )
      .all() as Array<{ detail: string }>;
    expect(plan.map((p) => p.detail).join(' ')).toMatch(/desk_store_states_by_region/);
  });
});
