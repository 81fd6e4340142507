/**
 * What an administrator publishes on the central server reaches a console
 * already in use: a new runbook and new store windows, published over the
 * admin HTTP API of a REAL server process, arrive with the console's next
 * sync, and the console deploys by them (the new runbook's strategies, the
 * new freeze blocking the start).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DeploymentView } from '../../shared/contract/deployments.ts';
import type { StoreWindows } from '../../shared/deployments/windows.ts';
import { expectOk, startTestApp, TECH, type TestApp } from '../app/testSupport.ts';
import { createSyncFactory } from '../sync/plugin.ts';
import { createFileSecretStore } from '../sync/secretStore.ts';
import { startCentralServer, type CentralServerProcess } from '../sync/testing/centralServer.ts';
import { readDeploymentCatalogParts } from './catalog.ts';

let root: string;
let server: CentralServerProcess;
let app: TestApp | null = null;

beforeEach(async () => {
  root = mkdtempSync(join(tmpdir(), 'admin-publish-'));
  server = await startCentralServer({ dataDir: join(root, 'server'), isDemo: true });
});
afterEach(async () => {
  await app?.dispose();
  app = null;
  await server.kill();
  rmSync(root, { recursive: true, force: true });
});

async function publish(path: string, body: unknown): Promise<void> {
  const res = await fetch(`${server.url}${path}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${server.adminToken!}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  expect(res.status, await res.clone().text()).toBe(200);
}

describe('admin publishing reaches an enrolled console', () => {
  it('a runbook and store windows published over HTTP arrive with the next sync and govern the next deployment', async () => {
    const dir = join(root, 'console');
    app = await startTestApp({
      dir,
      withDemo: false,
      sync: createSyncFactory({ secrets: createFileSecretStore(join(dir, 'keys')) }),
    });
    const a = app;
    const runbooksArrived = new Promise<void>((resolve) => {
      const off = a.events.on('db:changed', ({ tables }) => {
        if (tables.includes('deployment_runbooks')) {
          off();
          resolve();
        }
      });
    });
    // The demo enrollment code is for Paris Rivoli (st-par-01).
    expectOk(
      await a.dispatch('sync:connect', {
        serverUrl: server.url,
        enrollmentCode: server.enrollmentCode!,
      }),
    );
    await runbooksArrived;
    expectOk(await a.dispatch('session:signIn', TECH));
    const old = readDeploymentCatalogParts(a.db).runbooks!.find(
      (r) => r.releaseId === 'rel-4.4.0',
    )!;
    expect(old.strategies).toContain('canary_first');

    const runbook = {
      ...old,
      id: 'rb-4.4.0-v2',
      title: 'DearPOS 4.4.0: all lanes at night',
      strategies: ['all_at_once'],
    };
    // Closed every day, and a freeze over the test's day (10 March 2026): only the freeze can block the start.
    const windows: StoreWindows = {
      storeId: 'st-par-01',
      tradingHours: { sun: null, mon: null, tue: null, wed: null, thu: null, fri: null, sat: null },
      freezes: [{ name: 'Spring inventory', from: '2026-03-09T00:00', to: '2026-03-12T00:00' }],
    };
    await publish('/v1/admin/runbooks', runbook);
    await publish('/v1/admin/store-windows', windows);
    // The next sync brings them (background sync may already be on its way: a few cycles at most).
    const isPulled = () =>
      readDeploymentCatalogParts(a.db).storeWindows?.[0]?.freezes[0]?.name === 'Spring inventory';
    for (let cycle = 0; cycle < 5 && !isPulled(); cycle++)
      expectOk(await a.dispatch('sync:now', {}));
    const parts = readDeploymentCatalogParts(a.db);
    expect(parts.runbooks!.find((r) => r.releaseId === 'rel-4.4.0')).toEqual(runbook);
    expect(parts.storeWindows).toEqual([windows]);

    const planned = expectOk(
      await a.dispatch('deployments:plan', { releaseId: 'rel-4.4.0', storeId: 'st-par-01' }),
    ) as DeploymentView;
    expect(planned.state.plan.runbook).toMatchObject({
      id: 'rb-4.4.0-v2',
      strategies: ['all_at_once'],
    });
    const deploymentId = planned.state.plan.deploymentId;
    const canary = await a.dispatch('deployments:act', {
      deploymentId,
      action: {
        type: 'start',
        strategy: 'canary_first',
        canaryTerminalId: 'st-par-01-t1',
        overrideReason: null,
      },
    });
    expect(canary.ok ? null : canary.error).toMatchObject({
      details: { refusal: 'strategy_not_allowed' },
    });
    const frozen = await a.dispatch('deployments:act', {
      deploymentId,
      action: {
        type: 'start',
        strategy: 'all_at_once',
        canaryTerminalId: null,
        overrideReason: null,
      },
    });
    expect(frozen.ok ? null : frozen.error).toMatchObject({
      details: { refusal: 'outside_window' },
    });
    expect(frozen.ok ? '' : frozen.error.message).toContain('Spring inventory');
  });
});
