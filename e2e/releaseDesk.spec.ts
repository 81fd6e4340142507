/**
 * In Chromium: a release desk enrolled for all stores against a real central
 * server (the demo catalog and its history, plus 600 more stores): the
 * progression of one release, its counts per ring and state, a count that
 * filters the list, the list virtualized, and a store's drill-down.
 * Screenshots at 1366×800.
 */
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { importFleet } from '../src/server/catalog/service.ts';
import { runDemo } from '../src/server/demo.ts';
import { startTestServer, type TestServer } from '../src/server/testing/harness.ts';
import { DEMO_USERS } from '../src/main/demo/demoCatalog.ts';
import { DESK_TEST_IDS } from '../src/renderer/features/desk/testIds.ts';
import { RELEASE_DESK_TEST_IDS } from '../src/renderer/features/releaseDesk/testIds.ts';
import { expect, SCREENSHOT_DIR, seriousA11yFindings, signIn, test } from './fixtures.ts';

const support = DEMO_USERS.find((u) => u.role === 'support')!;
let central: TestServer | null = null;

/**
 * Serious and critical axe findings on the page (or inside `within`), in light and dark mode.
 * Legacy mode, as every spec's axe runs (fixtures.ts says why); the dark scheme changes colours
 * only, so the dark run checks the colour rules on the elements the light run checked in full.
 */
async function axeFindings(page: Page, within?: string): Promise<string[]> {
  const out: string[] = [];
  for (const colorScheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme });
    await expect(page.locator('html')).toHaveAttribute('data-mantine-color-scheme', colorScheme);
    out.push(
      ...(await seriousA11yFindings(
        page,
        colorScheme,
        within,
        colorScheme === 'dark' ? 'colour' : 'all',
      )),
    );
  }
  await page.emulateMedia({ colorScheme: 'light' });
  return out;
}

test.afterEach(async () => {
  await central?.close();
  central = null;
});

test("a release desk sees one release's state at every store, counts per ring, and drills down", async ({
  page,
  console: c,
}) => {
  central = await startTestServer();
  await runDemo(central.server, central.url);
  const rings = ['pilot', 'early', 'general'] as const;
  const stores = Array.from({ length: 600 }, (_, i) => ({
    id: `st-x-${String(i).padStart(3, '0')}`,
    name: `Outlet ${i + 1}`,
    region: 'Europe',
    ring: rings[i % 3]!,
    timezone: 'Europe/Paris',
  }));
  const terminals = stores.flatMap((s, i) =>
    Array.from({ length: 4 }, (_, n) => ({
      id: `${s.id}-t${n}`,
      storeId: s.id,
      name: `Lane ${n + 1}`,
      model: 'PAX A920 Pro',
      serial: `SN-${s.id}-${n}`,
      installed: {
        // A third of the stores fully on 5.0.0, a third part way, a third not yet.
        releaseId: i % 3 === 0 || (i % 3 === 1 && n < 2) ? 'rel-5.0.0' : 'rel-4.4.0',
        since: '2026-02-01T00:00:00Z',
      },
      lastSeen: '2026-03-05T10:00:00Z',
    })),
  );
  await importFleet(central.server.store.db, { stores, terminals }, new Date());
  const code = await central.call('POST', '/v1/admin/desk-enrollment-codes', {
    token: central.adminToken,
    body: { scope: 'all', role: 'release' },
  });
  expect(code.status).toBe(200);

  await c.call('demo:load', {});
  await page.setViewportSize({ width: 1366, height: 800 });
  await page.goto(c.url);
  await signIn(page, support);
  // Not connected yet: the screen says where to connect.
  await page.getByTestId(RELEASE_DESK_TEST_IDS.nav).click();
  await expect(page.getByText('This console is not connected as a desk yet.')).toBeVisible();
  await page.getByRole('link', { name: 'Connect it on the Desk screen' }).click();
  const form = page.getByTestId(DESK_TEST_IDS.connectForm);
  await form.getByLabel('Central server address').fill(central.url);
  await form.getByLabel('Desk enrollment code').fill(code.body.code as string);
  await form.getByRole('button', { name: 'Connect desk' }).click();
  await expect(page.getByTestId(DESK_TEST_IDS.screen)).toBeVisible();

  await page.getByTestId(RELEASE_DESK_TEST_IDS.nav).click();
  await expect(page.getByTestId(RELEASE_DESK_TEST_IDS.screen)).toBeVisible();
  // The newest release is chosen first.
  await expect(page.getByRole('combobox', { name: 'Release', exact: true })).toHaveValue(
    /^5\.0\.0/,
  );
  const summary = page.getByTestId(RELEASE_DESK_TEST_IDS.summary);
  await expect(summary).toBeVisible();
  const rows = page.getByTestId(RELEASE_DESK_TEST_IDS.row);
  await expect(rows.first()).toBeVisible();
  // Virtualized: far fewer rows mounted than the 600-odd stores in scope.
  expect(await rows.count()).toBeLessThan(60);
  await page.screenshot({ path: join(SCREENSHOT_DIR, 'release-progression-1366x800.png') });
  expect(await axeFindings(page)).toEqual([]);

  // The early ring's "in progress" count lists exactly those stores.
  const early = summary.locator('tr[data-ring="early"] td[data-state="in_progress"] button');
  const label = (await early.getAttribute('aria-label')) ?? '';
  const n = Number(/^(\d+)/.exec(label.replace(/[,.]/g, ''))?.[1]);
  expect(n).toBeGreaterThanOrEqual(200);
  await early.click();
  await expect(page.getByTestId(RELEASE_DESK_TEST_IDS.total)).toHaveText(`${n} stores`);
  const states = page
    .getByTestId(RELEASE_DESK_TEST_IDS.row)
    .getByTestId(RELEASE_DESK_TEST_IDS.state);
  await expect(states.first()).toHaveAttribute('data-state', 'in_progress');
  await page.screenshot({
    path: join(SCREENSHOT_DIR, 'release-progression-filtered-1366x800.png'),
  });

  await rows.filter({ hasText: 'st-x-001' }).click();
  const detail = page.getByTestId(DESK_TEST_IDS.detail);
  await expect(detail.getByText('st-x-001-t3')).toBeVisible();
  await page.screenshot({ path: join(SCREENSHOT_DIR, 'release-progression-store-1366x800.png') });
  expect(await axeFindings(page, '[role="dialog"]')).toEqual([]);
  expect(c.problems).toEqual([]);
});
