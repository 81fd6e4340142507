/**
 * web.fleetReady50k: browser mode with a 50,000-terminal fleet, in headless
 * Chromium. Measures the time from navigation start to a usable fleet screen,
 * as the page itself sees it (`performance.now()`, whose origin is navigation
 * start), median of several cold page loads (each in a new browser context:
 * empty HTTP cache, nothing compiled). Usable means: matrix cells with their
 * counts, the filter bar's search field and the first terminal rows with
 * their data (a row still loading has no terminal-row test id) are in the
 * DOM, checked in an animation frame callback, i.e. after the task that
 * rendered them, in the frame that paints them, with the main thread free
 * to answer a click.
 *
 * Then it scrolls through the whole table, waiting at each position until
 * the rows of that position have their data, and samples the number of
 * mounted rows every animation frame; more than 100 fails the run, and so
 * does a position whose rows never arrive.
 *
 * Baseline, in the same run: the naive screen that sends the list whole: a
 * page on the same origin fetches all 50,000 rows (the contract's largest
 * page, 500, one request after another) and renders them into a plain
 * table. It does not even load the app bundle or the matrix, so it is a
 * lower bound for the naive design and the ratio is, if anything, flattering
 * to the baseline.
 *
 * Run alone: npx node bench/webFleetReady.ts
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { cp, mkdtemp, realpath, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { createApp } from '../src/main/app/createApp.ts';
import { buildDemoCatalog, DEMO_USERS } from '../src/main/demo/demoCatalog.ts';
import { seedSyntheticFleet } from '../src/main/fleet/seed.ts';
import { createLogger } from '../src/main/log.ts';
import { startWebServer, type WebServer } from '../src/main/web/server.ts';
import { CHROMIUM_ARGS, chromiumPath } from './chromium.ts';
import { median, round, type Benchmark, type BenchResult } from './types.ts';

export const NAME = 'web.fleetReady50k';
const TARGET_MS = 1500;
const MAX_MOUNTED_ROWS = 100;

export type WebFleetReadyResult = {
  name: typeof NAME;
  value: number;
  unit: 'ms';
  baseline: number;
  ratio: number;
  runsMs: number[];
  baselineRunsMs: number[];
  maxMountedRows: number;
  rowsSeenWhileScrolling: number;
  terminals: number;
};

const STATIC_DIR = resolve(import.meta.dirname, '../out/web');

/**
 * The little of the DOM the in-page probes use: bench/ compiles under the
 * Node tsconfig, which has no DOM types (on purpose: shared code must not
 * lean on them). The probes run in the page through page.evaluate.
 */
type ProbeElement = {
  dataset: Record<string, string | undefined>;
  scrollTop: number;
  readonly scrollHeight: number;
  readonly offsetHeight: number;
  textContent: string | null;
  getAttribute(name: string): string | null;
  appendChild(child: ProbeElement): void;
  replaceChildren(...children: ProbeElement[]): void;
};
type ProbeWindow = {
  document: {
    querySelector(selector: string): ProbeElement | null;
    querySelectorAll(selector: string): ArrayLike<ProbeElement> & Iterable<ProbeElement>;
    createElement(tag: string): ProbeElement;
    body: ProbeElement;
  };
  requestAnimationFrame(callback: () => void): number;
};

async function measureReady(browser: Browser, server: WebServer): Promise<number> {
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
  try {
    const page = await context.newPage();
    await page.goto(`${server.url}#/fleet`, { waitUntil: 'commit' });
    // Polls inside the page each animation frame (page.waitForFunction would need eval, which our CSP forbids).
    const readyAt = await page.evaluate(async () => {
      const w = globalThis as unknown as ProbeWindow;
      const deadline = performance.now() + 30_000;
      while (performance.now() < deadline) {
        const hasMatrix = w.document.querySelector('[data-testid^="matrix-cell-"]') !== null;
        const hasFilters = w.document.querySelector('[data-testid="filter-search"]') !== null;
        const hasRows = w.document.querySelector('[data-testid="terminal-row"]') !== null;
        if (hasMatrix && hasFilters && hasRows) return performance.now();
        await new Promise((done) => w.requestAnimationFrame(() => done(null)));
      }
      throw new Error('the fleet screen was not ready after 30 s');
    });
    return Math.round(readyAt);
  } finally {
    await context.close();
  }
}

