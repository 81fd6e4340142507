/**
 * Console side: a console enrolled as a desk with a desk code
 * fetches the stores in its scope from a real central server, keeps them for
 * offline viewing with the time they were fetched, and still shows them (and
 * a store's drill-down) when the server is gone. The server runs as its own
 * process; the desk code comes from its admin command line.
 */
import Database from 'better-sqlite3';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type {
  DeskConnection,
  DeskRefreshOutcome,
  DeskStoreDetail,
  DeskStoresWindow,
} from '../../shared/contract/desk.ts';
import type { CentralActionsPage } from '../../shared/desk/centralActions.ts';
import { expectOk, startTestApp, SUPPORT, type TestApp } from '../app/testSupport.ts';
import {
  COMPILE_CACHE,
  SERVER_CLI,
  startCentralServer,
  type CentralServerProcess,
} from '../sync/testing/centralServer.ts';

const CATALOG = resolve(import.meta.dirname, '../../../resources/demo/catalog.json');

let root: string;
let server: CentralServerProcess | null = null;
let app: TestApp | null = null;

function admin(dataDir: string, ...args: string[]): string {
  return execFileSync(
    process.execPath,
    [
      '--experimental-strip-types',
      '--no-warnings',
      SERVER_CLI,
      'admin',
      ...args,
      '--data',
      dataDir,
    ],
    { env: { ...process.env, ...COMPILE_CACHE, LOG_LEVEL: 'warn', DEARPOS_ADMIN: 'u-ada' } },
  ).toString();
}

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'desk-console-'));
});
afterEach(async () => {
  await app?.dispose();
  app = null;
  await server?.kill();
  server = null;
  rmSync(root, { recursive: true, force: true });
});

