/**
 * The console learns which of its events the central server quarantined:
 * against the REAL central server (a child process on 127.0.0.1, demo
 * catalog), a forged actor is acknowledged like any event, so the queue
 * drains, and its reason is kept beside the journal and listed for the Sync
 * screen; the good events after it are not marked. audit:verify confirms
 * the marks on the store's bundle.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import type { Change } from '../audit/journal.ts';
import { describeReport, verifyBundleText } from '../audit/verifyFile.ts';
import { startCentralServer, type CentralServerProcess } from './testing/centralServer.ts';
import { openTestConsole, versionChange, type TestConsole } from './testing/console.ts';
import { readSyncState } from './state.ts';

let root: string;
let server: CentralServerProcess;
let c: TestConsole | null = null;

beforeEach(async () => {
  root = mkdtempSync(join(tmpdir(), 'sync-quarantine-'));
  server = await startCentralServer({ dataDir: join(root, 'server'), isDemo: true, args: [] });
});
afterEach(async () => {
  await c?.close();
  c = null;
  await server.kill();
  rmSync(root, { recursive: true, force: true });
});

/** A version observation by a given actor (the demo catalog's u-tess is a technician of every store). */
function recordedBy(
  storeId: string,
  n: number,
  actor: { userId: string; role: 'technician' | 'manager' | 'support' | 'admin' },
): Change<'fleet.version.recorded', null> {
  return { ...versionChange(storeId, n), actor };
}

it('a forged actor does not stall the queue: acknowledged, quarantined with its reason, listed; later events flow unmarked', async () => {
  mkdirSync(join(root, 'console'));
  c = await openTestConsole(join(root, 'console'), { batchSize: 2 });
  await c.engine.connect({ serverUrl: server.url, enrollmentCode: server.enrollmentCode! });
  const storeId = readSyncState(c.db)!.store_id;
  const tess = { userId: 'u-tess', role: 'technician' } as const;
  c.journal.recordMany([
    recordedBy(storeId, 1, tess),
    recordedBy(storeId, 2, { userId: 'u-ghost-does-not-exist', role: 'technician' }),
    // u-tess claiming a manager's role.
    recordedBy(storeId, 3, { userId: 'u-tess', role: 'manager' }),
    recordedBy(storeId, 4, tess),
    recordedBy(storeId, 5, tess),
  ]);
  expect(c.engine.status()).toMatchObject({ pendingEvents: 5, quarantinedEvents: 0 });
  // Batches of 2: the forged events sit in the first two batches, and the third still goes.
  await c.drain(3);
  expect(c.engine.status()).toMatchObject({
    pendingEvents: 0,
    lastError: null,
    quarantinedEvents: 2,
  });
  const page = c.engine.quarantined({});
  expect(page.total).toBe(2);
  expect(page.nextBeforeSeq).toBeNull();
  expect(page.events.map((e) => [e.seq, e.userId, e.reason])).toEqual([
    [3, 'u-tess', 'actor_role_mismatch'],
    [2, 'u-ghost-does-not-exist', 'actor_unknown'],
  ]);
  expect(page.events[1]!.explanation).toMatch(/does not know the user/);
  expect(page.events[1]!.type).toBe('fleet.version.recorded');
  // Keyset paging, newest first.
  const first = c.engine.quarantined({ limit: 1 });
  expect(first.events.map((e) => e.seq)).toEqual([3]);
  expect(first.nextBeforeSeq).toBe(3);
  expect(c.engine.quarantined({ limit: 1, beforeSeq: 3 }).events.map((e) => e.seq)).toEqual([2]);
  // A sync with nothing new changes nothing.
  await c.engine.syncOnce();
  expect(c.engine.status().quarantinedEvents).toBe(2);
  // What npm run audit:verify says of the store's bundle: the same two, each breaking the rule.
  const res = await fetch(`${server.url}/v1/audit/bundle?storeId=${storeId}`, {
    headers: { authorization: `Bearer ${server.auditorToken}` },
  });
  const report = verifyBundleText(await res.text());
  const line = describeReport({ ...report, file: 'store.jsonl', kind: 'bundle' });
  expect(line).toMatch(/^OK audit bundle store\.jsonl: /);
  expect(line).toMatch(/judged by the actor rule, 2 quarantined events each breaking it/);
});
