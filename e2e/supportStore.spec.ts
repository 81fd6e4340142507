/**
 * The store side of the support desk in Chromium, against the real console
 * back end and the real central server (--demo): on the fleet screen, with
 * the server down, Ctrl+Shift+B opens the report form with a screenshot of
 * the window attached; the report is filed offline and waits in the sync
 * queue; when the server is back, Sync now sends it, and the central log
 * holds the report with the screenshot's bytes.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEMO_USERS } from '../src/main/demo/demoCatalog.ts';
import { readCentralLog } from '../src/main/sync/testing/centralLog.ts';
import {
  startCentralServer,
  type CentralServerProcess,
} from '../src/main/sync/testing/centralServer.ts';
import { FEEDBACK_TEST_IDS as FB } from '../src/renderer/features/feedback/testIds.ts';
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

test('a bug filed offline from the fleet screen with a screenshot waits in the sync queue and reaches the central log with its screenshot', async ({
  page,
  console: c,
}) => {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  await page.setViewportSize({ width: 1366, height: 800 });
  serverDir = mkdtempSync(join(tmpdir(), 'dearpos-e2e-server-'));
  server = await startCentralServer({ dataDir: serverDir, isDemo: true });
  const { enrollmentCode, auditorToken, port } = server;

  await page.goto(c.url);
  await page.getByTestId(SYNC_TEST_IDS.connectUrl).fill(server.url);
  await page.getByTestId(SYNC_TEST_IDS.connectCode).fill(enrollmentCode!);
  await page.getByTestId(SYNC_TEST_IDS.connectSubmit).click();
  await pickOption(page, TEST_IDS.signInUser, new RegExp(technician.name));
  await page.getByTestId(TEST_IDS.signInPin).fill(technician.pin);
  await page.getByTestId(TEST_IDS.signInSubmit).click();
  await expect(page.getByTestId(TEST_IDS.matrix)).toBeVisible();
  await page.getByTestId(SYNC_TEST_IDS.nav).click();
  await page.getByTestId(SYNC_TEST_IDS.syncNow).click();
  await expect(page.getByTestId(SYNC_TEST_IDS.pending)).toHaveAttribute('data-count', '0');

  // Offline: the central server is gone.
  await server.kill();
  await page.goto(`${c.url}#/fleet`);
  await expect(page.getByTestId(TEST_IDS.terminalRow).first()).toBeVisible();
  await page.keyboard.press('Control+Shift+B');
  const form = page.getByRole('dialog');
  await expect(form.getByTestId(FB.attachment)).toHaveCount(1);
  await expect(form.getByTestId(FB.attachment).first()).toHaveAttribute('data-kind', 'screenshot');
  await form.getByTestId(FB.title).fill('Matrix shows the wrong release for Lane 2');
  await form.getByTestId(FB.happened).fill('After the update the matrix still says 4.2.0.');
  await form.getByTestId(FB.expected).fill('4.2.1, as the terminal shows.');
  await form.getByText('S2', { exact: true }).click();
  await page.screenshot({ path: join(SCREENSHOT_DIR, 'report-problem-form.png') });
  await form.getByTestId(FB.submit).click();
  await expect(page.getByTestId(FB.sent)).toBeVisible();
  const reportId = await page.getByTestId(FB.sent).getAttribute('data-report-id');
  await page.screenshot({ path: join(SCREENSHOT_DIR, 'report-problem-sent.png') });
  await page.getByRole('button', { name: 'Done' }).click();

  // Queued: the status bar counts it, the sync panel keeps it.
  await expect(page.getByTestId(TEST_IDS.statusPending)).not.toHaveAttribute('data-count', '0');
  await page.getByTestId(SYNC_TEST_IDS.nav).click();
  await page.getByTestId(SYNC_TEST_IDS.syncNow).click();
  await expect(page.getByTestId(SYNC_TEST_IDS.pending)).not.toHaveAttribute('data-count', '0');

  // Back online: Sync now sends the screenshot, then the report.
  server = await startCentralServer({ dataDir: serverDir, port });
  await page.getByTestId(SYNC_TEST_IDS.syncNow).click();
  await expect(page.getByTestId(SYNC_TEST_IDS.pending)).toHaveAttribute('data-count', '0');

  const log = await readCentralLog(server.url, auditorToken!);
  expect(log.problems).toEqual([]);
  const filed = (log.perDevice.get(c.app.deviceId) ?? []).filter(
    (e) => e.type === 'feedback.bug_report.filed',
  );
  expect(filed).toHaveLength(1);
  const payload = filed[0]!.payload as {
    reportId: string;
    severitySuggestion: string;
    screen: string;
    attachments: Array<{ sha256: string; kind: string; size: number }>;
  };
  expect(payload).toMatchObject({ reportId, severitySuggestion: 'S2', screen: '/fleet' });
  const shot = payload.attachments[0]!;
  expect(shot.kind).toBe('screenshot');
  const file = await fetch(`${server.url}/v1/evidence/${shot.sha256}`, {
    headers: { authorization: `Bearer ${auditorToken}` },
  });
  expect(file.status).toBe(200);
  const bytes = Buffer.from(await file.arrayBuffer());
  expect(bytes.length).toBe(shot.size);
  expect(createHash('sha256').update(bytes).digest('hex')).toBe(shot.sha256);
  expect(c.problems).toEqual([]);
});
