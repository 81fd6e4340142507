/**
 * Issue 5, acceptance 2: in Chromium against the real back end, a technician
 * deploys the demo minor release 4.4.0 canary-first on Lille Euralille's four
 * lanes: the canary is updated, its smoke test fails, she rolls back (the
 * rollback runbook records 4.2.1 again) and the timeline shows the failure
 * and the rollback. A second attempt passes on the canary, then updates and
 * smoke-tests the three other lanes and completes; the fleet shows the four
 * lanes on 4.4.0 and the store manager signs go. Screenshots of the runbook
 * view at the intervention and of the timeline go to test-output/.
 *
 * Acceptance 6: at the end the console's journal (its SQLite file, opened
 * read-only) is folded by the shared deployment rules alone, and the
 * metrics of both deployments — time to deploy, manual waiting at the
 * intervention, outcome, rollbacks — match what the timeline showed.
 *
 * The deployment screens are driven through the UI. The checklist items of
 * each smoke run are answered over the API (the checklist screen's answering
 * is covered by e2e/checklists.spec.ts), except the failing item of the
 * first run, answered from the run screen's keyboard shortcut.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { Locator, Page } from '@playwright/test';
import type { AuditEventBody } from '../src/shared/audit/event.ts';
import type { ChecklistItem } from '../src/shared/checklists/template.ts';
import { metricsFromJournal } from '../src/shared/deployments/metrics.ts';
import type { DeploymentMetrics } from '../src/shared/deployments/timeline.ts';
import { forEachJournalExportLine, type JournalExportLine } from '../src/main/audit/export.ts';
import { verifyDatabaseFile } from '../src/main/audit/verifyDatabase.ts';
import { passingAnswer, PNG_1X1 } from '../src/main/checklists/testing.ts';
import { DEMO_USERS } from '../src/main/demo/demoCatalog.ts';
import { CHECKLIST_TEST_IDS as CL } from '../src/renderer/features/checklists/testIds.ts';
import { DECISION_TEST_IDS as DC } from '../src/renderer/features/decisions/testIds.ts';
import { DEPLOYMENT_TEST_IDS as DP } from '../src/renderer/features/deployments/testIds.ts';
import { formatDuration } from '../src/renderer/features/deployments/timeline/format.ts';
import { TIMELINE_TEST_IDS as TL } from '../src/renderer/features/deployments/timeline/testIds.ts';
import { TEST_IDS } from '../src/renderer/testIds.ts';
import {
  expect,
  expectNoSeriousA11yProblems,
  pickOption,
  SCREENSHOT_DIR,
  signIn,
  test,
  type ConsoleUnderTest,
} from './fixtures.ts';

const tess = DEMO_USERS.find((u) => u.id === 'u-tess')!;

// The demo's loading and the sign-in screen are demoSignIn.spec.ts's business: each test opens signed in as Tess.
test.use({ consoleOptions: { demo: true, signedInAs: tess } });
const maya = DEMO_USERS.find((u) => u.id === 'u-maya')!;
const STORE = 'st-lil-01';
const RELEASE = 'rel-4.4.0';
const UAT = 'tpl-uat-pos';
/** The mandatory item that fails on the canary in the first attempt. */
const FAILING_ITEM = 'receipt-readable';

/**
 * Answers every visible item still open on every terminal of a run over the
 * API, so that it passes — except `skip`, left for the UI.
 */