async function measureScroll(
  browser: Browser,
  server: WebServer,
): Promise<{ maxMounted: number; distinctRows: number }> {
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
  try {
    const page = await context.newPage();
    await page.goto(`${server.url}#/fleet`);
    await page.waitForSelector('[data-testid="terminal-row"]', { timeout: 30_000 });
    return await page.evaluate(async () => {
      const w = globalThis as unknown as ProbeWindow;
      const scroller = w.document.querySelector('[data-testid="terminal-table"]');
      if (!scroller) throw new Error('no [data-testid=terminal-table] scroll container');
      const seen = new Set<string>();
      let maxMounted = 0;
      const sample = (): void => {
        const rows = w.document.querySelectorAll('[data-testid="terminal-row"]');
        maxMounted = Math.max(maxMounted, rows.length);
        for (const row of rows) seen.add(row.dataset.terminalId ?? '');
      };
      const frame = (): Promise<void> =>
        new Promise((done) => w.requestAnimationFrame(() => done()));
      const rowHeight = 34;
      // Whether a loaded row near `index` is mounted: the table has caught up with the scroll position.
      const hasRowsNear = (index: number): boolean => {
        for (const row of w.document.querySelectorAll('[data-testid="terminal-row"]')) {
          if (Math.abs(Number(row.getAttribute('aria-rowindex')) - 1 - index) <= 40) return true;
        }
        return false;
      };
      // Jump through the table in big steps (as a dragged scrollbar does), sampling every frame until
      // the rows of each position have their data; then back up in small steps.
      const steps = 60;
      for (let i = 0; i <= steps; i++) {
        scroller.scrollTop = (scroller.scrollHeight * i) / steps;
        const index = Math.floor(scroller.scrollTop / rowHeight);
        let frames = 0;
        do {
          await frame();
          sample();
          if (++frames > 600) throw new Error(`the rows at position ${index} did not arrive`);
        } while (!hasRowsNear(index));
      }
      for (let i = 0; i < 30; i++) {
        scroller.scrollTop -= 1200;
        await frame();
        sample();
      }
      return { maxMounted, distinctRows: seen.size };
    });
  } finally {
    await context.close();
  }
}

async function measureNaive(browser: Browser, server: WebServer, total: number): Promise<number> {
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
  try {
    const page = await context.newPage();
    // Any page on our origin will do; the 404 page loads nothing else.
    await page.goto(`${server.url}naive-baseline`);
    return await page.evaluate(
      async ({ token, total }) => {
        const w = globalThis as unknown as ProbeWindow;
        const start = performance.now();
        const rows: Array<Record<string, string | number | boolean | null>> = [];
        for (let offset = 0; offset < total; offset += 500) {
          const response = await fetch(`/api/fleet:listTerminals`, {
            method: 'POST',
            headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
            body: JSON.stringify({
              filter: {},
              sort: { key: 'store', desc: false },
              offset,
              limit: 500,
            }),
          });
          const result = (await response.json()) as {
            ok: boolean;
            value: { rows: Array<Record<string, string | number | boolean | null>> };
          };
          if (!result.ok) throw new Error('listTerminals failed');
          rows.push(...result.value.rows);
        }
        const table = w.document.createElement('table');
        const body = w.document.createElement('tbody');
        for (const row of rows) {
          const tr = w.document.createElement('tr');
          for (const key of [
            'storeName',
            'name',
            'model',
            'serial',
            'version',
            'since',
            'lastSeen',
            'isDrift',
          ]) {
            const td = w.document.createElement('td');
            td.textContent = String(row[key] ?? '');
            tr.appendChild(td);
          }
          body.appendChild(tr);
        }
        table.appendChild(body);
        w.document.body.replaceChildren(table);
        void w.document.body.offsetHeight;
        await new Promise((done) => w.requestAnimationFrame(() => done(null)));
        if (rows.length !== total) throw new Error(`expected ${total} rows, got ${rows.length}`);
        return Math.round(performance.now() - start);
      },
      { token: server.token, total },
    );
  } finally {
    await context.close();
  }
}

/** Builds out/web when it is missing, so the benchmark also runs on a fresh clone. */
function buildRenderer(): void {
  const root = resolve(import.meta.dirname, '..');
  const build = spawnSync(
    process.execPath,
    ['--experimental-strip-types', '--no-warnings', join(root, 'scripts', 'buildWeb.ts')],
    { cwd: root, stdio: 'inherit' },
  );
  if (build.status !== 0 || !existsSync(join(STATIC_DIR, 'index.html'))) {
    throw new Error(
      'Building the browser-mode console failed; run `npm run build:web` to see why.',
    );
  }
}

