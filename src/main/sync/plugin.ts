/**
 * Plugs the sync engine into the console through createApp's seam
 * (`createApp({ sync })`, src/main/app/createApp.ts): handlers for every
 * `sync:*` channel, `sync:statusChanged` events, `db:changed` after a catalog
 * pull, and the background loop, started here and stopped on close.
 */
import type { SyncFactory } from '../app/syncSeam.ts';
import { catalogSource, hasCatalog } from '../fleet/catalog.ts';
import { DEMO_CATALOG_SOURCE } from '../demo/service.ts';
import { createCatalogApplier, SYNC_CATALOG_TABLES } from './catalogChanges.ts';
import { createSyncEngine, type SyncEngineOptions } from './engine.ts';
import { createSyncHandlers } from './handlers.ts';
import type { SecretStore } from './secretStore.ts';
import { readSyncState } from './state.ts';

export type SyncFactoryOptions = {
  /** Electron: the safeStorage store (src/main/electron); browser mode and tests: createFileSecretStore. */
  secrets: SecretStore;
  /** Start the background loop (default true); tests drive `sync:now` instead. */
  isBackground?: boolean;
} & Pick<
  SyncEngineOptions,
  'fetch' | 'random' | 'sleep' | 'batchSize' | 'backoff' | 'idleIntervalMs' | 'timeoutMs'
>;

export function createSyncFactory(options: SyncFactoryOptions): SyncFactory {
  return ({ db, journal, log, now, events }) => {
    const engine = createSyncEngine({
      ...options,
      db,
      journal,
      log,
      now,
      applyCatalogChanges: createCatalogApplier({ now }),
      onCatalogChanged: () => events.emit('db:changed', { tables: [...SYNC_CATALOG_TABLES] }),
    });
    const offStatus = engine.onStatus((status) => events.emit('sync:statusChanged', status));
    if (options.isBackground !== false) engine.start();
    return {
      handlers: createSyncHandlers(engine, {
        hasCatalog: () => hasCatalog(db),
        hasDemoRecords: () => catalogSource(db) === DEMO_CATALOG_SOURCE && journal.head().seq > 0,
      }),
      isEnrolled: () => readSyncState(db) !== null,
      storeId: () => readSyncState(db)?.store_id ?? null,
      async close() {
        offStatus();
        await engine.stop();
      },
    };
  };
}