async function answerRun(
  c: ConsoleUnderTest,
  runId: string,
  skip: ReadonlySet<string> = new Set(),
): Promise<void> {
  const view = await c.call('checklists:getRun', { runId });
  const items = new Map<string, ChecklistItem>(
    view.template.sections.flatMap((s) => s.items).map((i) => [i.id, i]),
  );
  let evidence: string | null = null;
  for (const terminal of view.terminals) {
    let state = terminal.items;
    for (;;) {
      const next = state.find(
        (i) => i.isVisible && i.status === 'not_started' && !skip.has(i.itemId),
      );
      if (next === undefined) break;
      const answer = passingAnswer(items.get(next.itemId)!);
      if ((answer.type === 'photo' || answer.type === 'signature') && evidence === null) {
        evidence = (
          await c.call('checklists:attachEvidence', {
            runId,
            fileName: 'evidence.png',
            mimeType: 'image/png',
            dataBase64: PNG_1X1,
          })
        ).sha256;
      }
      const withEvidence =
        answer.type === 'photo' || answer.type === 'signature' ? { evidence: [evidence!] } : {};
      const outcome = await c.call('checklists:recordResult', {
        runId,
        terminalId: terminal.terminalId,
        itemId: next.itemId,
        answer,
        ...withEvidence,
      });
      state = outcome.terminal.items;
    }
  }
}

function currentStep(page: Page): Locator {
  return page.getByTestId(DP.currentStep);
}

/** Waits until the deployment is at `stepId` (in the given phase and wave, as the runbook list marks it). */
async function expectAt(
  page: Page,
  stepId: string,
  where: { phase?: 'forward' | 'rollback'; wave?: 'canary' | 'fleet' } = {},
): Promise<void> {
  await expect(currentStep(page)).toHaveAttribute('data-step-id', stepId);
  const row = page.locator(
    `[data-testid="${DP.runbookStep}"][data-step-id="${stepId}"][data-phase="${where.phase ?? 'forward'}"][data-wave="${where.wave ?? 'fleet'}"]`,
  );
  await expect(row).toHaveAttribute('data-standing', 'current');
}

async function done(page: Page): Promise<void> {
  await currentStep(page).getByTestId(DP.completeStep).click();
}

/** Types each lane's version and presses Enter, as a barcode scanner does, then marks the capture done. */
async function captureVersions(
  page: Page,
  terminalIds: readonly string[],
  version: string,
): Promise<void> {
  for (const terminalId of terminalIds) {
    const input = page.locator(
      `[data-testid="${DP.versionInput}"][data-terminal-id="${terminalId}"]`,
    );
    await input.fill(version);
    await input.press('Enter');
    await expect(
      page.locator(`[data-testid="${DP.terminalRow}"][data-terminal-id="${terminalId}"]`),
    ).toHaveAttribute('data-version', version);
  }
  await done(page);
}

/** Claims the intervention ("assign to me") and proceeds with a note. */
async function claimAndProceed(
  page: Page,
  wave: 'canary' | 'fleet',
  notes: string,
  screenshot?: string,
): Promise<void> {
  await expectAt(page, 'confirm-ready', { wave });
  await expect(page.getByTestId(DP.claimant)).toHaveAttribute('data-claimant', '');
  // From the keyboard, like every action on this screen.
  await page.getByTestId(DP.claim).focus();
  await page.keyboard.press('Enter');
  await expect(page.getByTestId(DP.claimant)).toHaveAttribute('data-claimant', tess.id);
  await page.getByTestId(DP.interventionNotes).fill(notes);
  if (screenshot !== undefined) {
    await page.screenshot({ path: join(SCREENSHOT_DIR, screenshot) });
    await expectNoSeriousA11yProblems(page, 'deployment at an intervention');
  }
  await page.getByTestId(DP.proceed).click();
}

/**
 * The smoke step: "Run the smoke test" starts the run on the step's
 * terminals and opens it; its items are answered (all passing, or all but
 * the failing item, which is failed from the run screen's keyboard); "Back
 * to the deployment", then "Record the result". Returns the run id.
 */
