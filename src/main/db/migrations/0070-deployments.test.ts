import Database from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import * as m0010 from './0010-journal.ts';
import * as m0020 from './0020-catalog.ts';
import * as m0030 from './0030-fleet.ts';
import * as m0040 from './0040-sync.ts';
import * as m0060 from './0060-checklists.ts';
import * as m0070 from './0070-deployments.ts';
import {
  CHANGE_REQUESTS_OF_STORE_SQL,
  DEPLOYMENTS_OF_STORE_SQL,
} from '../../deployments/repository.ts';

let sqlite: Database.Database;
let db: Kysely<unknown>;
beforeEach(() => {
  sqlite = new Database(':memory:');
  db = new Kysely<unknown>({ dialect: new SqliteDialect({ database: sqlite }) });
});
afterEach(async () => {
  await db.destroy();
});

describe('migration 0070-deployments', () => {
  it('adds STRICT deployment tables to a database that already has a journal and checklists, keeping its events', async () => {
    for (const m of [m0010, m0020, m0030, m0040, m0060]) await m.up(db);
    sqlite
      .prepare(
        "INSERT INTO journal (seq, id, at, type, store_id, actor_user_id, body, hash) VALUES (1, 'e1', '2026-03-10T09:00:00.000Z', 'session.signed_in', 's1', 'u1', '{}', 'h')",
      )
      .run();
    await m0070.up(db);
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
