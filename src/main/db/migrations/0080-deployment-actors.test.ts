import type Database from 'better-sqlite3';
import { createMigrationTestDb, type MigrationTestDb } from '../testing/migrationDb.ts';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEPLOYMENT_ACTORS_SQL } from '../../deployments/repository.ts';

let sqlite: Database.Database;
let migrationDb: MigrationTestDb;
beforeEach(() => {
  migrationDb = createMigrationTestDb();
  sqlite = migrationDb.sqlite;
});
afterEach(async () => {
  await migrationDb.destroy();
});

describe('migration 0080-deployment-actors', () => {
  it('fills who acted on each deployment from the journal of a console that already holds deployments; the deployers query walks indexes', async () => {
    await migrationDb.migrateTo('0070-deployments');
    const insert = sqlite.prepare(
      "INSERT INTO journal (seq, id, at, type, store_id, actor_user_id, body, hash) VALUES (?, ?, '2026-03-10T09:00:00.000Z', ?, 's1', ?, ?, 'h')",
    );
    const events: Array<[string, string, unknown]> = [
      ['deployment.planned', 'u-tess', { deploymentId: 'd1' }],
      ['deployment.started', 'u-tess', { deploymentId: 'd1' }],
      ['deployment.intervention.claimed', 'u-maya', { deploymentId: 'd1' }],
      ['deployment.planned', 'u-leo', { deploymentId: 'd2' }],
      ['change_request.requested', 'u-sam', { changeRequestId: 'cr1' }],
      ['checklist.result.recorded', 'u-ann', { runId: 'r1' }],
    ];
    events.forEach(([type, user, payload], i) =>
      insert.run(i + 1, `e${i + 1}`, type, user, JSON.stringify({ type, payload })),
    );
    const deployment = sqlite.prepare(
      "INSERT INTO deployments VALUES (?, 's1', ?, 'in_progress', '2026-03-10T09:00:00.000Z', '2026-03-10T09:00:00.000Z', 1, '{}')",
    );
    deployment.run('d1', 'r1');
    deployment.run('d2', 'r2');

    await migrationDb.migrateTo('0080-deployment-actors');
    expect(
      sqlite
        .prepare('SELECT sql FROM sqlite_master WHERE name = ?')
        .pluck()
        .get('deployment_actors'),
    ).toMatch(/STRICT, WITHOUT ROWID$/);
    expect(
      sqlite
        .prepare('SELECT deployment_id, user_id FROM deployment_actors ORDER BY 1, 2')
        .raw()
        .all(),
    ).toEqual([
      ['d1', 'u-maya'],
      ['d1', 'u-tess'],
      ['d2', 'u-leo'],
    ]);
    expect(sqlite.prepare(DEPLOYMENT_ACTORS_SQL).pluck().all('s1', 'r1')).toEqual([
      'u-maya',
      'u-tess',
    ]);
    expect(sqlite.prepare('SELECT count(*) FROM journal').pluck().get()).toBe(events.length);
    const plan = (
      sqlite.prepare(`EXPLAIN QUERY PLAN ${DEPLOYMENT_ACTORS_SQL}`).all('s1', 'r1') as Array<{
        detail: string;
      }>
    )
      .map((r) => r.detail)
      .join('\n');
    expect(plan).toContain('USING INDEX deployments_by_store');
    expect(plan).toMatch(/SEARCH a USING PRIMARY KEY/);
    expect(plan).not.toMatch(/SCAN (a|j|journal)\b/);
  });
});