async function smokeTest(
  page: Page,
  c: ConsoleUnderTest,
  terminalIds: readonly string[],
  outcome: 'pass' | 'fail',
): Promise<string> {
  await page.getByTestId(DP.runSmoke).click();
  const runView = page.getByTestId(CL.runView);
  await expect(runView).toBeVisible();
  const runId = (await runView.getAttribute('data-run-id'))!;
  // The run covers exactly the step's terminals.
  expect(
    (await c.call('checklists:getRun', { runId })).terminals.map((t) => t.terminalId).sort(),
  ).toEqual([...terminalIds].sort());
  if (outcome === 'pass') {
    await answerRun(c, runId);
    await expect(page.getByTestId(CL.runStatus)).toHaveAttribute('data-status', 'passed');
  } else {
    await answerRun(c, runId, new Set([FAILING_ITEM]));
    const failing = page.locator(`[data-testid="${CL.item}"][data-item-id="${FAILING_ITEM}"]`);
    await failing.focus();
    await page.keyboard.press('f');
    await expect(failing).toHaveAttribute('data-status', 'failed');
    await expect(page.getByTestId(CL.runStatus)).toHaveAttribute('data-status', 'failed');
    await page.screenshot({ path: join(SCREENSHOT_DIR, 'deployment-smoke-run-failed.png') });
  }
  await page.getByTestId(DP.backToDeployment).click();
  await expect(page.getByTestId(DP.smokeRun)).toHaveAttribute('data-run-id', runId);
  await page.getByTestId(DP.recordSmoke).click();
  return runId;
}

/** What the timeline's metric strip shows, tile by tile. */
async function shownMetrics(
  page: Page,
): Promise<Record<'time_to_deploy' | 'manual_waiting' | 'outcome' | 'rollbacks', string>> {
  const tile = (key: string) => page.locator(`[data-testid="${TL.metric}"][data-metric="${key}"]`);
  await expect(tile('time_to_deploy')).toBeVisible();
  const value = async (key: string) =>
    (await tile(key).innerText())
      .split('\n')
      .map((s) => s.trim())
      .filter(Boolean)[1] ?? '';
  return {
    time_to_deploy: await value('time_to_deploy'),
    manual_waiting: await value('manual_waiting'),
    outcome: await value('outcome'),
    rollbacks: await value('rollbacks'),
  };
}

/** The console's journal, read from its SQLite file opened read-only: the events as they were hashed. */
function readJournal(dataDir: string): AuditEventBody[] {
  const file = join(dataDir, 'console.sqlite');
  const verified = verifyDatabaseFile(file);
  expect(verified.ok, JSON.stringify(verified)).toBe(true);
  const sqlite = new Database(file, { readonly: true, fileMustExist: true });
  const events: AuditEventBody[] = [];
  try {
    let isHeader = true;
    forEachJournalExportLine(sqlite, (line) => {
      if (isHeader) {
        isHeader = false;
        return;
      }
      events.push(JSON.parse((JSON.parse(line) as JournalExportLine).body) as AuditEventBody);
    });
  } finally {
    sqlite.close();
  }
  return events;
}

