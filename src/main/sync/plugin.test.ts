import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createApp, type App } from '../app/createApp.ts';
import { createSyncFactory } from './plugin.ts';
import { createFileSecretStore } from './secretStore.ts';

let dir: string;
let app: App;

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'sync-plugin-'));
  app = await createApp({
    dataDir: dir,
    sync: createSyncFactory({
      secrets: createFileSecretStore(join(dir, 'keys')),
      isBackground: false,
    }),
  });
  const loaded = await app.dispatch('demo:load', {});
  expect(loaded.ok).toBe(true);
  const users = (await app.dispatch('session:listUsers', {})) as {
    ok: true;
    value: Array<{ id: string; role: string }>;
  };
  const manager = users.value.find((u) => u.role === 'manager')!;
  const signedIn = await app.dispatch('session:signIn', { userId: manager.id, pin: '2222' });
  expect(signedIn.ok).toBe(true);
});
afterEach(async () => {
  await app.close();
  rmSync(dir, { recursive: true, force: true });
});

async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as { port: number };
  await new Promise<void>((r) => server.close(() => r()));
  return port;
}

describe('sync through the app contract', () => {
  it('reports a console that is not connected yet, with every journal event pending', async () => {
    const status = await app.dispatch('sync:status', {});
    expect(status).toMatchObject({
      ok: true,
      value: { isEnrolled: false, serverUrl: null, treeHead: null },
    });
    const pending = (status as { value: { pendingEvents: number } }).value.pendingEvents;
    expect(pending).toBe(app.journal.head().seq);
    expect(pending).toBeGreaterThan(0);
  });

  it('refuses a server address that is not http(s), before any request, and changes nothing', async () => {
    for (const serverUrl of [
      'file:///etc/passwd',
      'javascript:alert(1)',
      'ftp://example.com',
      'not a url',
      'http://user:pw@example.com',
    ]) {
      const result = await app.dispatch('sync:connect', {
        serverUrl,
        enrollmentCode: 'ABCDEF-123456',
      });
      expect(result).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
    }
    expect(app.db.sqlite.prepare('SELECT count(*) AS n FROM sync_state').get()).toEqual({ n: 0 });
  });

  it('says in plain words when the server cannot be reached, and stays not enrolled', async () => {
    // A first-run console (no catalog yet), the way a new store enrolls.
    const freshDir = mkdtempSync(join(tmpdir(), 'sync-plugin-unreachable-'));
    const fresh = await createApp({
      dataDir: freshDir,
      sync: createSyncFactory({
        secrets: createFileSecretStore(join(freshDir, 'keys')),
        isBackground: false,
      }),
    });
    try {
      const port = await closedPort();
      const result = await fresh.dispatch('sync:connect', {
        serverUrl: `http://127.0.0.1:${port}`,
        enrollmentCode: 'ABCDEF-123456',
      });
      expect(result).toMatchObject({ ok: false, error: { code: 'unavailable' } });
      expect((result as { error: { message: string } }).error.message).toMatch(/not reachable/);
      expect(fresh.db.sqlite.prepare('SELECT count(*) AS n FROM sync_state').get()).toEqual({
        n: 0,
      });
      expect(createFileSecretStore(join(freshDir, 'keys')).get('device-ed25519')).toBeNull();
    } finally {
      await fresh.close();
      rmSync(freshDir, { recursive: true, force: true });
    }
  });
});

describe('who may connect the console', () => {
  it('a support user may not, and signed out only a console without a catalog (first run) may', async () => {
    const port = await closedPort();
    const input = { serverUrl: `http://127.0.0.1:${port}`, enrollmentCode: 'ABCDEF-123456' };
    const users = (await app.dispatch('session:listUsers', {})) as {
      ok: true;
      value: Array<{ id: string; role: string }>;
    };
    await app.dispatch('session:signOut', {});
    expect(await app.dispatch('sync:connect', input)).toMatchObject({
      ok: false,
      error: { code: 'not_signed_in' },
    });
    const support = users.value.find((u) => u.role === 'support')!;
    expect((await app.dispatch('session:signIn', { userId: support.id, pin: '3333' })).ok).toBe(
      true,
    );
    expect(await app.dispatch('sync:connect', input)).toMatchObject({
      ok: false,
      error: { code: 'forbidden' },
    });

    // A fresh console has no users to sign in with: the enrollment code alone lets it connect.
    const freshDir = mkdtempSync(join(tmpdir(), 'sync-plugin-fresh-'));
    const fresh = await createApp({
      dataDir: freshDir,
      sync: createSyncFactory({
        secrets: createFileSecretStore(join(freshDir, 'keys')),
        isBackground: false,
      }),
    });
    try {
      // It gets past the access check and reaches the (closed) network.
      expect(await fresh.dispatch('sync:connect', input)).toMatchObject({
        ok: false,
        error: { code: 'unavailable' },
      });
    } finally {
      await fresh.close();
      rmSync(freshDir, { recursive: true, force: true });
    }
  });
});
