import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHANNELS } from '../../shared/contract/index.ts';
import { createHealthService } from '../desk/health.ts';
import { createDeskService } from '../desk/service.ts';
import { createFileSecretStore } from '../sync/secretStore.ts';
import { notEnrolledSyncHandlers } from '../sync/notEnrolled.ts';
import { createLogger } from '../log.ts';
import { createRendererErrorLog } from '../shell/rendererErrors.ts';
import type { FeatureHandlerMaps } from './dispatcher.ts';
import { combineHandlerMaps, createFeatureHandlerMaps } from './handlers.ts';
import { startTestApp, type TestApp } from './testSupport.ts';

let app: TestApp;
let maps: FeatureHandlerMaps;
beforeAll(async () => {
  app = await startTestApp({ withDemo: false });
  const desk = createDeskService({
    db: app.db,
    secrets: createFileSecretStore(join(app.dir, 'keys')),
    now: app.clock.now,
    changed: () => {},
  });
  maps = createFeatureHandlerMaps({
    db: app.db,
    journal: app.journal,
    sessions: app.services.sessions,
    fleet: app.services.fleet,
    releases: app.services.releases,
    desk,
    health: createHealthService({ db: app.db, desk, now: app.clock.now }),
    sync: notEnrolledSyncHandlers(app.db),
    dataDir: app.dir,
    now: app.clock.now,
    hasCatalog: () => false,
    isEnrolled: () => false,
    loadDemo: () => {},
    updates: app.updates,
    rendererErrors: createRendererErrorLog({ log: createLogger({ level: 'silent' }) }),
    crashDumpDir: null,
    appVersion: '0.0.0-test',
    logFile: null,
    capturePage: null,
    deviceStoreId: () => null,
    reportSecrets: () => [],
  });
});
afterAll(() => app.dispose());

describe('one handler map per feature', () => {
  it("serves each feature's channels from that feature's own map, and every channel once", () => {
    const strays = Object.entries(maps).flatMap(([feature, map]) =>
      Object.keys(map)
        .filter((channel) => !channel.startsWith(`${feature}:`))
        .map((channel) => `${feature} serves ${channel}`),
    );
    expect(strays).toEqual([]);
    const served = Object.values(maps).flatMap((map) => Object.keys(map));
    expect([...served].sort()).toEqual([...CHANNELS].sort());
    expect(Object.keys(combineHandlerMaps(maps)).sort()).toEqual([...CHANNELS].sort());
  });

  it("refuses a map that serves another feature's channel, a channel served twice, or none", () => {
    const { 'feedback:draftBugReport': draft, ...feedback } = maps.feedback;
    const moved = {
      ...maps,
      feedback,
      checklists: { ...maps.checklists, 'feedback:draftBugReport': draft },
    } as unknown as FeatureHandlerMaps;
    expect(() => combineHandlerMaps(moved)).toThrow(
      'The checklists handler map serves "feedback:draftBugReport"',
    );
    const missing = { ...maps, feedback } as unknown as FeatureHandlerMaps;
    expect(() => combineHandlerMaps(missing)).toThrow('No handler serves feedback:draftBugReport.');
  });
});
