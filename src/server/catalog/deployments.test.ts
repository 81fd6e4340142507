/**
 * Runbooks, feature flags and store windows published by the server reach a
 * store's devices through GET /v1/changes, and only what that store may see;
 * a part a console would refuse is refused here and records nothing.
 */
import { TEST_ADMIN_ACTED_BY } from '../testing/admin.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CatalogChange } from '../../shared/sync/protocol.ts';
import { loadCatalog, readDemoCatalog } from '../demo.ts';
import { createSimDevice } from '../testing/device.ts';
import { enrollSim, pullAllChanges, startTestServer, type TestServer } from '../testing/harness.ts';
import { publishFeatureFlag, publishRunbook, setStoreWindows } from './deployments.ts';

let t: TestServer;
const demo = readDemoCatalog();

beforeAll(async () => {
  t = await startTestServer();
  await loadCatalog(t.server, demo, TEST_ADMIN_ACTED_BY);
});
afterAll(() => t.close());

async function changesFor(storeId: string): Promise<CatalogChange[]> {
  const token = await enrollSim(t, createSimDevice(storeId), storeId);
  return pullAllChanges(t, token);
}

async function changeCount(): Promise<number> {
  const r = await t.server.store.db
    .selectFrom('catalog_changes')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

describe('deployment catalog parts in the catalog pull', () => {
  it('a store receives every runbook, the flags with its own override only, and its own windows only', async () => {
    const changes = await changesFor('st-lyo-01');
    const runbooks = changes.flatMap((c) =>
      c.op === 'upsert' && c.entity === 'runbook' ? [c.value.id] : [],
    );
    expect(runbooks.sort()).toEqual(demo.runbooks!.map((r) => r.id).sort());
    // The last change of a flag is the one the console keeps (merge in cursor order).
    const flags = new Map(
      changes.flatMap((c) =>
        c.op === 'upsert' && c.entity === 'featureFlag'
          ? [[`${c.value.releaseId}/${c.value.key}`, c.value] as const]
          : [],
      ),
    );
    expect([...flags.keys()].sort()).toEqual(
      demo.featureFlags!.map((f) => `${f.releaseId}/${f.key}`).sort(),
    );
    expect(flags.get('rel-4.4.0/assist-mode')!.byStore).toEqual({ 'st-lyo-01': false });
    // Another store's override (st-nyc-01) never reaches Lyon.
    expect(flags.get('rel-5.0.0/tap-to-pay')!.byStore).toEqual({});
    expect(JSON.stringify(changes.filter((c) => c.entity === 'featureFlag'))).not.toContain(
      'st-nyc-01',
    );
    const windows = changes.filter((c) => c.entity === 'storeWindows');
    expect(windows).toEqual([]);

    const paris = await changesFor('st-par-01');
    const parisWindows = paris.flatMap((c) =>
      c.op === 'upsert' && c.entity === 'storeWindows' ? [c.value.storeId] : [],
    );
    expect(parisWindows).toEqual(['st-par-01']);
    expect(JSON.stringify(paris.filter((c) => c.entity === 'featureFlag'))).not.toContain(
      'st-lyo-01',
    );
  });

  it('a removed store override reaches that store as the flag without it', async () => {
    const flag = demo.featureFlags!.find((f) => f.key === 'assist-mode')!;
    await publishFeatureFlag(t.server.store.db, { ...flag, byStore: {} }, new Date());
    const changes = await changesFor('st-lyo-01');
    const last = changes
      .filter(
        (c) => c.op === 'upsert' && c.entity === 'featureFlag' && c.value.key === 'assist-mode',
      )
      .at(-1);
    expect(last).toMatchObject({ value: { byStore: {}, byRing: flag.byRing } });
  });

  it('refuses parts a console would refuse, recording nothing', async () => {
    const db = t.server.store.db;
    const now = new Date();
    const before = await changeCount();
    const runbook = demo.runbooks![0]!;
    await expect(publishRunbook(db, { ...runbook, releaseId: 'rel-9.9.9' }, now)).rejects.toThrow(
      /rel-9\.9\.9.*not been published/,
    );
    const withUnknownTemplate = {
      ...runbook,
      steps: runbook.steps.map((s) =>
        s.kind === 'checklist' ? { ...s, templateId: 'tpl-nowhere' } : s,
      ),
    };
    await expect(publishRunbook(db, withUnknownTemplate, now)).rejects.toThrow(/tpl-nowhere/);
    await expect(publishRunbook(db, { ...runbook, steps: [] }, now)).rejects.toMatchObject({
      code: 'invalid_input',
    });
    const flag = demo.featureFlags![0]!;
    await expect(
      publishFeatureFlag(db, { ...flag, byStore: { 'st-nowhere': true } }, now),
    ).rejects.toThrow(/st-nowhere/);
    await expect(publishFeatureFlag(db, { ...flag, key: 'Bad Key' }, now)).rejects.toMatchObject({
      code: 'invalid_input',
    });
    const windows = demo.storeWindows![0]!;
    await expect(setStoreWindows(db, { ...windows, storeId: 'st-nowhere' }, now)).rejects.toThrow(
      /st-nowhere/,
    );
    await expect(
      setStoreWindows(
        db,
        { ...windows, freezes: [{ name: 'x', from: '2026-12-02T00:00', to: '2026-12-01T00:00' }] },
        now,
      ),
    ).rejects.toMatchObject({
      code: 'invalid_input',
    });
    expect(await changeCount()).toBe(before);
  });
});
