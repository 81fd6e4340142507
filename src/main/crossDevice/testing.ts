/**
 * Several real consoles (createApp on their own SQLite files, the real sync
 * engine) against one real central server process on 127.0.0.1, for the
 * cross-device tests. Test-only code.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SyncStatus } from '../../shared/contract/index.ts';
import type { SyncFactory, SyncPlugin } from '../app/createApp.ts';
import { expectOk, startTestApp, type TestApp } from '../app/testSupport.ts';
import { createSyncFactory } from '../sync/plugin.ts';
import { createFileSecretStore } from '../sync/secretStore.ts';
import { startCentralServer, type CentralServerProcess } from '../sync/testing/centralServer.ts';

export type Fleet = {
  root: string;
  server: CentralServerProcess;
  /** Enrolls a new console for `storeId` and runs its first sync (the catalog arrives). */
  console(name: string, storeId?: string): Promise<TestApp>;
  close(): Promise<void>;
};

export async function issueEnrollmentCode(
  server: CentralServerProcess,
  storeId: string,
): Promise<string> {
  const res = await fetch(`${server.url}/v1/admin/enrollment-codes`, {
    method: 'POST',
    headers: { authorization: `Bearer ${server.adminToken}`, 'content-type': 'application/json' },
    body: JSON.stringify({ storeId }),
  });
  if (!res.ok) throw new Error(`enrollment code: ${res.status} ${await res.text()}`);
  return ((await res.json()) as { code: string }).code;
}

const plugins = new Map<string, SyncPlugin>();

/** One sync cycle of the console, whoever is signed in (the background loop does the same). */
export async function syncNow(app: TestApp): Promise<SyncStatus> {
  const plugin = plugins.get(app.dir);
  if (!plugin) throw new Error(`no sync plugin for ${app.dir}`);
  for (let attempt = 1; ; attempt++) {
    const status = await plugin.handlers['sync:now']({}, {} as never);
    if (!status.lastError) return status;
    // The server's rate limit (shared by every console on 127.0.0.1 for its public log
    // calls) may ask to wait: wait as its Retry-After asks (whole seconds), as the engine would.
    if (/busy/.test(status.lastError) && attempt < 10) {
      await new Promise((resolve) => setTimeout(resolve, 1000));
      continue;
    }
    throw new Error(`sync failed: ${status.lastError}`);
  }
}

/** The console's sync plugin, kept so a test can run a cycle without a signed-in user. */
function capturing(dir: string, factory: SyncFactory): SyncFactory {
  return async (deps) => {
    const plugin = await factory(deps);
    plugins.set(dir, plugin);
    return plugin;
  };
}

/** A demo central server (store st-par-01 already holds two demo devices' history). */
export async function startFleet(): Promise<Fleet> {
  const root = mkdtempSync(join(tmpdir(), 'cross-device-'));
  const server = await startCentralServer({ dataDir: join(root, 'server'), isDemo: true });
  const apps: TestApp[] = [];
  return {
    root,
    server,
    async console(name, storeId = 'st-par-01') {
      const dir = join(root, name);
      const app = await startTestApp({
        dir,
        withDemo: false,
        sync: capturing(
          dir,
          createSyncFactory({
            secrets: createFileSecretStore(join(dir, 'keys')),
            isBackground: false,
          }),
        ),
      });
      apps.push(app);
      expectOk(
        await app.dispatch('sync:connect', {
          serverUrl: server.url,
          enrollmentCode: await issueEnrollmentCode(server, storeId),
        }),
      );
      await syncNow(app);
      return app;
    },
    async close() {
      for (const app of apps) await app.close();
      await server.kill();
      rmSync(root, { recursive: true, force: true });
    },
  };
}
