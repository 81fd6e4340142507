/**
 * Composition root: opens `<dataDir>/console.sqlite`, builds the journal and
 * the feature services, and returns one `dispatch` for every transport
 * (Electron IPC, browser-mode HTTP, tests, benchmarks) plus the back-end
 * events. No 'electron' import: everything here runs under plain Node.
 *
 * Sync seam: `sync` builds the sync engine (default: src/main/sync with a
 * file key store); it receives the database, journal, clock, logger and an
 * `emit` for `sync:statusChanged`, and returns the handlers of every `sync:*`
 * channel. With `sync: null` the console reports "not enrolled", counts every
 * journal event as pending, and answers other sync calls `unavailable`.
 */
import { join } from 'node:path';
import type { ApiEvents, EventName } from '../../shared/contract/index.ts';
import type { ConsoleTable } from '../../shared/contract/tables.ts';
import { createJournal, type Journal } from '../audit/journal.ts';
import { createSessionService, type SessionService } from '../session/service.ts';
import { createHealthService } from '../desk/health.ts';
import { createDeskService } from '../desk/service.ts';
import { openDatabase, type Db } from '../db/open.ts';
import { DEMO_TABLES, findDemoCatalogFile, loadDemoCatalog } from '../demo/service.ts';
import { hasCatalog } from '../fleet/catalog.ts';
import { createFleetService, type FleetService } from '../fleet/service.ts';
import { createLogger, type Logger } from '../log.ts';
import { createReleasesService, type ReleasesService } from '../releases/service.ts';
import { createSyncFactory } from '../sync/plugin.ts';
import { findConsoleVersion } from '../updates/consoleVersion.ts';
import { createFileSecretStore, type SecretStore } from '../sync/secretStore.ts';
import { reportSecrets } from '../feedback/secrets.ts';
import type { SaveDialog } from '../exports/handlers.ts';
import type { PdfPrinter } from '../reports/pdfPrinter.ts';
import { notEnrolledSyncHandlers } from '../sync/notEnrolled.ts';
import { createDispatcher, type Dispatch } from './dispatcher.ts';
import { combineHandlerMaps, createFeatureHandlerMaps } from './handlers.ts';
import type { AppEvents, SyncFactory, SyncPlugin } from './syncSeam.ts';
import { createUpdateHub, type UpdateHub } from '../updates/hub.ts';
import { createRendererErrorLog } from '../shell/rendererErrors.ts';

export type { SyncFactory, SyncPlugin } from './syncSeam.ts';

export type App = {
  dispatch: Dispatch;
  events: ApiEvents;
  journal: Journal;
  db: Db;
  deviceId: string;
  services: { sessions: SessionService; fleet: FleetService; releases: ReleasesService };
  /** The desktop updater attaches here; browser mode leaves it unattached. */
  updates: UpdateHub;
  /** The desktop menu's "Report a problem…": tells the renderer to open the report form. */
  reportProblem(): void;
  /** The desktop menu's "Request a feature…": the renderer opens the feature request form. */
  requestFeature(): void;
  close(): Promise<void>;
};

export type CreateAppOptions = {
  dataDir: string;
  log?: Logger;
  now?: () => Date;
  /** Where the demo catalog lives; found above this module by default (Electron passes its resources path). */
  demoCatalogFile?: string | null;
  /**
   * The sync engine. Default: the real one (src/main/sync) with the device key
   * in a 0600 file under `<dataDir>/keys`; Electron passes one built on its
   * safeStorage SecretStore; `null` leaves the console unenrollable.
   */
  sync?: SyncFactory | null;
  /** Electron passes one (webContents.printToPDF); without it `reports:savePdf` answers `unavailable`. */
  pdfPrinter?: PdfPrinter | null;
  /** The desktop's save dialog for exports; browser mode has none (the page downloads the file). */
  saveDialog?: SaveDialog | null;
  /** This console's version (Electron: app.getVersion()); default: package.json's. */
  appVersion?: string;
  /**
   * Holds the key that seals the PIN hashes and device token in the database
   * (db/sealer.ts). Electron passes its safeStorage store; default: 0600 key
   * files in `<dataDir>/keys` (browser mode, tests).
   */
  secrets?: SecretStore;
  /** Electron's crashDumps folder, listed for bug reports; null (browser mode) lists none. */
  crashDumpDir?: string | null;
  /** The console's log file, whose last lines a bug report carries; default `<dataDir>/logs/console.log`. */
  logFile?: string | null;
  /** Electron's webContents.capturePage as PNG bytes, for a bug report's screenshot; none in browser mode. */
  capturePage?: (() => Promise<Buffer>) | null;
};

