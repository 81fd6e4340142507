/**
 * A real fleet's catalog (no demo PIN policy): a user whose PIN is shorter
 * than 6 digits cannot sign in, and the sign-in screen says why and what to do.
 */
import { join } from 'node:path';
import { hashPinSync } from '../src/main/session/pin.ts';
import { buildDemoCatalog } from '../src/main/demo/demoCatalog.ts';
import { loadCatalog } from '../src/main/fleet/catalog.ts';
import { TEST_IDS } from '../src/renderer/testIds.ts';
import { expect, pickOption, SCREENSHOT_DIR, test } from './fixtures.ts';

test('a PIN shorter than the catalog policy is refused with a message saying to ask for a new PIN', async ({
  page,
  console: target,
}) => {
  const { pinPolicy: _demoPolicy, ...demo } = buildDemoCatalog();
  loadCatalog(
    target.app.db,
    {
      ...demo,
      users: [
        { ...demo.users[0]!, pinHash: hashPinSync('4821') },
        { ...demo.users[1]!, pinHash: hashPinSync('482193') },
      ],
    },
    { source: 'https://central.example.com', now: () => new Date() },
  );
  await page.setViewportSize({ width: 1366, height: 800 });
  await page.goto(target.url);
  await pickOption(page, TEST_IDS.signInUser, new RegExp(demo.users[0]!.name));
  await page.getByTestId(TEST_IDS.signInPin).fill('4821');
  await page.getByTestId(TEST_IDS.signInSubmit).click();
  await expect(page.getByTestId(TEST_IDS.signInError)).toContainText(
    'PINs here have at least 6 digits',
  );
  await expect(page.getByTestId(TEST_IDS.signInError)).toContainText('ask an administrator');
  await page.screenshot({ path: join(SCREENSHOT_DIR, 'signin-pin-below-policy-1366.png') });

  // A user with a 6-digit PIN signs in as usual.
  await pickOption(page, TEST_IDS.signInUser, new RegExp(demo.users[1]!.name));
  await page.getByTestId(TEST_IDS.signInPin).fill('482193');
  await page.getByTestId(TEST_IDS.signInSubmit).click();
  await expect(page.getByTestId(TEST_IDS.statusUser)).toContainText(demo.users[1]!.name);
  expect(target.problems).toEqual([]);
});
