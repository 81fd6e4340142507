/**
 * Every screen and the main dialogs, in light and in dark mode (the page
 * follows the operating system's `prefers-color-scheme`, which Playwright
 * sets per browser context): no serious or critical axe finding on the
 * whole page, one `main` landmark, one `h1`, headings in order, and a
 * screenshot of each under test-output/screenshots/a11y/<screen>-<mode>.png.
 * The dark tour runs only axe's colour rules: the scheme swaps CSS variables,
 * never elements, names or roles, which the light tour checks with every rule.
 *
 * Kept cheap on purpose: each mode's whole tour (welcome, sign-in, every
 * screen, the dialogs) is one test with one console, seeded through the API
 * (a run with a failed item, a deployment at its intervention point, a signed
 * decision), and one page, screens reached by changing the hash, not by
 * reloading. The two modes run side by side on the two workers. Cut into
 * three tests a mode, the tour paid three consoles, seeds and cold page loads
 * for the same checks.
 */
import { AUDIT_TEST_IDS } from '../src/renderer/features/audit/testIds.ts';
import { CHANGELOG_TEST_IDS } from '../src/renderer/features/releases/changelogTestIds.ts';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { crc32, deflateSync } from 'node:zlib';
import type { Browser, Locator, Page } from '@playwright/test';
import { DEMO_USERS } from '../src/main/demo/demoCatalog.ts';
import { COLOR_SCHEME_STORAGE_KEY, COLOR_SCHEME_TEST_ID } from '../src/renderer/app/colorScheme.ts';
import { CHANGE_REQUEST_TEST_IDS as CR } from '../src/renderer/features/changeRequests/testIds.ts';
import { CHECKLIST_TEST_IDS as CL } from '../src/renderer/features/checklists/testIds.ts';
import { FEEDBACK_TEST_IDS as FB } from '../src/renderer/features/feedback/testIds.ts';
import { DECISION_TEST_IDS as DC } from '../src/renderer/features/decisions/testIds.ts';
import { DEPLOYMENT_TEST_IDS as DP } from '../src/renderer/features/deployments/testIds.ts';
import { TEST_IDS } from '../src/renderer/testIds.ts';
import {
  expect,
  SCREENSHOT_DIR,
  seriousA11yFindings,
  startConsole,
  stillMotion,
  stopConsole,
  test,
  type ConsoleUnderTest,
} from './fixtures.ts';

const A11Y_DIR = join(SCREENSHOT_DIR, 'a11y');
const MODES = ['light', 'dark'] as const;
type Mode = (typeof MODES)[number];
const manager = DEMO_USERS.find((u) => u.id === 'u-maya')!;
const technician = DEMO_USERS.find((u) => u.id === 'u-tess')!;
const SMOKE = 'tpl-smoke-pos';
const FAILING_ITEM = 'receipt-readable';
const DEPLOY_STORE = 'st-lil-01';
const DEPLOY_RELEASE = 'rel-4.4.0';

/** A small real PNG: the signature a decision needs when recorded through the API. */
function signaturePng(width = 120, height = 40): string {
  const raw = Buffer.alloc((width + 1) * height);
  for (let y = 0; y < height; y++) {
    raw[y * (width + 1)] = 0;
    for (let x = 0; x < width; x++)
      raw[y * (width + 1) + 1 + x] = y === (x >> 2) % height ? 0 : 255;
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
  header.set([8, 0, 0, 0, 0], 8);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(raw)),
    chunk('IEND', Buffer.alloc(0)),
  ]).toString('base64');
}

type Seeded = {
  storeId: string;
  releaseId: string;
  terminalId: string;
  runId: string;
  deploymentId: string;
  decisionId: string;
};