test('canary first on a 4-lane store: a failed canary smoke test is rolled back; the second attempt completes, the manager signs go, and the journal alone gives the metrics the timeline showed', async ({
  page,
  console: c,
}) => {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  await page.goto(c.url);
  await expect(page.getByTestId(TEST_IDS.statusUser)).toContainText(tess.name);
  const lanes = (
    await c.call('fleet:listTerminals', {
      filter: { storeId: STORE },
      sort: { key: 'terminal', desc: false },
      offset: 0,
      limit: 10,
    })
  ).rows;
  expect(lanes.map((t) => t.version)).toEqual(['4.2.1', '4.2.1', '4.2.1', '4.2.1']);
  const [canary, ...others] = lanes.map((t) => t.id) as [string, ...string[]];
  const shown: Record<string, Awaited<ReturnType<typeof shownMetrics>>> = {};

  // The deployments screen starts empty and says what to do.
  await page.getByTestId(DP.nav).click();
  await expect(page.getByText('No deployment yet')).toBeVisible();

  // ---- First attempt: plan from the screen, start canary first on the first lane.
  // A withdrawn release is not offered. A release without a runbook cannot be deployed with guidance: the refusal says so and nothing is planned.
  await page.getByTestId(DP.planOpen).first().click();
  await page.getByTestId(DP.planRelease).click();
  await expect(page.getByRole('option', { name: /^4\.4\.0/ })).toBeVisible();
  await expect(page.getByRole('option', { name: /^4\.3\.1/ })).toHaveCount(0);
  await page.keyboard.press('Escape');
  await pickOption(page, DP.planRelease, /^4\.3\.0/);
  await pickOption(page, DP.planStore, /Lille Euralille/);
  await page.getByTestId(DP.planSubmit).click();
  await expect(page.getByTestId(DP.planError)).toContainText('has no runbook');
  expect(await c.call('deployments:list', {})).toEqual([]);
  await pickOption(page, DP.planRelease, /^4\.4\.0/);
  await page.getByTestId(DP.planSubmit).click();
  await expect(page.getByTestId(DP.view)).toHaveAttribute('data-status', 'planned');
  const firstId = (await page.getByTestId(DP.view).getAttribute('data-deployment-id'))!;
  await expect(page.getByTestId(DP.terminalRow)).toHaveCount(4);
  await expect(page.getByTestId(DP.strategy)).toHaveValue('Canary first');
  await expect(page.getByTestId(DP.canary)).toHaveValue(new RegExp(`^${lanes[0]!.name} `));
  await page.getByTestId(DP.start).click();

  await expectAt(page, 'close-lane', { wave: 'canary' });
  await done(page);
  await claimAndProceed(
    page,
    'canary',
    'Sync shows 0 sales waiting; drawer counted.',
    'deployment-intervention.png',
  );
  await expectAt(page, 'install', { wave: 'canary' });
  await done(page);
  await expectAt(page, 'capture', { wave: 'canary' });
  // Only the canary is in scope: one version field.
  await expect(page.getByTestId(DP.versionInput)).toHaveCount(1);
  await captureVersions(page, [canary], '4.4.0');
  await expectAt(page, 'smoke', { wave: 'canary' });
  await smokeTest(page, c, [canary], 'fail');

  // The step failed: the guided failure panel. Skipping is for the manager; the technician rolls back.
  await expect(page.getByTestId(DP.view)).toHaveAttribute('data-status', 'failed');
  const failure = page.getByTestId(DP.failurePanel);
  await expect(failure).toContainText('The smoke test failed');
  await expect(failure.getByTestId(DP.skip)).toBeDisabled();
  await expect(failure).toContainText('needs a store manager');
  await page.screenshot({ path: join(SCREENSHOT_DIR, 'deployment-step-failed.png') });
  await expectNoSeriousA11yProblems(page, 'deployment at a failed step');
  await failure.getByTestId(DP.rollBack).click();
  // A refusal is shown next to the action and changes nothing: a rollback needs a reason.
  await failure.getByTestId(DP.rollBackSubmit).click();
  await expect(failure.getByTestId(DP.refusal)).toHaveAttribute('data-refusal', 'reason_required');
  await expect(page.getByTestId(DP.view)).toHaveAttribute('data-status', 'failed');
  await failure
    .getByTestId(DP.rollBackReason)
    .fill('Receipts print unreadable on the canary after 4.4.0.');
  await failure.getByTestId(DP.rollBackSubmit).click();

  // The rollback runbook: reinstall, record the old version on the canary, smoke test.
  await expectAt(page, 'rb-install', { phase: 'rollback', wave: 'canary' });
  await done(page);
  await expectAt(page, 'rb-capture', { phase: 'rollback', wave: 'canary' });
  await captureVersions(page, [canary], '4.2.1');
  await expectAt(page, 'rb-smoke', { phase: 'rollback', wave: 'canary' });
  await smokeTest(page, c, [canary], 'pass');
  await expect(page.getByTestId(DP.view)).toHaveAttribute('data-status', 'rolled_back');
  await expect(
    page.locator(`[data-testid="${DP.terminalRow}"][data-terminal-id="${canary}"]`),
  ).toHaveAttribute('data-progress', 'rolled_back');

  // The timeline shows the failed smoke test and the rollback.
  const timeline = page.getByTestId(TL.timeline);
  await expect(timeline.locator(`[data-testid="${TL.row}"][data-phase="rollback"]`)).toHaveCount(3);
  const failedSmoke = timeline
    .locator(`[data-testid="${TL.row}"][data-phase="forward"]`)
    .filter({ hasText: 'Run the smoke test' });
  await expect(failedSmoke).toContainText('recorded the smoke test: failed');
  await expect(failedSmoke).toContainText('chose to roll back');
  shown[firstId] = await shownMetrics(page);
  expect(shown[firstId]).toMatchObject({
    outcome: expect.stringMatching(/rolled back/i),
    rollbacks: '1',
  });
  await timeline.scrollIntoViewIfNeeded();
  await timeline.screenshot({ path: join(SCREENSHOT_DIR, 'deployment-timeline.png') });

  // ---- Second attempt: the canary passes, then the three other lanes.
  await page.getByTestId(DP.nav).click();
  await expect(page.getByTestId(DP.row)).toHaveCount(1);
  await page.getByTestId(DP.planOpen).click();
  await pickOption(page, DP.planRelease, /^4\.4\.0/);
  await pickOption(page, DP.planStore, /Lille Euralille/);
  await page.getByTestId(DP.planSubmit).click();
  await expect(page.getByTestId(DP.view)).toHaveAttribute('data-status', 'planned');
  const secondId = (await page.getByTestId(DP.view).getAttribute('data-deployment-id'))!;
  expect(secondId).not.toBe(firstId);
  await page.getByTestId(DP.start).click();

  await expectAt(page, 'close-lane', { wave: 'canary' });
  await done(page);
  await claimAndProceed(page, 'canary', 'Lane 1 closed again for the second attempt.');
  await expectAt(page, 'install', { wave: 'canary' });
  await done(page);
  await captureVersions(page, [canary], '4.4.0');
  await expectAt(page, 'smoke', { wave: 'canary' });
  await smokeTest(page, c, [canary], 'pass');
  await expectAt(page, 'reopen', { wave: 'canary' });
  await done(page);

  await expectAt(page, 'close-lane', { wave: 'fleet' });
  await done(page);
  await claimAndProceed(page, 'fleet', 'The other three lanes are closed.');
  await expectAt(page, 'install', { wave: 'fleet' });
  await done(page);
  await expectAt(page, 'capture', { wave: 'fleet' });
  await expect(page.getByTestId(DP.versionInput)).toHaveCount(3);
  await captureVersions(page, others, '4.4.0');
  await expectAt(page, 'smoke', { wave: 'fleet' });
  await smokeTest(page, c, others, 'pass');
  await expectAt(page, 'reopen', { wave: 'fleet' });
  await done(page);
  await expect(page.getByTestId(DP.view)).toHaveAttribute('data-status', 'completed');
  for (const row of await page.getByTestId(DP.terminalRow).all()) {
    await expect(row).toHaveAttribute('data-progress', 'new');
    await expect(row).toHaveAttribute('data-version', '4.4.0');
  }
  await page.screenshot({ path: join(SCREENSHOT_DIR, 'deployment-completed.png') });
  shown[secondId] = await shownMetrics(page);
  expect(shown[secondId]).toMatchObject({
    outcome: expect.stringMatching(/completed/i),
    rollbacks: '0',
  });

  // The list: both deployments, newest first.
  await page.getByTestId(DP.nav).click();
  await expect(page.getByTestId(DP.row)).toHaveCount(2);
  await expect(page.getByTestId(DP.row).first()).toHaveAttribute('data-status', 'completed');
  await expect(page.getByTestId(DP.row).nth(1)).toHaveAttribute('data-status', 'rolled_back');
  await page.screenshot({ path: join(SCREENSHOT_DIR, 'deployments-list.png') });
  await expectNoSeriousA11yProblems(page, 'deployments list');

  // The fleet follows the deployment: the four lanes run 4.4.0.
  await page.getByTestId(TEST_IDS.navFleet).click();
  await page.getByTestId(TEST_IDS.filterSearch).fill('Lille Euralille');
  await expect(page.getByTestId(TEST_IDS.terminalRow)).toHaveCount(4);
  for (const row of await page.getByTestId(TEST_IDS.terminalRow).all())
    await expect(row).toContainText('4.4.0');
  // The terminal detail shows the store's flag values for the release the lane now runs (Lille is in the pilot ring).
  await page
    .locator(`[data-testid="${TEST_IDS.terminalRow}"][data-terminal-id="${canary}"]`)
    .click();
  const detail = page.getByTestId(TEST_IDS.terminalDetail);
  await expect(
    detail.locator(`[data-testid="${TL.flagRow}"][data-flag="assist-mode"]`),
  ).toContainText('On');
  await expect(
    detail.locator(`[data-testid="${TL.flagRow}"][data-flag="offline-price-updates"]`),
  ).toContainText('On');
  await page.screenshot({ path: join(SCREENSHOT_DIR, 'terminal-flags.png') });
  await page.keyboard.press('Escape');

  // A minor release also needs its UAT on one lane before go (set up over the API: not what this test is about).
  const uat = await c.call('checklists:startRun', {
    templateId: UAT,
    releaseId: RELEASE,
    terminalIds: [canary],
  });
  await answerRun(c, uat.run.id);

  // The store manager signs go for 4.4.0 at Lille.
  await page.getByTestId(TEST_IDS.statusSignOut).click();
  await signIn(page, maya);
  await page.goto(`${c.url}#/decisions?store=${STORE}&release=${RELEASE}`);
  await expect(page.getByTestId(DC.verdict)).toHaveAttribute('data-verdict', 'go');
  await page
    .getByTestId(DC.reason)
    .fill('Canary and the three other lanes passed the smoke test; UAT passed.');
  const pad = page.getByTestId(DC.signature);
  const box = (await pad.boundingBox())!;
  await page.mouse.move(box.x + 20, box.y + box.height * 0.6);
  await page.mouse.down();
  for (let i = 1; i <= 10; i++)
    await page.mouse.move(box.x + 20 + i * 24, box.y + box.height * (i % 2 === 0 ? 0.7 : 0.3), {
      steps: 3,
    });
  await page.mouse.up();
  await expect(page.getByTestId(`${DC.signature}-signed`)).toBeVisible();
  await page.getByTestId(DC.pin).fill(maya.pin);
  await page.getByTestId(DC.submit).click();
  await expect(page.getByTestId(DC.row)).toHaveCount(1);
  await expect(page.getByTestId(DC.row)).toHaveAttribute('data-decision', 'go');

  // ---- Acceptance 6: the metrics from the journal alone equal what the timeline showed.
  const fromJournal = metricsFromJournal(readJournal(c.dataDir));
  expect([...fromJournal.keys()].sort()).toEqual([firstId, secondId].sort());
  const expectedTiles = (m: DeploymentMetrics, rollbacks: number) => ({
    time_to_deploy: formatDuration(m.timeToDeployMs),
    manual_waiting: formatDuration(m.interventionMs),
    outcome: m.outcome === 'rolled_back' ? 'Rolled back' : 'Completed',
    rollbacks: String(rollbacks),
  });
  const first = fromJournal.get(firstId)!;
  const second = fromJournal.get(secondId)!;
  expect(first).toMatchObject({
    outcome: 'rolled_back',
    isRolledBack: true,
    failedSteps: 1,
    terminalsUpdated: 0,
  });
  expect(second).toMatchObject({
    outcome: 'completed',
    isRolledBack: false,
    failedSteps: 0,
    terminalsUpdated: 4,
  });
  for (const m of [first, second]) {
    // Manual waiting at the intervention is part of the time to deploy, and both are real durations.
    expect(m.interventionMs).toBeGreaterThan(0);
    expect(m.timeToDeployMs!).toBeGreaterThan(m.interventionMs);
  }
  expect(shown[firstId]).toEqual(expectedTiles(first, 1));
  expect(shown[secondId]).toEqual(expectedTiles(second, 0));
  // And exactly, to the millisecond, what the back end served the timeline from.
  expect((await c.call('deployments:get', { deploymentId: firstId })).metrics).toEqual(first);
  expect((await c.call('deployments:get', { deploymentId: secondId })).metrics).toEqual(second);
  expect(c.problems).toEqual([]);
});

