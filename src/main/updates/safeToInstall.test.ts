import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { StoreWindows } from '../../shared/deployments/windows.ts';
import { createJournal } from '../audit/journal.ts';
import { openDatabase } from '../db/open.ts';
import { createLogger } from '../log.ts';
import { readConsoleStore, readInstallFacts } from './installFacts.ts';
import { NOT_NOW_REASONS, safeToInstall, type InstallFacts } from './safeToInstall.ts';

const day = { open: '09:00', close: '20:00' };
const windows: StoreWindows = {
  storeId: 's1',
  tradingHours: { mon: day, tue: day, wed: day, thu: day, fri: day, sat: day, sun: null },
  freezes: [{ name: 'Christmas', from: '2026-12-20T00:00', to: '2026-12-27T00:00' }],
};
// Monday 7 December 2026, 22:00 in Paris: closed, no freeze.
const quietNight = Date.parse('2026-12-07T21:00:00.000Z');

function facts(overrides: Partial<InstallFacts> = {}): InstallFacts {
  return {
    now: quietNight,
    activeDeployments: [],
    openChecklistRuns: [],
    unsyncedEvents: 0,
    unsyncedEvidence: 0,
    isSignOffOpen: false,
    store: { timezone: 'Europe/Paris', windows },
    ...overrides,
  };
}

function reasonsOf(f: InstallFacts) {
  const verdict = safeToInstall(f);
  return verdict.isSafe ? [] : verdict.reasons;
}

describe('safe to install', () => {
  it('is safe when nobody is working, everything is synced and the store is closed', () => {
    expect(safeToInstall(facts())).toEqual({ isSafe: true });
  });

  it('not during a deployment run', () => {
    expect(
      reasonsOf(facts({ activeDeployments: [{ id: 'd1', label: 'Paris Nord → 2.4.0' }] })),
    ).toEqual([
      {
        reason: 'deployment_in_progress',
        message:
          'A deployment is in progress (Paris Nord → 2.4.0): the update installs when it is finished.',
      },
    ]);
  });

  it('not while a checklist run is being answered', () => {
    const [only] = reasonsOf(facts({ openChecklistRuns: [{ id: 'r1', label: 'Smoke 2.4.0' }] }));
    expect(only?.reason).toBe('checklist_in_progress');
    expect(only?.message).toContain('Smoke 2.4.0');
  });

  it('not with unsynced journal events, nor with evidence not uploaded', () => {
    expect(reasonsOf(facts({ unsyncedEvents: 1 }))).toEqual([
      {
        reason: 'unsynced_events',
        message:
          '1 recorded action is not synced yet: the update installs after they reach the central server.',
      },
    ]);
    const [evidence] = reasonsOf(facts({ unsyncedEvidence: 3 }));
    expect(evidence).toMatchObject({ reason: 'unsynced_evidence' });
    expect(evidence?.message).toMatch(/^3 evidence files are not uploaded yet/);
  });

  it('not while a sign-off dialog is open', () => {
    expect(reasonsOf(facts({ isSignOffOpen: true })).map((r) => r.reason)).toEqual([
      'sign_off_open',
    ]);
  });

  it('not during the store’s trading hours, in store time, saying until when', () => {
    // 10:00 UTC is 11:00 in Paris on a Monday: trading.
    const [trading] = reasonsOf(facts({ now: Date.parse('2026-12-07T10:00:00.000Z') }));
    expect(trading).toMatchObject({
      reason: 'trading_hours',
      until: Date.parse('2026-12-07T19:00:00.000Z'),
    });
    expect(trading?.message).toContain('the update can install after Mon 7 Dec 2026 20:00');
  });

  it('not inside a freeze, even with the store closed', () => {
    // Sunday 20 December, closed all day, inside the Christmas freeze.
    const [freeze] = reasonsOf(facts({ now: Date.parse('2026-12-20T12:00:00.000Z') }));
    expect(freeze).toMatchObject({ reason: 'freeze' });
    expect(freeze?.message).toContain('Christmas');
  });

  it('gives every reason at once, one per kind', () => {
    const all = reasonsOf(
      facts({
        now: Date.parse('2026-12-21T10:00:00.000Z'),
        activeDeployments: [{ id: 'd1', label: 'a' }],
        openChecklistRuns: [{ id: 'r1', label: 'b' }],
        unsyncedEvents: 2,
        unsyncedEvidence: 1,
        isSignOffOpen: true,
      }),
    ).map((r) => r.reason);
    expect(all).toEqual([...NOT_NOW_REASONS]);
  });

  it('reads the database’s part from a real console database', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'dearpos-install-'));
    const db = await openDatabase(join(dir, 'console.sqlite'), {
      log: createLogger({ level: 'silent' }),
    });
    try {
      const onScreen = { openChecklistRuns: [], isSignOffOpen: false };
      const read = () => readInstallFacts(db, { now: quietNight, storeId: 's1', onScreen });
      expect(read()).toMatchObject({ activeDeployments: [], unsyncedEvents: 0, store: null });
      expect(readConsoleStore(db)).toBeNull();
      db.sqlite.exec(`
        INSERT INTO stores (id, name, region, ring, timezone) VALUES ('s1', 'Paris Nord', 'FR', 'pilot', 'Europe/Paris');
        INSERT INTO store_windows (store_id, data) VALUES ('s1', '${JSON.stringify(windows)}');
        INSERT INTO deployments VALUES ('d1', 's1', 'r-missing', 'paused_at_intervention', 'x', 'x', 1, '{}');
        INSERT INTO deployments VALUES ('d2', 's1', 'r-missing', 'completed', 'x', 'x', 1, '{}');`);
      createJournal(db).record({
        type: 'fleet.version.recorded',
        storeId: 's1',
        actor: { userId: 'u1', role: 'technician' },
        payload: {
          terminalId: 't1',
          version: '1.0.0',
          releaseId: 'r1',
          previousVersion: null,
          source: 'typed',
        },
        tables: ['terminal_current'],
        apply: () => undefined,
      });
      const f = read();
      expect(f.activeDeployments).toEqual([{ id: 'd1', label: 'Paris Nord → r-missing' }]);
      expect(f.unsyncedEvents).toBe(1);
      expect(f.store).toEqual({ timezone: 'Europe/Paris', windows });
      db.sqlite.exec(`INSERT INTO sync_state (singleton, server_url, device_token, store_id, log_id,
        log_public_key, device_public_key, enrolled_at) VALUES (1, 'https://c', 't', 's1', 'l', 'k', 'd', 'x')`);
      expect(readConsoleStore(db)).toEqual({ id: 's1', ring: 'pilot' });
      expect(reasonsOf(f).map((r) => r.reason)).toEqual([
        'deployment_in_progress',
        'unsynced_events',
      ]);
    } finally {
      db.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