/** The demo fleet plus one of everything a screen shows, recorded as the store manager, then signed out. */
async function seed(c: ConsoleUnderTest): Promise<Seeded> {
  await c.call('demo:load', {});
  await c.call('session:signIn', { userId: manager.id, pin: manager.pin });
  const { requirements } = await c.call('checklists:templates', {});
  const byRelease = Map.groupBy(requirements, (r) => r.releaseId);
  const releaseId = [...byRelease].find(
    ([, reqs]) => reqs.length === 1 && reqs[0]!.templateId === SMOKE,
  )![0];
  const matrix = await c.call('fleet:matrix', {});
  const store = matrix.stores.find((s) => s.terminalCount >= 2)!;
  const terminals = await c.call('fleet:listTerminals', {
    filter: { storeId: store.id },
    sort: { key: 'terminal', desc: false },
    offset: 0,
    limit: 2,
  });
  const terminalIds = terminals.rows.map((t) => t.id);
  const run = await c.call('checklists:startRun', { templateId: SMOKE, releaseId, terminalIds });
  await c.call('checklists:recordResult', {
    runId: run.run.id,
    terminalId: terminalIds[0]!,
    itemId: FAILING_ITEM,
    answer: { type: 'passFail', value: 'fail' },
  });
  const decision = await c.call('decisions:record', {
    releaseId,
    storeId: store.id,
    decision: 'no-go',
    reason: 'The receipt printer fails the smoke test on the first terminal.',
    pin: manager.pin,
    signaturePngBase64: signaturePng(),
  });

  const planned = await c.call('deployments:plan', {
    releaseId: DEPLOY_RELEASE,
    storeId: DEPLOY_STORE,
  });
  const deploymentId = planned.state.plan.deploymentId;
  const lanes = await c.call('fleet:listTerminals', {
    filter: { storeId: DEPLOY_STORE },
    sort: { key: 'terminal', desc: false },
    offset: 0,
    limit: 1,
  });
  await c.call('deployments:act', {
    deploymentId,
    action: {
      type: 'start',
      strategy: 'canary_first',
      canaryTerminalId: lanes.rows[0]!.id,
      // The manager may start during trading hours with a reason; the check runs at any hour.
      overrideReason: 'Accessibility check on a demo fleet, outside any real store.',
    },
  });
  await c.call('deployments:act', { deploymentId, action: { type: 'complete_step' } });
  await c.call('session:signOut', {});
  return {
    storeId: store.id,
    releaseId,
    terminalId: terminalIds[0]!,
    runId: run.run.id,
    deploymentId,
    decisionId: decision.id,
  };
}

/**
 * Mantine's dialogs fade in: axe measures colours, so wait until the fade is over.
 * The report form opens only once the window has been captured (html-to-image, all
 * in the page's one thread): on a loaded 2-core machine that took over 20 s, so it
 * gets a longer bound.
 */
const CAPTURE_TIMEOUT = 90_000;
async function settled(locator: Locator, timeout?: number): Promise<void> {
  await expect(locator).toBeVisible({ timeout });
  await expect(locator).toHaveCSS('opacity', '1');
}

/**
 * The checks every screen passes, and its screenshot. `within` limits axe to
 * a dialog: the page behind it was checked on its own, and checking it again
 * cost 20–40 s a dialog on the shared machine.
 */
async function checkScreen(page: Page, screen: string, mode: Mode, within?: string): Promise<void> {
  const startedAt = Date.now();
  await page.screenshot({ path: join(A11Y_DIR, `${screen}-${mode}.png`) });
  // The dark scheme changes CSS variables only: the light tour has checked every rule on
  // the same elements, so the dark tour's axe runs only the rules that read colours.
  const serious = await seriousA11yFindings(
    page,
    `${screen} (${mode})`,
    within,
    mode === 'dark' ? 'colour' : 'all',
  );
  expect.soft(serious, `${screen} in ${mode} mode`).toEqual([]);
  const structure = await page.evaluate(() => {
    const levels = Array.from(document.querySelectorAll('h1, h2, h3, h4, h5, h6'))
      .filter((h) => (h as HTMLElement).offsetParent !== null || h.getClientRects().length > 0)
      .map((h) => Number(h.tagName.slice(1)));
    const skips = levels.filter((level, i) => i > 0 && level > levels[i - 1]! + 1);
    return {
      mains: document.querySelectorAll('main, [role="main"]').length,
      h1s: levels.filter((level) => level === 1).length,
      firstLevel: levels[0] ?? 0,
      skips: skips.length,
      levels: levels.join(' '),
    };
  });
  expect
    .soft(
      {
        mains: structure.mains,
        h1s: structure.h1s,
        firstLevel: structure.firstLevel,
        skips: structure.skips,
      },
      `${screen} in ${mode} mode: landmarks and headings (levels: ${structure.levels})`,
    )
    .toEqual({ mains: 1, h1s: 1, firstLevel: 1, skips: 0 });
  timings.push(`${screen}-${mode} ${Date.now() - startedAt} ms`);
}

const timings: string[] = [];

async function visit(page: Page, c: ConsoleUnderTest, hash: string, ready: Locator): Promise<void> {
  await page.goto(`${c.url}#/${hash}`);
  await expect(ready).toBeVisible();
  await expect(page.locator('main h1:visible')).toHaveCount(1);
}

/**
 * Each test gets its own console, seeded the same way (under a second through
 * the API), so the tests share nothing and Playwright runs them on both
 * workers side by side.
 */