test('a start the rules refuse says why next to the button, offers the change request it needs, and starts nothing', async ({
  page,
  console: c,
}) => {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  await page.goto(c.url);
  await expect(page.getByTestId(TEST_IDS.statusUser)).toContainText(tess.name);
  // Planned over the API (the plan dialog is covered above): 5.0.0 has reached the lab ring only; Lille is a pilot store.
  const planned = await c.call('deployments:plan', { releaseId: 'rel-5.0.0', storeId: STORE });
  const deploymentId = planned.state.plan.deploymentId;
  await page.goto(`${c.url}#/deployments/${deploymentId}`);
  await expect(page.getByTestId(DP.strategy)).toHaveValue('Blue-green');
  await expect(page.getByTestId(DP.canary)).toHaveCount(0);
  await page.getByTestId(DP.start).click();
  const refusal = page.getByTestId(DP.currentStep).getByTestId(DP.refusal);
  await expect(refusal).toHaveAttribute('data-refusal', 'ring_not_approved');
  await expect(refusal).toContainText('has reached the lab ring only');
  await expect(
    page
      .getByTestId(DP.currentStep)
      .getByRole('button', { name: 'Request a change: deploy ahead of the ring' }),
  ).toBeVisible();
  await page.screenshot({ path: join(SCREENSHOT_DIR, 'deployment-start-refused.png') });
  await expect(page.getByTestId(DP.view)).toHaveAttribute('data-status', 'planned');
  const after = await c.call('deployments:get', { deploymentId });
  expect(after.state.status).toBe('planned');
  expect(after.state.history).toEqual([]);
  expect(c.problems).toEqual([]);
});

