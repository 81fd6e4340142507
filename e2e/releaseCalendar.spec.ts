/**
 * In Chromium: the release desk's calendar against a real central server
 * with the demo catalog (its stores' Christmas freezes) and a release planned
 * per ring by the admin API: the month view with a day's entries, the list
 * view with plan against actual, a store's trading hours; keyboard moves
 * between days. axe: no serious or critical finding in light and dark mode.
 * Screenshots at 1366×800.
 */
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { loadCatalog, readDemoCatalog } from '../src/server/demo.ts';
import { TEST_ADMIN_ACTED_BY } from '../src/server/testing/admin.ts';
import { startTestServer, type TestServer } from '../src/server/testing/harness.ts';
import { RELEASE_DESK_TEST_IDS } from '../src/renderer/features/releaseDesk/testIds.ts';
import { expect, SCREENSHOT_DIR, seriousA11yFindings, test } from './fixtures.ts';

const ada = { id: 'u-ada', pin: '4444' };
test.use({ consoleOptions: { demo: true, signedInAs: ada } });

let central: TestServer | null = null;
test.afterEach(async () => {
  await central?.close();
  central = null;
});

/** Serious and critical axe findings in `main`, in light and dark mode (the dark run: colour rules only, see fixtures.ts). */
async function seriousFindings(page: Page): Promise<string[]> {
  const out: string[] = [];
  for (const colorScheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme });
    await expect(page.locator('html')).toHaveAttribute('data-mantine-color-scheme', colorScheme);
    out.push(
      ...(await seriousA11yFindings(
        page,
        colorScheme,
        'main',
        colorScheme === 'dark' ? 'colour' : 'all',
      )),
    );
  }
  await page.emulateMedia({ colorScheme: 'light' });
  return out;
}

test('the release calendar shows a month of plans, freezes and trading hours, and the same as lists', async ({
  page,
  console: c,
}) => {
  central = await startTestServer();
  await loadCatalog(central.server, readDemoCatalog(), TEST_ADMIN_ACTED_BY);
  const admin = { token: central.adminToken };
  const plan = await central.call('POST', '/v1/admin/release-plans', {
    ...admin,
    body: {
      releaseId: 'rel-5.0.0',
      rings: [
        { ring: 'pilot', start: '2026-12-01', end: '2026-12-04' },
        { ring: 'early', start: '2026-12-07', end: '2026-12-11' },
      ],
    },
  });
  expect(plan.status, JSON.stringify(plan.body)).toBe(200);
  const code = await central.call('POST', '/v1/admin/desk-enrollment-codes', {
    ...admin,
    body: { scope: 'all', role: 'release' },
  });
  await c.call('desk:connect', {
    serverUrl: central.url,
    enrollmentCode: code.body.code as string,
  });

  await page.setViewportSize({ width: 1366, height: 800 });
  await page.goto(`${c.url}#/release-desk/calendar?month=2026-12`);
  const screen = page.getByTestId(RELEASE_DESK_TEST_IDS.calendarScreen);
  await expect(screen.getByRole('heading', { name: 'December 2026' })).toBeVisible();
  const month = page.getByTestId(RELEASE_DESK_TEST_IDS.calendarMonth);
  const dec2 = month.getByRole('button', { name: /December 2, 2026: \d+ entr/ });
  await expect(dec2).toContainText('5.0.0 Pilot');
  await dec2.click();
  const day = page.getByTestId(RELEASE_DESK_TEST_IDS.calendarDay);
  await expect(day).toContainText('Wednesday, December 2, 2026');
  // Arrow keys move between days; Enter opens the day's entries.
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('Enter');
  await expect(day).toContainText('Wednesday, December 9, 2026');
  await expect(day).toContainText('5.0.0 Early: planned');
  const dec24 = month.getByRole('button', { name: /December 24, 2026/ });
  await dec24.click();
  await expect(day).toContainText('Freeze: Christmas trading');
  await page.screenshot({ path: join(SCREENSHOT_DIR, 'release-calendar-month-1366x800.png') });
  await page.emulateMedia({ colorScheme: 'dark' });
  await page.screenshot({ path: join(SCREENSHOT_DIR, 'release-calendar-month-dark-1366x800.png') });
  await page.emulateMedia({ colorScheme: 'light' });
  expect(await seriousFindings(page)).toEqual([]);

  await screen.getByLabel('Trading hours of store').fill('st-par-01');
  await screen.getByText('List', { exact: true }).click();
  const list = page.getByTestId(RELEASE_DESK_TEST_IDS.calendarList);
  await expect(list.locator('tr[data-ring="pilot"]')).toContainText('2026-12-01 to 2026-12-04');
  await expect(list.locator('tr[data-kind="freeze"]').first()).toContainText('Christmas trading');
  await expect(list.getByRole('heading', { name: /Trading hours of Paris Rivoli/ })).toBeVisible();
  await expect(list).toContainText('08:30–21:00');
  await page.screenshot({
    path: join(SCREENSHOT_DIR, 'release-calendar-list-1366x800.png'),
    fullPage: true,
  });
  await page.emulateMedia({ colorScheme: 'dark' });
  await page.screenshot({ path: join(SCREENSHOT_DIR, 'release-calendar-list-dark-1366x800.png') });
  await page.emulateMedia({ colorScheme: 'light' });
  expect(await seriousFindings(page)).toEqual([]);

  // A month with nothing in it says so.
  await page.goto(`${c.url}#/release-desk/calendar?month=2030-06`);
  await expect(
    page.getByText('Nothing is planned, frozen or scheduled in June 2030.'),
  ).toBeVisible();
  expect(c.problems).toEqual([]);
});
