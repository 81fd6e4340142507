import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  TERMINAL_SORT_KEYS,
  type FleetFilter,
  type TerminalRow,
} from '../../shared/contract/index.ts';
import { AppError } from '../../shared/errors.ts';
import {
  journalCount,
  startTestApp,
  stateChecksum,
  TECH,
  type TestApp,
} from '../app/testSupport.ts';
import { getFleetMatrix, getReleaseSummary, listTerminalWindow } from './repository.ts';
import { seedSyntheticFleet } from './seed.ts';
import { rebuildFleetProjection } from './rebuild.ts';
import { loadCatalog } from './catalog.ts';
import { buildDemoCatalog } from '../demo/demoCatalog.ts';

let app: TestApp;
beforeEach(async () => {
  app = await startTestApp({ signInAs: TECH });
});
afterEach(async () => {
  await app.dispose();
});

function allRows(): TerminalRow[] {
  return listTerminalWindow(app.db, {
    filter: {},
    sort: { key: 'terminal', desc: false },
    offset: 0,
    limit: 500,
  }).rows;
}
function session() {
  const s = app.services.sessions.current();
  if (!s) throw new Error('not signed in');
  return s;
}
function codeOf(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    return error instanceof AppError ? error.code : 'not-an-app-error';
  }
  return 'no-error';
}

describe('fleet matrix', () => {
  it('counts every terminal once, and drift is exactly the terminals not on their ring target', () => {
    const rows = allRows();
    const matrix = getFleetMatrix(app.db, {});
    expect(matrix.totals.terminals).toBe(rows.length);
    expect(matrix.cells.reduce((n, c) => n + c.count, 0)).toBe(rows.length);
    const targets = new Map(matrix.stores.map((s) => [s.id, s.targetReleaseId]));
    const expectedDrift = rows.filter((r) => r.releaseId !== targets.get(r.storeId)).length;
    expect(matrix.totals.drift).toBe(expectedDrift);
    expect(expectedDrift).toBeGreaterThan(0);
    for (const cell of matrix.cells) {
      const isTarget = cell.releaseId === targets.get(cell.storeId);
      expect(cell.driftCount).toBe(isTarget ? 0 : cell.count);
    }
  });

  it('filters by region, ring, model, release, store, search and drift, each matching a filter over all rows', () => {
    const rows = allRows();
    const stores = getFleetMatrix(app.db, {}).stores;
    const storeOf = new Map(stores.map((s) => [s.id, s]));
    const sample = rows.find((r) => r.isDrift && r.releaseId !== null)!;
    const cases: Array<[FleetFilter, (r: TerminalRow) => boolean]> = [
      [{ region: 'Europe' }, (r) => storeOf.get(r.storeId)!.region === 'Europe'],
      [{ ring: 'pilot' }, (r) => storeOf.get(r.storeId)!.ring === 'pilot'],
      [{ model: sample.model }, (r) => r.model === sample.model],
      [{ releaseId: sample.releaseId! }, (r) => r.releaseId === sample.releaseId],
      [{ storeId: sample.storeId }, (r) => r.storeId === sample.storeId],
      [{ driftOnly: true }, (r) => r.isDrift],
      [{ search: sample.serial.slice(-4) }, (r) => r.serial.includes(sample.serial.slice(-4))],
      [{ search: 'tokyo' }, (r) => r.storeName.toLowerCase().includes('tokyo')],
      [
        { region: 'Europe', driftOnly: true },
        (r) => storeOf.get(r.storeId)!.region === 'Europe' && r.isDrift,
      ],
    ];
    for (const [filter, predicate] of cases) {
      const expected = rows.filter(predicate);
      expect(getFleetMatrix(app.db, filter).totals.terminals, JSON.stringify(filter)).toBe(
        expected.length,
      );
      const page = listTerminalWindow(app.db, {
        filter,
        sort: { key: 'terminal', desc: false },
        offset: 0,
        limit: 500,
      });
      expect(page.total).toBe(expected.length);
      expect(new Set(page.rows.map((r) => r.id))).toEqual(new Set(expected.map((r) => r.id)));
    }
  });

  it('treats % and _ in a search as plain characters', () => {
    expect(getFleetMatrix(app.db, { search: '%' }).totals.terminals).toBe(0);
    expect(getFleetMatrix(app.db, { search: '_' }).totals.terminals).toBe(0);
  });

  it('release summary counts terminals per release, null for never observed', () => {
    const rows = allRows();
    const summary = getReleaseSummary(app.db);
    for (const { releaseId, count } of summary) {
      expect(count).toBe(rows.filter((r) => r.releaseId === releaseId).length);
    }
    expect(summary.reduce((n, s) => n + s.count, 0)).toBe(rows.length);
  });
});

