/**
 * The other devices' version observations of a page are applied per terminal
 * with only the decisive ones touching the current row (feedApply.ts,
 * Versions.applyPage): the state must equal applying them one by one.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sealEvent, GENESIS_PREV, type AuditEvent } from '../../shared/audit/event.ts';
import { startTestApp, type TestApp } from '../app/testSupport.ts';
import { sha256Hex } from '../audit/journal.ts';
import { canonicalEventText } from '../../shared/audit/canonicalEvent.ts';
import { rebuildFleetProjection } from '../fleet/rebuild.ts';
import type { CheckedFeedEntry } from './feed.ts';
import { applyFeedEntries } from './feedApply.ts';

const TERMINALS = ['st-par-01-t1', 'st-par-01-t2', 'st-par-01-t3'];
const RELEASES = [
  ['rel-4.4.0', '4.4.0'],
  ['rel-5.0.0', '5.0.0'],
  ['rel-4.3.1', '4.3.1'],
] as const;

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp();
});
afterAll(() => app.dispose());

function entries(
  ops: Array<{ terminal: number; release: number; minutes: number }>,
): CheckedFeedEntry[] {
  let prev = GENESIS_PREV;
  return ops.map((op, i) => {
    const [releaseId, version] = RELEASES[op.release]!;
    const event: AuditEvent = sealEvent(
      {
        v: 1,
        id: `e-${i}`,
        deviceId: 'other-device',
        seq: i + 1,
        // Some before the catalog's baseline (history only), most after it.
        at: new Date(Date.parse('2026-02-03T00:00:00.000Z') + op.minutes * 60_000).toISOString(),
        actor: { userId: 'u-tess', role: 'technician' },
        storeId: 'st-par-01',
        type: 'fleet.version.recorded',
        payload: {
          terminalId: TERMINALS[op.terminal]!,
          version,
          releaseId,
          previousVersion: null,
          source: 'typed',
        },
        prev,
      },
      sha256Hex,
    );
    prev = event.hash;
    return { index: i * 3, kind: 'event', event, body: canonicalEventText(event), isHeld: false };
  });
}

function fleetState(): string {
  return ['terminal_current', 'store_release_counts']
    .map((t) => JSON.stringify(app.db.sqlite.prepare(`SELECT * FROM ${t} ORDER BY 1, 2`).all()))
    .concat(
      JSON.stringify(
        app.db.sqlite
          .prepare(
            'SELECT terminal_id, version, release_id, observed_at, event_id, recorded_by, source FROM terminal_versions ORDER BY id',
          )
          .all(),
      ),
    )
    .join('\n');
}

/** The stored feed entries, as the Sync screen and the conflict rule read them. */
function feedRows(): string {
  return JSON.stringify(
    app.db.sqlite.prepare('SELECT * FROM foreign_events ORDER BY log_index').all(),
  );
}

function reset(): void {
  app.db.sqlite.exec('DELETE FROM foreign_events');
  rebuildFleetProjection(app.db);
}

describe("a page of other devices' version observations", () => {
  it('leaves the same fleet state as applying them one by one', () => {
    const op = fc.record({
      terminal: fc.integer({ min: 0, max: TERMINALS.length - 1 }),
      release: fc.integer({ min: 0, max: RELEASES.length - 1 }),
      minutes: fc.integer({ min: -10_000, max: 100_000 }),
    });
    fc.assert(
      fc.property(fc.array(op, { minLength: 1, maxLength: 25 }), (ops) => {
        const page = entries(ops);
        const now = () => new Date('2026-03-10T09:00:00.000Z');
        reset();
        app.db.sqlite.transaction(() => applyFeedEntries(app.db, page, now))();
        const together = fleetState();
        reset();
        for (const entry of page)
          app.db.sqlite.transaction(() => applyFeedEntries(app.db, [entry], now))();
        expect(together).toBe(fleetState());
      }),
      { numRuns: 80 },
    );
  });

  it('stores a page longer than one many-row INSERT chunk with the same rows as one by one', () => {
    // 260 observations (more than two chunks of the batched INSERTs) and a withheld entry among them.
    const ops = Array.from({ length: 260 }, (_, i) => ({
      terminal: i % TERMINALS.length,
      release: (i * 7) % RELEASES.length,
      minutes: (i % 11) * 1000 - 3000,
    }));
    const page: CheckedFeedEntry[] = entries(ops).map((entry, i) =>
      i === 130
        ? {
            index: entry.index,
            kind: 'withheld',
            deviceId: 'other-device',
            seq: i + 1,
            hash: 'ab'.repeat(32),
            reason: 'actor_unknown',
            isHeld: false,
          }
        : entry,
    );
    const now = () => new Date('2026-03-10T09:00:00.000Z');
    reset();
    const applied = app.db.sqlite.transaction(() => applyFeedEntries(app.db, page, now))();
    expect(applied.received).toBe(260);
    const together = [feedRows(), fleetState()];
    reset();
    for (const entry of page)
      app.db.sqlite.transaction(() => applyFeedEntries(app.db, [entry], now))();
    expect(together).toEqual([feedRows(), fleetState()]);
    expect(JSON.parse(together[0]!)).toHaveLength(260);
  });
});
