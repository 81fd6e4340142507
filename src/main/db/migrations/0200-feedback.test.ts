import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createMigrationTestDb, type MigrationTestDb } from '../testing/migrationDb.ts';

let migrationDb: MigrationTestDb;
beforeEach(() => {
  migrationDb = createMigrationTestDb();
});
afterEach(async () => {
  await migrationDb.destroy();
});

const DRAFT = {
  id: 'bug-1',
  status: 'draft',
  severity: 'blocker',
  title: 'Drawer stuck',
  description: 'The drawer does not open.',
  release_id: 'rel-1',
  store_id: 'st-1',
  terminal_id: 't-1',
  run_id: 'run-1',
  item_id: 'eod',
  answer_text: 'fail',
  evidence: '[]',
  reported_by: 'u-tess',
  reported_role: 'technician',
  reported_at: '2026-12-01T10:00:00.000Z',
  event_id: 'ev-1',
};

describe('migration 0200-feedback', () => {
  it('keeps every draft, lets a form report go without run, and maps the old statuses to the desk’s', async () => {
    await migrationDb.migrateTo('0160-desk-superseded');
    const { sqlite } = migrationDb;
    const insert = (row: Record<string, string>) =>
      sqlite
        .prepare(
          `INSERT INTO bug_reports (${Object.keys(row).join(', ')}) VALUES (${Object.keys(row)
            .map(() => '?')
            .join(', ')})`,
        )
        .run(...Object.values(row));
    insert(DRAFT);
    insert({ ...DRAFT, id: 'bug-2', status: 'open', event_id: 'ev-2' });
    await migrationDb.migrateTo('0200-feedback');

    expect(
      sqlite.prepare('SELECT id, status, severity, updated_at FROM bug_reports ORDER BY id').all(),
    ).toEqual([
      { id: 'bug-1', status: 'draft', severity: 'blocker', updated_at: DRAFT.reported_at },
      { id: 'bug-2', status: 'new', severity: 'blocker', updated_at: DRAFT.reported_at },
    ]);
    // A report filed from the form: no run, no item, no terminal, the desk's severity scale.
    insert({
      ...DRAFT,
      id: 'bug-3',
      status: 'new',
      severity: 'S2',
      event_id: 'ev-3',
      release_id: null as never,
      terminal_id: null as never,
      run_id: null as never,
      item_id: null as never,
    });
    expect(() => insert({ ...DRAFT, id: 'bug-4', status: 'open', event_id: 'ev-4' })).toThrow(
      /CHECK/,
    );
    expect(() => insert({ ...DRAFT, id: 'bug-5', severity: 'S9', event_id: 'ev-5' })).toThrow(
      /CHECK/,
    );
  });

  it('indexes feature requests for full-text suggestions, kept in step by triggers', async () => {
    await migrationDb.migrateTo('0200-feedback');
    const { sqlite } = migrationDb;
    const insert = sqlite.prepare(
      `INSERT INTO feature_requests (id, store_id, title, description, category, status, filed_by,
        filed_role, filed_at, updated_at, event_id)
       VALUES (?, 'st-1', ?, ?, 'checkout', 'open', 'u-1', 'manager', 'now', 'now', ?)`,
    );
    insert.run('fr-1', 'Split payment between card and cash', 'At the till.', 'ev-1');
    insert.run('fr-2', 'Dark mode for the console', 'Night shifts.', 'ev-2');
    const match = (q: string) =>
      sqlite
        .prepare(
          `SELECT f.id FROM feature_requests_fts JOIN feature_requests f ON f.rowid = feature_requests_fts.rowid
           WHERE feature_requests_fts MATCH ? ORDER BY rank`,
        )
        .pluck()
        .all(q);
    expect(match('payment*')).toEqual(['fr-1']);
    sqlite.prepare("UPDATE feature_requests SET title = 'Dark theme' WHERE id = 'fr-2'").run();
    expect(match('mode')).toEqual([]);
    expect(match('theme')).toEqual(['fr-2']);
    sqlite.prepare("DELETE FROM feature_requests WHERE id = 'fr-1'").run();
    expect(match('payment*')).toEqual([]);
  });
});
