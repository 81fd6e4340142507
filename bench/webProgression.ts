/**
 * web.progression5k: browser mode as a release desk over 5,000 stores /
 * 50,000 terminals, in headless Chromium. A console (demo catalog, signed in
 * as support) is connected as a desk to a real central server on loopback
 * holding the stores; the time from navigation start to a usable progression
 * screen (counts per ring and state, and the first store rows with their
 * state) as the page sees it, median of cold page loads after a warm-up.
 * Then the list is scrolled end to end, sampling the mounted rows.
 *
 * Baseline, in the same run: the naive screen that takes the list whole: a
 * page on the same origin fetches all 5,000 stores (500 a call, one after
 * another) and renders them into a plain table.
 *
 * Run alone: npx node bench/webProgression.ts
 */
import type { Browser } from 'playwright-core';
import type { WebServer } from '../src/main/web/server.ts';
import { importFleet, publishRelease, setRingTarget } from '../src/server/catalog/service.ts';
import { withDeskInBrowser, type ProbeWindow } from './deskInBrowser.ts';
import { median, round, type Benchmark, type BenchResult } from './types.ts';

const NAME = 'web.progression5k';
const TARGET_MS = 1500;
const MAX_MOUNTED_ROWS = 100;
const STORES = 5000;
const TERMINALS = 10;
const RINGS = ['pilot', 'early', 'general', 'general'] as const;
const R = 'rel-5.0.0';

async function measureReady(browser: Browser, web: WebServer): Promise<number> {
  const context = await browser.newContext({ viewport: { width: 1366, height: 800 } });
  try {
    const page = await context.newPage();
    await page.goto(`${web.url}#/release-desk`, { waitUntil: 'commit' });
    const readyAt = await page.evaluate(async () => {
      const w = globalThis as unknown as ProbeWindow;
      const deadline = performance.now() + 30_000;
      while (performance.now() < deadline) {
        const hasCounts =
          w.document.querySelector('[data-testid="release-progression-summary"] button') !== null;
        const hasRows =
          w.document.querySelector(
            '[data-testid="release-progression-row"] [data-testid="release-progression-state"]',
          ) !== null;
        if (hasCounts && hasRows) return performance.now();
        await new Promise((done) => w.requestAnimationFrame(() => done(null)));
      }
      throw new Error('the progression screen was not ready after 30 s');
    });
    return Math.round(readyAt);
  } finally {
    await context.close();
  }
}

async function measureScroll(
  browser: Browser,
  web: WebServer,
): Promise<{ maxMounted: number; distinctRows: number }> {
  const context = await browser.newContext({ viewport: { width: 1366, height: 800 } });
  try {
    const page = await context.newPage();
    await page.goto(`${web.url}#/release-desk`);
    await page.waitForSelector('[data-testid="release-progression-row"]', { timeout: 30_000 });
    return await page.evaluate(async () => {
      const w = globalThis as unknown as ProbeWindow;
      // The table's last child is its scroll box (the first is the header row).
      const scroller = w.document.querySelector(
        '[data-testid="release-progression-table"] > div:last-child',
      );
      if (!scroller) throw new Error('no progression scroll box');
      const seen = new Set<string>();
      let maxMounted = 0;
      const frame = (): Promise<void> =>
        new Promise((done) => w.requestAnimationFrame(() => done()));
      const steps = 40;
      for (let i = 0; i <= steps; i++) {
        scroller.scrollTop = (scroller.scrollHeight * i) / steps;
        // Until the rows of this position have their data (a row still loading has no test id).
        let frames = 0;
        let hasRows = false;
        do {
          await frame();
          const rows = w.document.querySelectorAll('[data-testid="release-progression-row"]');
          maxMounted = Math.max(maxMounted, rows.length);
          const before = seen.size;
          for (const row of rows) seen.add(row.dataset.store ?? '');
          hasRows = rows.length > 0 && (i === 0 || seen.size > before || frames > 30);
          if (++frames > 600) throw new Error(`the rows at step ${i} did not arrive`);
        } while (!hasRows);
      }
      return { maxMounted, distinctRows: seen.size };
    });
  } finally {
    await context.close();
  }
}

