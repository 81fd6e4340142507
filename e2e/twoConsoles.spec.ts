/**
 * Two browser-mode consoles of one store and one central server, in
 * Chromium: a version recorded on the technician's console shows on the
 * manager's after both sync, with where it came from (which console, who)
 * and that the central log holds it; the Sync screen lists the records and
 * their way to the central log. Screenshots of both consoles.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { DEMO_USERS } from '../src/main/demo/demoCatalog.ts';
import { issueEnrollmentCode } from '../src/main/crossDevice/testing.ts';
import {
  startCentralServer,
  type CentralServerProcess,
} from '../src/main/sync/testing/centralServer.ts';
import { SYNC_TEST_IDS } from '../src/renderer/features/sync/testIds.ts';
import { TEST_IDS } from '../src/renderer/testIds.ts';
import {
  expect,
  pickOption,
  SCREENSHOT_DIR,
  startConsole,
  stillMotion,
  stopConsole,
  test,
  type ConsoleUnderTest,
} from './fixtures.ts';

// The test ids of ProvenanceBadge.tsx and SyncQueueList.tsx (the e2e project type-checks no JSX).
const PROVENANCE_TEST_IDS = { badge: 'provenance-badge', device: 'provenance-device' } as const;
const SYNC_QUEUE_TEST_IDS = {
  list: 'sync-queue',
  item: 'sync-queue-item',
  kind: (kind: string) => `sync-queue-kind-${kind}`,
} as const;

const STORE = 'st-par-01';
const TERMINAL = 'st-par-01-t3';
const tess = DEMO_USERS.find((u) => u.id === 'u-tess')!;
const maya = DEMO_USERS.find((u) => u.id === 'u-maya')!;

let serverDir: string;
let server: CentralServerProcess | null = null;
let other: ConsoleUnderTest | null = null;

test.afterEach(async () => {
  if (other) await stopConsole(other);
  other = null;
  await server?.kill();
  server = null;
  rmSync(serverDir, { recursive: true, force: true });
});

async function connectAndSignIn(
  page: Page,
  url: string,
  code: string,
  user: { name: string; pin: string },
): Promise<void> {
  await page.goto(url);
  await page.getByTestId(SYNC_TEST_IDS.connectUrl).fill(server!.url);
  await page.getByTestId(SYNC_TEST_IDS.connectCode).fill(code);
  await page.getByTestId(SYNC_TEST_IDS.connectSubmit).click();
  await pickOption(page, TEST_IDS.signInUser, new RegExp(user.name));
  await page.getByTestId(TEST_IDS.signInPin).fill(user.pin);
  await page.getByTestId(TEST_IDS.signInSubmit).click();
  await expect(page.getByTestId(TEST_IDS.statusUser)).toContainText(user.name);
}

async function syncNow(page: Page): Promise<void> {
  await page.getByTestId(SYNC_TEST_IDS.nav).click();
  await page.getByTestId(SYNC_TEST_IDS.syncNow).click();
  await expect(page.getByTestId(SYNC_TEST_IDS.pending)).toHaveAttribute('data-count', '0');
  await expect(page.getByTestId(SYNC_TEST_IDS.lastError)).toHaveText('None');
}

test('a version recorded on one console shows on the other console of the store, with where it came from', async ({
  page,
  browser,
  console: a,
}) => {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  serverDir = mkdtempSync(join(tmpdir(), 'dearpos-e2e-server-'));
  server = await startCentralServer({ dataDir: serverDir, isDemo: true });
  other = await startConsole();
  const b = other;
  const viewport = { width: 1366, height: 800 };
  await page.setViewportSize(viewport);
  const context = await browser.newContext({ viewport });
  await stillMotion(context);
  const pageB = await context.newPage();
  pageB.on('pageerror', (error) =>
    b.problems.push(`page error at ${pageB.url()}: ${error.message} ${error.stack ?? ''}`),
  );

  await connectAndSignIn(page, a.url, server.enrollmentCode!, tess);
  await connectAndSignIn(pageB, b.url, await issueEnrollmentCode(server, STORE), maya);

  // The technician records the version on console A.
  const version = '4.4.0';
  await page.goto(`${a.url}#/fleet/terminals/${TERMINAL}`);
  await expect(page.getByTestId(TEST_IDS.terminalDetail)).toBeVisible();
  await page.getByTestId(TEST_IDS.recordVersionInput).fill(version);
  await page.getByTestId(TEST_IDS.recordVersionSubmit).click();
  const newest = page.getByTestId(TEST_IDS.historyEntry).first();
  await expect(newest).toContainText(version);
  await expect(newest.getByTestId(PROVENANCE_TEST_IDS.badge)).toContainText('This console');
  // Browser mode syncs in the background: the record goes to the central log by itself.
  await expect(newest.getByTestId(PROVENANCE_TEST_IDS.badge)).toContainText('In central log');
  await page.screenshot({ path: join(SCREENSHOT_DIR, 'two-consoles-a-recorded.png') });

  // Before B syncs, B does not know it.
  await pageB.goto(`${b.url}#/fleet/terminals/${TERMINAL}`);
  await expect(pageB.getByTestId(TEST_IDS.terminalDetail)).toBeVisible();
  await expect(pageB.getByTestId(TEST_IDS.historyEntry).first()).not.toContainText(`${version}`);

  // Both sync.
  await page.keyboard.press('Escape');
  await syncNow(page);
  await expect(page.getByTestId(SYNC_QUEUE_TEST_IDS.list)).toBeVisible();
  await page.getByTestId(SYNC_QUEUE_TEST_IDS.kind('sent')).click();
  await expect(page.getByTestId(SYNC_QUEUE_TEST_IDS.item).first()).toContainText(
    'Version recorded',
  );
  await page.screenshot({ path: join(SCREENSHOT_DIR, 'two-consoles-a-sync.png') });
  await pageB.keyboard.press('Escape');
  await syncNow(pageB);

  // B shows it, recorded by Tess on the other console, in the central log.
  await pageB.goto(`${b.url}#/fleet/terminals/${TERMINAL}`);
  const onB = pageB.getByTestId(TEST_IDS.historyEntry).first();
  await expect(onB).toContainText(version);
  await expect(onB).toContainText(tess.name);
  const badge = onB.getByTestId(PROVENANCE_TEST_IDS.badge);
  await expect(badge).toHaveAttribute('data-this-console', 'false');
  // A by the name the server lists for it (the default "<store> console <n>"), its id in the tooltip.
  const device = badge.getByTestId(PROVENANCE_TEST_IDS.device);
  await expect(device).toHaveText(new RegExp(`^st-par-01 console \\d+ · ${tess.name}$`));
  await expect(device).toHaveAttribute('data-device-id', a.app.deviceId);
  await expect(device).toHaveAttribute('title', new RegExp(`\\(device ${a.app.deviceId}\\)$`));
  await expect(badge).toContainText('In central log');
  await pageB.screenshot({ path: join(SCREENSHOT_DIR, 'two-consoles-b-terminal.png') });
  // And in the fleet: the terminal row on B shows the new version.
  const row = await b.call('fleet:getTerminal', { terminalId: TERMINAL });
  expect(row.terminal.version).toBe(version);

  expect(a.problems).toEqual([]);
  expect(b.problems).toEqual([]);
  await context.close();
});
