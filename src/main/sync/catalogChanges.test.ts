/**
 * The catalog pull carries the deployment part of the catalog (issue 5):
 * runbooks, feature flags and store windows published by the central server
 * are merged and stored by the console like checklist templates are.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { catalog as catalogSchema, type Catalog } from '../../shared/catalog/schema.ts';
import type { DeploymentView } from '../../shared/contract/deployments.ts';
import type { CatalogChange } from '../../shared/sync/protocol.ts';
import { expectOk, startTestApp, TECH, type TestApp } from '../app/testSupport.ts';
import { readDeploymentCatalogParts } from '../deployments/catalog.ts';
import { mergeCatalogChanges } from './catalogChanges.ts';
import { createSyncFactory } from './plugin.ts';
import { createFileSecretStore } from './secretStore.ts';
import { startCentralServer, type CentralServerProcess } from './testing/centralServer.ts';

const DEMO: Catalog = catalogSchema.parse(
  JSON.parse(
    readFileSync(new URL('../../../resources/demo/catalog.json', import.meta.url), 'utf8'),
  ),
);

describe('mergeCatalogChanges, deployment part', () => {
  const base: Catalog = {
    ...DEMO,
    runbooks: DEMO.runbooks!.slice(0, 1),
    featureFlags: DEMO.featureFlags!.slice(0, 1),
    storeWindows: [],
  };

  it('a runbook replaces its release’s runbook, a flag its key’s definition, windows their store’s', () => {
    const runbook = { ...base.runbooks![0]!, id: 'rb-renamed', title: 'Renamed runbook' };
    const flag = {
      ...base.featureFlags![0]!,
      defaultValue: !base.featureFlags![0]!.defaultValue,
      byStore: {},
    };
    const windows = DEMO.storeWindows![0]!;
    const changes: CatalogChange[] = [
      { entity: 'runbook', op: 'upsert', value: runbook },
      { entity: 'featureFlag', op: 'upsert', value: flag },
      { entity: 'storeWindows', op: 'upsert', value: windows },
      { entity: 'storeWindows', op: 'upsert', value: { ...windows, freezes: [] } },
    ];
    const merged = mergeCatalogChanges(base, changes);
    expect(merged.runbooks).toEqual([runbook]);
    expect(merged.featureFlags).toEqual([flag]);
    expect(merged.storeWindows).toEqual([{ ...windows, freezes: [] }]);
  });

  it('deletes by release id, release/key and store id; an emptied part is left out', () => {
    const flag = base.featureFlags![0]!;
    const merged = mergeCatalogChanges({ ...base, storeWindows: DEMO.storeWindows!.slice(0, 1) }, [
      { entity: 'runbook', op: 'delete', id: base.runbooks![0]!.releaseId },
      { entity: 'featureFlag', op: 'delete', id: `${flag.releaseId}/${flag.key}` },
      { entity: 'storeWindows', op: 'delete', id: DEMO.storeWindows![0]!.storeId },
    ]);
    expect(merged).not.toHaveProperty('runbooks');
    expect(merged).not.toHaveProperty('featureFlags');
    expect(merged).not.toHaveProperty('storeWindows');
  });
});

describe('a console enrolled with a --demo server', () => {
  let root: string;
  let server: CentralServerProcess;
  let app: TestApp | null = null;

  beforeEach(async () => {
    root = mkdtempSync(join(tmpdir(), 'catalog-pull-'));
    server = await startCentralServer({ dataDir: join(root, 'server'), isDemo: true });
  });
  afterEach(async () => {
    await app?.dispose();
    app = null;
    await server.kill();
    rmSync(root, { recursive: true, force: true });
  });

  it('receives the demo runbooks, its store’s flag values and its own store windows', async () => {
    const dir = join(root, 'console');
    app = await startTestApp({
      dir,
      withDemo: false,
      sync: createSyncFactory({ secrets: createFileSecretStore(join(dir, 'keys')) }),
    });
    const arrived = new Promise<void>((resolve) => {
      const off = app!.events.on('db:changed', ({ tables }) => {
        if (tables.includes('deployment_runbooks')) {
          off();
          resolve();
        }
      });
    });
    expectOk(
      await app.dispatch('sync:connect', {
        serverUrl: server.url,
        enrollmentCode: server.enrollmentCode!,
      }),
    );
    await arrived;

    const parts = readDeploymentCatalogParts(app.db);
    expect(parts.runbooks).toEqual(
      [...DEMO.runbooks!].sort((a, b) => a.releaseId.localeCompare(b.releaseId)),
    );
    // The demo enrollment code is for Paris Rivoli: only its windows, and no other store's flag override.
    expect(parts.storeWindows).toEqual(DEMO.storeWindows!.filter((w) => w.storeId === 'st-par-01'));
    expect(parts.featureFlags!.map((f) => `${f.releaseId}/${f.key}`).sort()).toEqual(
      DEMO.featureFlags!.map((f) => `${f.releaseId}/${f.key}`).sort(),
    );
    expect(
      parts.featureFlags!.every((f) => Object.keys(f.byStore).every((s) => s === 'st-par-01')),
    ).toBe(true);

    // The pulled runbook is the one a deployment follows, with the store's flag values.
    expectOk(await app.dispatch('session:signIn', TECH));
    const planned = expectOk(
      await app.dispatch('deployments:plan', { releaseId: 'rel-5.0.0', storeId: 'st-par-01' }),
    ) as DeploymentView;
    expect(planned.state.plan.runbook.id).toBe('rb-5.0.0');
    expect(planned.flags).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ key: 'tap-to-pay', value: true, source: 'ring' }),
      ]),
    );
  });
});