const a11yTest = test.extend<{ seeded: Seeded & { c: ConsoleUnderTest } }>({
  // eslint-disable-next-line no-empty-pattern -- Playwright reads a fixture's needs from this pattern
  seeded: async ({}, use) => {
    const c = await startConsole();
    try {
      await use({ c, ...(await seed(c)) });
    } finally {
      await stopConsole(c);
    }
  },
});

// A mode's tour checks 29 screens and dialogs with axe on a shared 2-core machine: a bound for hangs.
a11yTest.setTimeout(420_000);

a11yTest.beforeAll(() => {
  mkdirSync(A11Y_DIR, { recursive: true });
});

a11yTest.afterAll(() => {
  process.stdout.write(`a11y checks: ${timings.join(', ')}\n`);
});

/** A page in `mode` at 1366×800 that records its uncaught errors; the test ends with none. */
async function openPage(
  browser: Browser,
  mode: Mode,
): Promise<{ page: Page; problems: string[]; close: () => Promise<void> }> {
  const context = await browser.newContext({
    colorScheme: mode,
    viewport: { width: 1366, height: 800 },
  });
  await stillMotion(context);
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  return { page, problems, close: () => context.close() };
}

type Screen = [name: string, hash: string, ready: (page: Page) => Locator];

function screensOf({ storeId, releaseId, runId, deploymentId, decisionId }: Seeded): Screen[] {
  const scope = `?store=${storeId}&release=${releaseId}`;
  const h1 = (page: Page) => page.locator('main').locator('h1:visible');
  return [
    ['fleet', 'fleet', (page) => page.getByTestId(TEST_IDS.terminalRow).first()],
    ['releases', 'releases', (page) => page.getByTestId(TEST_IDS.releaseRow).first()],
    ['release-detail', `releases/${releaseId}`, (page) => page.getByTestId(TEST_IDS.releaseDetail)],
    [
      'release-store-notes',
      `releases/stores/${storeId}`,
      (page) => page.getByTestId(TEST_IDS.storeNotes),
    ],
    ['deployments', 'deployments', (page) => page.getByTestId(DP.row).first()],
    [
      'deployment-intervention',
      `deployments/${deploymentId}`,
      (page) => page.getByTestId(DP.currentStep),
    ],
    [
      'checklists',
      `checklists${scope}`,
      (page) => page.locator('main').getByText(/smoke/i).first(),
    ],
    ['checklist-run', `checklists/runs/${runId}`, (page) => page.getByTestId(CL.runView)],
    ['decisions-sign-off', `decisions${scope}`, (page) => page.getByTestId(DC.form)],
    ['change-requests', 'change-requests', (page) => page.getByTestId(CR.newRequest)],
    ['desk', 'desk', h1],
    // Not enrolled as a desk here: the filled screens are checked in health.spec.ts.
    ['health-kpis', 'health', h1],
    ['health-release', `health/releases/${releaseId}`, h1],
    ['release-desk', 'release-desk', h1],
    ['sync', 'sync', h1],
    ['support-inbox', 'support', h1],
    ['audit', 'audit', (page) => page.getByTestId(AUDIT_TEST_IDS.row).first()],
    [
      'releases-changelog',
      'releases/changelog',
      (page) => page.getByTestId(CHANGELOG_TEST_IDS.changelog),
    ],
    ['our-reports', 'our-reports', h1],
    ['report-run', `reports/runs/${runId}`, h1],
    ['report-decision', `reports/decisions/${decisionId}`, h1],
  ];
}

for (const mode of MODES) {
  a11yTest(
    `welcome, sign-in from the keyboard, every screen and the dialogs in ${mode} mode: no serious axe finding, one main, one h1, headings in order`,
    async ({ browser, seeded }) => {
      const { c } = seeded;
      const firstRun = await startConsole();
      const { page, problems, close } = await openPage(browser, mode);
      try {
        // The scheme follows the operating system until the switch says otherwise.
        await page.goto(firstRun.url);
        await expect(page.getByTestId(TEST_IDS.demoLoad)).toBeVisible();
        await expect(page.locator('html')).toHaveAttribute('data-mantine-color-scheme', mode);
        await checkScreen(page, 'welcome', mode);

        await page.goto(c.url);
        const user = page.getByTestId(TEST_IDS.signInUser);
        await expect(user).toBeFocused();
        await checkScreen(page, 'sign-in', mode);
        // Keyboard flow: a name, Enter, the PIN, Enter. Picking the name moves the focus to
        // the PIN field on the next frame: typed before that, the PIN went into the name box.
        await page.keyboard.type('maya');
        await page.keyboard.press('Enter');
        await expect(user).toHaveValue(new RegExp(manager.name));
        await expect(page.getByTestId(TEST_IDS.signInPin)).toBeFocused();
        await page.keyboard.type(manager.pin);
        await page.keyboard.press('Enter');
        await expect(page.getByTestId(TEST_IDS.statusUser)).toContainText(manager.name);

        for (const [name, hash, ready] of screensOf(seeded)) {
          await visit(page, c, hash, ready(page));
          await checkScreen(page, name, mode);
        }
        await dialogs(page, c, mode, seeded);
        expect(problems).toEqual([]);
      } finally {
        await close();
        await stopConsole(firstRun);
      }
    },
  );
}

