/**
 * Issue 5, change requests and the timeline, in Chromium against the real
 * back end. Tess (technician) asks in advance to deploy 4.4.0 at Lille
 * outside its window; the screen tells her why she cannot approve it herself
 * (and the back end refuses her too); Maya (store manager) approves it.
 * Then a deployment walked through the API shows its timeline: the console
 * runs on a test clock advanced between actions, so durations and the wait
 * at the intervention are real minutes without the test sleeping.
 */
import { mkdirSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test as base } from '@playwright/test';
import type { InputOf, OutputOf } from '../src/shared/contract/define.ts';
import type { Channel, Contract } from '../src/shared/contract/index.ts';
import type { Result } from '../src/shared/errors.ts';
import { createApp } from '../src/main/app/createApp.ts';
import { DEMO_USERS } from '../src/main/demo/demoCatalog.ts';
import { createLogger } from '../src/main/log.ts';
import { startWebServer } from '../src/main/web/server.ts';
import { CHANGE_REQUEST_TEST_IDS as CR } from '../src/renderer/features/changeRequests/testIds.ts';
import { TIMELINE_TEST_IDS as TL } from '../src/renderer/features/deployments/timeline/testIds.ts';
import { TEST_IDS } from '../src/renderer/testIds.ts';
import {
  expect,
  expectNoSeriousA11yProblems,
  pickOption,
  SCREENSHOT_DIR,
  signIn,
  STATIC_DIR,
} from './fixtures.ts';

const STORE = 'st-lil-01';
const RELEASE = 'rel-4.4.0';
const tess = DEMO_USERS.find((u) => u.id === 'u-tess')!;
const maya = DEMO_USERS.find((u) => u.id === 'u-maya')!;
const MINUTE = 60_000;

type ClockedConsole = {
  url: string;
  call<C extends Channel>(channel: C, input: InputOf<Contract[C]>): Promise<OutputOf<Contract[C]>>;
  /** Like `call`, but returns the error envelope's code and message instead of throwing. */
  refusal<C extends Channel>(
    channel: C,
    input: InputOf<Contract[C]>,
  ): Promise<{ code: string; message: string } | null>;
  /** Moves the console's clock forward (it does not move by itself). */
  advance(minutes: number): void;
  problems: string[];
};

/** fixtures.ts's console, with the back end's clock in the test's hands. */
const test = base.extend<{ console: ClockedConsole }>({
  console: async ({ page }, use) => {
    const dataDir = await mkdtemp(join(tmpdir(), 'dearpos-e2e-cr-'));
    // Stands still unless the test moves it, so the durations it asserts are exact on a loaded machine.
    const start = Date.now();
    let offsetMs = 0;
    const log = createLogger({ level: process.env.E2E_LOG_LEVEL ?? 'silent' });
    const app = await createApp({ dataDir, log, now: () => new Date(start + offsetMs) });
    const server = await startWebServer({ app, port: 0, staticDir: STATIC_DIR, log });
    const send = async (channel: string, input: unknown) => {
      const response = await fetch(`${server.url}api/${channel}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${server.token}` },
        body: JSON.stringify(input),
      });
      return (await response.json()) as Result<never>;
    };
    const problems: string[] = [];
    page.on('console', (message) => {
      if (message.text().includes('Content Security Policy')) problems.push(message.text());
    });
    page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
    await use({
      url: server.url,
      problems,
      advance: (minutes) => {
        offsetMs += minutes * MINUTE;
      },
      async call(channel, input) {
        const result = await send(channel, input);
        if (!result.ok)
          throw new Error(`${channel}: ${result.error.code}: ${result.error.message}`);
        return result.value;
      },
      async refusal(channel, input) {
        const result = await send(channel, input);
        return result.ok ? null : { code: result.error.code, message: result.error.message };
      },
    });
    await server.close();
    await app.close();
    await rm(dataDir, { recursive: true, force: true });
  },
});