function createEvents(log: Logger): AppEvents {
  const listeners = new Map<EventName, Set<(payload: never) => void>>();
  return {
    on(name, listener) {
      let set = listeners.get(name);
      if (!set) {
        set = new Set();
        listeners.set(name, set);
      }
      set.add(listener);
      return () => {
        set.delete(listener);
      };
    },
    emit(name, payload) {
      for (const listener of listeners.get(name) ?? []) {
        // One broken listener (a closed window, a dropped SSE stream) must not stop the others or the write.
        try {
          (listener as (p: typeof payload) => void)(payload);
        } catch (error) {
          log.warn({ err: error, event: name }, 'event listener failed');
        }
      }
    },
  };
}

export async function createApp(options: CreateAppOptions): Promise<App> {
  const log = options.log ?? createLogger({ name: 'console' });
  const now = options.now ?? (() => new Date());
  const secrets = options.secrets ?? createFileSecretStore(join(options.dataDir, 'keys'));
  const db = await openDatabase(join(options.dataDir, 'console.sqlite'), {
    log: log.child({ scope: 'db' }),
    appVersion: options.appVersion ?? findConsoleVersion() ?? undefined,
    secrets,
  });
  const journal = createJournal(db, { now });
  const events = createEvents(log);
  const unsubscribeJournal = journal.onCommitted((tables) => events.emit('db:changed', { tables }));

  let syncPlugin: SyncPlugin | null = null;
  const sessions = createSessionService({
    db,
    journal,
    now,
    deviceStoreId: () => syncPlugin?.storeId() ?? null,
  });
  const fleet = createFleetService({ db, journal });
  const releases = createReleasesService({ db });
  const demoFile =
    options.demoCatalogFile === undefined ? findDemoCatalogFile() : options.demoCatalogFile;

  const syncFactory = options.sync === undefined ? createSyncFactory({ secrets }) : options.sync;
  if (syncFactory) {
    syncPlugin = await syncFactory({
      db,
      journal,
      log: log.child({ scope: 'sync' }),
      now,
      events,
      getSession: () => sessions.current(),
    });
  }
  const appVersion = options.appVersion ?? findConsoleVersion();
  const updates = createUpdateHub({
    journal,
    session: () => sessions.current(),
    storeId: () => syncPlugin?.storeId() ?? null,
    currentVersion: appVersion,
    log: log.child({ scope: 'update' }),
  });
  const changed = (tables: ConsoleTable[]) => events.emit('db:changed', { tables });
  // Desks: the desk token is kept in the same secret folder as the device's keys.
  const desk = createDeskService({ db, secrets, now, changed });
  const handlers = combineHandlerMaps(
    createFeatureHandlerMaps({
      db,
      journal,
      sessions,
      fleet,
      releases,
      desk,
      health: createHealthService({ db, desk, now }),
      sync: syncPlugin?.handlers ?? notEnrolledSyncHandlers(db),
      dataDir: options.dataDir,
      now,
      pdfPrinter: options.pdfPrinter,
      saveDialog: options.saveDialog,
      hasCatalog: () => hasCatalog(db),
      isEnrolled: () => syncPlugin?.isEnrolled() ?? false,
      loadDemo: () => {
        loadDemoCatalog(db, { file: demoFile, now });
        events.emit('db:changed', { tables: [...DEMO_TABLES] });
      },
      updates,
      rendererErrors: createRendererErrorLog({ log }),
      crashDumpDir: options.crashDumpDir ?? null,
      appVersion: appVersion ?? 'unknown',
      logFile:
        options.logFile === undefined
          ? join(options.dataDir, 'logs', 'console.log')
          : options.logFile,
      deviceStoreId: () => syncPlugin?.storeId() ?? null,
      capturePage: options.capturePage ?? null,
      reportSecrets: () => reportSecrets(db, secrets),
    }),
  );
  const dispatch = createDispatcher({
    handlers,
    getSession: () => sessions.current(),
    log: log.child({ scope: 'dispatch' }),
  });

  let isClosed = false;
  return {
    dispatch,
    events,
    journal,
    db,
    deviceId: journal.deviceId,
    services: { sessions, fleet, releases },
    updates,
    reportProblem: () => events.emit('shell:reportProblem', {}),
    requestFeature: () => events.emit('shell:requestFeature', {}),
    async close() {
      if (isClosed) return;
      isClosed = true;
      unsubscribeJournal();
      await syncPlugin?.close?.();
      db.close();
    },
  };
}