async function measureNaive(browser: Browser, web: WebServer): Promise<number> {
  const context = await browser.newContext({ viewport: { width: 1366, height: 800 } });
  try {
    const page = await context.newPage();
    await page.goto(`${web.url}/naive-progression-baseline`);
    return await page.evaluate(
      async ({ token, releaseId }) => {
        const w = globalThis as unknown as ProbeWindow;
        const start = performance.now();
        const rows: Array<Record<string, string | number | null>> = [];
        for (let offset = 0; ; offset += 500) {
          const response = await fetch('/api/releaseDesk:progression', {
            method: 'POST',
            headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
            body: JSON.stringify({ releaseId, offset, limit: 500 }),
          });
          const result = (await response.json()) as {
            ok: boolean;
            value: { total: number; stores: Array<Record<string, string | number | null>> };
          };
          if (!result.ok) throw new Error('progression failed');
          rows.push(...result.value.stores);
          if (rows.length >= result.value.total) break;
        }
        const table = w.document.createElement('table');
        for (const row of rows) {
          const tr = w.document.createElement('tr');
          for (const key of [
            'storeId',
            'name',
            'region',
            'ring',
            'state',
            'installed',
            'terminals',
          ]) {
            const td = w.document.createElement('td');
            td.textContent = String(row[key] ?? '');
            tr.appendChild(td);
          }
          table.appendChild(tr);
        }
        w.document.body.replaceChildren(table);
        void w.document.body.offsetHeight;
        await new Promise((done) => w.requestAnimationFrame(() => done(null)));
        return Math.round(performance.now() - start);
      },
      { token: web.token, releaseId: R },
    );
  } finally {
    await context.close();
  }
}

async function runWebProgression(): Promise<BenchResult> {
  return withDeskInBrowser(
    {
      tmpPrefix: 'dearpos-bench-progression-',
      deskRole: 'release',
      // A 50,000-terminal import is one statement on PostgreSQL.
      seed: async (central) => {
        const db = central.server.store.db;
        const now = new Date();
        for (const [id, version] of [
          ['rel-4.4.0', '4.4.0'],
          [R, '5.0.0'],
        ] as const)
          await publishRelease(
            db,
            {
              id,
              version,
              type: 'minor',
              ring: 'pilot',
              status: 'rolling_out',
              plannedAt: null,
              actualAt: null,
              title: `DearPOS ${version}`,
              notesMarkdown: '',
            },
            now,
          );
        await setRingTarget(db, { ring: 'pilot', releaseId: R }, now);
        const stores = Array.from({ length: STORES }, (_, s) => ({
          id: `S-${String(s).padStart(4, '0')}`,
          name: `Store ${s}`,
          region: `Region ${s % 10}`,
          ring: RINGS[s % RINGS.length]!,
          timezone: 'Europe/Paris',
        }));
        const terminals = stores.flatMap((s, n) =>
          Array.from({ length: TERMINALS }, (_, i) => ({
            id: `${s.id}-T${i}`,
            storeId: s.id,
            name: `Lane ${i}`,
            model: 'X1',
            serial: `SN-${s.id}-${i}`,
            installed: {
              releaseId: n % 4 === 0 || (n % 4 === 1 && i < 5) ? R : 'rel-4.4.0',
              since: '2026-01-01T00:00:00Z',
            },
            lastSeen: null,
          })),
        );
        await importFleet(db, { stores, terminals }, now);
      },
    },
    async ({ browser, web }) => {
      await measureReady(browser, web); // warm-up
      const runsMs: number[] = [];
      for (let i = 0; i < 5; i++) runsMs.push(await measureReady(browser, web));
      const scroll = await measureScroll(browser, web);
      if (scroll.maxMounted > MAX_MOUNTED_ROWS)
        throw new Error(
          `${scroll.maxMounted} rows mounted at once; the limit is ${MAX_MOUNTED_ROWS}`,
        );
      const baselineRunsMs: number[] = [];
      for (let i = 0; i < 2; i++) baselineRunsMs.push(await measureNaive(browser, web));
      const value = median(runsMs);
      const baseline = median(baselineRunsMs);
      return {
        name: NAME,
        value,
        unit: 'ms',
        baseline,
        ratio: round(baseline / value),
        target: `≤ ${TARGET_MS} ms, ≤ ${MAX_MOUNTED_ROWS} rows mounted`,
        isTargetMet: value <= TARGET_MS && scroll.maxMounted <= MAX_MOUNTED_ROWS,
        notes:
          `median of ${runsMs.length} cold page loads (${runsMs.join(', ')} ms) after a warm-up, headless Chromium, ${STORES} stores / ${STORES * TERMINALS} terminals on a central server on loopback; ` +
          `at most ${scroll.maxMounted} rows mounted while scrolling past ${scroll.distinctRows}; ` +
          `baseline: median of ${baselineRunsMs.length} whole-list loads (${STORES / 500} × 500) into a plain table (${baselineRunsMs.join(', ')} ms)`,
      };
    },
  );
}

export const webProgression: Benchmark = {
  name: NAME,
  description:
    'browser mode as a release desk, 5,000 stores / 50,000 terminals: navigation to a usable progression screen (median) vs fetching and rendering every store as a plain table',
  run: runWebProgression,
};

if (import.meta.main) {
  process.stdout.write(`${JSON.stringify(await runWebProgression(), null, 2)}\n`);
}
