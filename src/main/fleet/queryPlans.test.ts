import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TERMINAL_SORT_KEYS } from '../../shared/contract/index.ts';
import { openDatabase, type Db } from '../db/open.ts';
import { createLogger } from '../log.ts';
import { filterClause, sortClause } from './repository.ts';
import { seedSyntheticFleet } from './seed.ts';

// The hot queries must stay index-driven: these fail if an index disappears or a query stops using it.
let dir: string;
let db: Db;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'fleet-plans-'));
  db = await openDatabase(join(dir, 'console.sqlite'), { log: createLogger({ level: 'silent' }) });
  seedSyntheticFleet(db, { stores: 100, terminalsPerStore: 20, releases: 10, seed: 1 });
  db.sqlite.exec('ANALYZE');
});
afterAll(() => {
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

function plan(sql: string, params: unknown[] = []): string {
  const rows = db.sqlite.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...params) as Array<{
    detail: string;
  }>;
  return rows.map((r) => r.detail).join('\n');
}

describe('query plans of the hot fleet queries', () => {
  it('the matrix is a covering-index scan grouped without a temp tree', () => {
    const p = plan(
      'SELECT store_id, release_id, count(*) AS n, sum(is_drift) AS d FROM terminal_current GROUP BY store_id, release_id',
    );
    expect(p).toContain('USING COVERING INDEX terminal_current_by_store_release');
    expect(p).not.toContain('TEMP B-TREE');
  });

  it('the release summary uses the release index', () => {
    const p = plan('SELECT release_id, count(*) AS n FROM terminal_current GROUP BY release_id');
    expect(p).toContain('terminal_current_by_release');
    expect(p).not.toContain('TEMP B-TREE');
  });

  it('every sort key of the terminal table is served by an index, in both directions', () => {
    for (const key of TERMINAL_SORT_KEYS) {
      for (const desc of [false, true]) {
        const p = plan(
          `SELECT * FROM terminal_current ${sortClause(key, desc)} LIMIT 100 OFFSET 1000`,
        );
        expect(p, `${key} ${desc}`).toMatch(
          /SCAN terminal_current USING INDEX terminal_current_by_/,
        );
        expect(p, `${key} ${desc}`).not.toContain('TEMP B-TREE');
      }
    }
  });

  it('a store filter on the matrix seeks the store index', () => {
    const { where, params } = filterClause({ storeId: 's-00001' });
    const p = plan(
      `SELECT store_id, release_id, count(*) FROM terminal_current ${where} GROUP BY store_id, release_id`,
      params,
    );
    expect(p).toContain(
      'SEARCH terminal_current USING COVERING INDEX terminal_current_by_store_release (store_id=?)',
    );
  });

  it('a terminal history is a seek on its index', () => {
    const p = plan(
      'SELECT * FROM terminal_versions WHERE terminal_id = ? ORDER BY id DESC LIMIT 500',
      ['s-00001-t1'],
    );
    expect(p).toContain(
      'SEARCH terminal_versions USING INDEX terminal_versions_by_terminal (terminal_id=?)',
    );
    expect(p).not.toContain('TEMP B-TREE');
  });
});