describe('terminal table window', () => {
  it('sorts by every sort key in both directions, in the same order as sorting all rows', () => {
    const rows = allRows();
    const value = (r: TerminalRow, key: (typeof TERMINAL_SORT_KEYS)[number]): string | number => {
      switch (key) {
        case 'store':
          return `${r.storeName}\u0000${r.name}`;
        case 'terminal':
          return r.name;
        case 'model':
          return r.model;
        case 'serial':
          return r.serial;
        case 'version':
          return r.version === null
            ? -1
            : r.version.split('.').reduce((n, p) => n * 1000 + Number(p), 0);
        case 'since':
          return r.since ?? '';
        case 'lastSeen':
          return r.lastSeen ?? '';
        case 'drift':
          return r.isDrift ? 1 : 0;
      }
    };
    for (const key of TERMINAL_SORT_KEYS) {
      for (const desc of [false, true]) {
        const window = listTerminalWindow(app.db, {
          filter: {},
          sort: { key, desc },
          offset: 0,
          limit: 500,
        }).rows;
        const values = window.map((r) => value(r, key));
        const sorted = [...values].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
        if (desc) sorted.reverse();
        expect(values, `${key} ${desc ? 'desc' : 'asc'}`).toEqual(sorted);
        expect(window).toHaveLength(rows.length);
      }
    }
  });

  it('pages with offset and limit over a stable order', () => {
    const total = allRows().length;
    const first = listTerminalWindow(app.db, {
      filter: {},
      sort: { key: 'serial', desc: false },
      offset: 0,
      limit: 10,
    });
    const second = listTerminalWindow(app.db, {
      filter: {},
      sort: { key: 'serial', desc: false },
      offset: 10,
      limit: 10,
    });
    expect(first.total).toBe(total);
    expect(first.rows).toHaveLength(10);
    expect(second.offset).toBe(10);
    expect(new Set([...first.rows, ...second.rows].map((r) => r.id)).size).toBe(20);
    expect(first.rows.at(-1)!.serial < second.rows[0]!.serial).toBe(true);
  });
});

describe('recording a version', () => {
  it('updates the current release, the history and the matrix in one journal event filed under the terminal store', () => {
    const terminal = allRows().find((r) => r.isDrift && r.releaseId !== null)!;
    const target = terminal.targetVersion!;
    const before = journalCount(app);
    const result = app.services.fleet.recordVersion(
      { terminalId: terminal.id, version: ` ${target}\n`, source: 'scanned' },
      session(),
      [],
    );
    expect(result.terminal.version).toBe(target);
    expect(result.terminal.isDrift).toBe(false);
    expect(result.terminal.since).toBe(app.clock.now().toISOString());
    expect(journalCount(app)).toBe(before + 1);
    const event = JSON.parse(
      app.db.sqlite
        .prepare('SELECT body FROM journal WHERE seq = ?')
        .pluck()
        .get(result.seq) as string,
    );
    expect(event).toMatchObject({
      type: 'fleet.version.recorded',
      storeId: terminal.storeId,
      actor: { userId: 'u-tess', role: 'technician' },
      payload: {
        terminalId: terminal.id,
        version: target,
        previousVersion: terminal.version,
        source: 'scanned',
      },
    });
    const detail = app.services.fleet.getTerminal(terminal.id);
    expect(detail.history[0]).toMatchObject({
      eventId: result.eventId,
      version: target,
      recordedBy: 'u-tess',
      source: 'scanned',
    });
    expect(detail.history.at(-1)).toMatchObject({
      eventId: null,
      source: 'catalog',
      version: terminal.version,
    });
  });

  it('keeps "since" when the same release is observed again, and only moves "last seen"', () => {
    const terminal = allRows().find((r) => r.version !== null)!;
    app.clock.advance(60_000);
    const { terminal: after } = app.services.fleet.recordVersion(
      { terminalId: terminal.id, version: terminal.version!, source: 'typed' },
      session(),
      [],
    );
    expect(after.since).toBe(terminal.since);
    expect(after.lastSeen).toBe(app.clock.now().toISOString());
  });

  it('refuses a version that is not SemVer, or not a release, or an unknown terminal, and writes nothing', () => {
    const terminal = allRows()[0]!;
    const before = { journal: journalCount(app), state: stateChecksum(app) };
    const record = (terminalId: string, version: string) => () =>
      app.services.fleet.recordVersion({ terminalId, version, source: 'typed' }, session(), []);
    expect(codeOf(record(terminal.id, 'v4.2.0'))).toBe('invalid_version');
    expect(codeOf(record(terminal.id, '4.2'))).toBe('invalid_version');
    expect(codeOf(record(terminal.id, '4.2.0 beta'))).toBe('invalid_version');
    expect(codeOf(record(terminal.id, '9.9.9'))).toBe('unknown_release');
    expect(codeOf(record('no-such-terminal', '4.2.0'))).toBe('not_found');
    expect(journalCount(app)).toBe(before.journal);
    expect(stateChecksum(app)).toBe(before.state);
  });

  it('refuses a technician assigned to other stores', () => {
    const terminal = allRows().find((r) => r.storeId !== 'st-par-01')!;
    expect(
      codeOf(() =>
        app.services.fleet.recordVersion(
          { terminalId: terminal.id, version: '4.2.0', source: 'typed' },
          session(),
          ['st-par-01'],
        ),
      ),
    ).toBe('forbidden');
  });

  it('rebuilding the projection from the catalog and the journal gives the same state', () => {
    const rows = allRows();
    for (const [i, r] of rows.slice(0, 12).entries()) {
      app.clock.advance(1000);
      app.services.fleet.recordVersion(
        { terminalId: r.id, version: i % 2 ? '4.2.0' : '4.4.0', source: 'typed' },
        session(),
        [],
      );
    }
    const before = stateChecksum(app);
    const stats = rebuildFleetProjection(app.db);
    expect(stats.replayed).toBe(12);
    expect(stateChecksum(app)).toBe(before);
  });
});

