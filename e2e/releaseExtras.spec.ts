/**
 * The release desk's extras in Chromium, against the real console back end
 * and the REAL central server (--demo): an administrator imports a release's
 * JUnit results; the store manager sees them on the release's screen and in
 * the report of the decision they sign; the release desk assigns a UAT due
 * tomorrow, and the store console lists it in the checklists screen's "Due".
 */
import { generateKeyPairSync } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { crc32, deflateSync } from 'node:zlib';
import { DEMO_USERS } from '../src/main/demo/demoCatalog.ts';
import {
  startCentralServer,
  type CentralServerProcess,
} from '../src/main/sync/testing/centralServer.ts';
import { CHECKLIST_TEST_IDS } from '../src/renderer/features/checklists/testIds.ts';
import { DESK_TEST_IDS } from '../src/renderer/features/desk/testIds.ts';
import { runDemo } from '../src/server/demo.ts';
import { createSimDevice } from '../src/server/testing/device.ts';
import { enrollSim, startTestServer, type TestServer } from '../src/server/testing/harness.ts';
import { RELEASE_TEST_IDS } from '../src/renderer/features/releases/testIds.ts';
import { REPORT_TEST_IDS } from '../src/renderer/features/reports/testIds.ts';
import {
  expect,
  expectNoSeriousA11yProblems,
  pickOption,
  SCREENSHOT_DIR,
  signIn,
  test,
} from './fixtures.ts';
import { TEST_IDS } from '../src/renderer/testIds.ts';

const STORE = 'st-par-01';
const RELEASE = 'rel-5.0.0';
const manager = DEMO_USERS.find((u) => u.role === 'manager')!;
const JUNIT = `<?xml version="1.0" encoding="UTF-8"?>
<testsuites name="pos 5.0.0-rc.3">
  <testsuite name="checkout">
    <testcase name="pays by card"/><testcase name="pays in cash"/>
    <testcase name="splits a bill"><failure message="total off by one cent">expected 10.01</failure></testcase>
    <testcase name="gift card"><skipped/></testcase>
  </testsuite>
  <testsuite name="sync"><testcase name="pushes offline sales"/></testsuite>
</testsuites>`;

let serverDir: string | null = null;
let server: CentralServerProcess | null = null;
let central: TestServer | null = null;

test.afterEach(async () => {
  await server?.kill();
  server = null;
  if (serverDir) rmSync(serverDir, { recursive: true, force: true });
  serverDir = null;
  await central?.close();
  central = null;
});

/** A small real PNG: the signature a decision needs when recorded through the API. */
function signaturePng(width = 120, height = 40): string {
  const raw = Buffer.alloc((width + 1) * height, 255);
  for (let y = 0; y < height; y++) raw[y * (width + 1)] = 0;
  const chunk = (type: string, data: Buffer) => {
    const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const length = Buffer.alloc(4);
    length.writeUInt32BE(data.length);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(body));
    return Buffer.concat([length, body, crc]);
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 0, 0, 0, 0], 8);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(raw)),
    chunk('IEND', Buffer.alloc(0)),
  ]).toString('base64');
}

async function post(path: string, body: unknown, token?: string) {
  const res = await fetch(`${server!.url}${path}`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    body: JSON.stringify(body),
  });
  const json = (await res.json()) as Record<string, unknown>;
  expect(res.status, JSON.stringify(json)).toBe(200);
  return json;
}

