/**
 * Set-up and sign-in as a new user meets them, in Chromium against the real
 * back end (and, for enrollment, the real central server): the demo fleet's
 * sign-in screen names its users and PINs and works from the keyboard alone;
 * its Sync screen and status bar say its records are never sent; a first-run
 * console is enrolled under the name typed in the Connect form.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  startCentralServer,
  type CentralServerProcess,
} from '../src/main/sync/testing/centralServer.ts';
import { SYNC_TEST_IDS } from '../src/renderer/features/sync/testIds.ts';
import { TEST_IDS } from '../src/renderer/testIds.ts';
import { expect, SCREENSHOT_DIR, test } from './fixtures.ts';

const SIZES = [
  { width: 1366, height: 800 },
  { width: 1920, height: 1080 },
] as const;

for (const size of SIZES) {
  test(`demo fleet at ${size.width}×${size.height}: sign in from the keyboard with a PIN the screen shows, and the Sync screen says nothing is sent`, async ({
    page,
    console: c,
  }) => {
    mkdirSync(SCREENSHOT_DIR, { recursive: true });
    await page.setViewportSize(size);
    await page.goto(c.url);
    await page.getByTestId(TEST_IDS.demoLoad).click();

    // The cursor is in the user field; the demo users are listed with their PINs.
    const user = page.getByTestId(TEST_IDS.signInUser);
    await expect(user).toBeFocused();
    const hint = page.getByTestId('sign-in-demo-users');
    await expect(hint).toContainText('Tess Tran');
    await expect(hint.getByRole('row', { name: /Maya Moreau/ })).toContainText('2222');
    await page.screenshot({
      path: join(SCREENSHOT_DIR, `sign-in-demo-${size.width}.png`),
    });

    // Type a name, Enter, the PIN, Enter: signed in without the mouse.
    await page.keyboard.type('tess');
    await page.keyboard.press('Enter');
    await expect(page.getByTestId(TEST_IDS.signInPin)).toBeFocused();
    await page.keyboard.type('1111');
    await page.keyboard.press('Enter');
    await expect(page.getByTestId(TEST_IDS.statusUser)).toContainText('Tess Tran');

    await page.getByTestId(SYNC_TEST_IDS.nav).click();
    await expect(page.getByTestId(SYNC_TEST_IDS.demo)).toContainText(
      'never sent to a central server',
    );
    await expect(page.getByTestId(SYNC_TEST_IDS.connectSubmit)).toHaveCount(0);
    await expect(page.getByTestId(TEST_IDS.statusPending)).toContainText(
      'kept here (demo, never sent)',
    );
    await expect(page.getByTestId(TEST_IDS.statusOnline)).toHaveText('Demo fleet');
    await expect(page.getByText(/sent once it is/)).toHaveCount(0);
    await page.screenshot({ path: join(SCREENSHOT_DIR, `sync-demo-${size.width}.png`) });
    expect(c.problems).toEqual([]);
  });
}

let serverDir: string | null = null;
let server: CentralServerProcess | null = null;
test.afterEach(async () => {
  await server?.kill();
  server = null;
  if (serverDir) rmSync(serverDir, { recursive: true, force: true });
  serverDir = null;
});

test('a first-run console is enrolled under the name typed in the Connect form, as admins see it', async ({
  page,
  console: c,
}) => {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  await page.setViewportSize({ width: 1366, height: 800 });
  serverDir = mkdtempSync(join(tmpdir(), 'dearpos-e2e-server-'));
  server = await startCentralServer({ dataDir: serverDir, isDemo: true });

  await page.goto(c.url);
  await page.getByTestId(SYNC_TEST_IDS.connectUrl).fill(server.url);
  await page.getByTestId(SYNC_TEST_IDS.connectCode).fill(server.enrollmentCode!);
  // A line break cannot be typed into the field; a name too long is refused before the code is spent.
  await page.getByTestId(SYNC_TEST_IDS.connectName).fill('x'.repeat(65));
  await page.getByTestId(SYNC_TEST_IDS.connectSubmit).click();
  await expect(page.getByText('a device name has at most 64 characters')).toBeVisible();
  await page.getByTestId(SYNC_TEST_IDS.connectName).fill('Paris back office');
  await page.screenshot({ path: join(SCREENSHOT_DIR, 'welcome-connect-name.png') });
  await page.getByTestId(SYNC_TEST_IDS.connectSubmit).click();
  // Enrolled: the catalog arrives and the sign-in screen replaces the welcome screen.
  await expect(page.getByTestId(TEST_IDS.signInUser)).toBeVisible({ timeout: 20_000 });

  const response = await fetch(`${server.url}/v1/admin/devices`, {
    headers: { authorization: `Bearer ${server.adminToken}` },
  });
  const { devices } = (await response.json()) as {
    devices: Array<{ id: string; name: string | null }>;
  };
  const status = await c.call('session:status', {});
  expect(devices.find((d) => d.id === status.deviceId)?.name).toBe('Paris back office');
  // A real catalog: no demo users on its sign-in screen.
  await expect(page.getByTestId('sign-in-demo-users')).toHaveCount(0);
});
