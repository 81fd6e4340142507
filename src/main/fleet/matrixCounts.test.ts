/**
 * The maintained `store_release_counts` (migration 0050) against the terminal
 * rows it summarises: on random fleets under random recordings, moves and
 * removals, the table always equals the GROUP BY over `terminal_current`, and
 * the matrix from the counts equals the matrix grouped from the terminals for
 * every filter the counts can answer (the others fall back to the terminals).
 */
import fc from 'fast-check';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FleetFilter } from '../../shared/contract/index.ts';
import { RINGS } from '../../shared/domain/releases.ts';
import { assertNever } from '../../shared/errors.ts';
import { openDatabase, type Db } from '../db/open.ts';
import { createLogger } from '../log.ts';
import { rebuildFleetProjection } from './rebuild.ts';
import {
  applyVersionObservation,
  getFleetMatrix,
  matrixCellsFromCounts,
  matrixCellsFromTerminals,
} from './repository.ts';
import { seedSyntheticFleet } from './seed.ts';

let dir: string;
let db: Db;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'fleet-counts-'));
  db = await openDatabase(join(dir, 'console.sqlite'), { log: createLogger({ level: 'silent' }) });
});
afterAll(() => {
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

/** What the counts must always be: the terminal rows grouped by the counts' key. */
function countsFromTerminals(): unknown[] {
  return db.sqlite
    .prepare(
      `SELECT store_id, coalesce(release_id, ''), region, ring, count(*), sum(is_drift) FROM terminal_current
       GROUP BY store_id, coalesce(release_id, ''), region, ring ORDER BY 1, 2, 3, 4`,
    )
    .raw()
    .all();
}
function countsTable(): unknown[] {
  return db.sqlite
    .prepare(
      'SELECT store_id, release_key, region, ring, terminals, drifting FROM store_release_counts ORDER BY 1, 2, 3, 4',
    )
    .raw()
    .all();
}

const REGIONS = ['North', 'South', 'East', 'West', 'Nowhere', ''] as const;

type Step =
  | { kind: 'record'; terminal: number; release: number; minutes: number }
  | { kind: 'move-region'; terminal: number; region: number }
  | { kind: 'move-ring'; terminal: number; ring: number }
  | { kind: 'retarget'; terminal: number; release: number }
  | { kind: 'forget'; terminal: number }
  | { kind: 'remove'; terminal: number }
  | { kind: 'rebuild' };

const step: fc.Arbitrary<Step> = fc.oneof(
  {
    weight: 5,
    arbitrary: fc.record({
      kind: fc.constant('record' as const),
      terminal: fc.nat(),
      release: fc.nat(),
      minutes: fc.integer({ min: -60, max: 60 }),
    }),
  },
  fc.record({ kind: fc.constant('move-region' as const), terminal: fc.nat(), region: fc.nat() }),
  fc.record({ kind: fc.constant('move-ring' as const), terminal: fc.nat(), ring: fc.nat() }),
  fc.record({ kind: fc.constant('retarget' as const), terminal: fc.nat(), release: fc.nat() }),
  fc.record({ kind: fc.constant('forget' as const), terminal: fc.nat() }),
  fc.record({ kind: fc.constant('remove' as const), terminal: fc.nat() }),
  fc.constant({ kind: 'rebuild' as const }),
);

function filterFor(
  pick: {
    region: number | null;
    ring: number | null;
    release: number | null;
    store: number | null;
    driftOnly: boolean | null;
    model: boolean;
    search: string | null;
  },
  stores: string[],
  releases: string[],
): FleetFilter {
  const filter: FleetFilter = {};
  if (pick.region !== null) filter.region = REGIONS[pick.region % REGIONS.length]!;
  if (pick.ring !== null) filter.ring = RINGS[pick.ring % RINGS.length]!;
  if (pick.release !== null)
    filter.releaseId =
      pick.release % 5 === 4 ? 'r-unknown' : releases[pick.release % releases.length]!;
  if (pick.store !== null) filter.storeId = stores[pick.store % stores.length]!;
  if (pick.driftOnly !== null) filter.driftOnly = pick.driftOnly;
  if (pick.model) filter.model = 'PAX A920';
  if (pick.search !== null) filter.search = pick.search;
  return filter;
}

const filterPick = fc.record({
  region: fc.option(fc.nat(), { nil: null }),
  ring: fc.option(fc.nat(), { nil: null }),
  release: fc.option(fc.nat(), { nil: null }),
  store: fc.option(fc.nat(), { nil: null }),
  driftOnly: fc.option(fc.boolean(), { nil: null }),
  model: fc.boolean(),
  search: fc.option(fc.constantFrom('', '  ', 'Lane 1', '0000', 'zzz'), { nil: null }),
});

describe('store × release counts', () => {
  it('always equal the terminal rows grouped, and the fast matrix equals the grouped one for every filter', () => {
    fc.assert(
      fc.property(
        fc.record({
          stores: fc.integer({ min: 1, max: 12 }),
          terminalsPerStore: fc.integer({ min: 1, max: 6 }),
          releases: fc.integer({ min: 1, max: 5 }),
          seed: fc.nat(),
        }),
        fc.array(step, { maxLength: 40 }),
        fc.array(filterPick, { minLength: 1, maxLength: 12 }),
        (shape, steps, picks) => {
          seedSyntheticFleet(db, shape);
          expect(countsTable()).toEqual(countsFromTerminals());
          const terminals = db.sqlite
            .prepare('SELECT terminal_id FROM terminal_current ORDER BY terminal_id')
            .pluck()
            .all() as string[];
          const releases = db.sqlite
            .prepare('SELECT id FROM releases ORDER BY id')
            .pluck()
            .all() as string[];
          const stores = db.sqlite
            .prepare('SELECT id FROM stores ORDER BY id')
            .pluck()
            .all() as string[];
          const base = Date.UTC(2026, 6, 1);
          for (const s of steps) {
            const terminal = 'terminal' in s ? terminals[s.terminal % terminals.length]! : '';
            switch (s.kind) {
              case 'record': {
                const release = releases[s.release % releases.length]!;
                const version = db.sqlite
                  .prepare('SELECT version FROM releases WHERE id = ?')
                  .pluck()
                  .get(release) as string;
                db.sqlite.transaction(() =>
                  applyVersionObservation(db, {
                    terminalId: terminal,
                    releaseId: release,
                    version,
                    at: new Date(base + s.minutes * 60_000).toISOString(),
                    eventId: null,
                    recordedBy: 'u-1',
                    source: 'typed',
                  }),
                )();
                break;
              }
              case 'move-region':
                db.sqlite
                  .prepare('UPDATE terminal_current SET region = ? WHERE terminal_id = ?')
                  .run(REGIONS[s.region % 4], terminal);
                break;
              case 'move-ring':
                db.sqlite
                  .prepare('UPDATE terminal_current SET ring = ? WHERE terminal_id = ?')
                  .run(RINGS[s.ring % RINGS.length], terminal);
                break;
              case 'retarget':
                db.sqlite
                  .prepare(
                    'UPDATE terminal_current SET is_drift = CASE WHEN release_id IS ? THEN 0 ELSE 1 END, target_release_id = ? WHERE terminal_id = ?',
                  )
                  .run(
                    releases[s.release % releases.length],
                    releases[s.release % releases.length],
                    terminal,
                  );
                break;
              case 'forget':
                db.sqlite
                  .prepare(
                    'UPDATE terminal_current SET release_id = NULL, version = NULL, version_rank = NULL WHERE terminal_id = ?',
                  )
                  .run(terminal);
                break;
              case 'remove':
                db.sqlite
                  .prepare('DELETE FROM terminal_current WHERE terminal_id = ?')
                  .run(terminal);
                break;
              case 'rebuild':
                rebuildFleetProjection(db);
                break;
              default:
                assertNever(s, 'step');
            }
            expect(countsTable()).toEqual(countsFromTerminals());
          }
          for (const pick of picks) {
            const filter = filterFor(pick, stores, releases);
            const fast = matrixCellsFromCounts(db, filter);
            const slow = matrixCellsFromTerminals(db, filter);
            const needsTerminals = filter.model !== undefined || Boolean(filter.search?.trim());
            expect(fast === null, JSON.stringify(filter)).toBe(needsTerminals);
            if (fast !== null) expect(fast, JSON.stringify(filter)).toEqual(slow);
            expect(getFleetMatrix(db, filter).cells, JSON.stringify(filter)).toEqual(slow);
          }
        },
      ),
      { numRuns: 60 },
    );
  });

  it('the full matrix reads the counts table in key order: no terminal rows, no temp tree', () => {
    seedSyntheticFleet(db, { stores: 50, terminalsPerStore: 10, releases: 6, seed: 7 });
    db.sqlite.exec('ANALYZE');
    const plan = (sql: string, params: unknown[] = []) =>
      (db.sqlite.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...params) as Array<{ detail: string }>)
        .map((r) => r.detail)
        .join('\n');
    const hot =
      'SELECT store_id, release_key, terminals, drifting FROM store_release_counts ORDER BY store_id, release_key';
    const full = plan(hot);
    expect(full).toMatch(/SCAN store_release_counts/);
    expect(full).not.toContain('terminal_current');
    expect(full).not.toContain('TEMP B-TREE');
    for (const [filter, params] of [
      [
        "WHERE region = ? AND ring = ? AND release_key = ? AND release_key <> ''",
        ['North', 'lab', 'r-1'],
      ],
      ['WHERE drifting > 0', []],
    ] as const) {
      expect(
        plan(
          `SELECT store_id, release_key, terminals, drifting FROM store_release_counts ${filter} ORDER BY store_id, release_key`,
          [...params],
        ),
      ).not.toContain('TEMP B-TREE');
    }
    const oneStore = plan(
      'SELECT store_id, release_key, terminals, drifting FROM store_release_counts WHERE store_id = ? ORDER BY store_id, release_key',
      ['s-00001'],
    );
    expect(oneStore).toContain('SEARCH store_release_counts USING PRIMARY KEY (store_id=?)');
    expect(oneStore).not.toContain('TEMP B-TREE');
    // The repository runs that statement for the full matrix: one cell per row here (no store splits a release by region).
    const rows = db.sqlite.prepare(hot).raw().all() as Array<[string, string, number, number]>;
    expect(matrixCellsFromCounts(db, {})).toEqual(
      rows.map(([storeId, releaseKey, count, driftCount]) => ({
        storeId,
        releaseId: releaseKey === '' ? null : releaseKey,
        count,
        driftCount,
      })),
    );
  });

  it('refuses a count that would go out of step (zero groups are removed, never stored)', () => {
    seedSyntheticFleet(db, { stores: 2, terminalsPerStore: 2, releases: 2, seed: 3 });
    expect(() =>
      db.sqlite
        .prepare("INSERT INTO store_release_counts VALUES ('s-x', '', 'North', 'lab', 0, 0)")
        .run(),
    ).toThrow(/CHECK/);
    expect(() =>
      db.sqlite
        .prepare("INSERT INTO store_release_counts VALUES ('s-x', '', 'North', 'lab', 1, 2)")
        .run(),
    ).toThrow(/CHECK/);
    db.sqlite.prepare('DELETE FROM terminal_current').run();
    expect(countsTable()).toEqual([]);
  });
});
