/**
 * The Electron entry, run under plain Node with only the electron modules
 * replaced (electron, electron-log, electron-updater): the real back end on a
 * real SQLite file behind the real IPC binding. Proves the wiring Electron
 * itself cannot be launched here to show: the window's security options,
 * denied permissions and navigation, the sender check on IPC, events
 * forwarded to the window, the app:// scheme, and a clean close on quit.
 */
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Result } from '../../shared/errors.ts';
import { APP_INDEX_URL } from './guards.ts';
import { ipcCallChannel, ipcEventChannel } from './ipcChannels.ts';

type Listener = (...args: unknown[]) => unknown;
type IpcHandler = (
  event: { senderFrame: { url: string; parent: unknown } | null },
  input: unknown,
) => Promise<Result<unknown>>;

const fake = vi.hoisted(() => {
  const state = {
    userData: '',
    appListeners: new Map<string, Listener[]>(),
    ipcHandlers: new Map<string, IpcHandler>(),
    windows: [] as Array<{
      options: Record<string, unknown>;
      sent: Array<[string, unknown]>;
      loaded: string[];
    }>,
    permissionHandler: null as
      | null
      | ((contents: unknown, permission: string, callback: (allowed: boolean) => void) => void),
    permissionCheck: null as null | (() => boolean),
    protocolHandler: null as null | ((request: { url: string }) => Promise<Response>),
    privilegedSchemes: [] as unknown[],
    exitCode: null as number | null,
    isSandboxEnabled: false,
    menuTemplate: null as null | Array<{ label?: string }>,
  };
  return state;
});

vi.mock('electron', () => {
  class BrowserWindow {
    readonly webContents: { send: (channel: string, payload: unknown) => void };
    private readonly record: {
      options: Record<string, unknown>;
      sent: Array<[string, unknown]>;
      loaded: string[];
    };
    constructor(options: Record<string, unknown>) {
      this.record = { options, sent: [], loaded: [] };
      fake.windows.push(this.record);
      this.webContents = {
        send: (channel, payload) => void this.record.sent.push([channel, payload]),
      };
    }
    once(): this {
      return this;
    }
    on(): this {
      return this;
    }
    isDestroyed(): boolean {
      return false;
    }
    show(): void {}
    maximize(): void {}
    isMaximized(): boolean {
      return false;
    }
    getNormalBounds() {
      return { x: 0, y: 0, width: 1440, height: 900 };
    }
    loadURL(url: string): Promise<void> {
      this.record.loaded.push(url);
      return Promise.resolve();
    }
  }
  const app = {
    isPackaged: false,
    enableSandbox: () => void (fake.isSandboxEnabled = true),
    requestSingleInstanceLock: () => true,
    whenReady: () => Promise.resolve(),
    getPath: (name: string) => join(fake.userData, name),
    getVersion: () => '0.0.0-test',
    on: (name: string, listener: Listener) => {
      fake.appListeners.set(name, [...(fake.appListeners.get(name) ?? []), listener]);
    },
    quit: () => undefined,
    exit: (code: number) => void (fake.exitCode = code),
  };
  return {
    app,
    BrowserWindow,
    ipcMain: {
      handle: (channel: string, handler: IpcHandler) => void fake.ipcHandlers.set(channel, handler),
      removeHandler: (channel: string) => void fake.ipcHandlers.delete(channel),
    },
    protocol: {
      registerSchemesAsPrivileged: (schemes: unknown[]) =>
        void fake.privilegedSchemes.push(...schemes),
      handle: (_scheme: string, handler: (request: { url: string }) => Promise<Response>) =>
        void (fake.protocolHandler = handler),
    },
    session: {
      defaultSession: {
        setPermissionRequestHandler: (handler: typeof fake.permissionHandler) =>
          void (fake.permissionHandler = handler),
        setPermissionCheckHandler: (handler: typeof fake.permissionCheck) =>
          void (fake.permissionCheck = handler),
        webRequest: { onHeadersReceived: () => undefined },
      },
    },
    crashReporter: { start: () => undefined },
    Menu: {
      buildFromTemplate: (template: Array<{ label?: string }>) => template,
      setApplicationMenu: (menu: Array<{ label?: string }>) => void (fake.menuTemplate = menu),
    },
    screen: { getAllDisplays: () => [{ workArea: { x: 0, y: 0, width: 1920, height: 1080 } }] },
    net: { fetch: () => Promise.resolve(new Response('file')) },
    shell: { openExternal: () => Promise.resolve() },
    safeStorage: {
      isEncryptionAvailable: () => true,
      encryptString: (text: string) => Buffer.from(text, 'utf8').reverse(),
      decryptString: (data: Buffer) => Buffer.from(data).reverse().toString('utf8'),
    },
  };
});
vi.mock('electron-log/main', () => ({
  default: {
    errorHandler: { startCatching: () => undefined },
    transports: { file: { maxSize: 0 } },
    error: () => undefined,
  },
}));
vi.mock('electron-updater', () => ({ autoUpdater: {} }));

type IpcEvent = Parameters<IpcHandler>[0];
const trusted: IpcEvent = { senderFrame: { url: `${APP_INDEX_URL}#/fleet`, parent: null } };

async function callIpc(
  channel: Parameters<typeof ipcCallChannel>[0],
  input: unknown,
  event: IpcEvent = trusted,
): Promise<Result<unknown>> {
  const handler = fake.ipcHandlers.get(ipcCallChannel(channel));
  if (!handler) throw new Error(`no IPC handler for ${channel}`);
  return handler(event, input);
}