test('a technician asks to deploy outside the window, cannot approve her own request, the store manager approves it', async ({
  page,
  console: c,
}) => {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  await c.call('demo:load', {});
  await c.call('session:signIn', { userId: tess.id, pin: tess.pin });
  await page.goto(c.url);
  await expect(page.getByTestId(TEST_IDS.statusUser)).toContainText(tess.name);

  await page.getByTestId(CR.nav).click();
  await page.goto(`${c.url}#/change-requests?store=${STORE}`);
  await expect(page.getByTestId(CR.empty)).toBeVisible();

  // Ask in advance: 4.4.0 at Lille on 2026-12-02 from 10:00 to 12:00 on the store's clock (Paris, UTC+1 in winter).
  await page.getByTestId(CR.newRequest).click();
  await pickOption(page, CR.newRelease, /^4\.4\.0/);
  await page.getByTestId(CR.newDay).fill('2026-12-02');
  await page.getByTestId(CR.newFrom).fill('10:00');
  await page.getByTestId(CR.newUntil).fill('12:00');
  await expect(page.getByTestId(CR.requestDeviation)).toHaveText(
    'Deploy 4.4.0 at Lille Euralille outside its deployment window, between 2026-12-02 10:00 and 2026-12-02 12:00 (store time).',
  );
  // Without an impact note the form says what the back end would, at the note, and sends nothing.
  await page.getByTestId(CR.requestSubmit).click();
  await expect(page.getByTestId(CR.requestModal)).toContainText(
    'Describe the impact: who and what is affected, and what happens if it goes wrong.',
  );
  expect(await c.call('changeRequests:list', { storeId: STORE })).toEqual([]);
  await expectNoSeriousA11yProblems(page, 'request modal', `[data-testid="${CR.requestModal}"]`);
  await page
    .getByTestId(CR.requestImpact)
    .fill(
      'All four lanes restart during opening hours; the store runs on one manual till for 20 minutes.',
    );
  await page.getByTestId(CR.requestSubmit).click();
  await expect(page.getByTestId(CR.requestResult)).toContainText('It is pending');
  await page.getByTestId(CR.requestDone).click();

  const [request] = await c.call('changeRequests:list', { storeId: STORE });
  expect(request).toMatchObject({
    status: 'pending',
    risk: 'medium',
    requestedBy: { userId: 'u-tess' },
    deviation: {
      kind: 'deploy_outside_window',
      storeId: STORE,
      releaseId: RELEASE,
      from: Date.UTC(2026, 11, 2, 9),
      to: Date.UTC(2026, 11, 2, 11),
    },
  });

  // Tess sees why she cannot approve it, and has no button to try; the back end refuses her anyway.
  const row = page.locator(`[data-testid="${CR.row}"][data-id="${request!.id}"]`);
  await expect(row).toHaveAttribute('data-status', 'pending');
  await expect(row.getByTestId(CR.cannotDecide)).toContainText(
    'You requested this change, so someone else must decide it',
  );
  await expect(row.getByTestId(CR.approve)).toHaveCount(0);
  expect(
    await c.refusal('changeRequests:decide', {
      changeRequestId: request!.id,
      isApproved: true,
      note: '',
    }),
  ).toMatchObject({ code: 'forbidden' });

  // A flag change Tess also asks for is the administrator's call: Maya will see why she cannot decide it.
  await c.call('changeRequests:request', {
    deviation: {
      kind: 'feature_flag_change',
      storeId: STORE,
      releaseId: RELEASE,
      flagKey: 'assist-mode',
      value: false,
    },
    impactNote:
      'Lille’s self-checkout lanes are closed for the Christmas rush: staff take-over is not needed.',
    risk: 'low',
  });

  await page.getByTestId(TEST_IDS.statusSignOut).click();
  await signIn(page, maya);
  await page.goto(`${c.url}#/change-requests?store=${STORE}`);
  await expect(row.getByTestId(CR.approve)).toBeVisible();
  await row.getByTestId(CR.decideNote).fill('OK: lanes 3 and 4 first, then 1 and 2.');
  await row.getByTestId(CR.approve).click();
  await expect(row).toHaveAttribute('data-status', 'approved');
  await expect(row).toContainText('Maya Moreau');
  await expect(row).toContainText('OK: lanes 3 and 4 first');
  const flagRow = page.locator(`[data-testid="${CR.row}"][data-status="pending"]`);
  await expect(flagRow.getByTestId(CR.cannotDecide)).toContainText(
    'Only an administrator can decide this request.',
  );
  await page.screenshot({ path: join(SCREENSHOT_DIR, 'change-requests.png') });
  await expectNoSeriousA11yProblems(page, 'change requests');

  const decided = (await c.call('changeRequests:list', { storeId: STORE })).find(
    (r) => r.id === request!.id,
  );
  expect(decided).toMatchObject({
    status: 'approved',
    decidedBy: { userId: 'u-maya' },
    decisionNote: 'OK: lanes 3 and 4 first, then 1 and 2.',
  });
  expect(c.problems).toEqual([]);
});

