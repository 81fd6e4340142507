import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import { openServerDb } from '../db/open.ts';

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

describe('migrations 0120-webhooks, 0130-kpis and 0700-kpi-rollup', () => {
  it('create the webhook and KPI tables, and the report reads the aggregates by index', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'dearpos-kpi-migration-'));
    dirs.push(dir);
    const store = await openServerDb({ dataDir: dir });
    try {
      const { rows } = await sql<{ name: string }>`SELECT name FROM sqlite_master
        WHERE type = 'table' AND (name LIKE 'rm\\_kpi\\_%' ESCAPE '\\' OR name LIKE 'webhook\\_%' ESCAPE '\\') ORDER BY name`.execute(
        store.db,
      );
      expect(rows.map((r) => r.name)).toEqual([
        'rm_kpi_checklist_items',
        'rm_kpi_daily',
        'rm_kpi_daily_all',
        'rm_kpi_deployments',
        'webhook_deliveries',
        'webhook_messages',
        'webhook_subscriptions',
      ]);
      const plan = await sql<{ detail: string }>`EXPLAIN QUERY PLAN
        SELECT metric, sum(n) FROM rm_kpi_daily WHERE release_id = 'r' AND day >= '2026-01-01' AND day <= '2026-01-31' GROUP BY metric`.execute(
        store.db,
      );
      expect(plan.rows.map((r) => r.detail).join(' | ')).toMatch(
        /USING INDEX rm_kpi_daily_by_release_day/,
      );
      // The every-store rollup (0700-kpi-rollup) is read by release through its own index.
      const rollup = await sql<{ detail: string }>`EXPLAIN QUERY PLAN
        SELECT metric, sum(n) FROM rm_kpi_daily_all WHERE release_id = 'r' AND day >= '2026-01-01' AND day <= '2026-01-31' GROUP BY metric`.execute(
        store.db,
      );
      expect(rollup.rows.map((r) => r.detail).join(' | ')).toMatch(
        /USING INDEX rm_kpi_daily_all_by_release_day/,
      );
      const due = await sql<{ detail: string }>`EXPLAIN QUERY PLAN
        SELECT id FROM webhook_messages WHERE delivered_at IS NULL AND next_attempt_ms <= 5 ORDER BY next_attempt_ms LIMIT 10`.execute(
        store.db,
      );
      expect(due.rows.map((r) => r.detail).join(' | ')).toMatch(/webhook_messages_by_due/);
    } finally {
      await store.close();
    }
  });
});