/** The runbook row of `stepId` in `phase`, as the runbook panel lists it. */
function runbookRow(page: Page, stepId: string, phase: 'forward' | 'rollback'): Locator {
  return page.locator(
    `[data-testid="${DP.runbookStep}"][data-step-id="${stepId}"][data-phase="${phase}"][data-wave="canary"]`,
  );
}

const SIZES = [
  { width: 1366, height: 800 },
  { width: 1920, height: 1080 },
] as const;

/** At each size in turn: the screenshot, and the page never scrolls sideways. Ends at the first size. */
async function atEachSize(page: Page, name: string): Promise<void> {
  for (const size of SIZES) {
    await page.setViewportSize(size);
    await page.screenshot({
      path: join(SCREENSHOT_DIR, `${name}-${size.width}x${size.height}.png`),
    });
    expect(
      await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth),
      `${name} at ${size.width}×${size.height}`,
    ).toBe(true);
  }
  await page.setViewportSize(SIZES[0]);
}

// One flow, looked at in both window sizes where it is screenshotted: the flow itself does not
// depend on the size, and walking it twice cost a whole console, page and runbook more.
test(`at 1366×800 and 1920×1080: a rollback after a failed canary install records the canary's version, smoke-tests it and finishes; the panel and the badge say it is rolling back`, async ({
  page,
  console: c,
}) => {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  await page.setViewportSize(SIZES[0]);
  await page.goto(c.url);
  await expect(page.getByTestId(TEST_IDS.statusUser)).toContainText(tess.name);
  const lanes = (
    await c.call('fleet:listTerminals', {
      filter: { storeId: STORE },
      sort: { key: 'terminal', desc: false },
      offset: 0,
      limit: 10,
    })
  ).rows;
  // Lane 1 already runs 4.4.0: the start form proposes the first lane that does not.
  await c.call('fleet:recordVersion', {
    terminalId: lanes[0]!.id,
    version: '4.4.0',
    source: 'typed',
  });
  const canary = lanes[1]!;
  await page.getByTestId(DP.nav).click();
  await page.getByTestId(DP.planOpen).first().click();
  await pickOption(page, DP.planRelease, /^4\.4\.0/);
  await pickOption(page, DP.planStore, /Lille Euralille/);
  await page.getByTestId(DP.planSubmit).click();
  await expect(page.getByTestId(DP.view)).toHaveAttribute('data-status', 'planned');
  await expect(page.getByTestId(DP.canary)).toHaveValue(new RegExp(`^${canary.name} `));
  await page.getByTestId(DP.start).click();

  await expectAt(page, 'close-lane', { wave: 'canary' });
  await done(page);
  await claimAndProceed(page, 'canary', 'Lane closed, drawer counted.');
  await expectAt(page, 'install', { wave: 'canary' });
  // The install fails half way: no version was recorded on the canary.
  await currentStep(page).getByTestId(DP.failStep).click();
  await currentStep(page).getByTestId(DP.failReason).fill('The installer stopped at 40 %.');
  await currentStep(page).getByTestId(DP.failSubmit).click();
  const failure = page.getByTestId(DP.failurePanel);
  await failure.getByTestId(DP.rollBack).click();
  await failure.getByTestId(DP.rollBackReason).fill('The installer stopped at 40 %.');
  await failure.getByTestId(DP.rollBackSubmit).click();

  // Rolling back: the badge says so, and the panel marks the rollback's step, not the forward one.
  await expectAt(page, 'rb-install', { phase: 'rollback', wave: 'canary' });
  await expect(page.getByTestId(DP.status)).toHaveText('Rolling back');
  await expect(page.locator(`[data-testid="${DP.runbookStep}"][aria-current="step"]`)).toHaveCount(
    1,
  );
  await expect(runbookRow(page, 'rb-install', 'rollback')).toHaveAttribute('aria-current', 'step');
  await expect(runbookRow(page, 'install', 'forward')).toHaveAttribute('data-standing', 'failed');
  await expect(runbookRow(page, 'install', 'forward')).not.toHaveAttribute('aria-current', 'step');
  await atEachSize(page, 'deployment-rollback');
  await expect(page.getByTestId(DP.view)).toHaveAttribute('data-status', 'in_progress');
  await done(page);

  // The version capture shows the canary's field; Done with nothing recorded is refused with the lane's name.
  await expectAt(page, 'rb-capture', { phase: 'rollback', wave: 'canary' });
  await expect(page.getByTestId(DP.versionInput)).toHaveCount(1);
  await expect(page.getByTestId(DP.versionInput)).toHaveAttribute('data-terminal-id', canary.id);
  await expect(currentStep(page).getByTestId(DP.completeStep)).toBeDisabled();
  await captureVersions(page, [canary.id], '4.2.1');

  // The rollback's smoke test runs on the canary, and its result is recorded.
  await expectAt(page, 'rb-smoke', { phase: 'rollback', wave: 'canary' });
  await expect(page.getByTestId(DP.status)).toHaveText('Rolling back');
  await atEachSize(page, 'deployment-rollback-smoke');
  await smokeTest(page, c, [canary.id], 'pass');
  await expect(page.getByTestId(DP.view)).toHaveAttribute('data-status', 'rolled_back');
  await expect(page.getByTestId(DP.status)).toHaveText('Rolled back');
  await expect(
    page.locator(`[data-testid="${DP.terminalRow}"][data-terminal-id="${canary.id}"]`),
  ).toHaveAttribute('data-progress', 'rolled_back');
  for (const size of SIZES) {
    await page.setViewportSize(size);
    expect(
      await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth),
      `rolled back at ${size.width}×${size.height}`,
    ).toBe(true);
  }
  expect(c.problems).toEqual([]);
});
