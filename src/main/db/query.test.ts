import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, expectTypeOf, it, vi } from 'vitest';
import { createLogger } from '../log.ts';
import { openDatabase, type Db } from './open.ts';
import { selectRow, selectRows } from './query.ts';

let dir: string;
let db: Db;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'dearpos-query-'));
  db = await openDatabase(join(dir, 'console.sqlite'), { log: createLogger({ level: 'silent' }) });
  db.sqlite
    .exec(`INSERT INTO releases (id, version, version_rank, type, ring, status, planned_at, actual_at, title, notes_markdown)
                  VALUES ('r-1', '5.0.0', 0, 'minor', 'lab', 'planned', NULL, NULL, 'First', ''),
                         ('r-2', '5.1.0', 1, 'minor', 'pilot', 'planned', '2026-01-05', NULL, 'Second', '')`);
});
afterAll(() => {
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('Kysely queries run synchronously on the console connection', () => {
  it('returns the rows typed by the schema, and undefined when there is none', () => {
    const rows = selectRows(
      db,
      db.kysely
        .selectFrom('releases')
        .select(['id', 'planned_at', 'version_rank as rank'])
        .orderBy('version_rank'),
    );
    expectTypeOf(rows).toEqualTypeOf<
      Array<{ id: string; planned_at: string | null; rank: number }>
    >();
    expect(rows).toEqual([
      { id: 'r-1', planned_at: null, rank: 0 },
      { id: 'r-2', planned_at: '2026-01-05', rank: 1 },
    ]);
    const byVersion = (version: string) =>
      selectRow(db, db.kysely.selectFrom('releases').select('id').where('version', '=', version));
    expect(byVersion('5.1.0')).toEqual({ id: 'r-2' });
    expect(byVersion('9.9.9')).toBeUndefined();
  });

  it('prepares each SQL text once per connection', () => {
    const prepare = vi.spyOn(db.sqlite, 'prepare');
    const query = (ring: string) =>
      db.kysely.selectFrom('releases').select('id').where('ring', '=', ring);
    selectRows(db, query('lab'));
    selectRows(db, query('pilot'));
    selectRows(db, query('lab'));
    expect(prepare).toHaveBeenCalledTimes(1);
    prepare.mockRestore();
  });
});
