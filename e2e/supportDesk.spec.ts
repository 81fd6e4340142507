/**
 * The support desk from end to end in Chromium: one central server, a Paris
 * store console (the page), a Lyon store console and a support desk console
 * (driven through their back ends, then the desk's page).
 *
 * Lyon has asked for a feature; Paris's console fetched the chain's requests
 * at its last sync. With the server down, on the fleet screen, Paris files a
 * bug with the window's screenshot (Ctrl+Shift+B) and, in the feature
 * request form (Ctrl+Shift+F), is offered Lyon's request while typing and
 * votes for it instead; Our reports shows both, offline. Back online, the
 * desk sees the report with its screenshot and the request with two stores'
 * votes, triages the bug to S2, assigns it and asks for information; Paris
 * sees "needs info" and replies; the desk reads the reply and marks it fixed
 * in a release; Paris sees that. Screenshots at 1366×800; axe (no serious or
 * critical finding) on the request form, Our reports and the desk's detail.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { DEMO_USERS } from '../src/main/demo/demoCatalog.ts';
import {
  startCentralServer,
  type CentralServerProcess,
} from '../src/main/sync/testing/centralServer.ts';
import { FEEDBACK_TEST_IDS as FB } from '../src/renderer/features/feedback/testIds.ts';
import { SUPPORT_DESK_TEST_IDS as IDS } from '../src/renderer/features/supportDesk/testIds.ts';
import { TEST_IDS } from '../src/renderer/testIds.ts';
import {
  expect,
  expectNoSeriousA11yProblems,
  pickOption,
  SCREENSHOT_DIR,
  startConsole,
  stillMotion,
  stopConsole,
  test,
  type ConsoleUnderTest,
} from './fixtures.ts';

const tess = DEMO_USERS.find((u) => u.id === 'u-tess')!;
const support = DEMO_USERS.find((u) => u.role === 'support')!;
const VIEWPORT = { width: 1366, height: 800 };
const LYON_REQUEST = 'Split payment between card and cash';

let serverDir: string;
let server: CentralServerProcess | null = null;
/** Printed by the demo server's first start; a restart keeps it but does not print it again. */
let adminToken: string | null = null;
const extra: ConsoleUnderTest[] = [];

test.afterEach(async () => {
  for (const c of extra.splice(0)) await stopConsole(c);
  await server?.kill();
  server = null;
  rmSync(serverDir, { recursive: true, force: true });
});

