/**
 * What the desk benchmarks in browser mode (web.inbox100k, web.progression5k)
 * share: a real central server on PostgreSQL that the benchmark seeds, a
 * console with the demo catalog signed in and connected to it as a desk, the
 * console's browser-mode web server, and headless Chromium.
 */
import { existsSync } from 'node:fs';
import { cp, mkdtemp, realpath, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { createApp } from '../src/main/app/createApp.ts';
import { DEMO_USERS } from '../src/main/demo/demoCatalog.ts';
import { createLogger } from '../src/main/log.ts';
import { startWebServer, type WebServer } from '../src/main/web/server.ts';
import { createServerLogger } from '../src/server/log.ts';
import { startTestServer, type TestServer } from '../src/server/testing/harness.ts';
import { startTestPostgres } from '../src/server/testing/postgres.ts';
import { CHROMIUM_ARGS, chromiumPath } from './chromium.ts';

const STATIC_DIR = resolve(import.meta.dirname, '../out/web');

/** The little of the DOM the in-page probes use (bench/ compiles without DOM types). */
export type ProbeElement = {
  dataset: Record<string, string | undefined>;
  scrollTop: number;
  readonly scrollHeight: number;
  readonly offsetHeight: number;
  readonly firstElementChild: ProbeElement | null;
  readonly childElementCount: number;
  textContent: string | null;
  appendChild(child: ProbeElement): void;
  replaceChildren(...children: ProbeElement[]): void;
};
export type ProbeWindow = {
  document: {
    querySelector(selector: string): ProbeElement | null;
    querySelectorAll(selector: string): ArrayLike<ProbeElement> & Iterable<ProbeElement>;
    createElement(tag: string): ProbeElement;
    body: ProbeElement;
  };
  requestAnimationFrame(callback: () => void): number;
};

export type DeskInBrowser = { browser: Browser; web: WebServer };

/**
 * Seeds the server, connects the console as a desk of `deskRole` over every
 * store, runs `measure` against the browser, and always tears everything down.
 */
export async function withDeskInBrowser<T>(
  options: {
    tmpPrefix: string;
    deskRole: 'support' | 'release';
    seed: (central: TestServer) => Promise<void>;
  },
  measure: (desk: DeskInBrowser) => Promise<T>,
): Promise<T> {
  if (!existsSync(join(STATIC_DIR, 'index.html')))
    throw new Error('Build the browser-mode console first: npm run build:web');
  const dataDir = await mkdtemp(join(tmpdir(), options.tmpPrefix));
  const staticDir = join(dataDir, 'web');
  await cp(await realpath(STATIC_DIR), staticDir, { recursive: true });
  // PostgreSQL, as a central server of this size runs.
  const pg = await startTestPostgres();
  const central = await startTestServer({
    databaseUrl: await pg.createDatabase(),
    rateLimit: false,
    logger: createServerLogger({ level: 'warn' }),
  });
  const app = await createApp({
    dataDir: join(dataDir, 'console'),
    log: createLogger({ level: 'silent' }),
    sync: null,
  });
  let web: WebServer | null = null;
  let browser: Browser | null = null;
  try {
    await options.seed(central);
    const code = await central.call('POST', '/v1/admin/desk-enrollment-codes', {
      token: central.adminToken,
      body: { scope: 'all', role: options.deskRole },
    });
    const load = await app.dispatch('demo:load', {});
    if (!load.ok) throw new Error(`demo: ${load.error.message}`);
    const support = DEMO_USERS.find((u) => u.role === 'support')!;
    const signIn = await app.dispatch('session:signIn', { userId: support.id, pin: support.pin });
    if (!signIn.ok) throw new Error(`sign-in: ${signIn.error.message}`);
    const connect = await app.dispatch('desk:connect', {
      serverUrl: central.url,
      enrollmentCode: code.body.code as string,
    });
    if (!connect.ok) throw new Error(`desk: ${connect.error.message}`);
    web = await startWebServer({ app, port: 0, staticDir, log: createLogger({ level: 'silent' }) });
    browser = await chromium.launch({ executablePath: chromiumPath(), args: CHROMIUM_ARGS });
    return await measure({ browser, web });
  } finally {
    await browser?.close();
    await web?.close();
    await app.close();
    await central.close();
    pg.stop();
    await rm(dataDir, { recursive: true, force: true });
  }
}