describe('Electron main process wiring', () => {
  beforeAll(async () => {
    fake.userData = await mkdtemp(join(tmpdir(), 'dearpos-electron-'));
    process.env.LOG_LEVEL = 'silent';
    delete process.env.ELECTRON_RENDERER_URL;
    await import('./main.ts');
    await vi.waitFor(() => expect(fake.windows).toHaveLength(1), { timeout: 20_000 });
  });

  afterAll(async () => {
    if (fake.exitCode === null) {
      for (const listener of fake.appListeners.get('will-quit') ?? [])
        listener({ preventDefault: () => undefined });
      await vi.waitFor(() => expect(fake.exitCode).toBe(0));
    }
    await rm(fake.userData, { recursive: true, force: true });
  });

  it('opens one sandboxed, isolated window on the app:// page', () => {
    const [window] = fake.windows;
    const prefs = window!.options.webPreferences as Record<string, unknown>;
    expect(prefs).toMatchObject({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      webviewTag: false,
    });
    expect(String(prefs.preload)).toMatch(/out\/preload\/index\.js$|preload[/\\]index\.js$/);
    expect(window!.loaded).toEqual([APP_INDEX_URL]);
    expect(fake.isSandboxEnabled).toBe(true);
    expect(fake.privilegedSchemes).toEqual([
      { scheme: 'app', privileges: { standard: true, secure: true, supportFetchAPI: true } },
    ]);
  });

  it('sets our application menu (File, Edit, View, Help), not Electron’s default', () => {
    expect(fake.menuTemplate?.map((m) => m.label)).toEqual(['File', 'Edit', 'View', 'Help']);
  });

  it('denies every permission request', () => {
    let answer: boolean | null = null;
    fake.permissionHandler!(null, 'media', (allowed) => (answer = allowed));
    expect(answer).toBe(false);
    expect(fake.permissionCheck!()).toBe(false);
  });

  it('denies navigation and new windows in every web contents', () => {
    const handlers = new Map<string, Listener>();
    let openHandler: ((details: { url: string }) => { action: string }) | null = null;
    const contents = {
      on: (name: string, listener: Listener) => void handlers.set(name, listener),
      setWindowOpenHandler: (handler: typeof openHandler) => void (openHandler = handler),
    };
    for (const listener of fake.appListeners.get('web-contents-created') ?? [])
      listener({}, contents);
    let isPrevented = false;
    handlers.get('will-navigate')!(
      { preventDefault: () => (isPrevented = true) },
      'https://evil.example/',
    );
    expect(isPrevented).toBe(true);
    expect(openHandler!({ url: 'https://evil.example/' })).toEqual({ action: 'deny' });
    expect(openHandler!({ url: 'https://docs.dearpos.com/' })).toEqual({ action: 'deny' });
  });

  it('serves only the built renderer on app://', async () => {
    expect(
      (await fake.protocolHandler!({ url: 'app://console/..%2f..%2fetc%2fpasswd' })).status,
    ).toBe(404);
    expect((await fake.protocolHandler!({ url: 'app://elsewhere/index.html' })).status).toBe(404);
    const page = await fake.protocolHandler!({ url: APP_INDEX_URL });
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
  });

  it('answers contract calls from our page through the real back end, and refuses other frames', async () => {
    expect(await callIpc('session:status', {})).toMatchObject({
      ok: true,
      value: { session: null, hasCatalog: false },
    });
    expect(
      await callIpc(
        'session:status',
        {},
        { senderFrame: { url: 'https://evil.example/', parent: null } },
      ),
    ).toMatchObject({
      ok: false,
      error: { code: 'forbidden' },
    });
    expect(
      await callIpc('session:status', {}, { senderFrame: { url: APP_INDEX_URL, parent: {} } }),
    ).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(await callIpc('session:status', { extra: true })).toMatchObject({
      ok: false,
      error: { code: 'invalid_input' },
    });
  });

  it('forwards db:changed to the window after a change', async () => {
    expect(await callIpc('demo:load', {})).toMatchObject({ ok: true, value: { hasCatalog: true } });
    const sent = fake.windows[0]!.sent.filter(
      ([channel]) => channel === ipcEventChannel('db:changed'),
    );
    expect(sent.length).toBeGreaterThan(0);
    expect((sent[0]![1] as { tables: string[] }).tables).toContain('terminals');
  });

  it('seals the PIN hashes with a data key kept through safeStorage (the OS keychain), not in a plain key file', async () => {
    // demo:load (the test before) stored the catalog's users, which made the data key.
    const stored = await readFile(
      join(fake.userData, 'userData', 'console', 'keys', 'data-key.key'),
    );
    // The fake safeStorage "encrypts" by reversing the base64 text of the key.
    const key = Buffer.from(Buffer.from(stored).reverse().toString('utf8'), 'base64');
    expect(key).toHaveLength(32);
    expect(stored.includes(key)).toBe(false);
    expect((await stat(join(fake.userData, 'userData', 'console'))).mode & 0o777).toBe(0o700);
  });

  it('closes the database and exits cleanly on quit', async () => {
    let isPrevented = false;
    for (const listener of fake.appListeners.get('will-quit') ?? [])
      listener({ preventDefault: () => (isPrevented = true) });
    expect(isPrevented).toBe(true);
    await vi.waitFor(() => expect(fake.exitCode).toBe(0));
    expect(fake.ipcHandlers.size).toBe(0);
  });
});
