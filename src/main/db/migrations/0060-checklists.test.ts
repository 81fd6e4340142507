import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createLogger } from '../../log.ts';
import { openDatabase } from '../open.ts';

const TABLES = [
  'checklist_templates',
  'release_checklist_requirements',
  'checklist_runs',
  'checklist_results',
  'checklist_waivers',
  'evidence_files',
  'evidence_uploads',
  'bug_reports',
  'decisions',
];

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'm0060-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('migration 0060-checklists', () => {
  it('creates the checklist tables empty and STRICT, with their closed sets checked and the results index used', async () => {
    const file = join(dir, 'console.sqlite');
    const log = createLogger({ level: 'silent' });
    const db = await openDatabase(file, { log });
    for (const t of TABLES) {
      const ddl = db.sqlite.prepare('SELECT sql FROM sqlite_master WHERE name = ?').get(t) as {
        sql: string;
      };
      expect(ddl.sql, t).toMatch(/STRICT$/);
      expect(db.sqlite.prepare(`SELECT count(*) AS n FROM ${t}`).get(), t).toEqual({ n: 0 });
    }
    // Closed sets are enforced by the schema too.
    expect(() =>
      db.sqlite
        .prepare(
          "INSERT INTO checklist_templates (id, name, kind, version, data) VALUES ('t', 'T', 'audit', 1, '{}')",
        )
        .run(),
    ).toThrow(/CHECK/);
    const plan = db.sqlite
      .prepare(
        "EXPLAIN QUERY PLAN SELECT * FROM checklist_results WHERE run_id = 'r' AND is_current = 1",
      )
      .all() as Array<{ detail: string }>;
    expect(plan.map((p) => p.detail).join(' ')).toMatch(/checklist_results_by_run/);
    db.close();
  });
});