test('the timeline of a deployment walked through a few steps: who, when, how long, the wait for a claim, a failure and its retry', async ({
  page,
  console: c,
}) => {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  // The sign-in screen is the other test's business: here the demo and Tess's session come through the API.
  await c.call('demo:load', {});
  await c.call('session:signIn', { userId: tess.id, pin: tess.pin });

  const terminals = await c.call('fleet:listTerminals', {
    filter: { storeId: STORE },
    sort: { key: 'terminal', desc: false },
    offset: 0,
    limit: 10,
  });
  const canary = terminals.rows[0]!;
  const planned = await c.call('deployments:plan', { releaseId: RELEASE, storeId: STORE });
  const deploymentId = planned.state.plan.deploymentId;
  const act = (action: InputOf<Contract['deployments:act']>['action']) =>
    c.call('deployments:act', { deploymentId, action });

  c.advance(3);
  await act({
    type: 'start',
    strategy: 'canary_first',
    canaryTerminalId: canary.id,
    overrideReason: null,
  });
  c.advance(4);
  await act({ type: 'complete_step' }); // lane closed
  c.advance(12); // nobody claims the intervention for 12 minutes
  await act({ type: 'claim_intervention' });
  c.advance(3);
  await act({ type: 'proceed_intervention', notes: 'Sync shows 0 sales waiting; drawer counted.' });
  c.advance(5);
  await act({ type: 'fail_step', reason: 'USB key not readable' });
  c.advance(2);
  await act({ type: 'retry_step' });
  c.advance(7);
  await act({ type: 'complete_step' }); // installed
  c.advance(1);
  await act({ type: 'record_version', terminalId: canary.id, version: '4.4.0' });
  c.advance(1);
  await act({ type: 'complete_step' }); // version captured: the smoke test is next

  await page.goto(`${c.url}#/deployments/${deploymentId}`);
  const timeline = page.getByTestId(TL.timeline);
  await expect(timeline).toBeVisible();
  const rows = timeline.getByTestId(TL.row);
  await expect(rows).toHaveCount(5);
  await expect(rows.nth(0)).toContainText('Close the lane');
  await expect(rows.nth(0)).toContainText('4 min 00 s');
  // The intervention: waited 12 minutes for a claim, 15 minutes in all.
  await expect(rows.nth(1)).toContainText('15 min 00 s');
  await expect(rows.nth(1)).toContainText('12 min 00 s');
  await expect(rows.nth(1)).toContainText('Tess Tran');
  // The install failed once and was retried.
  await expect(rows.nth(2).getByTestId(TL.outcome)).toHaveAttribute('data-outcome', 'done');
  await expect(rows.nth(2)).toContainText('Failed first: USB key not readable');
  await expect(rows.nth(4).getByTestId(TL.outcome)).toHaveAttribute('data-outcome', 'in_progress');
  const metric = (key: string) =>
    page.locator(`[data-testid="${TL.metric}"][data-metric="${key}"]`);
  await expect(metric('time_to_deploy')).toContainText('35 min 00 s so far');
  await expect(metric('manual_waiting')).toContainText('15 min 00 s');
  await expect(metric('rollbacks')).toContainText('0');
  await timeline.scrollIntoViewIfNeeded();
  await timeline.screenshot({ path: join(SCREENSHOT_DIR, 'timeline-panel.png') });
  await expectNoSeriousA11yProblems(page, 'timeline', `[data-testid="${TL.timeline}"]`);

  // The store's flag values for the release, where each comes from, and a change asked from the panel.
  const flags = page.getByTestId(TL.flags);
  const flag = (key: string) => flags.locator(`[data-testid="${TL.flagRow}"][data-flag="${key}"]`);
  await expect(flag('assist-mode')).toContainText('On');
  await expect(flag('assist-mode')).toContainText('Ring default');
  await expect(flag('offline-price-updates')).toContainText('Release default');
  await flags.screenshot({ path: join(SCREENSHOT_DIR, 'flags-panel.png') });
  await flag('offline-price-updates').getByRole('button', { name: 'Request to turn off' }).click();
  await expect(page.getByTestId(CR.requestDeviation)).toHaveText(
    'Turn the feature flag “offline-price-updates” off at Lille Euralille for 4.4.0.',
  );
  await expect(page.getByTestId(CR.requestModal)).toContainText(
    'Needs approval by an administrator',
  );
  await page
    .getByTestId(CR.requestImpact)
    .fill('Lille’s price labels are printed at night: prices must change only after a sync.');
  await page.screenshot({ path: join(SCREENSHOT_DIR, 'change-request-modal.png') });
  await page.getByTestId(CR.requestSubmit).click();
  await expect(page.getByTestId(CR.requestResult)).toContainText('It is pending');
  await page.getByTestId(CR.requestDone).click();
  const [flagRequest] = await c.call('changeRequests:list', { storeId: STORE });
  expect(flagRequest).toMatchObject({
    status: 'pending',
    requestedBy: { userId: 'u-tess' },
    deviation: { kind: 'feature_flag_change', flagKey: 'offline-price-updates', value: false },
  });
  expect(c.problems).toEqual([]);
});

