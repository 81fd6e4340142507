/**
 * Issue 4, acceptance 1: in Chromium against the real back end, a technician
 * runs the demo smoke checklist on two terminals; one item fails with a photo
 * attached and a bug report is filed from it; the verdict is no-go with
 * its reason shown. A second run passes (one item of each kind answered on
 * the screen, pass / fail from the keyboard; the rest over the same API call,
 * which the screen follows), the manager signs go with PIN and a drawn
 * signature, and the decision record is printed to PDF, whose first page is
 * rendered to a PNG under test-output/ to be looked at.
 *
 * Acceptance 2: the same kind of flow recorded while the real central server
 * is down; once it is back, every result, evidence file and the decision are
 * in the central log exactly once, and each evidence file the server holds
 * hashes to the SHA-256 the journal cites.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { crc32, deflateSync } from 'node:zlib';
import type { Locator, Page } from '@playwright/test';
import type { ChecklistItem } from '../src/shared/checklists/template.ts';
import { passingAnswer } from '../src/main/checklists/testing.ts';
import { DEMO_USERS } from '../src/main/demo/demoCatalog.ts';
import { readCentralLog } from '../src/main/sync/testing/centralLog.ts';
import {
  startCentralServer,
  type CentralServerProcess,
} from '../src/main/sync/testing/centralServer.ts';
import { SYNC_TEST_IDS } from '../src/renderer/features/sync/testIds.ts';
import { CHANGE_REQUEST_TEST_IDS as CR } from '../src/renderer/features/changeRequests/testIds.ts';
import { CHECKLIST_TEST_IDS as CL } from '../src/renderer/features/checklists/testIds.ts';
import { DECISION_TEST_IDS as DC } from '../src/renderer/features/decisions/testIds.ts';
import { FEEDBACK_TEST_IDS as FB } from '../src/renderer/features/feedback/testIds.ts';
import { REPORT_TEST_IDS as RP } from '../src/renderer/features/reports/testIds.ts';
import { TEST_IDS } from '../src/renderer/testIds.ts';
import {
  expect,
  expectNoSeriousA11yProblems,
  SCREENSHOT_DIR,
  signIn,
  test,
  type ConsoleUnderTest,
} from './fixtures.ts';

const technician = DEMO_USERS.find((u) => u.role === 'technician' && u.storeIds.length === 0)!;
const manager = DEMO_USERS.find((u) => u.role === 'manager')!;
const SMOKE = 'tpl-smoke-pos';
/** The item that fails in the first run, with a photo of the faded receipt. */
const FAILING_ITEM = 'receipt-readable';

/** A release that requires only the smoke test (on 2 terminals), and a store with at least 2 terminals. */
async function pickStoreAndRelease(
  c: ConsoleUnderTest,
): Promise<{ storeId: string; releaseId: string; terminalIds: string[] }> {
  const { requirements } = await c.call('checklists:templates', {});
  const byRelease = Map.groupBy(requirements, (r) => r.releaseId);
  const releaseId = [...byRelease].find(
    ([, reqs]) =>
      reqs.length === 1 && reqs[0]!.templateId === SMOKE && reqs[0]!.terminalCount === 2,
  )![0];
  const matrix = await c.call('fleet:matrix', {});
  const store = matrix.stores.find((s) => s.terminalCount >= 3)!;
  const terminals = await c.call('fleet:listTerminals', {
    filter: { storeId: store.id },
    sort: { key: 'terminal', desc: false },
    offset: 0,
    limit: 10,
  });
  return { storeId: store.id, releaseId, terminalIds: terminals.rows.slice(0, 2).map((t) => t.id) };
}

