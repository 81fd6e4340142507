/**
 * web.inbox100k: browser mode as a support desk over 100,000 bug reports
 * (5,000 stores in 10 regions, the same read models as
 * feedback.search100k.postgres), in headless Chromium. A console (demo
 * catalog, signed in as support) is connected as a support desk to a real
 * central server on loopback (PostgreSQL); the time from navigation start to
 * the inbox's first rows as the page sees them, median of cold page loads
 * after a warm-up. Then the inbox is scrolled end to end, sampling the rows
 * mounted at once (the windowing: at most 100).
 *
 * Baseline, in the same run: the naive inbox that takes the list whole: a
 * page on the same origin fetches all 100,000 reports (500 a call, one after
 * another) and renders them into a plain table.
 *
 * Run alone: npx node bench/webInbox.ts
 */
import type { Browser } from 'playwright-core';
import type { WebServer } from '../src/main/web/server.ts';
import { withDeskInBrowser, type ProbeWindow } from './deskInBrowser.ts';
import { seedInbox } from './feedbackSearch.ts';
import { median, round, type Benchmark, type BenchResult } from './types.ts';

const NAME = 'web.inbox100k';
const TARGET_MS = 1500;
const MAX_MOUNTED_ROWS = 100;
/** What seedInbox puts in the read models. */
const REPORTS = 100_000;
const ROW = '[data-testid="support-inbox-row"]';

async function measureFirstRows(browser: Browser, web: WebServer): Promise<number> {
  const context = await browser.newContext({ viewport: { width: 1366, height: 800 } });
  try {
    const page = await context.newPage();
    await page.goto(`${web.url}#/support`, { waitUntil: 'commit' });
    const readyAt = await page.evaluate(async (row) => {
      const w = globalThis as unknown as ProbeWindow;
      const deadline = performance.now() + 30_000;
      while (performance.now() < deadline) {
        if (w.document.querySelector(row) !== null) return performance.now();
        await new Promise((done) => w.requestAnimationFrame(() => done(null)));
      }
      throw new Error('the inbox showed no rows after 30 s');
    }, ROW);
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
    await page.goto(`${web.url}#/support`);
    await page.waitForSelector(ROW, { timeout: 30_000 });
    return await page.evaluate(async (row) => {
      const w = globalThis as unknown as ProbeWindow;
      // The table's last child is its scroll box (the first is the header row).
      const scroller = w.document.querySelector(
        '[data-testid="support-inbox-table"] > div:last-child',
      );
      if (!scroller?.firstElementChild) throw new Error('no inbox scroll box');
      const rows = scroller.firstElementChild;
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
          // Every mounted row counts, loading placeholders too.
          maxMounted = Math.max(maxMounted, rows.childElementCount);
          const before = seen.size;
          for (const r of w.document.querySelectorAll(row)) seen.add(r.dataset.reportId ?? '');
          hasRows = i === 0 || seen.size > before || frames > 30;
          if (++frames > 600) throw new Error(`the rows at step ${i} did not arrive`);
        } while (!hasRows);
      }
      return { maxMounted, distinctRows: seen.size };
    }, ROW);
  } finally {
    await context.close();
  }
}

async function measureNaive(browser: Browser, web: WebServer): Promise<number> {
  const context = await browser.newContext({ viewport: { width: 1366, height: 800 } });
  try {
    const page = await context.newPage();
    await page.goto(`${web.url}/naive-inbox-baseline`);
    return await page.evaluate(
      async ({ token }) => {
        const w = globalThis as unknown as ProbeWindow;
        const start = performance.now();
        const rows: Array<Record<string, string | number | null>> = [];
        for (let offset = 0; ; offset += 500) {
          const response = await fetch('/api/supportDesk:reports', {
            method: 'POST',
            headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
            body: JSON.stringify({ offset, limit: 500 }),
          });
          const result = (await response.json()) as {
            ok: boolean;
            value: { total: number; rows: Array<Record<string, string | number | null>> };
          };
          if (!result.ok) throw new Error('inbox failed');
          rows.push(...result.value.rows);
          if (rows.length >= result.value.total || result.value.rows.length === 0) break;
        }
        const table = w.document.createElement('table');
        for (const row of rows) {
          const tr = w.document.createElement('tr');
          for (const key of ['title', 'storeName', 'status', 'severity', 'assignee', 'updatedAt']) {
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
      { token: web.token },
    );
  } finally {
    await context.close();
  }
}

async function runWebInbox(): Promise<BenchResult> {
  return withDeskInBrowser(
    {
      tmpPrefix: 'dearpos-bench-inbox-',
      deskRole: 'support',
      seed: (central) => seedInbox(central.server.store.db),
    },
    async ({ browser, web }) => {
      await measureFirstRows(browser, web); // warm-up
      const runsMs: number[] = [];
      for (let i = 0; i < 5; i++) runsMs.push(await measureFirstRows(browser, web));
      const scroll = await measureScroll(browser, web);
      if (scroll.maxMounted > MAX_MOUNTED_ROWS)
        throw new Error(
          `${scroll.maxMounted} rows mounted at once; the limit is ${MAX_MOUNTED_ROWS}`,
        );
      // One whole-list load: 200 calls, each deeper in the list than the last.
      const baseline = await measureNaive(browser, web);
      const value = median(runsMs);
      return {
        name: NAME,
        value,
        unit: 'ms',
        baseline,
        ratio: round(baseline / value),
        target: `≤ ${TARGET_MS} ms to the first rows, ≤ ${MAX_MOUNTED_ROWS} rows mounted`,
        isTargetMet: value <= TARGET_MS && scroll.maxMounted <= MAX_MOUNTED_ROWS,
        notes:
          `median of ${runsMs.length} cold page loads (${runsMs.join(', ')} ms) after a warm-up, headless Chromium, ${REPORTS.toLocaleString('en')} reports of 5,000 stores on a central server (PostgreSQL) on loopback; ` +
          `at most ${scroll.maxMounted} rows mounted while scrolling end to end past ${scroll.distinctRows}; ` +
          `baseline: one whole-list load (${REPORTS / 500} × 500) into a plain table`,
      };
    },
  );
}

export const webInbox: Benchmark = {
  name: NAME,
  description:
    'browser mode as a support desk, 100,000 bug reports: navigation to the inbox’s first rows (median) vs fetching and rendering every report as a plain table',
  run: runWebInbox,
};

if (import.meta.main) {
  process.stdout.write(`${JSON.stringify(await runWebInbox(), null, 2)}\n`);
}
