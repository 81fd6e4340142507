/**
 * In Chromium: the release desk blocks a release on a real central server
 * (the demo catalog); a store console pulls the catalog and shows the red
 * banner on every screen, with the reason; unblocking takes it away.
 * Screenshot at 1366×800; axe on the banner.
 */
import { generateKeyPairSync } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { runDemo } from '../src/server/demo.ts';
import { rawPublicKey } from '../src/server/log/keys.ts';
import { startTestServer, type TestServer } from '../src/server/testing/harness.ts';
import { DEMO_USERS } from '../src/main/demo/demoCatalog.ts';
import { BLOCKED_BANNER_TEST_ID } from '../src/renderer/features/releases/blockedBannerTestIds.ts';
import { TEST_IDS } from '../src/renderer/testIds.ts';
import { expect, expectNoSeriousA11yProblems, SCREENSHOT_DIR, signIn, test } from './fixtures.ts';

const STORE = 'st-par-01';
const technician = DEMO_USERS.find((u) => u.role === 'technician' && u.storeIds.includes(STORE))!;
let central: TestServer | null = null;

test.afterEach(async () => {
  await central?.close();
  central = null;
});

test('a release blocked at the release desk shows its banner on a store console, and leaves with the unblock', async ({
  page,
  console: c,
}) => {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  central = await startTestServer();
  await runDemo(central.server, central.url);
  const admin = { token: central.adminToken };
  await central.call('POST', '/v1/admin/users', {
    ...admin,
    body: { id: 'rm-ada', name: 'Ada Release', role: 'admin', pin: '246810', storeIds: [] },
  });
  const deskCode = await central.call('POST', '/v1/admin/desk-enrollment-codes', {
    ...admin,
    body: { scope: 'all', role: 'release' },
  });
  const desk = await central.call('POST', '/v1/desk/enroll', {
    body: {
      code: deskCode.body.code,
      deskId: 'desk-release',
      publicKey: rawPublicKey(generateKeyPairSync('ed25519').privateKey).toString('base64'),
    },
  });
  const deskToken = desk.body.deskToken as string;
  const storeCode = await central.call('POST', '/v1/admin/enrollment-codes', {
    ...admin,
    body: { storeId: STORE },
  });
  await c.call('sync:connect', { serverUrl: central.url, enrollmentCode: storeCode.body.code });

  const blocked = await central.call('POST', '/v1/desk/releases/rel-5.0.0/block', {
    token: deskToken,
    body: { actedBy: 'rm-ada', reason: 'Card payments time out on PAX A920 terminals' },
  });
  expect(blocked.status, JSON.stringify(blocked.body)).toBe(200);

  await page.setViewportSize({ width: 1366, height: 800 });
  await page.goto(c.url);
  await signIn(page, technician);
  await c.call('sync:now', {});
  await page.reload();
  const banner = page.getByTestId(BLOCKED_BANNER_TEST_ID);
  await expect(banner).toBeVisible();
  await expect(banner).toContainText('5.0.0 is blocked by the release desk');
  await expect(banner).toContainText('Card payments time out on PAX A920 terminals');
  await page.screenshot({ path: join(SCREENSHOT_DIR, 'release-blocked-banner.png') });
  await expectNoSeriousA11yProblems(
    page,
    'blocked banner',
    `[data-testid="${BLOCKED_BANNER_TEST_ID}"]`,
  );

  const unblocked = await central.call('POST', '/v1/desk/releases/rel-5.0.0/unblock', {
    token: deskToken,
    body: { actedBy: 'rm-ada' },
  });
  expect(unblocked.status).toBe(200);
  await c.call('sync:now', {});
  await page.reload();
  await expect(page.getByTestId(TEST_IDS.statusUser)).toContainText(technician.name);
  await expect(banner).toHaveCount(0);
  expect(c.problems).toEqual([]);
});