/** A real, decodable PNG (a striped "receipt"), made without any image library. */
function receiptPng(width = 320, height = 240): Buffer {
  const raw = Buffer.alloc((width * 3 + 1) * height);
  for (let y = 0; y < height; y++) {
    const row = y * (width * 3 + 1);
    raw[row] = 0;
    for (let x = 0; x < width; x++) {
      const ink = y % 16 < 3 && x > 20 && x < width - 20 ? 150 : 245;
      raw.fill(ink, row + 1 + x * 3, row + 4 + x * 3);
    }
  }
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
  header.set([8, 2, 0, 0, 0], 8);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(raw)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

function item(page: Page, itemId: string): Locator {
  return page.locator(`[data-testid="${CL.item}"][data-item-id="${itemId}"]`);
}

/**
 * Issue 4, acceptance 5: no serious or critical violation in an automated
 * accessibility check (axe) of the screen (the app's main area; the shared
 * navigation and status bar are checked with their own screens).
 */

/** Draws a signature-like zigzag with the mouse on a canvas. */
async function drawSignature(page: Page, canvas: Locator): Promise<void> {
  const box = (await canvas.boundingBox())!;
  await page.mouse.move(box.x + 20, box.y + box.height * 0.7);
  await page.mouse.down();
  for (let i = 1; i <= 12; i++) {
    await page.mouse.move(box.x + 20 + i * 22, box.y + box.height * (i % 2 === 0 ? 0.7 : 0.3), {
      steps: 3,
    });
  }
  await page.mouse.up();
}

/**
 * Answers items of the shown terminal on the run screen so they pass: pass /
 * fail items from the keyboard (focus, Enter), the others with their input.
 * With `onlyOnePerAnswerType`, the first open mandatory item of each answer
 * type, so every kind of input is driven once without clicking through all 18.
 */
async function passMandatoryItems(
  page: Page,
  skip: ReadonlySet<string> = new Set(),
  { onlyOnePerAnswerType = false } = {},
): Promise<void> {
  const answeredTypes = new Set<string | null>();
  for (;;) {
    const open = page.locator(
      `[data-testid="${CL.item}"][data-mandatory="true"][data-status="not_started"]`,
    );
    const rows = await open.evaluateAll((found) =>
      found.map((r) => ({
        id: r.getAttribute('data-item-id')!,
        type: r.getAttribute('data-answer-type'),
      })),
    );
    const next = rows.find(
      (r) => !skip.has(r.id) && !(onlyOnePerAnswerType && answeredTypes.has(r.type)),
    );
    if (next === undefined) return;
    answeredTypes.add(next.type);
    const row = item(page, next.id);
    switch (await row.getAttribute('data-answer-type')) {
      case 'passFail':
        await row.focus();
        await page.keyboard.press('Enter');
        break;
      case 'number': {
        // The threshold value itself passes whether the limit is ≤ or ≥.
        const limit = (await row.getByText(/^Limit [≤≥] /).textContent())!.match(/(\d+)/)![1]!;
        await row.getByTestId(CL.numberInput).fill(limit);
        await row.getByTestId(CL.save).click();
        break;
      }
      case 'choice':
        await row.getByRole('radio').first().click();
        break;
      case 'text':
        await row.getByTestId(CL.textInput).fill('Works as before');
        await row.getByTestId(CL.save).click();
        break;
      case 'photo':
        await row
          .getByTestId(CL.photo)
          .setInputFiles({ name: 'evidence.png', mimeType: 'image/png', buffer: receiptPng() });
        break;
      case 'signature':
        await drawSignature(page, row.getByTestId(CL.signature));
        await row.getByTestId(CL.save).click();
        break;
      case null:
      default:
        throw new Error(`unexpected answer type on ${next.id}`);
    }
    await expect(row).not.toHaveAttribute('data-status', 'not_started');
  }
}

/**
 * Answers over the API (the same call the run screen makes) every visible
 * mandatory item still open on one terminal of a run, so it passes, except
 * `skip`. The run screen's own answering is driven by `passMandatoryItems`;
 * clicking through all ~80 answers of this file's long test took minutes of a
 * shared machine and proved nothing more.
 */
async function passMandatoryOverApi(
  c: ConsoleUnderTest,
  runId: string,
  terminalId: string,
  skip: ReadonlySet<string> = new Set(),
): Promise<void> {
  const view = await c.call('checklists:getRun', { runId });
  const items = new Map<string, ChecklistItem>(
    view.template.sections.flatMap((s) => s.items).map((i) => [i.id, i]),
  );
  let state = view.terminals.find((t) => t.terminalId === terminalId)!.items;
  for (;;) {
    const next = state.find(
      (i) =>
        i.isVisible &&
        i.status === 'not_started' &&
        items.get(i.itemId)!.isMandatory &&
        !skip.has(i.itemId),
    );
    if (next === undefined) return;
    const outcome = await c.call('checklists:recordResult', {
      runId,
      terminalId,
      itemId: next.itemId,
      answer: passingAnswer(items.get(next.itemId)!),
    });
    state = outcome.terminal.items;
  }
}

async function startRun(page: Page, terminalIds: readonly string[]): Promise<string> {
  await page.getByTestId(CL.startRun).click();
  await expect(page.getByTestId(CL.startTemplate)).toHaveValue(/smoke/i);
  for (const id of terminalIds)
    await page.locator(`[data-testid="${CL.startTerminal}"][data-terminal-id="${id}"]`).check();
  await page.getByTestId(CL.startSubmit).click();
  await expect(page.getByTestId(CL.runView)).toBeVisible();
  return (await page.getByTestId(CL.runView).getAttribute('data-run-id'))!;
}

// About 80 recorded answers across two runs, most over the API. The bound is for hangs, not a speed target.
test.setTimeout(240_000);

test('smoke checklist on two terminals: a failure with photo and bug report gives no-go; a passing re-run is signed go and printed', async ({
  page,
  console: c,
}) => {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  // The demo's loading and the sign-in screen are demoSignIn.spec.ts's business.
  await c.call('demo:load', {});
  await c.call('session:signIn', { userId: technician.id, pin: technician.pin });
  await page.goto(c.url);
  await expect(page.getByTestId(TEST_IDS.statusUser)).toContainText(technician.name);
  const { storeId, releaseId, terminalIds } = await pickStoreAndRelease(c);
  const context = `?store=${storeId}&release=${releaseId}`;

  // The checklists screen: nothing run yet for this store's release.
  await page.getByTestId(CL.nav).click();
  await page.goto(`${c.url}#/checklists${context}`);
  await expect(page.getByText('No checklist run yet')).toBeVisible();
  await page.screenshot({ path: join(SCREENSHOT_DIR, 'checklists-empty.png') });

  // First run, on two terminals. Terminal 1: everything passes except the receipt, which fails with a photo.
  const firstRunId = await startRun(page, terminalIds);
  const tabs = page.getByTestId(CL.terminalTab);
  await expect(tabs).toHaveCount(2);
  // One item of each kind answered on the screen, the rest over the API; the failure on the screen.
  await passMandatoryItems(page, new Set([FAILING_ITEM]), { onlyOnePerAnswerType: true });
  await passMandatoryOverApi(c, firstRunId, terminalIds[0]!, new Set([FAILING_ITEM]));
  await expect(
    page.locator(`[data-testid="${CL.item}"][data-mandatory="true"][data-status="not_started"]`),
  ).toHaveCount(1);
  const failing = item(page, FAILING_ITEM);
  await failing.focus();
  await page.keyboard.press('f');
  await expect(failing).toHaveAttribute('data-status', 'failed');
  await expect(page.getByTestId(CL.runStatus)).toHaveAttribute('data-status', 'failed');
  await failing
    .getByTestId(CL.photo)
    .setInputFiles({ name: 'faded-receipt.png', mimeType: 'image/png', buffer: receiptPng() });
  await expect(failing.getByTestId(CL.evidenceThumb)).toHaveCount(1);

  // "Report a bug" opens the report form, linked to the failed item and its run; sent at once.
  await failing.getByTestId(CL.reportBug).click();
  const reportForm = page.getByRole('dialog');
  await expect(reportForm.getByTestId(FB.itemLink)).toContainText('Receipt is readable');
  await reportForm.getByTestId(FB.title).fill('Receipt print is faded after the update');
  await reportForm.getByTestId(FB.happened).fill('The receipt is too pale to read.');
  await page.screenshot({ path: join(SCREENSHOT_DIR, 'checklist-bug-report.png') });
  await reportForm.getByTestId(FB.submit).click();
  await expect(page.getByTestId(FB.sent)).toBeVisible();
  await page.getByRole('button', { name: 'Done' }).click();
  await expect(failing.getByTestId(CL.bugBadge)).toBeVisible();
  const reports = await c.call('feedback:listBugReports', { runId: firstRunId });
  expect(reports).toHaveLength(1);
  expect(reports[0]).toMatchObject({
    status: 'new',
    itemId: FAILING_ITEM,
    terminalId: terminalIds[0],
  });

  // Terminal 2 passes.
  await tabs.nth(1).click();
  await passMandatoryOverApi(c, firstRunId, terminalIds[1]!);
  await expect(tabs.nth(1)).toHaveAttribute('data-status', 'passed');
  await tabs.nth(0).click();
  await failing.scrollIntoViewIfNeeded();
  await page.screenshot({ path: join(SCREENSHOT_DIR, 'checklist-run-failed.png') });
  await expectNoSeriousA11yProblems(page, 'run view');

  // The verdict is no-go and says why.
  await page.getByTestId(DC.nav).click();
  await page.goto(`${c.url}#/decisions${context}`);
  const verdict = page.getByTestId(DC.verdict);
  await expect(verdict).toHaveAttribute('data-verdict', 'no-go');
  await expect(
    page.locator(`[data-testid="${DC.criterion}"][data-criterion="checklist_passed:${SMOKE}"]`),
  ).toHaveAttribute('data-met', 'false');
  const failedMandatory = page.locator(
    `[data-testid="${DC.criterion}"][data-criterion="no_failed_mandatory"]`,
  );
  await expect(failedMandatory).toHaveAttribute('data-met', 'false');
  await expect(failedMandatory).toContainText('Receipt is readable');
  await page.screenshot({ path: join(SCREENSHOT_DIR, 'decisions-no-go.png') });
  await expectNoSeriousA11yProblems(page, 'go / no-go');

  // Second run: both terminals pass.
  await page.goto(`${c.url}#/checklists${context}`);
  const secondRunId = await startRun(page, terminalIds);
  expect(secondRunId).not.toBe(firstRunId);
  await passMandatoryItems(page, new Set(), { onlyOnePerAnswerType: true });
  await passMandatoryOverApi(c, secondRunId, terminalIds[0]!);
  await tabs.nth(1).click();
  await passMandatoryItems(page, new Set(), { onlyOnePerAnswerType: true });
  await passMandatoryOverApi(c, secondRunId, terminalIds[1]!);
  await expect(page.getByTestId(CL.runStatus)).toHaveAttribute('data-status', 'passed');
  await page.screenshot({ path: join(SCREENSHOT_DIR, 'checklist-run-passed.png') });
  await page.goto(`${c.url}#/checklists${context}`);
  await expect(page.getByTestId(CL.runRow)).toHaveCount(2);
  await page.screenshot({ path: join(SCREENSHOT_DIR, 'checklists-runs.png') });
  await expectNoSeriousA11yProblems(page, 'checklists');

  // The manager signs go, with PIN and a drawn signature.
  await page.getByTestId(TEST_IDS.statusSignOut).click();
  await signIn(page, manager);
  await page.goto(`${c.url}#/decisions${context}`);
  await expect(verdict).toHaveAttribute('data-verdict', 'go');
  await page.getByTestId(DC.reason).fill('Smoke test passed on both terminals after the re-run.');
  await drawSignature(page, page.getByTestId(DC.signature));
  await expect(page.getByTestId(`${DC.signature}-signed`)).toBeVisible();
  await page.getByTestId(DC.pin).fill('0000');
  await page.getByTestId(DC.submit).click();
  await expect(page.getByTestId(DC.error)).toContainText(/PIN/i);
  await expect(page.getByTestId(DC.row)).toHaveCount(0);
  await page.getByTestId(DC.pin).fill(manager.pin);
  await page.screenshot({ path: join(SCREENSHOT_DIR, 'decisions-form.png') });
  await expectNoSeriousA11yProblems(page, 'decision form');
  await page.getByTestId(DC.submit).click();
  const row = page.getByTestId(DC.row);
  await expect(row).toHaveCount(1);
  await expect(row).toHaveAttribute('data-decision', 'go');
  await expect(row.getByTestId(DC.binding)).toHaveAttribute('data-matches', 'true');
  await page.screenshot({ path: join(SCREENSHOT_DIR, 'decisions-signed.png') });

  // The decision record prints to PDF; its first page is rendered to PNG to be looked at.
  await row.getByTestId(DC.report).click();
  const sheet = page.getByTestId(RP.sheet);
  await expect(sheet).toBeVisible();
  await expect(page.getByTestId(RP.decision)).toHaveText('GO');
  await expect(page.getByTestId(RP.signature)).toBeVisible();
  await expect(page.getByTestId(RP.failedItems)).toContainText('No failed');
  await expect(page.getByTestId(RP.journal).locator('tbody tr').first()).toBeVisible();
  await page.screenshot({ path: join(SCREENSHOT_DIR, 'report-decision.png'), fullPage: true });
  // In browser mode the back end has no PDF printer (that is the desktop app's printToPDF),
  // so the button opens the browser's print dialog: counted here instead of opened.
  await page.evaluate(() => {
    const w = window as Window & { printCalls?: number };
    w.printCalls = 0;
    w.print = () => void (w.printCalls = (w.printCalls ?? 0) + 1);
  });
  await page.getByTestId(RP.print).click();
  await expect
    .poll(() => page.evaluate(() => (window as Window & { printCalls?: number }).printCalls))
    .toBe(1);
  const pdfPath = join(SCREENSHOT_DIR, 'decision-record.pdf');
  const pdf = await page.pdf({ path: pdfPath, format: 'A4', printBackground: true });
  expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
  const pngPath = join(SCREENSHOT_DIR, 'decision-record-page1.png');
  execFileSync('gs', [
    '-q',
    '-dSAFER',
    '-dBATCH',
    '-dNOPAUSE',
    '-sDEVICE=png16m',
    '-r80',
    '-dFirstPage=1',
    '-dLastPage=1',
    `-sOutputFile=${pngPath}`,
    pdfPath,
  ]);
  expect(readFileSync(pngPath).subarray(1, 4).toString('latin1')).toBe('PNG');

  // The run report of the failed first run shows the failure and its photo.
  await page.goto(`${c.url}#/reports/runs/${firstRunId}`);
  await expect(page.getByTestId(RP.sheet)).toContainText('Receipt is readable');
  await expect(page.getByTestId(RP.evidence)).toHaveCount(1);
  await page.screenshot({ path: join(SCREENSHOT_DIR, 'report-run.png'), fullPage: true });
  expect(c.problems).toEqual([]);
});

/** The demo server's enrollment code is for this store; Leo (technician) works there. */
const ENROLLED_STORE = 'st-par-01';
const storeTechnician = DEMO_USERS.find(
  (u) => u.role === 'technician' && u.storeIds[0] === ENROLLED_STORE,
)!;
const ISSUE_4_EVENT = /^(checklist|decision|feedback)\./;

test('offline: results, evidence and the decision recorded while the central server is down reach its log exactly once', async ({
  page,
  console: c,
}) => {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const serverDir = mkdtempSync(join(tmpdir(), 'dearpos-e2e-server-'));
  let server: CentralServerProcess | null = null;
  try {
    server = await startCentralServer({ dataDir: serverDir, isDemo: true });
    const { enrollmentCode, auditorToken, port } = server;
    expect(enrollmentCode, server.output.join('\n')).toBeTruthy();

    // Connect on first run; the catalog (with the checklist templates) arrives with the first sync.
    await page.goto(c.url);
    await page.getByTestId(SYNC_TEST_IDS.connectUrl).fill(server.url);
    await page.getByTestId(SYNC_TEST_IDS.connectCode).fill(enrollmentCode!);
    await page.getByTestId(SYNC_TEST_IDS.connectSubmit).click();
    await signIn(page, storeTechnician);
    await page.getByTestId(SYNC_TEST_IDS.nav).click();
    await page.getByTestId(SYNC_TEST_IDS.syncNow).click();
    await expect(page.getByTestId(SYNC_TEST_IDS.pending)).toHaveAttribute('data-count', '0');

    // The server goes down; the technician runs the smoke test on two terminals.
    await server.kill();
    server = null;
    const { releaseId } = await pickStoreAndRelease(c);
    const terminals = await c.call('fleet:listTerminals', {
      filter: { storeId: ENROLLED_STORE },
      sort: { key: 'terminal', desc: false },
      offset: 0,
      limit: 10,
    });
    const terminalIds = terminals.rows.slice(0, 2).map((t) => t.id);
    const context = `?store=${ENROLLED_STORE}&release=${releaseId}`;
    await page.goto(`${c.url}#/checklists${context}`);
    await startRun(page, terminalIds);
    await item(page, 'boot').focus();
    await page.keyboard.press('Enter');
    await expect(item(page, 'boot')).toHaveAttribute('data-status', 'passed');
    const failing = item(page, FAILING_ITEM);
    await failing.getByTestId(CL.fail).click();
    await expect(failing).toHaveAttribute('data-status', 'failed');
    await failing
      .getByTestId(CL.photo)
      .setInputFiles({ name: 'faded-receipt.png', mimeType: 'image/png', buffer: receiptPng() });
    await expect(failing.getByTestId(CL.evidenceThumb)).toHaveCount(1);
    await failing.getByTestId(CL.reportBug).click();
    await page.getByTestId(FB.happened).fill('The receipt is too pale to read.');
    await page.getByTestId(FB.submit).click();
    await expect(page.getByTestId(FB.sent)).toBeVisible();
    await page.getByRole('button', { name: 'Done' }).click();
    await page.getByTestId(CL.terminalTab).nth(1).click();
    await item(page, 'boot').focus();
    await page.keyboard.press('Enter');
    await expect(item(page, 'boot')).toHaveAttribute('data-status', 'passed');

    // Still offline, the manager signs no-go with PIN and signature.
    await page.getByTestId(TEST_IDS.statusSignOut).click();
    await signIn(page, manager);
    await page.goto(`${c.url}#/decisions${context}`);
    await expect(page.getByTestId(DC.verdict)).toHaveAttribute('data-verdict', 'no-go');
    await page
      .getByTestId(DC.reason)
      .fill('Receipts are unreadable on Lane 1: stay on the previous release.');
    await drawSignature(page, page.getByTestId(DC.signature));
    await page.getByTestId(DC.pin).fill(manager.pin);
    await page.getByTestId(DC.submit).click();
    await expect(page.getByTestId(DC.row)).toHaveAttribute('data-decision', 'no-go');

    // The server is back: Sync now drains everything.
    server = await startCentralServer({ dataDir: serverDir, port });
    await page.getByTestId(SYNC_TEST_IDS.nav).click();
    await page.getByTestId(SYNC_TEST_IDS.syncNow).click();
    await expect(page.getByTestId(SYNC_TEST_IDS.pending)).toHaveAttribute('data-count', '0');
    await page.screenshot({ path: join(SCREENSHOT_DIR, 'checklists-offline-synced.png') });

    // Every issue-4 event of this console is in the central log exactly once, with the same hash.
    const local = c.app.db.sqlite
      .prepare('SELECT id, type, hash, body FROM journal ORDER BY seq')
      .all() as Array<{ id: string; type: string; hash: string; body: string }>;
    const mine = local.filter((e) => ISSUE_4_EVENT.test(e.type));
    expect(
      mine.filter((e) => e.type === 'checklist.result.recorded').length,
    ).toBeGreaterThanOrEqual(4);
    expect(mine.some((e) => e.type === 'decision.recorded')).toBe(true);
    const log = await readCentralLog(server.url, auditorToken!);
    expect(log.problems).toEqual([]);
    const central = log.perDevice.get(c.app.deviceId) ?? [];
    for (const event of mine) {
      const copies = central.filter((e) => e.id === event.id);
      expect(copies, `${event.type} ${event.id}`).toHaveLength(1);
      expect(copies[0]!.hash).toBe(event.hash);
    }
    expect(central.filter((e) => ISSUE_4_EVENT.test(e.type))).toHaveLength(mine.length);

    // Each evidence file the journal cites (the photo, the drawn signature) is on the server and hashes to its SHA-256.
    const cited = new Set<string>();
    for (const event of mine) {
      const payload = (JSON.parse(event.body) as { payload: Record<string, unknown> }).payload;
      if (event.type === 'checklist.evidence.attached') cited.add(payload.sha256 as string);
      if (event.type === 'decision.recorded')
        cited.add((payload.signature as { sha256: string }).sha256);
    }
    expect(cited.size).toBeGreaterThanOrEqual(2);
    for (const sha256 of cited) {
      const response = await fetch(`${server.url}/v1/evidence/${sha256}`, {
        headers: { authorization: `Bearer ${auditorToken!}` },
      });
      expect(response.status, sha256).toBe(200);
      const bytes = Buffer.from(await response.arrayBuffer());
      expect(createHash('sha256').update(bytes).digest('hex')).toBe(sha256);
    }
    expect(c.problems).toEqual([]);
  } finally {
    await server?.kill();
    rmSync(serverDir, { recursive: true, force: true });
  }
});

test('field flow at 1366×800: focus follows a revealed follow-up and never drops to the page, arrow keys do not save, one score; store and release kept; go with conditions open at a no-go verdict', async ({
  page,
  console: c,
}) => {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  await page.setViewportSize({ width: 1366, height: 800 });
  // The demo's loading and the sign-in screen are demoSignIn.spec.ts's business.
  await c.call('demo:load', {});
  await c.call('session:signIn', { userId: technician.id, pin: technician.pin });
  await page.goto(c.url);
  await expect(page.getByTestId(TEST_IDS.statusUser)).toContainText(technician.name);
  const { storeId, releaseId, terminalIds } = await pickStoreAndRelease(c);
  const store = (await c.call('fleet:matrix', {})).stores.find((s) => s.id === storeId)!;
  const release = (await c.call('releases:list', {})).find((r) => r.id === releaseId)!;

  // Store and release are picked once, on Checklists, with the pickers.
  await page.getByTestId(CL.nav).click();
  await page.getByTestId(CL.storeSelect).click();
  await page.getByRole('option', { name: `${store.name} (${store.ring})` }).click();
  await page.getByTestId(CL.releaseSelect).click();
  await page
    .getByRole('option', { name: new RegExp(`^${release.version.replace(/\./g, '\\.')} `) })
    .click();
  const runId = await startRun(page, [terminalIds[0]!]);
  const resultEvents = async () =>
    (await c.call('reports:runReport', { runId })).journal.filter(
      (e) => e.type === 'checklist.result.recorded',
    ).length;

  // Enter passes "Sale in offline mode", which reveals "Offline sale reaches the back office":
  // focus goes to that follow-up, not past it.
  const offlineSale = item(page, 'offline-sale');
  await offlineSale.focus();
  await page.keyboard.press('Enter');
  await expect(offlineSale).toHaveAttribute('data-status', 'passed');
  await expect(item(page, 'offline-sync')).toBeFocused();
  // The focused item has a clear ring, not only a pale background.
  const ring = await item(page, 'offline-sync').evaluate((row) => {
    const style = getComputedStyle(row);
    return { width: style.outlineWidth, style: style.outlineStyle };
  });
  expect(ring).toEqual({ width: '3px', style: 'solid' });

  // Arrow keys in the cash drawer's choices move the selection without recording anything;
  // Enter records the option reached, once, and focus goes to the follow-up it reveals.
  const drawer = item(page, 'cash-drawer');
  await drawer.scrollIntoViewIfNeeded();
  const before = await resultEvents();
  await drawer.getByRole('radio', { name: 'Opens', exact: true }).focus();
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('ArrowUp');
  await expect(drawer.getByRole('radio', { name: 'Opens but sticks' })).toBeChecked();
  await expect(drawer.getByTestId(CL.choiceHint)).toBeVisible();
  expect(await resultEvents()).toBe(before);
  await expect(drawer).toHaveAttribute('data-status', 'not_started');
  await page.keyboard.press('Enter');
  // "Opens but sticks" is a failure of the drawer, not a pass.
  await expect(drawer).toHaveAttribute('data-status', 'failed');
  expect(await resultEvents()).toBe(before + 1);
  const note = item(page, 'drawer-note');
  await expect(note).toBeFocused();

  // Saving a text answer with Enter moves focus on to the next item; it never drops to the page.
  await note.getByTestId(CL.textInput).fill('Needs a push to open');
  await page.keyboard.press('Enter');
  await expect(note).toHaveAttribute('data-status', 'passed');
  await expect(item(page, 'scanner')).toBeFocused();

  // One score, the same on the run and on its terminal, with how waived and n/a items count.
  const runScore = page.getByTestId(CL.runScore);
  const laneScore = page.getByTestId(CL.terminalScore);
  await expect(runScore).toHaveText(/^\d+ % \(\d+ of \d+\)$/);
  expect(await laneScore.getAttribute('data-percent')).toBe(
    await runScore.getAttribute('data-percent'),
  );
  await expect(laneScore).toContainText((await runScore.textContent())!);
  await expect(page.getByTestId(CL.scoreRule)).toContainText('A waived item counts as not passed');
  await expect(page.getByTestId(CL.scoreRule)).toContainText('Not-applicable items');

  // A failed item's photo is shown once (its evidence thumbnail), and a photo item that has
  // its photo offers to replace it.
  const readable = item(page, 'receipt-readable');
  await readable.focus();
  await page.keyboard.press('f');
  await expect(readable).toHaveAttribute('data-status', 'failed');
  await readable
    .getByTestId(CL.photo)
    .setInputFiles({ name: 'faded-receipt.png', mimeType: 'image/png', buffer: receiptPng() });
  await expect(readable.getByTestId(CL.evidenceThumb)).toHaveCount(1);
  await expect(readable.locator('img')).toHaveCount(1);
  await expect(readable.getByText('Add another photo')).toBeVisible();
  const photoItem = item(page, 'receipt-photo');
  await expect(photoItem.getByText('Take or choose a photo')).toBeVisible();
  await photoItem
    .getByTestId(CL.photo)
    .setInputFiles({ name: 'receipt.png', mimeType: 'image/png', buffer: receiptPng(200, 150) });
  await expect(photoItem).toHaveAttribute('data-status', 'passed');
  await expect(photoItem.locator('img')).toHaveCount(1);
  await expect(photoItem.getByText('Replace photo')).toBeVisible();
  await expect(photoItem.getByText('Take or choose a photo')).toHaveCount(0);

  await item(page, 'scanner').focus();
  await page.screenshot({ path: join(SCREENSHOT_DIR, 'checklist-run-1366x800.png') });
  await page.setViewportSize({ width: 1920, height: 1080 });
  await page.screenshot({ path: join(SCREENSHOT_DIR, 'checklist-run-1920x1080.png') });
  await page.setViewportSize({ width: 1366, height: 800 });

  // The manager goes to Go / no-go through the navigation: store and release are still picked.
  await page.getByTestId(TEST_IDS.statusSignOut).click();
  await signIn(page, manager);
  await page.getByTestId(DC.nav).click();
  await expect(page.getByTestId(CL.storeSelect)).toHaveValue(`${store.name} (${store.ring})`);
  await expect(page.getByTestId(CL.releaseSelect)).toHaveValue(new RegExp(`^${release.version}`));
  await expect(page.getByTestId(DC.verdict)).toHaveAttribute('data-verdict', 'no-go');

  // At a no-go verdict the manager may sign no-go or go with conditions; only a plain go is closed.
  const choice = page.getByTestId(DC.choice);
  await expect(choice.getByRole('radio', { name: 'Go', exact: true })).toBeDisabled();
  await expect(choice.getByRole('radio', { name: 'Go with conditions' })).toBeEnabled();
  await expect(choice.getByRole('radio', { name: 'No-go' })).toBeEnabled();
  const problem = page.getByTestId(DC.signingProblem);
  await expect(problem).not.toContainText('You cannot sign here');
  await expect(problem).toContainText('Not every decision is open to you');
  await page.screenshot({ path: join(SCREENSHOT_DIR, 'decision-no-go-1366x800.png') });
  await choice.getByText('Go with conditions').click();
  await expect(page.getByTestId(DC.conditions)).toBeVisible();
  await expect(page.getByTestId(DC.submit)).toBeEnabled();
  await page.setViewportSize({ width: 1920, height: 1080 });
  await page.screenshot({ path: join(SCREENSHOT_DIR, 'decision-no-go-1920x1080.png') });

  // And on to Change requests: the store is still the one picked.
  await page.getByTestId(CR.nav).click();
  await expect(page.getByTestId(CR.storeSelect)).toHaveValue(`${store.name} (${store.ring})`);
  expect(c.problems).toEqual([]);
});