test('JUnit results on the release and in the signed decision; a UAT assigned by the desk is due on the store console', async ({
  page,
  console: c,
}) => {
  test.setTimeout(120_000);
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  serverDir = mkdtempSync(join(tmpdir(), 'dearpos-e2e-extras-'));
  server = await startCentralServer({ dataDir: serverDir, isDemo: true });
  const admin = server.adminToken!;

  // The administrator imports the release candidate's test results.
  await post(`/v1/admin/releases/${RELEASE}/test-results`, { xml: JUNIT }, admin);

  await c.call('sync:connect', { serverUrl: server.url, enrollmentCode: server.enrollmentCode! });
  // The first catalog pull runs in the background after connecting: sign in once it has the manager.
  await expect
    .poll(async () => (await c.call('session:listUsers', {})).map((u) => u.id), { timeout: 30_000 })
    .toContain(manager.id);
  await c.call('session:signIn', { userId: manager.id, pin: manager.pin });
  await c.call('sync:now', {});
  await page.setViewportSize({ width: 1366, height: 800 });

  // The release's screen shows the results.
  await page.goto(`${c.url}#/releases/${RELEASE}`);
  const panel = page.getByTestId(RELEASE_TEST_IDS.testResults);
  await expect(panel).toContainText('5 tests: 3 passed, 1 failed, 1 skipped');
  await expect(panel).toContainText('checkout › splits a bill — total off by one cent');
  await page.screenshot({ path: join(SCREENSHOT_DIR, 'release-test-results.png') });
  await expectNoSeriousA11yProblems(
    page,
    'release test results',
    `[data-testid="${RELEASE_TEST_IDS.testResults}"]`,
  );

  // The manager signs a no-go; its report names the test results the decision saw.
  const decision = await c.call('decisions:record', {
    releaseId: RELEASE,
    storeId: STORE,
    decision: 'no-go',
    reason: 'Bill splitting is off by one cent in the automated tests.',
    pin: manager.pin,
    signaturePngBase64: signaturePng(),
  });
  expect(decision.testResults).toMatchObject({ total: 5, failed: 1, skipped: 1 });
  await page.goto(`${c.url}#/reports/decisions/${decision.id}`);
  const section = page.getByTestId(REPORT_TEST_IDS.testResults);
  await expect(section).toContainText('5 tests: 3 passed, 1 failed, 1 skipped');
  await expect(section).toContainText(decision.testResults!.sha256);
  await page.screenshot({
    path: join(SCREENSHOT_DIR, 'decision-report-test-results.png'),
    fullPage: true,
  });

  // The release desk assigns the UAT to the store, due tomorrow.
  const code = await post(
    '/v1/admin/desk-enrollment-codes',
    { scope: 'all', role: 'release' },
    admin,
  );
  const { publicKey } = generateKeyPairSync('ed25519');
  const desk = await post('/v1/desk/enroll', {
    code: code['code'],
    deskId: 'desk-release-1',
    publicKey: publicKey.export({ format: 'der', type: 'spki' }).subarray(-32).toString('base64'),
  });
  await post(
    '/v1/admin/users',
    { id: 'u-rita', name: 'Rita Release', role: 'admin', pin: '24682468', storeIds: [STORE] },
    admin,
  );
  const dueAt = new Date(Date.now() + 86_400_000).toISOString().replace(/\.\d+Z$/, '.000Z');
  await post(
    '/v1/desk/checklist-assignments',
    {
      templateId: 'tpl-uat-pos',
      releaseId: RELEASE,
      storeIds: [STORE],
      dueAt,
      note: 'Before the Saturday rush',
      actedBy: 'u-rita',
    },
    desk['deskToken'] as string,
  );
  await c.call('sync:now', {});
  await page.goto(`${c.url}#/checklists`);
  const due = page.getByTestId(CHECKLIST_TEST_IDS.due);
  await expect(due).toBeVisible();
  await expect(page.getByTestId(CHECKLIST_TEST_IDS.dueRow)).toHaveAttribute('data-status', 'due');
  await expect(page.getByTestId(CHECKLIST_TEST_IDS.dueCount)).toContainText('1 due');
  await expect(due).toContainText('Before the Saturday rush');
  await page.screenshot({ path: join(SCREENSHOT_DIR, 'checklists-due.png') });
  await expectNoSeriousA11yProblems(
    page,
    'checklists due',
    `[data-testid="${CHECKLIST_TEST_IDS.due}"]`,
  );
  expect(c.problems).toEqual([]);
});