/** Terminal detail, bug report, waive and abort refused, change request, report a problem. */
async function dialogs(
  page: Page,
  c: ConsoleUnderTest,
  mode: Mode,
  { storeId, releaseId, terminalId, runId, deploymentId }: Seeded,
): Promise<void> {
  // Dialogs: terminal detail, bug report, change request.
  await visit(page, c, `fleet/terminals/${terminalId}`, page.getByTestId(TEST_IDS.terminalDetail));
  await settled(page.getByRole('dialog'));
  await checkScreen(page, 'terminal-detail', mode, '[role="dialog"]');

  await visit(page, c, `checklists/runs/${runId}`, page.getByTestId(CL.runView));
  await page
    .locator(`[data-testid="${CL.item}"][data-item-id="${FAILING_ITEM}"]`)
    .getByTestId(CL.reportBug)
    .click();
  await settled(page.getByRole('dialog'), CAPTURE_TIMEOUT);
  await checkScreen(page, 'bug-report', mode, '[role="dialog"]');
  await page.keyboard.press('Escape');

  // The waive and abort dialogs, each showing the rule its form checks before sending.
  await page
    .locator(`[data-testid="${CL.item}"][data-item-id="${FAILING_ITEM}"]`)
    .getByTestId(CL.waive)
    .first()
    .click();
  await settled(page.getByRole('dialog'));
  await page.getByTestId(CL.waiveSubmit).click();
  await expect(page.getByRole('dialog')).toContainText('Give a reason (at least 3 characters).');
  await checkScreen(page, 'waive-refused', mode, '[role="dialog"]');
  await page.keyboard.press('Escape');

  await visit(page, c, `deployments/${deploymentId}`, page.getByTestId(DP.currentStep));
  await page.getByTestId(DP.abort).first().click();
  await settled(page.getByRole('dialog'));
  await page.getByTestId(DP.abortConfirm).click();
  await expect(page.getByRole('dialog')).toContainText('Give a reason to abort.');
  await checkScreen(page, 'deployment-abort-refused', mode, '[role="dialog"]');
  await page.keyboard.press('Escape');

  // Change requests belong to one store: the link names it, as the checklist screens do.
  await visit(
    page,
    c,
    `change-requests?store=${storeId}&release=${releaseId}`,
    page.getByTestId(CR.newRequest),
  );
  await page.getByTestId(CR.newRequest).click();
  await settled(page.getByRole('dialog'));
  await checkScreen(page, 'change-request', mode, '[role="dialog"]');
  await page.keyboard.press('Escape');

  await visit(page, c, 'fleet', page.getByTestId(TEST_IDS.terminalRow).first());
  await page.getByTestId(FB.openReport).click();
  await expect(page.getByTestId(FB.attachment).first()).toBeVisible({ timeout: CAPTURE_TIMEOUT });
  await settled(page.getByRole('dialog'));
  await checkScreen(page, 'report-problem', mode, '[role="dialog"]');
  await page.keyboard.press('Escape');
}

a11yTest(
  'the colour scheme switch overrides the operating system and is remembered by the console',
  async ({ browser }) => {
    // Only a signed-in console is needed: no seed.
    const c = await startConsole({ demo: true, signedInAs: manager });
    const context = await browser.newContext({ colorScheme: 'light' });
    await stillMotion(context);
    const page = await context.newPage();
    await page.goto(`${c.url}#/sync`);
    const html = page.locator('html');
    await expect(html).toHaveAttribute('data-mantine-color-scheme', 'light');
    await page.getByTestId(COLOR_SCHEME_TEST_ID).getByText('Dark').click();
    await expect(html).toHaveAttribute('data-mantine-color-scheme', 'dark');
    expect(await page.evaluate((key) => localStorage.getItem(key), COLOR_SCHEME_STORAGE_KEY)).toBe(
      'dark',
    );
    await page.reload();
    await expect(html).toHaveAttribute('data-mantine-color-scheme', 'dark');
    await context.close();
    await stopConsole(c);
  },
);

