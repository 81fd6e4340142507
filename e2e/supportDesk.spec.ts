/**
 * In Chromium, two browser-mode consoles and one central server: a store
 * console sends a blocker bug report (raised from a failed checklist item);
 * a second console enrolled as a support desk finds it in the inbox (full-
 * text search), opens its detail, triages it to S2, assigns it and asks for
 * information, all as the signed-in support user; the store console sees
 * "needs info" after its sync and replies, the desk reads the reply; the desk
 * marks it fixed in a release and the store sees that too. Screenshots at 1366×800; axe on the inbox and the
 * detail.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BugReport } from '../src/shared/feedback/types.ts';
import { DEMO_USERS } from '../src/main/demo/demoCatalog.ts';
import { answerTerminal } from '../src/main/checklists/testing.ts';
import {
  startCentralServer,
  type CentralServerProcess,
} from '../src/main/sync/testing/centralServer.ts';
import { DESK_TEST_IDS } from '../src/renderer/features/desk/testIds.ts';
import { SUPPORT_DESK_TEST_IDS as IDS } from '../src/renderer/features/supportDesk/testIds.ts';
import { SYNC_TEST_IDS } from '../src/renderer/features/sync/testIds.ts';
import { TEST_IDS } from '../src/renderer/testIds.ts';
import {
  expect,
  expectNoSeriousA11yProblems,
  pickOption,
  SCREENSHOT_DIR,
  signIn,
  startConsole,
  stopConsole,
  test,
  type ConsoleUnderTest,
} from './fixtures.ts';

const STORE = 'st-par-01';
const TERMINAL = 'st-par-01-t2';
const RELEASE = 'rel-4.2.1';
const tess = DEMO_USERS.find((u) => u.id === 'u-tess')!;
const support = DEMO_USERS.find((u) => u.role === 'support')!;

let serverDir: string;
let server: CentralServerProcess | null = null;
let desk: ConsoleUnderTest | null = null;

test.afterEach(async () => {
  if (desk) await stopConsole(desk);
  desk = null;
  await server?.kill();
  server = null;
  rmSync(serverDir, { recursive: true, force: true });
});

async function bugStatus(c: ConsoleUnderTest, id: string): Promise<BugReport | undefined> {
  const reports = await c.call('feedback:listBugReports', { storeId: STORE });
  return reports.find((r) => r.id === id);
}

test('a store blocker is triaged at the support desk and its status comes back to the store', async ({
  page,
  browser,
  console: store,
}) => {
  test.setTimeout(180_000);
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  serverDir = mkdtempSync(join(tmpdir(), 'dearpos-e2e-support-'));
  server = await startCentralServer({ dataDir: serverDir, isDemo: true });
  const viewport = { width: 1366, height: 800 };
  await page.setViewportSize(viewport);

  // The store console: enrolled, Tess signed in, a failed smoke item raised as a blocker and sent.
  await page.goto(store.url);
  await page.getByTestId(SYNC_TEST_IDS.connectUrl).fill(server.url);
  await page.getByTestId(SYNC_TEST_IDS.connectCode).fill(server.enrollmentCode!);
  await page.getByTestId(SYNC_TEST_IDS.connectSubmit).click();
  await pickOption(page, TEST_IDS.signInUser, new RegExp(tess.name));
  await page.getByTestId(TEST_IDS.signInPin).fill(tess.pin);
  await page.getByTestId(TEST_IDS.signInSubmit).click();
  await expect(page.getByTestId(TEST_IDS.statusUser)).toContainText(tess.name);
  const run = await store.call('checklists:startRun', {
    templateId: 'tpl-smoke-pos',
    releaseId: RELEASE,
    terminalIds: [TERMINAL],
  });
  await answerTerminal(store.app, run, TERMINAL, {
    eod: { answer: { type: 'passFail', value: 'fail' } },
  });
  const draft = await store.call('feedback:draftBugReport', {
    runId: run.run.id,
    terminalId: TERMINAL,
    itemId: 'eod',
    severity: 'blocker',
  });
  await store.call('feedback:sendDraft', { reportId: draft.id });
  const syncStore = async () => {
    await store.call('sync:now', {});
  };
  await syncStore();

  // The support desk: a second console, enrolled with a desk code, Sam signed in.
  desk = await startConsole();
  const d = desk;
  const code = await fetch(`${server.url}/v1/admin/desk-enrollment-codes`, {
    method: 'POST',
    headers: { authorization: `Bearer ${server.adminToken}`, 'content-type': 'application/json' },
    body: JSON.stringify({ scope: 'all', role: 'support' }),
  });
  const deskCode = ((await code.json()) as { code: string }).code;
  const context = await browser.newContext({ viewport });
  const deskPage = await context.newPage();
  deskPage.on('pageerror', (error) => d.problems.push(`page error: ${error.message}`));
  await d.call('demo:load', {});
  await deskPage.goto(d.url);
  await signIn(deskPage, support);
  await deskPage.getByTestId(DESK_TEST_IDS.nav).click();
  const form = deskPage.getByTestId(DESK_TEST_IDS.connectForm);
  await form.getByLabel('Central server address').fill(server.url);
  await form.getByLabel('Desk enrollment code').fill(deskCode);
  await form.getByRole('button', { name: 'Connect desk' }).click();
  await expect(deskPage.getByTestId(DESK_TEST_IDS.screen)).toBeVisible();

  await deskPage.getByTestId(IDS.nav).click();
  await expect(deskPage.getByTestId(IDS.screen)).toBeVisible();
  const row = deskPage.getByTestId(IDS.row).filter({ hasText: draft.id });
  await expect(row).toBeVisible();
  await deskPage.getByTestId(IDS.search).fill('end of day');
  await expect(row).toBeVisible();
  await deskPage.screenshot({ path: join(SCREENSHOT_DIR, 'support-inbox-1366x800.png') });
  await expectNoSeriousA11yProblems(deskPage, 'support inbox');

  // Triage: S2, assigned to Sam, then "needs info" with a question to the store.
  await row.click();
  const detail = deskPage.getByTestId(IDS.detail);
  await expect(detail).toBeVisible();
  await pickOption(deskPage, IDS.triageSeverity, /^S2$/);
  await detail.getByTestId(IDS.triageAssignee).fill(support.id);
  await detail.getByTestId(IDS.triageApply).click();
  await expect(detail.getByText('Recorded in the central log.')).toBeVisible();
  await pickOption(deskPage, IDS.status, /^Needs info$/);
  await detail.getByTestId(IDS.setStatus).click();
  await detail.getByTestId(IDS.comment).fill('Which receipt printer model is on lane 2?');
  await detail.getByTestId(IDS.sendComment).click();
  await expect(detail.getByText('Which receipt printer model is on lane 2?')).toBeVisible();
  await deskPage.screenshot({ path: join(SCREENSHOT_DIR, 'support-detail-1366x800.png') });
  await expectNoSeriousA11yProblems(deskPage, 'support report detail', '[role="dialog"]');

  // The store sees "needs info" after its sync (the desk's entries come through its feed).
  await syncStore();
  await expect.poll(async () => (await bugStatus(store, draft.id))?.status).toBe('needs_info');
  // The store answers; after its sync the desk reads the reply in the report's comments.
  const ours = await store.call('feedback:reply', {
    reportId: draft.id,
    text: 'An Epson TM-m30III on lane 2.',
  });
  expect(ours.reports.find((r) => r.id === draft.id)).toBeTruthy();
  await syncStore();
  await deskPage.keyboard.press('Escape');
  await deskPage.getByTestId(IDS.row).filter({ hasText: draft.id }).click();
  await expect(detail.getByText('An Epson TM-m30III on lane 2.')).toBeVisible();

  // Support marks it fixed in a release; the store sees that too.
  await pickOption(deskPage, IDS.status, /^Fixed$/);
  await detail.getByTestId(IDS.fixedIn).fill('rel-4.2.1');
  await detail.getByTestId(IDS.setStatus).click();
  await expect(detail.getByText('Fixed in rel-4.2.1')).toBeVisible();
  await syncStore();
  await expect.poll(async () => (await bugStatus(store, draft.id))?.status).toBe('fixed');
  await deskPage.keyboard.press('Escape');
  await expect(deskPage.getByTestId(IDS.row).filter({ hasText: draft.id })).toContainText('Fixed');
  await deskPage.screenshot({ path: join(SCREENSHOT_DIR, 'support-inbox-fixed-1366x800.png') });
  expect(store.problems).toEqual([]);
  expect(d.problems).toEqual([]);
  await context.close();
});