async function runWebFleetReady(
  options: { runs?: number; baselineRuns?: number } = {},
): Promise<WebFleetReadyResult> {
  const runs = options.runs ?? 5;
  const baselineRuns = options.baselineRuns ?? 2;
  if (!existsSync(join(STATIC_DIR, 'index.html'))) buildRenderer();
  const dataDir = await mkdtemp(join(tmpdir(), 'dearpos-bench-web-'));
  // Serve a private copy, so a rebuild of out/web during the run cannot swap chunks under a loading page.
  const staticDir = join(dataDir, 'web');
  // out/web is a link to the current build (scripts/buildWeb.ts): copy the build itself.
  await cp(await realpath(STATIC_DIR), staticDir, { recursive: true });
  const log = createLogger({ level: 'silent' });
  const app = await createApp({ dataDir, log, sync: null });
  let server: WebServer | null = null;
  let browser: Browser | null = null;
  try {
    const demoUsers = buildDemoCatalog().users;
    const seeded = seedSyntheticFleet(app.db, {
      stores: 1000,
      terminalsPerStore: 50,
      releases: 12,
      seed: 50_000,
      users: demoUsers,
    });
    const technician = DEMO_USERS.find((u) => u.role === 'technician' && u.storeIds.length === 0)!;
    // The console has one session for the whole back end, so the browser starts signed in.
    const signIn = await app.dispatch('session:signIn', {
      userId: technician.id,
      pin: technician.pin,
    });
    if (!signIn.ok) throw new Error(`sign-in failed: ${signIn.error.message}`);
    server = await startWebServer({ app, port: 0, staticDir, log });
    browser = await chromium.launch({ executablePath: chromiumPath(), args: CHROMIUM_ARGS });

    await measureReady(browser, server); // warm-up: first launch of the renderer and SQLite page cache
    const runsMs: number[] = [];
    for (let i = 0; i < runs; i++) runsMs.push(await measureReady(browser, server));
    const scroll = await measureScroll(browser, server);
    if (scroll.maxMounted > MAX_MOUNTED_ROWS) {
      throw new Error(
        `${scroll.maxMounted} terminal rows were mounted at once while scrolling; the limit is ${MAX_MOUNTED_ROWS}.`,
      );
    }
    if (scroll.distinctRows <= scroll.maxMounted) {
      throw new Error(
        'Scrolling the terminal table showed no new rows: the scroll check did not run.',
      );
    }
    const baselineRunsMs: number[] = [];
    for (let i = 0; i < baselineRuns; i++)
      baselineRunsMs.push(await measureNaive(browser, server, seeded.terminals));

    const value = median(runsMs);
    const baseline = median(baselineRunsMs);
    return {
      name: NAME,
      value,
      unit: 'ms',
      baseline,
      ratio: round(baseline / value),
      runsMs,
      baselineRunsMs,
      maxMountedRows: scroll.maxMounted,
      rowsSeenWhileScrolling: scroll.distinctRows,
      terminals: seeded.terminals,
    };
  } finally {
    await browser?.close();
    await server?.close();
    await app.close();
    await rm(dataDir, { recursive: true, force: true });
  }
}

export const webFleetReady: Benchmark = {
  name: NAME,
  description:
    'browser mode, 50,000 terminals: navigation to a usable fleet screen (median) vs fetching and rendering the whole list as a plain table',
  async run(): Promise<BenchResult> {
    const result = await runWebFleetReady();
    return {
      name: NAME,
      value: result.value,
      unit: 'ms',
      baseline: result.baseline,
      ratio: result.ratio,
      target: `≤ ${TARGET_MS} ms, ≤ ${MAX_MOUNTED_ROWS} rows mounted`,
      isTargetMet: result.value <= TARGET_MS && result.maxMountedRows <= MAX_MOUNTED_ROWS,
      notes:
        `median of ${result.runsMs.length} cold page loads (${result.runsMs.join(', ')} ms) after a warm-up, headless Chromium; ` +
        `at most ${result.maxMountedRows} rows mounted while scrolling past ${result.rowsSeenWhileScrolling} of ${result.terminals}; ` +
        `baseline: median of ${result.baselineRunsMs.length} whole-list loads (100 × 500 rows) into a plain table`,
    };
  },
};

if (import.meta.main) {
  const result = await runWebFleetReady();
  process.stdout.write(
    `${result.name}: ${result.value} ms (median of ${result.runsMs.join(', ')}; target ≤ ${TARGET_MS} ms) · ` +
      `naive whole-list baseline ${result.baseline} ms · ${result.ratio}× · ` +
      `at most ${result.maxMountedRows} rows mounted while scrolling past ${result.rowsSeenWhileScrolling} of ${result.terminals}\n`,
  );
}
