/**
 * The Electron entry (built to out/main/index.js). Thin on purpose: every
 * decision lives in pure modules beside it (guards, ipcBinding, updater,
 * secretStore), tested under plain Node. This file only wires them to
 * Electron: lifecycle, the one window, the app:// scheme, IPC, logging.
 */
import {
  app,
  BrowserWindow,
  crashReporter,
  dialog,
  ipcMain,
  Menu,
  net,
  screen,
  protocol,
  safeStorage,
  session,
  shell,
  type WebContents,
} from 'electron';
import electronLog from 'electron-log/main';
import { autoUpdater } from 'electron-updater';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { pino } from 'pino';
import { createApp } from '../app/createApp.ts';
import { REDACT_PATHS, type Logger } from '../log.ts';
import { createSyncFactory } from '../sync/plugin.ts';
import { AppError } from '../../shared/errors.ts';
import { downgradeDatabase } from '../updates/downgrade.ts';
import { readConsoleStore, readInstallFacts } from '../updates/installFacts.ts';
import { effectiveUpdatePolicy } from '../updates/catalogPolicy.ts';
import { wireConsoleUpdater, type UpdateController } from '../updates/consoleUpdater.ts';
import {
  fetchSignedManifest,
  readEnrolledServerUrl,
  readTrustedLogKey,
} from '../updates/manifestFeed.ts';
import { safeToInstall } from '../updates/safeToInstall.ts';
import {
  APP_HOST,
  APP_INDEX_URL,
  APP_SCHEME,
  electronContentSecurityPolicy,
  isAllowedExternalUrl,
  isTrustedSender,
  resolveAppFile,
  type RendererOrigin,
} from './guards.ts';
import { bindContractToIpc, forwardEventsToWindow } from './ipcBinding.ts';
import { createRotatingLogFile } from '../logFiles.ts';
import { aboutText, buildMenuTemplate } from './menu.ts';
import { createElectronPdfPrinter } from './pdfPrinter.ts';
import { createSafeStorageSecretStore } from './secretStore.ts';
import { electronUpdater, startUpdater } from './updater.ts';
import { parseWindowState, restoreWindowState } from './windowState.ts';
import { decideUpdateFeed } from '../updates/feedPolicy.ts';

const devServerUrl = process.env.ELECTRON_RENDERER_URL;
const origin: RendererOrigin =
  !app.isPackaged && devServerUrl ? { kind: 'dev', url: devServerUrl } : { kind: 'app' };
const rendererDir = join(import.meta.dirname, '../renderer');
const preloadPath = join(import.meta.dirname, '../preload/index.js');

// Must run before 'ready': the scheme behaves like https (standard, secure origin, fetch).
protocol.registerSchemesAsPrivileged([
  { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } },
]);
// Every renderer is sandboxed, whatever a window's options say.
app.enableSandbox();
// Crash dumps stay on this machine (app.getPath('crashDumps')), for support to ask for; never uploaded.
crashReporter.start({ uploadToServer: false });

function createMainLogger(): Logger {
  // electron-log writes uncaught main-process errors to the log folder; pino writes the console's own log beside it.
  // (No electronLog.initialize(): it would inject its own preload into the renderer.)
  electronLog.errorHandler.startCatching({ showDialog: false });
  // electron-log's own file (uncaught main-process errors) is size-limited too; it keeps one old file.
  electronLog.transports.file.maxSize = 5 * 1024 * 1024;
  const file = join(app.getPath('logs'), 'console.log');
  return pino(
    {
      name: 'console',
      level: process.env.LOG_LEVEL ?? 'info',
      redact: { paths: REDACT_PATHS, censor: '[redacted]' },
    },
    pino.multistream([
      { stream: process.stdout },
      // Rotated by size (10 MB, five old files): a console runs for weeks on a till's small disk.
      { stream: createRotatingLogFile({ file }) },
    ]),
  );
}

function hardenContents(contents: WebContents, log: Logger): void {
  // The console never leaves its own page; the hash router does not navigate.
  contents.on('will-navigate', (event) => event.preventDefault());
  contents.on('will-redirect', (event) => event.preventDefault());
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(({ url }) => {
    if (isAllowedExternalUrl(url)) {
      shell
        .openExternal(url)
        .catch((error: unknown) => log.warn({ err: error }, 'could not open link'));
    } else {
      log.warn({ url: url.slice(0, 200) }, 'window or link refused');
    }
    return { action: 'deny' };
  });
}

function hardenSession(log: Logger): void {
  const ses = session.defaultSession;
  ses.setPermissionRequestHandler((_contents, permission, callback) => {
    log.info({ permission }, 'permission request denied');
    callback(false);
  });
  ses.setPermissionCheckHandler(() => false);
  const csp = electronContentSecurityPolicy(origin);
  ses.webRequest.onHeadersReceived((details, callback) => {
    callback({
      responseHeaders: {
        ...details.responseHeaders,
        'Content-Security-Policy': [csp],
        'X-Content-Type-Options': ['nosniff'],
      },
    });
  });
  // The packaged renderer: files of out/renderer only, with the CSP set here too.
  protocol.handle(APP_SCHEME, async (request) => {
    const file = resolveAppFile(rendererDir, request.url);
    if (!file) return new Response('Not found', { status: 404 });
    const response = await net.fetch(pathToFileURL(file).href);
    const headers = new Headers(response.headers);
    headers.set('Content-Security-Policy', csp);
    headers.set('X-Content-Type-Options', 'nosniff');
    return new Response(response.body, { status: response.status, headers });
  });
}

