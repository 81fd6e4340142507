/**
 * What one console records, every console of the same store sees: two or
 * three real consoles against one real central server, each syncing through
 * the scope feed.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TerminalDetail } from '../../shared/contract/types.ts';
import { expectOk, MANAGER, TECH, type TestApp } from '../app/testSupport.ts';
import { startFleet, syncNow, type Fleet } from './testing.ts';

let fleet: Fleet;
let a: TestApp;
let b: TestApp;
let lyon: TestApp;
beforeAll(async () => {
  fleet = await startFleet();
  a = await fleet.console('a');
  b = await fleet.console('b');
  lyon = await fleet.console('lyon', 'st-lyo-01');
  expectOk(await a.dispatch('session:signIn', TECH));
  expectOk(await b.dispatch('session:signIn', MANAGER));
}, 60_000);
afterAll(() => fleet.close());

function foreignDevices(app: TestApp): string[] {
  return app.db.sqlite
    .prepare('SELECT DISTINCT store_id FROM foreign_events WHERE outcome != ? ORDER BY 1')
    .pluck()
    .all('withheld') as string[];
}

describe('two consoles of one store', () => {
  it('a version recorded on A shows on B after both sync, with where it came from', async () => {
    const T = 'st-par-01-t3';
    const recorded = expectOk(
      await a.dispatch('fleet:recordVersion', { terminalId: T, version: '4.4.0', source: 'typed' }),
    );
    expect(recorded).toBeTruthy();
    const beforeSync = expectOk(
      await b.dispatch('fleet:getTerminal', { terminalId: T }),
    ) as TerminalDetail;
    expect(beforeSync.terminal.version).not.toBe('4.4.0');
    await syncNow(a);
    await syncNow(b);
    const detail = expectOk(
      await b.dispatch('fleet:getTerminal', { terminalId: T }),
    ) as TerminalDetail;
    expect(detail.terminal.version).toBe('4.4.0');
    const entry = detail.history.find((h) => h.version === '4.4.0' && h.recordedBy === TECH.userId);
    expect(entry).toBeTruthy();
    const provenance = b.db.sqlite
      .prepare('SELECT device_id, actor_user_id FROM foreign_events WHERE event_id = ?')
      .get(entry!.eventId) as { device_id: string; actor_user_id: string };
    expect(provenance).toEqual({ device_id: a.journal.deviceId, actor_user_id: TECH.userId });
  });

  it("the store's earlier history from other devices arrives on a freshly enrolled console", () => {
    const count = b.db.sqlite
      .prepare('SELECT count(*) FROM foreign_events')
      .pluck()
      .get() as number;
    expect(count).toBeGreaterThan(0);
    expect(foreignDevices(b)).toEqual(['st-par-01']);
  });

  it("a store console never receives another store's events", async () => {
    await syncNow(lyon);
    const stores = lyon.db.sqlite
      .prepare('SELECT DISTINCT store_id FROM foreign_events')
      .pluck()
      .all();
    expect(stores.every((s) => s === 'st-lyo-01')).toBe(true);
    const fromParis = lyon.db.sqlite
      .prepare('SELECT count(*) FROM foreign_events WHERE device_id IN (?, ?)')
      .pluck()
      .get(a.journal.deviceId, b.journal.deviceId);
    expect(fromParis).toBe(0);
  });
});
