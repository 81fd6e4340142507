import type Database from 'better-sqlite3';
import { createMigrationTestDb, type MigrationTestDb } from '../testing/migrationDb.ts';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  CHANGE_REQUESTS_OF_STORE_SQL,
  DEPLOYMENTS_OF_STORE_SQL,
} from '../../deployments/repository.ts';

let sqlite: Database.Database;
let migrationDb: MigrationTestDb;
beforeEach(() => {
  migrationDb = createMigrationTestDb();
  sqlite = migrationDb.sqlite;
});
afterEach(async () => {
  await migrationDb.destroy();
});

describe('migration 0070-deployments', () => {
  it('adds STRICT deployment tables to a database that already has a journal and checklists, keeping its events', async () => {
    await migrationDb.migrateTo('0060-checklists');
    sqlite
      .prepare(
        "INSERT INTO journal (seq, id, at, type, store_id, actor_user_id, body, hash) VALUES (1, 'e1', '2026-03-10T09:00:00.000Z', 'session.signed_in', 's1', 'u1', '{}', 'h')",
      )
      .run();
    await migrationDb.migrateTo('0070-deployments');
    for (const table of [
      'deployment_runbooks',
      'feature_flags',
      'store_windows',
      'deployments',
      'change_requests',
    ]) {
      const text = sqlite
        .prepare('SELECT sql FROM sqlite_master WHERE name = ?')
        .pluck()
        .get(table) as string;
      expect(text, table).toMatch(/STRICT$/);
    }
    expect(
      sqlite
        .prepare(
          "SELECT name FROM sqlite_master WHERE type = 'index' AND name IN ('deployments_by_store', 'change_requests_by_store') ORDER BY name",
        )
        .pluck()
        .all(),
    ).toEqual(['change_requests_by_store', 'deployments_by_store']);
    expect(sqlite.prepare('SELECT count(*) FROM journal').pluck().get()).toBe(1);
    // The console's hot reads (src/main/deployments/repository.ts) walk these indexes without sorting.
    const plan = (text: string) =>
      (sqlite.prepare(`EXPLAIN QUERY PLAN ${text}`).all('s1') as Array<{ detail: string }>)
        .map((r) => r.detail)
        .join('\n');
    expect(plan(DEPLOYMENTS_OF_STORE_SQL)).toContain('USING INDEX deployments_by_store');
    expect(plan(DEPLOYMENTS_OF_STORE_SQL)).not.toContain('TEMP B-TREE');
    expect(plan(CHANGE_REQUESTS_OF_STORE_SQL)).toContain('USING INDEX change_requests_by_store');
    expect(plan(CHANGE_REQUESTS_OF_STORE_SQL)).not.toContain('TEMP B-TREE');
    // A status outside the state machine's cannot be stored.
    expect(() =>
      sqlite
        .prepare(
          "INSERT INTO deployments VALUES ('d1', 's1', 'r1', 'half_done', '2026-03-10T09:00:00.000Z', '2026-03-10T09:00:00.000Z', 1, '{}')",
        )
        .run(),
    ).toThrow(/CHECK/);
  });
});