async function adminPost(path: string, body: object): Promise<{ code: string }> {
  const res = await fetch(`${server!.url}${path}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  expect(res.status).toBe(200);
  return (await res.json()) as { code: string };
}

/** Enrolls a fresh console with a code, then signs Tess in once the catalog has arrived. */
async function enroll(c: ConsoleUnderTest, enrollmentCode: string): Promise<void> {
  await c.call('sync:connect', { serverUrl: server!.url, enrollmentCode });
  await expect
    .poll(() =>
      c.call('session:signIn', { userId: tess.id, pin: tess.pin }).then(
        () => true,
        () => false,
      ),
    )
    .toBe(true);
}

async function shot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: join(SCREENSHOT_DIR, `${name}-1366x800.png`) });
}

test('a bug and a vote filed offline reach the support desk, and the desk’s triage comes back to the store', async ({
  page,
  browser,
  console: paris,
}) => {
  test.setTimeout(180_000);
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  serverDir = mkdtempSync(join(tmpdir(), 'dearpos-e2e-support-'));
  server = await startCentralServer({ dataDir: serverDir, isDemo: true });
  const { port } = server;
  adminToken = server.adminToken;
  await page.setViewportSize(VIEWPORT);

  // Lyon asks for a feature and syncs; Paris enrolls, and its sync fetches the chain's requests.
  const lyon = await startConsole();
  extra.push(lyon);
  await enroll(
    lyon,
    (await adminPost('/v1/admin/enrollment-codes', { storeId: 'st-lyo-01' })).code,
  );
  await lyon.call('feedback:fileFeatureRequest', {
    title: LYON_REQUEST,
    description: 'Customers in Lyon ask for it at the till.',
    category: 'payments',
  });
  await lyon.call('sync:now', {});
  await enroll(paris, server.enrollmentCode!);
  await paris.call('sync:now', {});

  // Offline: the central server is gone. On the fleet screen, Ctrl+Shift+B captures the window.
  await server.kill();
  await page.goto(`${paris.url}#/fleet`);
  await expect(page.getByTestId(TEST_IDS.terminalRow).first()).toBeVisible();
  await page.keyboard.press('Control+Shift+B');
  const report = page.getByRole('dialog');
  await expect(report.getByTestId(FB.attachment)).toHaveAttribute('data-kind', 'screenshot');
  await report.getByTestId(FB.title).fill('Matrix shows the wrong release for Lane 2');
  await report.getByTestId(FB.happened).fill('After the update the matrix still says 4.2.0.');
  await report.getByTestId(FB.expected).fill('4.2.1, as the terminal shows.');
  await report.getByTestId(FB.submit).click();
  const sent = page.getByTestId(FB.sent);
  await expect(sent).toBeVisible();
  const reportId = (await sent.getAttribute('data-report-id'))!;
  await page.getByRole('button', { name: 'Done' }).click();
  await expect(page.getByRole('dialog')).toHaveCount(0);

  // Ctrl+Shift+F: while the title is typed, Lyon's request is offered (from the cache); vote instead.
  await page.keyboard.press('Control+Shift+F');
  const form = page.getByRole('dialog');
  await form.getByTestId(FB.requestTitle).fill('Pay part by card and the rest in cash');
  const suggestion = form.getByTestId(FB.requestSuggestion).filter({ hasText: LYON_REQUEST });
  await expect(suggestion).toContainText('1 store');
  await shot(page, 'feature-request-form');
  await expectNoSeriousA11yProblems(page, 'feature request form', '[role="dialog"]');
  await suggestion.getByTestId(FB.requestVote).click();
  await expect(page.getByTestId(FB.requestDone)).toHaveAttribute('data-outcome', 'voted');
  await shot(page, 'feature-request-voted');
  await page.getByRole('button', { name: 'Done' }).click();

  // Our reports, still offline: the bug (new) and Lyon's request with Paris's vote.
  await page.getByTestId(FB.nav).click();
  const bug = page.getByTestId(FB.ourReport).filter({ hasText: 'Matrix shows the wrong release' });
  await expect(bug).toHaveAttribute('data-status', 'new');
  const request = page.getByTestId(FB.ourRequest).filter({ hasText: LYON_REQUEST });
  await expect(request).toContainText('2 stores asked for it');
  await expect(page.getByTestId(TEST_IDS.statusPending)).not.toHaveAttribute('data-count', '0');
  await shot(page, 'our-reports-offline');
  await expectNoSeriousA11yProblems(page, 'our reports');

  // Back online: one sync sends the screenshot, the report and the vote.
  server = await startCentralServer({ dataDir: serverDir, port });
  await paris.call('sync:now', {});
  await expect(page.getByTestId(TEST_IDS.statusPending)).toHaveAttribute('data-count', '0');

  // The support desk: a console enrolled with a desk code, Sam signed in.
  const desk = await startConsole({ demo: true, signedInAs: support });
  extra.push(desk);
  await desk.call('desk:connect', {
    serverUrl: server.url,
    enrollmentCode: (
      await adminPost('/v1/admin/desk-enrollment-codes', { scope: 'all', role: 'support' })
    ).code,
  });
  const context = await browser.newContext({ viewport: VIEWPORT });
  await stillMotion(context);
  const deskPage = await context.newPage();
  deskPage.on('pageerror', (error) => desk.problems.push(`page error: ${error.message}`));
  await deskPage.goto(desk.url);
  await deskPage.getByTestId(IDS.nav).click();

  // The request counts two stores; the report shows its screenshot.
  await deskPage.getByTestId(IDS.requests).click();
  await expect(
    deskPage.getByTestId(IDS.requestRow).filter({ hasText: LYON_REQUEST }),
  ).toContainText('2 stores');
  await deskPage.getByRole('tab', { name: 'Bug reports' }).click();
  const row = deskPage.getByTestId(IDS.row).filter({ hasText: reportId });
  await row.click();
  const detail = deskPage.getByTestId(IDS.detail);
  const image = detail.getByTestId(IDS.attachmentImage);
  await expect(image).toBeVisible();
  expect(await image.evaluate((img: HTMLImageElement) => img.naturalWidth)).toBeGreaterThan(600);
  await shot(deskPage, 'support-detail-screenshot');
  await expectNoSeriousA11yProblems(deskPage, 'support report detail', '[role="dialog"]');

  // Triage: S2, assigned to Sam, then "needs info" with a question to the store.
  await pickOption(deskPage, IDS.triageSeverity, /^S2$/);
  await detail.getByTestId(IDS.triageAssignee).fill(support.id);
  await detail.getByTestId(IDS.triageApply).click();
  await expect(detail.getByText('Recorded in the central log.')).toBeVisible();
  await pickOption(deskPage, IDS.status, /^Needs info$/);
  await detail.getByTestId(IDS.setStatus).click();
  await detail.getByTestId(IDS.comment).fill('Which lane shows 4.2.0: Lane 2 only?');
  await detail.getByTestId(IDS.sendComment).click();
  await expect(detail.getByText('Which lane shows 4.2.0: Lane 2 only?')).toBeVisible();
  await shot(deskPage, 'support-detail-needs-info');

  // Paris sees "needs info" after its sync and answers in Our reports.
  await paris.call('sync:now', {});
  await expect(bug).toHaveAttribute('data-status', 'needs_info');
  await expect(bug).toContainText('Which lane shows 4.2.0: Lane 2 only?');
  await bug.getByTestId(FB.replyText).fill('Lane 2 only; Lane 1 shows 4.2.1.');
  await bug.getByTestId(FB.replySend).click();
  await expect(bug.getByTestId(FB.comment).filter({ hasText: 'Lane 1 shows 4.2.1' })).toBeVisible();
  await shot(page, 'our-reports-needs-info');
  await paris.call('sync:now', {});

  // The desk reads the reply and marks the bug fixed in 4.2.1.
  await deskPage.keyboard.press('Escape');
  await row.click();
  await expect(detail.getByText('Lane 2 only; Lane 1 shows 4.2.1.')).toBeVisible();
  await pickOption(deskPage, IDS.status, /^Fixed$/);
  await detail.getByTestId(IDS.fixedIn).fill('rel-4.2.1');
  await detail.getByTestId(IDS.setStatus).click();
  await expect(detail.getByText('Fixed in rel-4.2.1')).toBeVisible();

  // Paris sees it fixed, with the release.
  await paris.call('sync:now', {});
  await expect(bug).toHaveAttribute('data-status', 'fixed');
  await expect(bug).toContainText('Fixed in 4.2.1');
  await shot(page, 'our-reports-fixed');
  expect(paris.problems).toEqual([]);
  expect(desk.problems).toEqual([]);
  await context.close();
});