/**
 * Moves the focus with Tab alone until it is on `target` (or inside it): what
 * a keyboard user does. Fails if the element cannot be reached that way.
 */
async function tabTo(page: Page, target: Locator, limit = 200): Promise<void> {
  await expect(target).toBeVisible();
  for (let presses = 0; presses < limit; presses++) {
    const isFocused = await target.evaluate(
      (element) => element === document.activeElement || element.contains(document.activeElement),
    );
    if (isFocused) return;
    await page.keyboard.press('Tab');
  }
  throw new Error(`${String(target)} was not reached with ${limit} presses of Tab`);
}

a11yTest(
  'the two main flows with the keyboard alone: run a checklist and sign the decision; follow a runbook step through its intervention',
  async ({ browser, seeded }) => {
    const { c } = seeded;
    const context = await browser.newContext({ viewport: { width: 1366, height: 800 } });
    await stillMotion(context);
    const page = await context.newPage();
    const { storeId, releaseId, deploymentId } = seeded;
    const scope = `?store=${storeId}&release=${releaseId}`;
    await c.call('session:signIn', { userId: manager.id, pin: manager.pin });
    const decisionsBefore = await c.call('decisions:list', { releaseId, storeId });

    // A checklist run: started, one item passed (Enter) and one failed (F), from the keyboard.
    await page.goto(`${c.url}#/checklists${scope}`);
    await tabTo(page, page.getByTestId(CL.startRun));
    await page.keyboard.press('Enter');
    await tabTo(page, page.getByTestId(CL.startTerminal).first());
    await page.keyboard.press('Space');
    await tabTo(page, page.getByTestId(CL.startSubmit));
    await page.keyboard.press('Enter');
    await expect(page.getByTestId(CL.runView)).toBeVisible();
    const open = page.locator(
      `[data-testid="${CL.item}"][data-answer-type="passFail"][data-status="not_started"]`,
    );
    const first = page.locator(
      `[data-testid="${CL.item}"][data-item-id="${await open.first().getAttribute('data-item-id')}"]`,
    );
    await tabTo(page, first);
    await page.keyboard.press('Enter');
    await expect(first).toHaveAttribute('data-status', 'passed');
    const second = page.locator(
      `[data-testid="${CL.item}"][data-item-id="${await open.first().getAttribute('data-item-id')}"]`,
    );
    await tabTo(page, second);
    await page.keyboard.press('f');
    await expect(second).toHaveAttribute('data-status', 'failed');
    await page.screenshot({ path: join(A11Y_DIR, 'keyboard-checklist-run.png') });

    // The decision: reason, a typed signature, the PIN, submitted with Enter on the button.
    await page.goto(`${c.url}#/decisions${scope}`);
    await tabTo(page, page.getByTestId(DC.reason));
    await page.keyboard.type('A failed item on the first terminal: no-go until it is fixed.');
    await tabTo(page, page.getByTestId(`${DC.signature}-typed`));
    await page.keyboard.type(manager.name);
    await page.keyboard.press('Enter');
    await expect(page.getByTestId(`${DC.signature}-signed`)).toBeVisible();
    await tabTo(page, page.getByTestId(DC.pin));
    await page.keyboard.type(manager.pin);
    await page.screenshot({ path: join(A11Y_DIR, 'keyboard-decision.png') });
    await tabTo(page, page.getByTestId(DC.submit));
    await page.keyboard.press('Enter');
    await expect(page.getByTestId(DC.row)).toHaveCount(decisionsBefore.length + 1);
    const decisions = await c.call('decisions:list', { releaseId, storeId });
    expect(decisions).toHaveLength(decisionsBefore.length + 1);

    // The runbook's intervention point, as the technician: assign to me, a note, proceed.
    await c.call('session:signOut', {});
    await c.call('session:signIn', { userId: technician.id, pin: technician.pin });
    await page.goto(`${c.url}#/deployments/${deploymentId}`);
    await tabTo(page, page.getByTestId(DP.claim));
    await page.keyboard.press('Enter');
    await tabTo(page, page.getByTestId(DP.interventionNotes));
    await page.keyboard.type('Drawer counted, sync shows no sales waiting.');
    await tabTo(page, page.getByTestId(DP.proceed));
    await page.keyboard.press('Enter');
    await expect(page.getByTestId(DP.claim)).toHaveCount(0);
    const after = await c.call('deployments:get', { deploymentId });
    expect(after.state.history.map((entry) => entry.action)).toEqual(
      expect.arrayContaining(['claim_intervention', 'proceed_intervention']),
    );
    await page.screenshot({ path: join(A11Y_DIR, 'keyboard-intervention.png') });
    await c.call('session:signOut', {});
    await context.close();
  },
);
