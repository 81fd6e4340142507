/**
 * Issue 3, acceptance 6: in Chromium, against the real console back end and
 * the REAL central server started with --demo: enroll a first-run console from
 * the welcome screen, sign in with a user from the pulled catalog, record a version while the server is stopped, start the server
 * again, and watch the panel reach 0 pending with the verified tree head; the
 * event is in the central log with a valid inclusion proof.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { eventLeafHashHex, verifyInclusionHex } from '../src/shared/audit/merkle.ts';
import { inclusionProof } from '../src/shared/sync/protocol.ts';
import { DEMO_USERS } from '../src/main/demo/demoCatalog.ts';
import { readCentralLog } from '../src/main/sync/testing/centralLog.ts';
import {
  startCentralServer,
  type CentralServerProcess,
} from '../src/main/sync/testing/centralServer.ts';
import { SYNC_TEST_IDS } from '../src/renderer/features/sync/testIds.ts';
import { TEST_IDS } from '../src/renderer/testIds.ts';
import { expect, pickOption, SCREENSHOT_DIR, test } from './fixtures.ts';

/** The demo server's enrollment code is for the first demo store; this technician works there. */
const DEMO_STORE = 'st-par-01';
const technician = DEMO_USERS.find((u) => u.role === 'technician' && u.storeIds[0] === DEMO_STORE)!;

async function signIn(page: Page): Promise<void> {
  await pickOption(page, TEST_IDS.signInUser, new RegExp(technician.name));
  await page.getByTestId(TEST_IDS.signInPin).fill(technician.pin);
  await page.getByTestId(TEST_IDS.signInSubmit).click();
  await expect(page.getByTestId(TEST_IDS.matrix)).toBeVisible();
}

let serverDir: string;
let server: CentralServerProcess | null = null;

test.afterEach(async () => {
  await server?.kill();
  server = null;
  rmSync(serverDir, { recursive: true, force: true });
});

test('a version recorded while the central server is down reaches its log once it is back, with a verified tree head', async ({
  page,
  console: c,
}) => {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  serverDir = mkdtempSync(join(tmpdir(), 'dearpos-e2e-server-'));
  server = await startCentralServer({ dataDir: serverDir, isDemo: true });
  const { enrollmentCode, auditorToken, port } = server;
  expect(enrollmentCode, server.output.join('\n')).toBeTruthy();

  // First run: connect from the welcome screen; the catalog (and its users) arrives with the first sync.
  await page.goto(c.url);
  await expect(page.getByTestId(TEST_IDS.demoLoad)).toBeVisible();
  await page.getByTestId(SYNC_TEST_IDS.connectUrl).fill(server.url);
  await page.getByTestId(SYNC_TEST_IDS.connectCode).fill(enrollmentCode!);
  await page.screenshot({ path: join(SCREENSHOT_DIR, 'welcome-connect.png') });
  await page.getByTestId(SYNC_TEST_IDS.connectSubmit).click();
  await signIn(page);

  await page.getByTestId(SYNC_TEST_IDS.nav).click();
  await expect(page.getByTestId(SYNC_TEST_IDS.serverUrl)).toHaveText(server.url);
  await page.getByTestId(SYNC_TEST_IDS.syncNow).click();
  await expect(page.getByTestId(SYNC_TEST_IDS.pending)).toHaveAttribute('data-count', '0');
  await expect(page.getByTestId(SYNC_TEST_IDS.treeHeadSize)).toBeVisible();

  // The server goes down; a version is recorded on a terminal of the store.
  await server.kill();
  const page0 = await c.call('fleet:listTerminals', {
    filter: { storeId: DEMO_STORE },
    sort: { key: 'terminal', desc: false },
    offset: 0,
    limit: 1,
  });
  const terminal = page0.rows[0]!;
  const releases = await c.call('fleet:filterOptions', {});
  const target = releases.releases.find((r) => r.id !== terminal.releaseId)!;
  await page.goto(`${c.url}#/fleet/terminals/${terminal.id}`);
  await expect(page.getByTestId(TEST_IDS.terminalDetail)).toBeVisible();
  const historyBefore = await page.getByTestId(TEST_IDS.historyEntry).count();
  await page.getByTestId(TEST_IDS.recordVersionInput).fill(target.version);
  await page.getByTestId(TEST_IDS.recordVersionSubmit).click();
  await expect(page.getByTestId(TEST_IDS.historyEntry)).toHaveCount(historyBefore + 1);

  // Offline: the panel says so in plain words and keeps the event pending.
  await page.keyboard.press('Escape');
  await page.getByTestId(SYNC_TEST_IDS.nav).click();
  await page.getByTestId(SYNC_TEST_IDS.syncNow).click();
  await expect(page.getByTestId(SYNC_TEST_IDS.lastError)).toContainText(/central server/i);
  await expect(page.getByTestId(SYNC_TEST_IDS.pending)).not.toHaveAttribute('data-count', '0');
  await page.screenshot({ path: join(SCREENSHOT_DIR, 'sync-offline.png') });

  // The server is back: Sync now drains the queue and verifies the new tree head.
  server = await startCentralServer({ dataDir: serverDir, port });
  await page.getByTestId(SYNC_TEST_IDS.syncNow).click();
  await expect(page.getByTestId(SYNC_TEST_IDS.pending)).toHaveAttribute('data-count', '0');
  await expect(page.getByTestId(SYNC_TEST_IDS.lastError)).toHaveText('None');
  const status = await c.call('sync:status', {});
  expect(status.alarm ?? null).toBeNull();
  await expect(page.getByTestId(SYNC_TEST_IDS.treeHead)).toHaveAttribute(
    'data-size',
    String(status.treeHead!.size),
  );
  await page.screenshot({ path: join(SCREENSHOT_DIR, 'sync-panel.png') });

  // The recorded event is in the central log exactly once, with a valid inclusion proof.
  const log = await readCentralLog(server.url, auditorToken!);
  expect(log.problems).toEqual([]);
  const mine = log.perDevice.get(c.app.deviceId) ?? [];
  const recorded = mine.filter(
    (e) => e.type === 'fleet.version.recorded' && e.payload.terminalId === terminal.id,
  );
  expect(recorded).toHaveLength(1);
  const event = recorded[0]!;
  const index = log.indexOf.get(event.hash)!;
  const proof = inclusionProof.parse(
    await (
      await fetch(`${server.url}/v1/log/proof/inclusion?index=${index}&size=${log.size}`)
    ).json(),
  );
  expect(proof.leafHash).toBe(eventLeafHashHex(event.hash));
  expect(verifyInclusionHex(proof, log.root)).toBe(true);
  expect(c.problems).toEqual([]);
});
