/**
 * The sync engine against the REAL central server (src/server, a child
 * process on 127.0.0.1) and, where a fault is needed, the loopback fault proxy.
 */
import { cpSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { hasCatalog } from '../fleet/catalog.ts';
import { createLogger } from '../log.ts';
import { createSyncEngine } from './engine.ts';
import { createFileSecretStore } from './secretStore.ts';
import { readSyncState } from './state.ts';
import { readCentralLog } from './testing/centralLog.ts';
import { startCentralServer, type CentralServerProcess } from './testing/centralServer.ts';
import { openTestConsole, type TestConsole } from './testing/console.ts';
import { NO_FAULT, startFaultProxy, type FaultProxy } from './testing/faultProxy.ts';

/** The central server as an operator would start it for a test fleet. */
const SERVER_ARGS: string[] = [];

let root: string;
let server: CentralServerProcess;
/** Printed by the first (demo) start; it stays valid across restarts. */
let auditorToken: string;
let proxy: FaultProxy;
const consoles: TestConsole[] = [];

/**
 * The demo server's data folder as its first start leaves it, and the
 * enrollment code and auditor token that start printed. Each test starts the
 * server on a copy of its own: the same data a demo start of its own would
 * make (the same catalog and two devices' history), without loading and
 * pushing that history again for every test (~0.4 CPU-s a start).
 */
let demo: { root: string; dataDir: string; enrollmentCode: string; auditorToken: string };

beforeAll(async () => {
  const demoRoot = mkdtempSync(join(tmpdir(), 'sync-engine-demo-'));
  const first = await startCentralServer({
    dataDir: join(demoRoot, 'server'),
    isDemo: true,
    args: SERVER_ARGS,
  });
  await first.stop();
  expect(first.enrollmentCode, first.output.join('\n')).toBeTruthy();
  demo = {
    root: demoRoot,
    dataDir: join(demoRoot, 'server'),
    enrollmentCode: first.enrollmentCode!,
    auditorToken: first.auditorToken!,
  };
});
afterAll(() => rmSync(demo.root, { recursive: true, force: true }));

beforeEach(async () => {
  root = mkdtempSync(join(tmpdir(), 'sync-engine-'));
  cpSync(demo.dataDir, join(root, 'server'), { recursive: true });
  server = await startCentralServer({ dataDir: join(root, 'server'), args: SERVER_ARGS });
  auditorToken = demo.auditorToken;
  proxy = await startFaultProxy({ target: server.url });
});
afterEach(async () => {
  for (const c of consoles.splice(0)) await c.close();
  await proxy.close();
  await server.kill();
  rmSync(root, { recursive: true, force: true });
});

async function newConsole(name: string): Promise<TestConsole> {
  const dir = join(root, name);
  mkdirSync(dir, { recursive: true });
  const c = await openTestConsole(dir, { batchSize: 100 });
  consoles.push(c);
  return c;
}

async function enroll(c: TestConsole, url = proxy.url) {
  return c.engine.connect({ serverUrl: url, enrollmentCode: demo.enrollmentCode });
}

describe('sync engine against the real central server', () => {
  it('a result recorded offline reaches the central log exactly once after two dropped connections', async () => {
    const c = await newConsole('console');
    const enrolled = await enroll(c);
    expect(enrolled).toMatchObject({ isEnrolled: true, pendingEvents: 0 });

    // The server goes away; the technician records a result anyway.
    await server.kill();
    c.record(1);
    const offline = await c.engine.syncOnce();
    expect(offline.ok).toBe(false);
    expect(c.engine.status()).toMatchObject({ pendingEvents: 1, isOnline: false });
    expect(c.engine.status().lastError).toMatch(/central server/i);

    // Back up, but the first two pushes lose their answer after the server committed.
    server = await startCentralServer({
      dataDir: join(root, 'server'),
      port: server.port,
      args: SERVER_ARGS,
    });
    let dropped = 0;
    proxy.setPlan(({ path }) =>
      path.startsWith('/v1/events') && dropped++ < 2
        ? { ...NO_FAULT, dropResponse: true }
        : NO_FAULT,
    );
    const first = await c.engine.syncOnce();
    expect(first.ok).toBe(false);
    expect(c.engine.status().pendingEvents).toBe(1);
    await c.drain(5);
    expect(dropped).toBeGreaterThanOrEqual(3);

    const status = c.engine.status();
    expect(status).toMatchObject({ pendingEvents: 0, lastError: null, alarm: null });
    expect(status.lastSuccessAt).not.toBeNull();
    const log = await readCentralLog(server.url, auditorToken);
    expect(log.problems).toEqual([]);
    const mine = log.perDevice.get(c.journal.deviceId) ?? [];
    expect(mine.map((e) => e.seq)).toEqual([1]);
    expect(status.treeHead?.size).toBe(log.size);
  });

  it('pulls the catalog of its store and keeps the cursor, so the next sync pulls nothing new', async () => {
    const c = await newConsole('console');
    await enroll(c);
    const outcome = await c.engine.syncOnce();
    expect(outcome).toMatchObject({ ok: true });
    expect(outcome.ok && outcome.pulled).toBeGreaterThan(0);
    expect(hasCatalog(c.db)).toBe(true);
    const storeId = readSyncState(c.db)!.store_id;
    expect(c.db.sqlite.prepare('SELECT id FROM stores WHERE id = ?').get(storeId)).toEqual({
      id: storeId,
    });
    expect(readSyncState(c.db)!.catalog_cursor).not.toBeNull();
    const again = await c.engine.syncOnce();
    expect(again).toEqual({ ok: true, pushed: 0, pulled: 0 });
  });

  it('pushes a backlog larger than one batch with signed checkpoints and verifies the new tree head', async () => {
    const c = await newConsole('console');
    await enroll(c);
    c.record(450);
    expect(c.engine.status().pendingEvents).toBe(450);
    const outcome = await c.engine.syncOnce();
    expect(outcome).toMatchObject({ ok: true, pushed: 450 });
    const log = await readCentralLog(server.url, auditorToken);
    expect(log.problems).toEqual([]);
    expect(log.perDevice.get(c.journal.deviceId)?.length).toBe(450);
    expect(c.engine.status().treeHead).toMatchObject({ size: log.size });
  });

  it('a server rolled back to an old backup raises the alarm before any event is pushed into its forked log', async () => {
    const c = await newConsole('console');
    await enroll(c);
    await server.stop();
    const backup = join(root, 'server-backup');
    cpSync(join(root, 'server'), backup, { recursive: true });
    server = await startCentralServer({
      dataDir: join(root, 'server'),
      port: server.port,
      args: SERVER_ARGS,
    });
    c.record(30);
    await c.drain(3);
    const verified = c.engine.status().treeHead!;
    const before = await readCentralLog(server.url, auditorToken);
    expect(before.perDevice.get(c.journal.deviceId)?.length).toBe(30);
    // The server is rolled back to the backup taken before those 30 events.
    await server.stop();
    rmSync(join(root, 'server'), { recursive: true, force: true });
    cpSync(backup, join(root, 'server'), { recursive: true });
    server = await startCentralServer({
      dataDir: join(root, 'server'),
      port: server.port,
      args: SERVER_ARGS,
    });
    c.record(5);
    const outcome = await c.engine.syncOnce();
    expect(outcome.ok).toBe(false);
    expect(c.engine.status()).toMatchObject({
      alarm: expect.stringMatching(/Central history was rewritten/) as unknown,
      pendingEvents: 5,
      treeHead: { size: verified.size, root: verified.root },
    });
    // The rolled-back log received nothing from this console: not the 30 it lost, not the 5 new ones.
    const after = await readCentralLog(server.url, auditorToken);
    expect(after.problems).toEqual([]);
    expect(after.perDevice.get(c.journal.deviceId)).toBeUndefined();
    expect(after.size).toBe(before.size - 30);
    // The alarm stays, and later syncs push nothing either.
    expect((await c.engine.syncOnce()).ok).toBe(false);
    expect((await readCentralLog(server.url, auditorToken)).size).toBe(after.size);
  });

  it('detects a server that serves a rewritten history at the next sync, and the alarm stays', async () => {
    const a = await newConsole('a');
    await enroll(a);
    // A twin of the same device (same key and token) taken now will later write a different history.
    await a.close();
    consoles.splice(consoles.indexOf(a), 1);
    cpSync(join(root, 'a'), join(root, 'twin'), { recursive: true });
    await server.stop();
    cpSync(join(root, 'server'), join(root, 'server-at-enrollment'), { recursive: true });
    server = await startCentralServer({
      dataDir: join(root, 'server'),
      port: server.port,
      args: SERVER_ARGS,
    });
    const console1 = await openTestConsole(join(root, 'a'), { batchSize: 100 });
    consoles.push(console1);
    console1.record(5);
    await console1.drain(3);
    const verified = console1.engine.status().treeHead!;

    // The operator rolls the server back and a different history is written in its place.
    await server.stop();
    rmSync(join(root, 'server'), { recursive: true, force: true });
    cpSync(join(root, 'server-at-enrollment'), join(root, 'server'), { recursive: true });
    server = await startCentralServer({
      dataDir: join(root, 'server'),
      port: server.port,
      args: SERVER_ARGS,
    });
    const twin = await newConsole('twin');
    twin.record(9);
    await twin.drain(3);
    expect(twin.engine.status().treeHead!.size).toBeGreaterThan(verified.size);

    const outcome = await console1.engine.syncOnce();
    expect(outcome.ok).toBe(false);
    const status = console1.engine.status();
    expect(status.alarm).toMatch(/Central history was rewritten/);
    expect(status.treeHead).toMatchObject({ size: verified.size, root: verified.root });
    // It stays: another sync does not clear it, and it survives a restart.
    expect((await console1.engine.syncOnce()).ok).toBe(false);
    await console1.close();
    consoles.splice(consoles.indexOf(console1), 1);
    const reopened = await newConsole('a');
    expect(reopened.engine.status().alarm).toMatch(/Central history was rewritten/);
  });

  it('backs off exponentially with full jitter while the server is down, and resets after a success', async () => {
    const c = await newConsole('console');
    await enroll(c);
    await proxy.close();
    c.record(1);
    const delays: number[] = [];
    const engine = createSyncEngine({
      db: c.db,
      journal: c.journal,
      secrets: createFileSecretStore(join(c.dir, 'keys')),
      log: createLogger(),
      applyCatalogChanges: () => undefined,
      random: () => 0.5,
      backoff: { baseMs: 1000, capMs: 8000 },
      timeoutMs: 2000,
    });
    for (let i = 0; i < 5; i++) {
      expect((await engine.syncOnce()).ok).toBe(false);
      delays.push(engine.nextDelayMs());
    }
    expect(delays).toEqual([500, 1000, 2000, 4000, 4000]);
    proxy = await startFaultProxy({ target: server.url });
    c.db.sqlite.prepare('UPDATE sync_state SET server_url = ?').run(server.url);
    expect((await engine.syncOnce()).ok).toBe(true);
    expect(engine.nextDelayMs()).toBe(60_000);
  });
});
