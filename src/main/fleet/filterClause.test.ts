/**
 * One WHERE builder for both fleet tables: on a seeded fleet, for any filter,
 * the terminal window selects exactly the rows a plain predicate over every
 * row selects, and the matrix cells from the counts (when they can answer)
 * and from the terminal rows both equal those rows grouped by hand.
 */
import fc from 'fast-check';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FleetFilter, MatrixCell } from '../../shared/contract/index.ts';
import { RINGS } from '../../shared/domain/releases.ts';
import { openDatabase, type Db } from '../db/open.ts';
import type { Row } from '../db/schema.ts';
import { createLogger } from '../log.ts';
import {
  filterClause,
  listTerminalWindow,
  matrixCellsFromCounts,
  matrixCellsFromTerminals,
} from './repository.ts';
import { seedSyntheticFleet } from './seed.ts';

let dir: string;
let db: Db;
let rows: Array<Row<'terminal_current'>>;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'fleet-filter-'));
  db = await openDatabase(join(dir, 'console.sqlite'), { log: createLogger({ level: 'silent' }) });
  seedSyntheticFleet(db, { stores: 12, terminalsPerStore: 6, releases: 4, seed: 11 });
  // A few terminals never observed (no release), and names with LIKE's wildcards in them.
  db.sqlite
    .exec(`UPDATE terminal_current SET release_id = NULL, version = NULL, version_rank = NULL, is_drift = 1
                    WHERE rowid % 7 = 0;
                  UPDATE terminal_current SET terminal_name = terminal_name || ' 50%_off\\' WHERE rowid % 5 = 0;`);
  rows = db.sqlite.prepare('SELECT * FROM terminal_current').all() as Array<
    Row<'terminal_current'>
  >;
});
afterAll(() => {
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

/** SQLite's LIKE with ESCAPE: case-insensitive for ASCII letters, `%`/`_` taken literally once escaped. */
function contains(haystack: string, needle: string): boolean {
  return haystack.toLowerCase().includes(needle.toLowerCase());
}

/** The filter's meaning, written out over every row. */
function matches(row: Row<'terminal_current'>, filter: FleetFilter): boolean {
  const search = filter.search?.trim();
  return (
    (filter.region === undefined || filter.region === '' || row.region === filter.region) &&
    (filter.ring === undefined || row.ring === filter.ring) &&
    (filter.model === undefined || filter.model === '' || row.model === filter.model) &&
    (filter.releaseId === undefined || row.release_id === filter.releaseId) &&
    (filter.storeId === undefined || row.store_id === filter.storeId) &&
    (filter.driftOnly !== true || row.is_drift === 1) &&
    (!search ||
      [row.store_name, row.terminal_name, row.serial, row.model].some((t) => contains(t, search)))
  );
}

function cellsByHand(filter: FleetFilter): MatrixCell[] {
  const cells = new Map<string, MatrixCell>();
  for (const row of rows.filter((r) => matches(r, filter))) {
    const key = `${row.store_id}|${row.release_id ?? ''}`;
    const cell = cells.get(key) ?? {
      storeId: row.store_id,
      releaseId: row.release_id,
      count: 0,
      driftCount: 0,
    };
    cell.count += 1;
    cell.driftCount += row.is_drift;
    cells.set(key, cell);
  }
  return sortCells([...cells.values()]);
}

function sortCells(cells: MatrixCell[]): MatrixCell[] {
  const key = (c: MatrixCell) => `${c.storeId}|${c.releaseId ?? ''}`;
  return [...cells].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
}

const optional = <T>(values: fc.Arbitrary<T>) => fc.option(values, { nil: undefined });

const filters: fc.Arbitrary<FleetFilter> = fc.record({
  region: optional(fc.constantFrom('North', 'South', 'East', 'West', 'Nowhere', '')),
  ring: optional(fc.constantFrom(...RINGS)),
  model: optional(fc.constantFrom('', 'PAX A920', 'Verifone V400c', 'Elo I-Series 4', 'none')),
  releaseId: optional(fc.constantFrom('r-1', 'r-2', 'r-3', 'r-4', 'r-9', '')),
  storeId: optional(fc.constantFrom('s-00001', 's-00002', 's-00007', 's-99999')),
  search: optional(
    fc.constantFrom(
      '',
      '  ',
      's-0000',
      'T1',
      'pax',
      'lane/3',
      '%',
      '_',
      '50%_',
      '\\',
      'off\\',
      'zzz',
    ),
  ),
  driftOnly: optional(fc.boolean()),
});

describe('one WHERE builder for the terminal rows and the per-cell counts', () => {
  it('selects exactly the rows the filter means, and both matrices group them alike', () => {
    fc.assert(
      fc.property(filters, (filter) => {
        const context = JSON.stringify(filter);
        const window = listTerminalWindow(db, {
          filter,
          sort: { key: 'terminal', desc: false },
          offset: 0,
          limit: rows.length + 1,
        });
        const expected = rows.filter((r) => matches(r, filter)).map((r) => r.terminal_id);
        expect(window.rows.map((r) => r.id).sort(), context).toEqual(expected.sort());
        expect(window.total, context).toBe(expected.length);
        const byHand = cellsByHand(filter);
        expect(sortCells(matrixCellsFromTerminals(db, filter)), context).toEqual(byHand);
        const fromCounts = matrixCellsFromCounts(db, filter);
        const needsTerminals =
          (filter.model !== undefined && filter.model !== '') || Boolean(filter.search?.trim());
        expect(fromCounts === null, context).toBe(needsTerminals);
        if (fromCounts !== null) expect(sortCells(fromCounts), context).toEqual(byHand);
      }),
      { numRuns: 300, seed: 15 },
    );
  });

  it('gives the counts no clause for a filter only the terminal rows can answer', () => {
    expect(filterClause({ model: 'PX-100' }, 'store_release_counts')).toBeNull();
    expect(filterClause({ search: 'north' }, 'store_release_counts')).toBeNull();
    expect(filterClause({ search: '   ', model: '' }, 'store_release_counts')).toEqual({
      where: '',
      params: [],
    });
    expect(filterClause({ releaseId: 'r-1', driftOnly: true }, 'store_release_counts')).toEqual({
      where: "WHERE release_key = ? AND release_key <> '' AND drifting > 0",
      params: ['r-1'],
    });
    expect(filterClause({ releaseId: 'r-1', driftOnly: true })).toEqual({
      where: 'WHERE release_id = ? AND is_drift = 1',
      params: ['r-1'],
    });
  });
});
