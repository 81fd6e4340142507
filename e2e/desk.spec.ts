/**
 * In Chromium: a support desk enrolled for all stores against a
 * real central server (the demo catalog and its history, plus 300 more
 * stores), the Stores screen virtualized with each store's state for a
 * release, a store's drill-down, and the cached list still shown, with its
 * age, once the server is gone. Screenshots at 1366×800.
 */
import { join } from 'node:path';
import { importFleet } from '../src/server/catalog/service.ts';
import { runDemo } from '../src/server/demo.ts';
import { startTestServer, type TestServer } from '../src/server/testing/harness.ts';
import { DEMO_USERS } from '../src/main/demo/demoCatalog.ts';
import { AUDIT_TEST_IDS } from '../src/renderer/features/audit/testIds.ts';
import { DESK_TEST_IDS } from '../src/renderer/features/desk/testIds.ts';
import { expect, SCREENSHOT_DIR, signIn, test } from './fixtures.ts';

const support = DEMO_USERS.find((u) => u.role === 'support')!;
let central: TestServer | null = null;

test.afterEach(async () => {
  await central?.close();
  central = null;
});

test('a desk sees every store in scope with its state, drills down, and keeps the list offline', async ({
  page,
  console: c,
}) => {
  central = await startTestServer();
  await runDemo(central.server, central.url);
  const regions = ['Europe', 'North America', 'Asia Pacific'];
  const stores = Array.from({ length: 300 }, (_, i) => ({
    id: `st-x-${String(i).padStart(3, '0')}`,
    name: `Outlet ${i + 1}`,
    region: regions[i % 3]!,
    ring: 'general' as const,
    timezone: 'Europe/Paris',
  }));
  const terminals = stores.flatMap((s, i) =>
    Array.from({ length: 4 + (i % 5) }, (_, n) => ({
      id: `${s.id}-t${n}`,
      storeId: s.id,
      name: `Lane ${n + 1}`,
      model: 'PAX A920 Pro',
      serial: `SN-${s.id}-${n}`,
      installed: {
        releaseId: n % 3 === 0 ? 'rel-4.4.0' : 'rel-5.0.0',
        since: '2026-02-01T00:00:00Z',
      },
      lastSeen: '2026-03-05T10:00:00Z',
    })),
  );
  await importFleet(central.server.store.db, { stores, terminals }, new Date());
  const code = await central.call('POST', '/v1/admin/desk-enrollment-codes', {
    token: central.adminToken,
    body: { scope: 'all', role: 'support' },
  });
  expect(code.status).toBe(200);

  await c.call('demo:load', {});
  await page.setViewportSize({ width: 1366, height: 800 });
  await page.goto(c.url);
  await signIn(page, support);
  await page.getByTestId(DESK_TEST_IDS.nav).click();
  const form = page.getByTestId(DESK_TEST_IDS.connectForm);
  await form.getByLabel('Central server address').fill(central.url);
  await form.getByLabel('Desk enrollment code').fill(code.body.code as string);
  await form.getByRole('button', { name: 'Connect desk' }).click();
  await expect(page.getByTestId(DESK_TEST_IDS.screen)).toBeVisible();
  await expect(page.getByTestId(DESK_TEST_IDS.age)).toContainText('Not fetched yet');
  await page.getByTestId(DESK_TEST_IDS.refresh).click();
  await expect(page.getByTestId(DESK_TEST_IDS.age)).toContainText('Fetched');
  const rows = page.getByTestId(DESK_TEST_IDS.row);
  await expect(rows.first()).toBeVisible();
  // Virtualized: far fewer rows mounted than the 300-odd stores in scope.
  expect(await rows.count()).toBeLessThan(60);
  await expect(page.getByText(/^3\d\d stores$/)).toBeVisible();
  await page.screenshot({ path: join(SCREENSHOT_DIR, 'desk-stores-1366x800.png') });

  await page.getByTestId(DESK_TEST_IDS.row).filter({ hasText: 'st-par-01' }).click();
  const detail = page.getByTestId(DESK_TEST_IDS.detail);
  await expect(detail.getByText('st-par-01-t1')).toBeVisible();
  await page.screenshot({ path: join(SCREENSHOT_DIR, 'desk-store-detail-1366x800.png') });
  await page.keyboard.press('Escape');

  // Who changed what centrally: the desk's drawer, reached by keyboard, then the audit screen.
  await page.getByTestId(AUDIT_TEST_IDS.deskCentralActions).focus();
  await page.keyboard.press('Enter');
  const actions = page.getByTestId(AUDIT_TEST_IDS.centralRow);
  await expect(actions.first()).toContainText('Desk enrollment code issued');
  await expect(actions.first()).toContainText('Test administrator');
  await expect(actions.filter({ hasText: 'Ada Admin' }).first()).toBeVisible();
  await page.screenshot({ path: join(SCREENSHOT_DIR, 'desk-central-actions-1366x800.png') });
  await page.keyboard.press('Escape');
  await page.getByTestId(AUDIT_TEST_IDS.nav).click();
  await expect(
    page.getByTestId(AUDIT_TEST_IDS.centralActions).getByTestId(AUDIT_TEST_IDS.centralRow).first(),
  ).toContainText('Desk enrollment code issued');
  await page.screenshot({ path: join(SCREENSHOT_DIR, 'audit-central-actions-1366x800.png') });
  await page.getByTestId(DESK_TEST_IDS.nav).click();

  // The server is gone: the list stays, with its age, and the refresh says why it failed.
  await central.close();
  central = null;
  await page.getByTestId(DESK_TEST_IDS.refresh).click();
  await expect(page.getByText(/Showing the copy kept on this console/)).toBeVisible();
  await expect(rows.first()).toBeVisible();
  await page.screenshot({ path: join(SCREENSHOT_DIR, 'desk-stores-offline-1366x800.png') });
  expect(c.problems).toEqual([]);
});
