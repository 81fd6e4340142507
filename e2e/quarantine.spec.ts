/**
 * Who acted, in Chromium against the real console back end and the REAL
 * central server (--demo): a technician records a version after an
 * administrator revoked them on the server; the console sends it like any
 * other (nothing is held up), and the Sync screen lists it as not counted by
 * the central server, with the reason in plain words.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEMO_USERS } from '../src/main/demo/demoCatalog.ts';
import {
  startCentralServer,
  type CentralServerProcess,
} from '../src/main/sync/testing/centralServer.ts';
import { SYNC_TEST_IDS } from '../src/renderer/features/sync/testIds.ts';
import { TEST_IDS } from '../src/renderer/testIds.ts';
import { expect, pickOption, SCREENSHOT_DIR, test } from './fixtures.ts';

const DEMO_STORE = 'st-par-01';
const technician = DEMO_USERS.find((u) => u.role === 'technician' && u.storeIds[0] === DEMO_STORE)!;

let serverDir: string;
let server: CentralServerProcess | null = null;

test.afterEach(async () => {
  await server?.kill();
  server = null;
  rmSync(serverDir, { recursive: true, force: true });
});

test('a version recorded by a user revoked on the server is sent, quarantined, and shown with its reason on the Sync screen', async ({
  page,
  console: c,
}) => {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  serverDir = mkdtempSync(join(tmpdir(), 'dearpos-e2e-quarantine-'));
  server = await startCentralServer({ dataDir: serverDir, isDemo: true });
  await page.setViewportSize({ width: 1366, height: 800 });
  await page.goto(c.url);
  await page.getByTestId(SYNC_TEST_IDS.connectUrl).fill(server.url);
  await page.getByTestId(SYNC_TEST_IDS.connectCode).fill(server.enrollmentCode!);
  await page.getByTestId(SYNC_TEST_IDS.connectSubmit).click();
  await pickOption(page, TEST_IDS.signInUser, new RegExp(technician.name));
  await page.getByTestId(TEST_IDS.signInPin).fill(technician.pin);
  await page.getByTestId(TEST_IDS.signInSubmit).click();
  await expect(page.getByTestId(TEST_IDS.matrix)).toBeVisible();

  // The administrator revokes the technician on the server; this console has not pulled it yet.
  const revoked = await fetch(`${server.url}/v1/admin/users/revoke`, {
    method: 'POST',
    headers: { authorization: `Bearer ${server.adminToken}`, 'content-type': 'application/json' },
    body: JSON.stringify({ userId: technician.id }),
  });
  expect(revoked.status).toBe(200);
  const terminals = await c.call('fleet:listTerminals', {
    filter: { storeId: DEMO_STORE },
    sort: { key: 'terminal', desc: false },
    offset: 0,
    limit: 1,
  });
  const terminal = terminals.rows[0]!;
  const options = await c.call('fleet:filterOptions', {});
  const target = options.releases.find((r) => r.id !== terminal.releaseId)!;
  await c.call('fleet:recordVersion', {
    terminalId: terminal.id,
    version: target.version,
    source: 'typed',
  });

  const status = await c.call('sync:now', {});
  expect(status).toMatchObject({ pendingEvents: 0, lastError: null, quarantinedEvents: 1 });
  const page1 = await c.call('sync:quarantined', {});
  expect(page1.events.map((e) => [e.type, e.userId, e.reason])).toEqual([
    ['fleet.version.recorded', technician.id, 'actor_revoked'],
  ]);

  await page.getByTestId(SYNC_TEST_IDS.nav).click();
  const list = page.getByTestId(SYNC_TEST_IDS.quarantined);
  await expect(list).toBeVisible();
  await expect(page.getByTestId(SYNC_TEST_IDS.quarantinedRow)).toHaveAttribute(
    'data-reason',
    'actor_revoked',
  );
  await expect(list).toContainText('removed by an administrator');
  await expect(page.getByTestId(SYNC_TEST_IDS.pending)).toHaveAttribute('data-count', '0');
  await page.screenshot({ path: join(SCREENSHOT_DIR, 'sync-quarantined-1366.png') });
  await page.setViewportSize({ width: 1920, height: 1080 });
  await page.screenshot({ path: join(SCREENSHOT_DIR, 'sync-quarantined-1920.png') });
});
