import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openServerDb, type ServerDb } from '../db/open.ts';
import { startTestPostgres, type TestPostgres } from '../testing/postgres.ts';

const TABLES = [
  'desk_enrollment_codes',
  'desks',
  'rm_bug_reports',
  'rm_change_requests',
  'rm_checklist_results',
  'rm_checklist_runs',
  'rm_checklist_waivers',
  'rm_decisions',
  'rm_deployment_actors',
  'rm_deployments',
  'rm_device_syncs',
  'rm_evidence_files',
  'rm_feature_request_votes',
  'rm_feature_requests',
  'rm_feedback_comments',
  'rm_superseded',
  'rm_terminal_versions',
  'rm_terminals',
];

async function tablesOf(store: ServerDb): Promise<string[]> {
  const query =
    store.kind === 'sqlite'
      ? sql<{
          name: string;
        }>`SELECT name FROM sqlite_master WHERE type = 'table' AND (name LIKE 'rm\\_%' ESCAPE '\\' OR name LIKE 'desk%') ORDER BY name`
      : sql<{ name: string }>`SELECT table_name AS name FROM information_schema.tables
          WHERE table_schema = 'public' AND (table_name LIKE 'rm\\_%' OR table_name LIKE 'desk%') ORDER BY table_name`;
  const { rows } = await query.execute(store.db);
  // The KPI aggregates (rm_kpi_*) come from a later migration with their own test (src/server/kpis).
  // The inbox's FTS5 index (rm_bug_reports_fts*) too (src/server/feedback/desk.test.ts searches it).
  return (
    rows
      .map((r) => r.name)
      // Who read which notes for stores (rm_store_notes_reads) comes with migration 1500 (src/server/risks).
      .filter(
        (name) =>
          !name.startsWith('rm_kpi_') &&
          !name.startsWith('rm_bug_reports_fts') &&
          name !== 'rm_store_notes_reads',
      )
  );
}

describe('migration 0060-read-models', () => {
  let pg: TestPostgres;
  const dirs: string[] = [];
  beforeAll(async () => {
    pg = await startTestPostgres();
  });
  afterAll(() => {
    pg.stop();
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  it('creates the read-model and desk tables on SQLite', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'dearpos-rm-'));
    dirs.push(dir);
    const store = await openServerDb({ dataDir: dir });
    try {
      expect(await tablesOf(store)).toEqual(TABLES);
    } finally {
      await store.close();
    }
  });

  it('creates the same tables on PostgreSQL', async () => {
    const store = await openServerDb({ dataDir: '', databaseUrl: await pg.createDatabase() });
    try {
      expect(await tablesOf(store)).toEqual(TABLES);
    } finally {
      await store.close();
    }
  });
});

async function resultIndexesOf(store: ServerDb): Promise<string[]> {
  const query =
    store.kind === 'sqlite'
      ? sql<{ name: string }>`SELECT name || ':' || sql AS name FROM sqlite_master
          WHERE type = 'index' AND tbl_name = 'rm_checklist_results' AND sql IS NOT NULL ORDER BY name`
      : sql<{ name: string }>`SELECT indexname || ':' || indexdef AS name FROM pg_indexes
          WHERE tablename = 'rm_checklist_results' AND indexname NOT LIKE '%_pkey' ORDER BY indexname`;
  const { rows } = await query.execute(store.db);
  return rows.map((r) => r.name.replace(/\s+/g, ' '));
}

describe('migration 0090-current-results-index', () => {
  let pg: TestPostgres;
  const dirs: string[] = [];
  beforeAll(async () => {
    pg = await startTestPostgres();
  });
  afterAll(() => {
    pg.stop();
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  it('indexes only the current results, on SQLite and PostgreSQL', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'dearpos-rm-'));
    dirs.push(dir);
    for (const store of [
      await openServerDb({ dataDir: dir }),
      await openServerDb({ dataDir: '', databaseUrl: await pg.createDatabase() }),
    ]) {
      try {
        const indexes = await resultIndexesOf(store);
        expect(indexes).toHaveLength(1);
        expect(indexes[0]).toMatch(/^rm_checklist_results_current:/);
        expect(indexes[0]).toMatch(/\(run_id, terminal_id, item_id\) WHERE \(?is_current = 1\)?$/);
      } finally {
        await store.close();
      }
    }
  });
});