test('the "ask in advance" dialog at 1366×800 and 1920×1080: nothing cut off, 24-hour times; support is told up front it may not ask', async ({
  page,
  console: c,
}) => {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const sam = DEMO_USERS.find((u) => u.role === 'support')!;
  await page.setViewportSize({ width: 1366, height: 800 });
  await page.goto(c.url);
  await page.getByTestId(TEST_IDS.demoLoad).click();

  // Support may not ask for a change: the button is disabled and says why before anyone fills anything in.
  await signIn(page, sam);
  await page.getByTestId(CR.nav).click();
  await page.goto(`${c.url}#/change-requests?store=${STORE}`);
  await expect(page.getByTestId(CR.newRequest)).toBeDisabled();
  await expect(page.getByTestId('not-allowed-note')).toHaveText(
    'Only a field technician, a store manager, or an administrator can ask for a change; you are signed in as support staff.',
  );
  expect(
    await c.refusal('changeRequests:request', {
      deviation: { kind: 'release_not_approved_for_ring', storeId: STORE, releaseId: RELEASE },
      impactNote: 'Support tries anyway: refused by the back end too.',
      risk: 'low',
    }),
  ).toMatchObject({ code: 'forbidden' });

  await page.getByTestId(TEST_IDS.statusSignOut).click();
  await signIn(page, tess);
  await page.getByTestId(CR.nav).click();
  await page.getByTestId(CR.newRequest).click();
  // The modal's root is a zero-size portal; its dialog is what shows.
  const modal = page.getByRole('dialog');
  await expect(modal).toBeVisible();
  await pickOption(page, CR.newRelease, /^4\.4\.0/);

  // Every choice's words are whole: nothing is cut off with an ellipsis or scrolls sideways.
  const longKind = "Deploy a release not yet approved for the store's ring";
  await expect(modal.getByRole('radio', { name: longKind })).toBeVisible();
  const clipped = await modal
    .locator('label, button, input, .mantine-Modal-body')
    .evaluateAll((elements) =>
      elements
        .filter((el) => el.scrollWidth > el.clientWidth + 1)
        .map((el) => el.textContent ?? el.tagName),
    );
  expect(clipped).toEqual([]);

  // Times are typed and shown on the 24-hour clock, like every other time in the console.
  expect(await modal.locator('input[type="time"]').count()).toBe(0);
  await page.getByTestId(CR.newDay).fill('2026-12-02');
  await page.getByTestId(CR.newFrom).fill('1930');
  await page.getByTestId(CR.newUntil).fill('23:15');
  await page.getByTestId(CR.requestImpact).click();
  await expect(page.getByTestId(CR.newFrom)).toHaveValue('19:30');
  await expect(page.getByTestId(CR.requestDeviation)).toHaveText(
    'Deploy 4.4.0 at Lille Euralille outside its deployment window, between 2026-12-02 19:30 and 2026-12-02 23:15 (store time).',
  );
  await expect(modal).not.toContainText(/\b(AM|PM)\b/);
  await page.screenshot({ path: join(SCREENSHOT_DIR, 'change-request-dialog-1366x800.png') });
  await page.setViewportSize({ width: 1920, height: 1080 });
  await modal.getByRole('radio', { name: longKind }).click();
  await page.screenshot({ path: join(SCREENSHOT_DIR, 'change-request-dialog-1920x1080.png') });
  await expectNoSeriousA11yProblems(page, 'ask in advance', `[data-testid="${CR.requestModal}"]`);
  expect(c.problems).toEqual([]);
});
