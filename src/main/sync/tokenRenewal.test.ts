/**
 * The console renews its device token before it expires, and after expiry
 * too (offline for weeks: the server's grace window), against the REAL
 * central server. The console's clock is moved; the server's is real, so the
 * server-side expiry and grace are tested in src/server/auth/tokens.test.ts.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { tokenExpiresAt } from '../../shared/sync/protocol.ts';
import { TOKEN_RENEW_BEFORE_MS } from './engine.ts';
import { readSyncState } from './state.ts';
import { startCentralServer, type CentralServerProcess } from './testing/centralServer.ts';
import { openTestConsole, type TestConsole } from './testing/console.ts';

const DAY = 24 * 60 * 60 * 1000;
let root: string;
let server: CentralServerProcess;
let c: TestConsole;
let clock = Date.now();

beforeEach(async () => {
  root = mkdtempSync(join(tmpdir(), 'sync-token-'));
  server = await startCentralServer({ dataDir: join(root, 'server'), isDemo: true });
  mkdirSync(join(root, 'console'));
  clock = Date.now();
  c = await openTestConsole(join(root, 'console'), { now: () => new Date(clock) });
});
afterEach(async () => {
  await c.close();
  await server.kill();
  rmSync(root, { recursive: true, force: true });
});

async function changesStatus(token: string): Promise<number> {
  const res = await fetch(`${server.url}/v1/changes?cursor=0`, {
    headers: { authorization: `Bearer ${token}` },
  });
  return res.status;
}

it('keeps its token while it is far from expiry, renews it within a week of expiry, and the old one stops working', async () => {
  await c.engine.connect({ serverUrl: server.url, enrollmentCode: server.enrollmentCode! });
  const first = readSyncState(c.db)!.device_token;
  const expiresAt = tokenExpiresAt(first)!;
  expect(expiresAt.getTime()).toBeGreaterThan(clock + 20 * DAY);

  c.record(3);
  expect(await c.engine.syncOnce()).toMatchObject({ ok: true, pushed: 3 });
  expect(readSyncState(c.db)!.device_token).toBe(first);

  clock = expiresAt.getTime() - TOKEN_RENEW_BEFORE_MS + DAY;
  c.record(2);
  expect(await c.engine.syncOnce()).toMatchObject({ ok: true, pushed: 2 });
  const second = readSyncState(c.db)!.device_token;
  expect(second).not.toBe(first);
  expect(await changesStatus(first)).toBe(401);
  expect(await changesStatus(second)).toBe(200);
});

it('offline past its expiry, renews first and then syncs what it recorded meanwhile', async () => {
  await c.engine.connect({ serverUrl: server.url, enrollmentCode: server.enrollmentCode! });
  const first = readSyncState(c.db)!.device_token;
  clock = tokenExpiresAt(first)!.getTime() + 10 * DAY;
  c.record(4);
  expect(await c.engine.syncOnce()).toMatchObject({ ok: true, pushed: 4 });
  const renewed = readSyncState(c.db)!.device_token;
  expect(renewed).not.toBe(first);
  expect(await changesStatus(renewed)).toBe(200);
  expect(c.engine.status()).toMatchObject({ pendingEvents: 0, lastError: null });
});