test("the desk shows the release's test results and the flags a store runs, an approved change request's value included", async ({
  page,
  console: c,
}) => {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  central = await startTestServer();
  await runDemo(central.server, central.url);
  const t = central;
  // Paris is in the lab ring, where tap-to-pay is on; an administrator of the store approves, at the store's console, turning it off.
  const created = await t.call('POST', '/v1/admin/users', {
    token: t.adminToken,
    body: { id: 'u-adele', name: 'Adele Admin', role: 'admin', pin: '24682468', storeIds: [STORE] },
  });
  expect(created.status).toBe(200);
  const device = createSimDevice(STORE);
  const token = await enrollSim(t, device, STORE);
  device.record(
    'change_request.requested',
    {
      changeRequestId: 'cr-tap-to-pay',
      deviation: {
        kind: 'feature_flag_change',
        storeId: STORE,
        releaseId: RELEASE,
        flagKey: 'tap-to-pay',
        value: false,
      },
      impactNote: 'Paris card terminals reject phone taps until the firmware update',
      risk: 'low',
    },
    { actor: { userId: manager.id, role: 'manager' } },
  );
  device.record(
    'change_request.approved',
    { changeRequestId: 'cr-tap-to-pay', note: 'Approved for the trial' },
    { actor: { userId: 'u-adele', role: 'admin' } },
  );
  const pushed = await t.call('POST', '/v1/events', { token, body: device.pushBody(1, 2) });
  expect(pushed.status, JSON.stringify(pushed.body)).toBe(200);

  const imported = await t.call('POST', `/v1/admin/releases/${RELEASE}/test-results`, {
    token: t.adminToken,
    body: { xml: JUNIT },
  });
  expect(imported.status).toBe(200);
  const code = await t.call('POST', '/v1/admin/desk-enrollment-codes', {
    token: t.adminToken,
    body: { scope: 'all', role: 'release' },
  });
  await c.call('demo:load', {});
  const support = DEMO_USERS.find((u) => u.role === 'support')!;
  await page.setViewportSize({ width: 1366, height: 800 });
  await page.goto(c.url);
  await signIn(page, support);
  await page.getByTestId(DESK_TEST_IDS.nav).click();
  const form = page.getByTestId(DESK_TEST_IDS.connectForm);
  await form.getByLabel('Central server address').fill(t.url);
  await form.getByLabel('Desk enrollment code').fill(code.body.code as string);
  await form.getByRole('button', { name: 'Connect desk' }).click();
  await page.getByTestId(DESK_TEST_IDS.refresh).click();
  await expect(page.getByTestId(DESK_TEST_IDS.age)).toContainText('Fetched');
  // The release's automated test results, in one line above the stores.
  await expect(page.getByTestId(DESK_TEST_IDS.testResults)).toContainText(
    '5 tests: 3 passed, 1 failed, 1 skipped',
  );
  await page.screenshot({ path: join(SCREENSHOT_DIR, 'desk-test-results.png') });
  await page.getByTestId(DESK_TEST_IDS.row).filter({ hasText: STORE }).click();
  const flags = page.getByTestId(DESK_TEST_IDS.flags);
  const row = flags.getByTestId(DESK_TEST_IDS.flagRow).filter({ hasText: 'tap-to-pay' });
  await expect(row).toContainText('Off');
  await expect(row).toContainText('Approved change request');
  await flags.scrollIntoViewIfNeeded();
  await page.screenshot({ path: join(SCREENSHOT_DIR, 'desk-store-flags.png') });
  await expectNoSeriousA11yProblems(
    page,
    'desk store flags',
    `[data-testid="${DESK_TEST_IDS.flags}"]`,
  );
  // Support may look but not assign: the button is disabled and says why.
  await expect(page.getByTestId(DESK_TEST_IDS.assignSubmit)).toBeDisabled();

  // The administrator assigns the UAT from the same drill-down. The central catalog keeps an
  // administrator's facts per store, so the one acting at the desk names the store.
  const ada = DEMO_USERS.find((u) => u.role === 'admin')!;
  const adaOnServer = await t.call('POST', '/v1/admin/users', {
    token: t.adminToken,
    body: { id: ada.id, name: ada.name, role: 'admin', pin: '24682468', storeIds: [STORE] },
  });
  expect(adaOnServer.status, JSON.stringify(adaOnServer.body)).toBe(200);
  await page.keyboard.press('Escape');
  await page.getByTestId(TEST_IDS.statusSignOut).click();
  await signIn(page, ada);
  await page.getByTestId(DESK_TEST_IDS.nav).click();
  await page.getByTestId(DESK_TEST_IDS.row).filter({ hasText: STORE }).click();
  await pickOption(page, DESK_TEST_IDS.assignTemplate, /user acceptance/i);
  await page.getByTestId(DESK_TEST_IDS.assignSubmit).click();
  await expect(page.getByTestId(DESK_TEST_IDS.assigned)).toContainText('Assigned: due');
  await page.getByTestId(DESK_TEST_IDS.assign).scrollIntoViewIfNeeded();
  await page.screenshot({ path: join(SCREENSHOT_DIR, 'desk-assign-checklist.png') });
  await expectNoSeriousA11yProblems(page, 'desk assign', `[data-testid="${DESK_TEST_IDS.assign}"]`);
  const head = await t.call('GET', '/v1/log/tree-head');
  const size = head.body.treeHead.size as number;
  const last = await t.call('GET', `/v1/log/entries?start=${size - 1}&end=${size}`, {
    token: t.adminToken,
  });
  expect(last.body.entries[0].event).toMatchObject({
    type: 'checklist.assigned',
    storeId: STORE,
    payload: { templateId: 'tpl-uat-pos', actedBy: { userId: ada.id, role: 'admin' } },
  });
  expect(c.problems).toEqual([]);
});