async function main(): Promise<void> {
  if (!app.requestSingleInstanceLock()) {
    // Another console already holds the database; it is focused by its own 'second-instance' handler.
    app.quit();
    return;
  }
  await app.whenReady();
  const log = createMainLogger();
  log.info({ version: app.getVersion(), origin: origin.kind }, 'console starting');
  hardenSession(log);
  app.on('web-contents-created', (_event, contents) => hardenContents(contents, log));

  const dataDir = join(app.getPath('userData'), 'console');
  // Packaged: electron-builder copies resources/ next to the asar (extraResources).
  const demoCatalogFile = app.isPackaged
    ? join(process.resourcesPath, 'resources', 'demo', 'catalog.json')
    : undefined;
  // The device's private key and the key sealing PIN hashes and the device token are encrypted with the OS keychain.
  const secrets = createSafeStorageSecretStore({ dir: join(dataDir, 'keys'), safeStorage, log });
  let window: BrowserWindow | null = null;
  const pdfPrinter = createElectronPdfPrinter({
    defaultDir: app.getPath('documents'),
    hasWindow: () => window !== null && !window.isDestroyed(),
    askSavePath: async (defaultPath) => {
      if (!window) return null;
      const choice = await dialog.showSaveDialog(window, {
        defaultPath,
        filters: [{ name: 'PDF', extensions: ['pdf'] }],
      });
      return choice.canceled || !choice.filePath ? null : choice.filePath;
    },
    printPage: async (options) => {
      if (!window) throw new Error('no window');
      return window.webContents.printToPDF(options);
    },
  });
  // Exports (CSV, JSON) are saved where the user picks, starting in their documents folder.
  const saveDialog = {
    askSavePath: async (fileName: string) => {
      if (!window || window.isDestroyed()) return null;
      const extension = fileName.endsWith('.json') ? 'json' : 'csv';
      const choice = await dialog.showSaveDialog(window, {
        defaultPath: join(app.getPath('documents'), fileName),
        filters: [{ name: extension.toUpperCase(), extensions: [extension] }],
      });
      return choice.canceled || !choice.filePath ? null : choice.filePath;
    },
  };
  const openConsole = () =>
    createApp({
      dataDir,
      log,
      demoCatalogFile,
      sync: createSyncFactory({ secrets }),
      secrets,
      pdfPrinter,
      saveDialog,
      appVersion: app.getVersion(),
      crashDumpDir: app.getPath('crashDumps'),
      logFile: join(app.getPath('logs'), 'console.log'),
      // The report form's screenshot: the window as the person sees it, drawn by Chromium.
      capturePage: async () => {
        if (!window || window.isDestroyed()) throw new Error('no window to capture');
        return (await window.webContents.capturePage()).toPNG();
      },
    });
  let consoleApp: Awaited<ReturnType<typeof openConsole>>;
  try {
    consoleApp = await openConsole();
  } catch (error) {
    if (!(error instanceof AppError && error.code === 'database_newer')) throw error;
    // After an update was rolled back: offer the controlled downgrade (exports unsynced events first, never deletes).
    const choice = await dialog.showMessageBox({
      type: 'warning',
      title: 'Data from a newer console',
      message: error.message,
      buttons: ['Quit', 'Go back to this version (keeps a copy)'],
      defaultId: 0,
      cancelId: 0,
    });
    if (choice.response !== 1) {
      app.exit(1);
      return;
    }
    const result = downgradeDatabase({
      file: join(dataDir, 'console.sqlite'),
      appVersion: app.getVersion(),
    });
    log.warn({ ...result }, 'controlled downgrade of the console database');
    consoleApp = await openConsole();
  }

  const unbind = bindContractToIpc({
    ipc: {
      handle: (channel, listener) =>
        ipcMain.handle(channel, (event, input: unknown) =>
          listener(
            { frameUrl: event.senderFrame?.url, isMainFrame: event.senderFrame?.parent === null },
            input,
          ),
        ),
      removeHandler: (channel) => ipcMain.removeHandler(channel),
    },
    dispatch: consoleApp.dispatch,
    isTrustedSender: (sender) => isTrustedSender(sender, origin),
    log,
  });

  const menuContext = {
    appName: 'DearPOS Release Console',
    version: app.getVersion(),
    deviceId: consoleApp.deviceId,
    logDir: app.getPath('logs'),
    isDevelopment: !app.isPackaged,
    isMac: process.platform === 'darwin',
  };
  Menu.setApplicationMenu(
    Menu.buildFromTemplate(
      buildMenuTemplate(menuContext, {
        showAbout: () => {
          const options = {
            type: 'info' as const,
            message: menuContext.appName,
            detail: aboutText(menuContext),
          };
          const shown = window
            ? dialog.showMessageBox(window, options)
            : dialog.showMessageBox(options);
          shown.catch((error: unknown) => log.warn({ err: error }, 'could not show About'));
        },
        reportProblem: () => consoleApp.reportProblem(),
        requestFeature: () => consoleApp.requestFeature(),
        openLogFolder: () => {
          shell
            .openPath(menuContext.logDir)
            .catch((error: unknown) => log.warn({ err: error }, 'could not open the log folder'));
        },
      }),
    ),
  );

  const windowStateFile = join(app.getPath('userData'), 'window-state.json');
  function readWindowStateText(): string | null {
    try {
      return readFileSync(windowStateFile, 'utf8');
    } catch {
      return null;
    }
  }

  let stopForwarding: (() => void) | null = null;
  function openWindow(): void {
    const restored = restoreWindowState(
      parseWindowState(readWindowStateText()),
      screen.getAllDisplays().map((d) => d.workArea),
    );
    window = new BrowserWindow({
      width: restored.width,
      height: restored.height,
      ...(restored.x !== undefined && restored.y !== undefined
        ? { x: restored.x, y: restored.y }
        : {}),
      minWidth: 1024,
      minHeight: 640,
      show: false,
      title: 'DearPOS Release Console',
      webPreferences: {
        preload: preloadPath,
        contextIsolation: true,
        sandbox: true,
        nodeIntegration: false,
        nodeIntegrationInWorker: false,
        webSecurity: true,
        allowRunningInsecureContent: false,
        webviewTag: false,
        spellcheck: false,
        // No DevTools in a store's console, even by keyboard shortcut.
        devTools: !app.isPackaged,
      },
    });
    const current = window;
    current.once('ready-to-show', () => {
      if (restored.isMaximized) current.maximize();
      current.show();
    });
    current.on('close', () => {
      try {
        writeFileSync(
          windowStateFile,
          JSON.stringify({ bounds: current.getNormalBounds(), isMaximized: current.isMaximized() }),
        );
      } catch (error) {
        log.warn({ err: error }, 'could not remember the window position');
      }
    });
    stopForwarding = forwardEventsToWindow(consoleApp.events, (channel, payload) => {
      if (!current.isDestroyed()) current.webContents.send(channel, payload);
    });
    current.on('closed', () => {
      stopForwarding?.();
      window = null;
    });
    const url = origin.kind === 'dev' ? origin.url : APP_INDEX_URL;
    current
      .loadURL(url)
      .catch((error: unknown) =>
        log.error({ err: error, host: APP_HOST }, 'could not load the console window'),
      );
  }

  app.on('second-instance', () => {
    if (!window) return;
    if (window.isMinimized()) window.restore();
    window.focus();
  });
  app.on('activate', () => {
    if (!window) openWindow();
  });
  app.on('window-all-closed', () => app.quit());

  // A downloaded update installs at quit only when it is verified and safe; otherwise at a later quit.
  let updateController: UpdateController | null = null;
  app.on('before-quit', () => {
    try {
      updateController?.beforeQuit();
    } catch (error) {
      autoUpdater.autoInstallOnAppQuit = false;
      log.warn({ err: error }, 'could not decide whether the update may install');
    }
  });

  let isClosing = false;
  app.on('will-quit', (event) => {
    if (isClosing) return;
    // Close the database cleanly (WAL checkpoint) before the process ends.
    event.preventDefault();
    isClosing = true;
    unbind();
    Promise.resolve(consoleApp.close())
      .catch((error: unknown) => log.error({ err: error }, 'closing the database failed'))
      .finally(() => app.exit(0));
  });

  openWindow();
  startUpdater({
    // Built only when updates are on: the console's rules (ring channel, cohort, pin, second signature) go on it first.
    updater: () => {
      updateController = wireConsoleUpdater({
        updater: electronUpdater(autoUpdater),
        currentVersion: app.getVersion(),
        context: () => ({
          policy: effectiveUpdatePolicy(consoleApp.db),
          store: readConsoleStore(consoleApp.db),
        }),
        logKey: () => readTrustedLogKey(consoleApp.db),
        fetchManifest: (version, channel) => {
          const serverUrl = readEnrolledServerUrl(consoleApp.db);
          if (!serverUrl) return Promise.reject(new Error('not enrolled'));
          return fetchSignedManifest(serverUrl, channel, version);
        },
        installVerdict: () =>
          safeToInstall(
            readInstallFacts(consoleApp.db, {
              now: Date.now(),
              storeId: readConsoleStore(consoleApp.db)?.id ?? null,
              onScreen: consoleApp.updates.onScreen(),
            }),
          ),
        audit: (event) => consoleApp.updates.audit(event),
        log: log.child({ scope: 'update' }),
      });
      consoleApp.updates.attach(updateController);
      return autoUpdater;
    },
    decision: decideUpdateFeed({ isPackaged: app.isPackaged, env: process.env }),
    log,
  });
}

main().catch((error: unknown) => {
  electronLog.error('The console could not start', error);
  app.exit(1);
});
