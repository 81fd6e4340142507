/**
 * Release health end to end, in Chromium, against a real central server
 * with the demo catalog and history: a no-go at a pilot store and a rollback
 * at another (pushed by two simulated consoles through the real ingest)
 * update the release's KPIs and health page on a desk; a webhook receiver on
 * loopback gets both notifications, signed with the subscription's secret;
 * and the store manager of a third pilot store sees the release's verdict
 * before starting a checklist, and, once the release is blocked centrally,
 * a notice behind the bell that she marks read; the next release's
 * communication plan tells her at its time, and the desk sees it sent.
 * Screenshots at 1366×800.
 */
import { join } from 'node:path';
import type { AuditActor } from '../src/shared/audit/event.ts';
import type { KpiTrend } from '../src/shared/contract/health.ts';
import type { WebhookPayload } from '../src/shared/webhooks/events.ts';
import { DEMO_USERS } from '../src/main/demo/demoCatalog.ts';
import { runDemo } from '../src/server/demo.ts';
import { appendServerEntry } from '../src/server/log/serverEntry.ts';
import { createSimDevice } from '../src/server/testing/device.ts';
import { enrollSim, startTestServer, type TestServer } from '../src/server/testing/harness.ts';
import { verify } from '../src/server/webhooks/signature.ts';
import {
  canaryPlan,
  eventOfAction,
  noGoPayload,
  plannedEvent,
  startReceiver,
  type Receiver,
} from '../src/server/webhooks/testing.ts';
import { CHECKLIST_TEST_IDS } from '../src/renderer/features/checklists/testIds.ts';
import { HEALTH_TEST_IDS } from '../src/renderer/features/health/testIds.ts';
import { SYNC_TEST_IDS } from '../src/renderer/features/sync/testIds.ts';
import { NOTICE_TEST_IDS } from '../src/renderer/features/notices/testIds.ts';
import { RISK_COMMS_TEST_IDS } from '../src/renderer/features/riskComms/testIds.ts';
import {
  expect,
  expectNoSeriousA11yProblems,
  SCREENSHOT_DIR,
  signIn,
  startConsole,
  stopConsole,
  test,
  type ConsoleUnderTest,
} from './fixtures.ts';

const RELEASE = 'rel-4.4.0';
const NEXT_RELEASE = 'rel-5.0.0';
const PILOT_NO_GO = 'st-lyo-01';
const PILOT_ROLLBACK = 'st-lon-01';
const THIRD_STORE = 'st-bos-01';
const TECH: AuditActor = { userId: 'u-tess', role: 'technician' };
const MANAGER: AuditActor = { userId: 'u-maya', role: 'manager' };
const support = DEMO_USERS.find((u) => u.role === 'support')!;
const manager = DEMO_USERS.find((u) => u.id === MANAGER.userId)!;

let central: TestServer | null = null;
let rx: Receiver | null = null;
let desk: ConsoleUnderTest | null = null;

test.afterEach(async () => {
  if (desk) await stopConsole(desk);
  desk = null;
  await rx?.close();
  rx = null;
  await central?.close();
  central = null;
});

async function push(
  t: TestServer,
  storeId: string,
  records: Array<{ type: string; payload: Record<string, unknown>; actor: AuditActor }>,
) {
  const device = createSimDevice(storeId);
  const token = await enrollSim(t, device, storeId);
  for (const r of records) device.record(r.type, r.payload, { actor: r.actor });
  const res = await t.call('POST', '/v1/events', {
    token,
    body: device.pushBody(1, device.events.length),
  });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  expect(res.body.quarantined).toEqual([]);
}

function failures(trend: KpiTrend): number {
  return trend.report.kpis.find((k) => k.id === 'change_failure_rate')!.numerator;
}