describe('the console as a desk', () => {
  it('fetches the stores of its region, caches them with their age, and shows them offline', async () => {
    const serverDir = join(root, 'server');
    admin(serverDir, 'import-catalog', '--json', CATALOG);
    const out = admin(
      serverDir,
      'desk-enrollment-code',
      '--desk',
      '--scope',
      'region:Europe',
      '--role',
      'support',
    );
    const code = /desk enrollment code: (\S+)/.exec(out)![1]!;
    server = await startCentralServer({ dataDir: serverDir });

    app = await startTestApp({ dir: join(root, 'console'), sync: null, signInAs: SUPPORT });
    expect(expectOk(await app.dispatch('desk:connection', {}))).toMatchObject({
      isConnected: false,
    });
    const wrong = await app.dispatch('desk:connect', {
      serverUrl: server.url,
      enrollmentCode: 'NOPE-NOPE-NOPE',
    });
    expect(wrong.ok).toBe(false);
    const connection = expectOk(
      await app.dispatch('desk:connect', { serverUrl: server.url, enrollmentCode: code }),
    ) as DeskConnection;
    expect(connection).toMatchObject({
      isConnected: true,
      scope: 'region:Europe',
      role: 'support',
    });

    app.clock.set('2026-03-10T10:00:00.000Z');
    const refreshed = expectOk(
      await app.dispatch('desk:refreshStores', { releaseId: 'rel-5.0.0' }),
    ) as DeskRefreshOutcome;
    expect(refreshed).toMatchObject({
      ok: true,
      fetchedAt: '2026-03-10T10:00:00.000Z',
      error: null,
    });
    expect(refreshed.stores).toBeGreaterThan(0);
    const window = expectOk(
      await app.dispatch('desk:stores', { releaseId: 'rel-5.0.0', offset: 0, limit: 500 }),
    ) as DeskStoresWindow;
    expect(window.total).toBe(refreshed.stores);
    expect(new Set(window.rows.map((r) => r.region))).toEqual(new Set(['Europe']));
    const paris = window.rows.find((r) => r.storeId === 'st-par-01')!;
    expect(paris.installed).toBeGreaterThan(0);
    expect(paris.installed).toBeLessThanOrEqual(paris.terminals);
    // A window is a window: the second row alone.
    const second = expectOk(
      await app.dispatch('desk:stores', { releaseId: 'rel-5.0.0', offset: 1, limit: 1 }),
    ) as DeskStoresWindow;
    expect(second.rows.map((r) => r.storeId)).toEqual([window.rows[1]!.storeId]);

    const detail = expectOk(
      await app.dispatch('desk:storeDetail', { storeId: 'st-par-01', releaseId: 'rel-5.0.0' }),
    ) as DeskStoreDetail;
    expect(detail.isCached).toBe(false);
    expect(detail.terminals.length).toBe(paris.terminals);
    // The flags Paris runs for 5.0.0, as the server computes them.
    expect(detail.flags.map((f) => f.key)).toContain('tap-to-pay');

    // What administrators changed, as the central log names them: the desk code itself was one.
    const central = expectOk(await app.dispatch('desk:centralActions', {})) as CentralActionsPage;
    expect(central.actions[0]).toMatchObject({
      type: 'admin.deskEnrollmentCode.issued',
      adminId: 'u-ada',
      adminName: 'Ada Admin',
      via: 'cli',
      subject: { kind: 'scope', id: 'region:Europe' },
    });
    const imports = expectOk(
      await app.dispatch('desk:centralActions', { type: 'admin.fleet.imported' }),
    ) as CentralActionsPage;
    // The whole catalog file was one action: one entry, chain-wide.
    expect(imports.actions).toHaveLength(1);
    expect(imports.actions[0]).toMatchObject({ type: 'admin.fleet.imported', subject: null });
    const unknownType = await app.dispatch('desk:centralActions', { type: 'admin.nothing' });
    expect(unknownType.ok).toBe(false);

    // The server goes away: the list and the drill-down are still there, labelled with their age.
    await server.kill();
    server = null;
    app.clock.set('2026-03-10T12:00:00.000Z');
    const offline = expectOk(
      await app.dispatch('desk:refreshStores', { releaseId: 'rel-5.0.0' }),
    ) as DeskRefreshOutcome;
    expect(offline).toMatchObject({ ok: false, fetchedAt: '2026-03-10T10:00:00.000Z' });
    expect(offline.error).toMatch(/cannot be reached/);
    const centralOffline = await app.dispatch('desk:centralActions', {});
    expect(centralOffline).toMatchObject({ ok: false, error: { code: 'unavailable' } });
    const cached = expectOk(
      await app.dispatch('desk:stores', { releaseId: 'rel-5.0.0', offset: 0, limit: 500 }),
    ) as DeskStoresWindow;
    expect(cached.rows).toEqual(window.rows);
    expect(cached.fetchedAt).toBe('2026-03-10T10:00:00.000Z');
    const cachedDetail = expectOk(
      await app.dispatch('desk:storeDetail', { storeId: 'st-par-01', releaseId: 'rel-5.0.0' }),
    ) as DeskStoreDetail;
    expect(cachedDetail).toMatchObject({
      isCached: true,
      terminals: detail.terminals,
      flags: detail.flags,
    });
  });

  it("renews its desk token in the token's last week, and the server kills the old one at once", async () => {
    const serverDir = join(root, 'server');
    admin(serverDir, 'import-catalog', '--json', CATALOG);
    const out = admin(
      serverDir,
      'desk-enrollment-code',
      '--desk',
      '--scope',
      'all',
      '--role',
      'release',
    );
    const code = /desk enrollment code: (\S+)/.exec(out)![1]!;
    server = await startCentralServer({ dataDir: serverDir });
    app = await startTestApp({ dir: join(root, 'console'), sync: null, signInAs: SUPPORT });
    expectOk(await app.dispatch('desk:connect', { serverUrl: server.url, enrollmentCode: code }));
    const deskTokens = () => {
      const db = new Database(join(serverDir, 'server.sqlite'), { readonly: true });
      try {
        return db
          .prepare(
            "SELECT revoked_at IS NOT NULL AS isRevoked FROM tokens WHERE kind = 'desk' ORDER BY created_at",
          )
          .all() as Array<{ isRevoked: number }>;
      } finally {
        db.close();
      }
    };
    // Far from its expiry (30 days): nothing is renewed.
    expectOk(await app.dispatch('desk:refreshStores', { releaseId: 'rel-5.0.0' }));
    expect(deskTokens()).toEqual([{ isRevoked: 0 }]);
    // 25 days later, in its last week: the next call rotates it first.
    app.clock.set(new Date(Date.now() + 25 * 24 * 3_600_000).toISOString());
    expectOk(await app.dispatch('desk:refreshStores', { releaseId: 'rel-5.0.0' }));
    expect(deskTokens()).toEqual([{ isRevoked: 1 }, { isRevoked: 0 }]);
    // The renewed token works; it is not renewed again until its own last week.
    app.clock.set(new Date().toISOString());
    expectOk(await app.dispatch('desk:refreshStores', { releaseId: 'rel-5.0.0' }));
    expect(deskTokens()).toHaveLength(2);
  });
});