describe('catalog reload', () => {
  it('replays local observations on a pulled catalog, unless the catalog already knows a later state', () => {
    const [older, newer] = allRows().filter((r) => r.version !== '4.0.0');
    for (const r of [older!, newer!])
      app.services.fleet.recordVersion(
        { terminalId: r.id, version: '4.0.0', source: 'typed' },
        session(),
        [],
      );
    const catalog = buildDemoCatalog();
    const later = new Date(app.clock.now().getTime() + 3_600_000)
      .toISOString()
      .replace(/\.\d{3}Z$/, 'Z');
    const pulled = {
      ...catalog,
      terminals: catalog.terminals.map((t) =>
        t.id === newer!.id ? { ...t, installed: { releaseId: 'rel-4.4.0', since: later } } : t,
      ),
    };
    loadCatalog(app.db, pulled, { source: 'test', now: app.clock.now });
    const olderDetail = app.services.fleet.getTerminal(older!.id);
    const newerDetail = app.services.fleet.getTerminal(newer!.id);
    expect(olderDetail.terminal.version).toBe('4.0.0');
    expect(newerDetail.terminal.version).toBe('4.4.0');
    expect(newerDetail.history.map((h) => h.version)).toContain('4.0.0');
    const live = stateChecksum(app);
    rebuildFleetProjection(app.db);
    expect(stateChecksum(app)).toBe(live);
  });

  it('refuses a catalog that does not hold together and keeps the current one', () => {
    const before = stateChecksum(app);
    const catalog = buildDemoCatalog();
    const broken = {
      ...catalog,
      terminals: [
        ...catalog.terminals,
        { ...catalog.terminals[0]!, id: 'x-1', storeId: 'st-nowhere' },
      ],
    };
    expect(codeOf(() => loadCatalog(app.db, broken, { source: 'test', now: app.clock.now }))).toBe(
      'invalid_input',
    );
    expect(
      codeOf(() => loadCatalog(app.db, { version: 2 }, { source: 'test', now: app.clock.now })),
    ).toBe('invalid_input');
    expect(stateChecksum(app)).toBe(before);
  });
});

describe('synthetic fleet', () => {
  it('writes a deterministic catalog of the requested size', () => {
    const out = seedSyntheticFleet(app.db, {
      stores: 50,
      terminalsPerStore: 20,
      releases: 8,
      seed: 7,
    });
    expect(out.terminals).toBe(1000);
    const first = stateChecksum(app);
    seedSyntheticFleet(app.db, { stores: 50, terminalsPerStore: 20, releases: 8, seed: 7 });
    expect(stateChecksum(app)).toBe(first);
    const matrix = getFleetMatrix(app.db, {});
    expect(matrix.totals.terminals).toBe(1000);
    expect(matrix.stores).toHaveLength(50);
    expect(matrix.totals.drift).toBeGreaterThan(0);
  });
});
