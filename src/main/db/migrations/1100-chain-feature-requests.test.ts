import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createMigrationTestDb, type MigrationTestDb } from '../testing/migrationDb.ts';

let migrationDb: MigrationTestDb;
beforeEach(() => {
  migrationDb = createMigrationTestDb();
});
afterEach(async () => {
  await migrationDb.destroy();
});

describe('migration 1100-chain-feature-requests', () => {
  it('adds the cache of the chain’s requests, its full-text index following every insert, retitle and delete', async () => {
    await migrationDb.migrateTo('0900-audit-inclusion');
    await migrationDb.migrateTo('1100-chain-feature-requests');
    const { sqlite } = migrationDb;
    const put = sqlite.prepare(
      `INSERT INTO chain_feature_requests
         (id, title, category, status, planned_for, votes, has_our_vote, updated_at, fetched_at)
       VALUES (?, ?, 'payments', 'open', NULL, 1, 0, '2026-12-07T10:00:00.000Z', '2026-12-07T10:00:00.000Z')`,
    );
    put.run('req-1', 'Split payment between card and cash');
    put.run('req-2', 'Dark mode for the evening shift');
    const match = (words: string) =>
      sqlite
        .prepare(
          `SELECT c.id FROM chain_feature_requests_fts JOIN chain_feature_requests c
             ON c.rowid = chain_feature_requests_fts.rowid
           WHERE chain_feature_requests_fts MATCH ? ORDER BY c.id`,
        )
        .pluck()
        .all(words);
    expect(match('"cash"*')).toEqual(['req-1']);
    sqlite
      .prepare("UPDATE chain_feature_requests SET title = 'Night theme' WHERE id = 'req-2'")
      .run();
    expect(match('"dark"*')).toEqual([]);
    expect(match('"night"*')).toEqual(['req-2']);
    sqlite.prepare("DELETE FROM chain_feature_requests WHERE id = 'req-1'").run();
    expect(match('"cash"*')).toEqual([]);
    // STRICT: a vote count is an integer, never text.
    expect(() =>
      sqlite.prepare("UPDATE chain_feature_requests SET votes = 'many' WHERE id = 'req-2'").run(),
    ).toThrow();
  });
});