test('a no-go and a rollback reach the health page, the KPIs, a signed webhook and a third store', async ({
  page,
  console: store,
}) => {
  test.setTimeout(120_000);
  central = await startTestServer();
  await runDemo(central.server, central.url);
  rx = await startReceiver();
  const subscription = await central.call('POST', '/v1/admin/webhooks', {
    token: central.adminToken,
    body: { url: rx.url, eventTypes: ['decision.no_go_recorded', 'deployment.rollback_started'] },
  });
  expect(subscription.status).toBe(200);

  // The desk: a release manager's view of every store.
  desk = await startConsole();
  await desk.call('demo:load', {});
  await desk.call('session:signIn', { userId: support.id, pin: support.pin });
  const code = await central.call('POST', '/v1/admin/desk-enrollment-codes', {
    token: central.adminToken,
    body: { scope: 'all', role: 'release' },
  });
  await desk.call('desk:connect', {
    serverUrl: central.url,
    enrollmentCode: code.body.code as string,
  });
  const before = (await desk.call('health:kpis', { release: RELEASE })).value!;

  // A no-go at one pilot store, a rollback at another.
  await push(central, PILOT_NO_GO, [
    { type: 'decision.recorded', payload: noGoPayload('d-lyo-1', RELEASE), actor: MANAGER },
  ]);
  const plan = canaryPlan('dep-lon-1', PILOT_ROLLBACK, RELEASE, `${PILOT_ROLLBACK}-t1`);
  const planned = plannedEvent(plan);
  const act = (a: Record<string, unknown>, actor = TECH) => ({
    ...eventOfAction(plan.deploymentId, { ...a, at: Date.now(), actor } as never),
    actor,
  });
  await push(central, PILOT_ROLLBACK, [
    { type: planned.type, payload: planned.payload, actor: TECH },
    act({
      type: 'start',
      strategy: 'canary_first',
      canaryTerminalId: `${PILOT_ROLLBACK}-t1`,
      window: { basis: 'open' },
      ring: { basis: 'in_ring' },
    }),
    act({ type: 'claim_intervention' }, MANAGER),
    act({ type: 'proceed_intervention', notes: 'Lane closed' }, MANAGER),
    act({ type: 'roll_back', reason: 'Card payments fail' }),
    // The rollback runs to its end: the deployment is finished as rolled back.
    act({ type: 'complete_step' }),
    act({ type: 'record_version', terminalId: `${PILOT_ROLLBACK}-t1`, version: '4.2.1' }),
    act({ type: 'complete_step' }),
  ]);

  // The receiver gets both, each signed with the subscription's secret.
  await expect.poll(() => rx!.received.length, { timeout: 30_000 }).toBe(2);
  const bodies = rx.received.map((r) => {
    expect(
      verify(
        subscription.body.secret as string,
        r.headers as Record<string, string>,
        r.body,
        Math.floor(Date.now() / 1000),
      ),
    ).toBe(true);
    return JSON.parse(r.body) as WebhookPayload;
  });
  expect(bodies.map((b) => [b.type, b.data['storeId'], b.data['releaseId']]).sort()).toEqual([
    ['decision.no_go_recorded', PILOT_NO_GO, RELEASE],
    ['deployment.rollback_started', PILOT_ROLLBACK, RELEASE],
  ]);

  // The desk's KPIs count both failures.
  const deskPage = await page.context().newPage();
  await deskPage.setViewportSize({ width: 1366, height: 800 });
  // Signed in already: the desk's session was opened through its back end above.
  await deskPage.goto(`${desk.url}#/health?release=${RELEASE}`);
  const failureCard = deskPage.locator(
    `[data-testid="${HEALTH_TEST_IDS.kpiCard}"][data-kpi="change_failure_rate"]`,
  );
  const after = (await desk.call('health:kpis', { release: RELEASE })).value!;
  expect(failures(after)).toBe(failures(before) + 2);
  const total = after.report.kpis.find((k) => k.id === 'change_failure_rate')!;
  await expect(failureCard).toContainText(`${total.numerator} / ${total.denominator}`);
  await deskPage.screenshot({ path: join(SCREENSHOT_DIR, 'health-kpis-1366x800.png') });
  await expectNoSeriousA11yProblems(deskPage, 'release KPIs');

  // The release's health page: the verdict, its rule, and the failures beside the previous release.
  await deskPage.getByTestId(HEALTH_TEST_IDS.openRelease).click();
  const verdict = deskPage.getByTestId(HEALTH_TEST_IDS.verdict);
  await expect(verdict).toBeVisible();
  const health = (await desk.call('health:release', { releaseId: RELEASE })).value!;
  expect(health.verdict.verdict).not.toBe('healthy');
  await expect(verdict).toHaveAttribute('data-verdict', health.verdict.verdict);
  await expect(deskPage.getByTestId(HEALTH_TEST_IDS.rollout)).toBeVisible();
  await deskPage.screenshot({ path: join(SCREENSHOT_DIR, 'health-release-1366x800.png') });
  await expectNoSeriousA11yProblems(deskPage, 'release health');

  // A third pilot store: its manager sees the verdict before starting a checklist.
  const enrollment = await central.call('POST', '/v1/admin/enrollment-codes', {
    token: central.adminToken,
    body: { storeId: THIRD_STORE },
  });
  await page.setViewportSize({ width: 1366, height: 800 });
  await page.goto(store.url);
  await page.getByTestId(SYNC_TEST_IDS.connectUrl).fill(central.url);
  await page.getByTestId(SYNC_TEST_IDS.connectCode).fill(enrollment.body.code as string);
  await page.getByTestId(SYNC_TEST_IDS.connectSubmit).click();
  await signIn(page, manager);
  await page.goto(`${store.url}#/checklists?store=${THIRD_STORE}&release=${RELEASE}`);
  await page.getByTestId(CHECKLIST_TEST_IDS.startRun).click();
  const chain = page.getByTestId(HEALTH_TEST_IDS.chainVerdict);
  await expect(chain).toHaveAttribute('data-verdict', health.verdict.verdict);
  await expect(chain).toContainText('4.4.0');
  await page.screenshot({ path: join(SCREENSHOT_DIR, 'health-store-verdict-1366x800.png') });
  await expectNoSeriousA11yProblems(page, 'start a run with the chain verdict', '[role="dialog"]');

  // The release is blocked centrally (a server entry, as the release desk appends it): the
  // store's people see it behind the bell, and reading it is recorded.
  await page.keyboard.press('Escape');
  await central.server.store.db.transaction().execute(async (trx) => {
    await appendServerEntry(trx, central!.server.key, {
      type: 'release.blocked',
      payload: { releaseId: RELEASE, reason: 'Card payments fail at two pilot stores' },
      at: new Date(),
    });
  });
  await page.reload();
  const bell = page.getByTestId(NOTICE_TEST_IDS.bell);
  await expect(bell).toHaveAccessibleName('Notices: 1 unread');
  await bell.click();
  const notice = page.getByTestId(NOTICE_TEST_IDS.item);
  await expect(notice).toHaveAttribute('data-kind', 'release_blocked');
  await expect(notice).toContainText(`Release ${RELEASE} was blocked`);
  await page.screenshot({ path: join(SCREENSHOT_DIR, 'health-notices-1366x800.png') });
  await expectNoSeriousA11yProblems(page, 'notices', `[data-testid="${NOTICE_TEST_IDS.list}"]`);
  await notice.getByRole('button', { name: 'Mark read' }).click();
  await expect(bell).toHaveAccessibleName('Notices');

  // The next release's communication plan: the pilot stores' managers two days before their
  // ring starts (already due, so sent as the plan is set), technicians when general starts.
  const day = (n: number) => new Date(Date.now() + n * 86_400_000).toISOString().slice(0, 10);
  const admin = async (path: string, body: unknown) =>
    expect((await central!.call('POST', path, { token: central!.adminToken, body })).status).toBe(
      200,
    );
  await admin('/v1/admin/release-plans', {
    releaseId: NEXT_RELEASE,
    rings: [
      { ring: 'pilot', start: day(1), end: day(5) },
      { ring: 'general', start: day(20), end: day(30) },
    ],
  });
  await admin('/v1/admin/comms-plans', {
    releaseId: NEXT_RELEASE,
    communications: [
      {
        id: 'managers-uat',
        audience: { roles: ['manager'], webhook: true },
        when: { anchor: 'ring_start', ring: 'pilot', offsetDays: -2, time: '07:00' },
        message: '5.0.0 reaches your store in two days: plan an hour for the UAT checklist.',
      },
      {
        id: 'technicians-day',
        audience: { roles: ['technician'], webhook: false },
        when: { anchor: 'ring_start', ring: 'general', offsetDays: 0 },
        message: 'Deployment day: follow the runbook.',
      },
    ],
  });
  await page.reload();
  await expect(bell).toHaveAccessibleName('Notices: 1 unread');
  await bell.click();
  const told = page.locator(`[data-testid="${NOTICE_TEST_IDS.item}"][data-kind="communication"]`);
  await expect(told).toContainText('plan an hour for the UAT checklist');
  await page.screenshot({ path: join(SCREENSHOT_DIR, 'comms-notice-1366x800.png') });
  await deskPage.goto(`${desk.url}#/release-desk`);
  const commsPlan = deskPage.getByTestId(RISK_COMMS_TEST_IDS.deskComms);
  await expect(
    commsPlan.locator('[data-communication="managers-uat"] [data-status="sent"]'),
  ).toBeVisible();
  await expect(
    commsPlan.locator('[data-communication="technicians-day"] [data-status="scheduled"]'),
  ).toBeVisible();
  await expect(commsPlan).toContainText('2 days before pilot starts, 07:00 UTC');
  await expect(commsPlan).toContainText('The day general starts');
  await commsPlan.locator('[data-communication="technicians-day"]').scrollIntoViewIfNeeded();
  await deskPage.screenshot({ path: join(SCREENSHOT_DIR, 'comms-desk-plan-1366x800.png') });
  await expectNoSeriousA11yProblems(
    deskPage,
    'communication plan',
    `[data-testid="${RISK_COMMS_TEST_IDS.deskComms}"]`,
  );
  expect(store.problems).toEqual([]);
  expect(desk.problems).toEqual([]);
});
