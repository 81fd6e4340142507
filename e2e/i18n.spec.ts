/**
 * The console in German, as a German store manager meets it: switched on the
 * welcome screen, kept across a reload, every screen in German with no raw
 * resource key and no English navigation left, and no label cut off by the
 * longer German words. Screenshots of every screen go to
 * test-output/screenshots/de/<route>.png.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { DEMO_USERS } from '../src/main/demo/demoCatalog.ts';
import { CHANGE_REQUEST_TEST_IDS as CR } from '../src/renderer/features/changeRequests/testIds.ts';
import { DECISION_TEST_IDS as DC } from '../src/renderer/features/decisions/testIds.ts';
import { DEPLOYMENT_TEST_IDS as DP } from '../src/renderer/features/deployments/testIds.ts';
import { de } from '../src/renderer/i18n/de/index.ts';
import { LANGUAGE_TEST_IDS } from '../src/renderer/i18n/testIds.ts';
import { TEST_IDS } from '../src/renderer/testIds.ts';
import { expect, pickOption, SCREENSHOT_DIR, signIn, test } from './fixtures.ts';

const DE_DIR = join(SCREENSHOT_DIR, 'de');
const STORE = 'st-lil-01';
const RELEASE = 'rel-4.4.0';
const SMOKE = 'tpl-smoke-pos';

/** `checklists:startRun`, `deployments:kind.wait`: what a missing translation would show. */
const RAW_KEY =
  /\b(?:common|shell|components|domain|permissions|checklists|changeRequests|feedback|releases|session|desk|sync|decisions|reports|fleet|deployments|timeline|errors|csv|audit):[A-Za-z_.]+/;

/** Words only the English screens show; German screens must not. */
const ENGLISH_NAV = ['Checklists', 'Change requests', 'Go / no-go', 'Deployments', 'Fleet'];

/** Every fixed German word of the resources (no placeholders): what a cut label would be. */
function germanLabels(): string[] {
  const out: string[] = [];
  const walk = (tree: object) => {
    for (const value of Object.values(tree) as unknown[]) {
      if (typeof value === 'string') {
        if (value.trim() !== '' && !value.includes('{{')) out.push(value.trim());
      } else if (value !== null && typeof value === 'object') walk(value);
    }
  };
  walk(de);
  return out;
}
const GERMAN_LABELS = germanLabels();

/**
 * German words from the resources that do not fit their box: text wider than
 * the element that shows it (an ellipsis), or running past an ancestor that
 * clips it (a table cell, a nav link). German words are long, and a cut label
 * is a label nobody can read. Catalog data (store and model names) may be
 * truncated on purpose and is not checked.
 */
async function cutLabels(page: Page): Promise<string[]> {
  return page.evaluate((labels) => {
    const known = new Set(labels);
    const clips = (el: Element) => {
      const style = getComputedStyle(el);
      return style.overflowX === 'hidden' || style.overflowX === 'clip';
    };
    const cut: string[] = [];
    for (const el of Array.from(document.body.querySelectorAll<HTMLElement>('*'))) {
      const own = Array.from(el.childNodes)
        .filter((n) => n.nodeType === Node.TEXT_NODE)
        .map((n) => n.textContent ?? '')
        .join('')
        .trim();
      if (own === '' || !known.has(own) || el.getClientRects().length === 0) continue;
      let isCut = clips(el) && el.scrollWidth > el.clientWidth + 1;
      const right = el.getBoundingClientRect().right;
      for (let a = el.parentElement; !isCut && a !== null; a = a.parentElement) {
        if (clips(a) && right > a.getBoundingClientRect().right + 1) isCut = true;
      }
      if (isCut) cut.push(own);
    }
    return cut;
  }, GERMAN_LABELS);
}

async function checkScreen(page: Page, name: string): Promise<void> {
  // Lazy screens and their queries settle before the words are read.
  await expect(page.locator('[aria-busy="true"]')).toHaveCount(0);
  const text = await page.locator('body').innerText();
  expect(text.match(RAW_KEY)?.[0] ?? null, `${name}: raw key`).toBeNull();
  for (const english of ENGLISH_NAV)
    expect(text, `${name}: English "${english}"`).not.toContain(english);
  expect(await cutLabels(page), `${name}: labels cut off`).toEqual([]);
  await page.screenshot({ path: join(DE_DIR, `${name}.png`), fullPage: true });
}

test('every screen in German: switched on the welcome screen, kept after a reload, no raw key, no English navigation, no cut label', async ({
  page,
  console: c,
}) => {
  mkdirSync(DE_DIR, { recursive: true });
  await page.setViewportSize({ width: 1366, height: 800 });
  await page.goto(c.url);

  // The switch on the welcome screen turns the console German at once.
  await page.getByTestId(LANGUAGE_TEST_IDS.switch).getByText('Deutsch').click();
  await expect(page.getByTestId(TEST_IDS.demoLoad)).toHaveText('Demo-Flotte ausprobieren');
  await expect(page.locator('html')).toHaveAttribute('lang', 'de');
  await checkScreen(page, 'welcome');

  await page.getByTestId(TEST_IDS.demoLoad).click();
  await expect(page.getByTestId(TEST_IDS.signInSubmit)).toHaveText('Anmelden');
  await checkScreen(page, 'sign-in');

  // Kept for this console: a reload starts in German.
  await page.reload();
  await expect(page.getByTestId(TEST_IDS.signInSubmit)).toHaveText('Anmelden');
  await signIn(page, { name: 'Tess Tran', pin: '1111' });

  // Something on every screen: a planned deployment, a checklist run, a change request.
  const terminals = await c.call('fleet:listTerminals', {
    filter: { storeId: STORE },
    sort: { key: 'terminal', desc: false },
    offset: 0,
    limit: 10,
  });
  const planned = await c.call('deployments:plan', { releaseId: RELEASE, storeId: STORE });
  const run = await c.call('checklists:startRun', {
    templateId: SMOKE,
    releaseId: RELEASE,
    terminalIds: [terminals.rows[0]!.id],
  });

  const routes: Array<[string, string]> = [
    ['fleet', '#/fleet'],
    ['releases', '#/releases'],
    ['releases-stores', `#/releases/stores/${STORE}`],
    ['deployments', '#/deployments'],
    ['deployment', `#/deployments/${planned.state.plan.deploymentId}`],
    ['checklists', `#/checklists?store=${STORE}&release=${RELEASE}`],
    ['checklist-run', `#/checklists/runs/${run.run.id}`],
    ['decisions', `#/decisions?store=${STORE}&release=${RELEASE}`],
    ['change-requests', `#/change-requests?store=${STORE}`],
    ['desk', '#/desk'],
    ['sync', '#/sync'],
    ['revisions', '#/revisions/checklistTemplate/tpl-smoke-pos'],
    ['report-run', `#/reports/runs/${run.run.id}`],
  ];
  for (const [name, hash] of routes) {
    await page.goto(`${c.url}${hash}`);
    await expect(page.locator('main, [data-report-sheet]').first()).toBeVisible();
    await checkScreen(page, name);
  }

  // The forms in German, each showing the rule it checks before anything is sent.
  const dialog = page.getByRole('dialog');
  await page.goto(`${c.url}#/deployments/${planned.state.plan.deploymentId}`);
  await page.getByTestId(DP.abort).first().click();
  await page.getByTestId(DP.abortConfirm).click();
  await expect(dialog).toContainText('Geben Sie eine Begründung an, um abzubrechen.');
  await checkScreen(page, 'deployment-abort-refused');
  await page.keyboard.press('Escape');

  await page.goto(`${c.url}#/change-requests?store=${STORE}`);
  await page.getByTestId(CR.newRequest).click();
  await pickOption(page, CR.newRelease, /^4\.4\.0/);
  await page.getByTestId(CR.requestSubmit).click();
  await expect(dialog).toContainText('Beschreiben Sie die Auswirkungen');
  await checkScreen(page, 'change-request-refused');
  await page.keyboard.press('Escape');

  await page.getByTestId(TEST_IDS.statusSignOut).click();
  await signIn(
    page,
    DEMO_USERS.find((u) => u.id === 'u-maya')!,
  );
  await page.goto(`${c.url}#/decisions?store=${STORE}&release=${RELEASE}`);
  await page.getByTestId(DC.submit).click();
  await expect(page.getByTestId(DC.form)).toContainText('Eine PIN hat 4 bis 12 Ziffern.');
  await checkScreen(page, 'decisions-sign-off-refused');

  // Back to English with the same switch.
  await page.goto(`${c.url}#/fleet`);
  await page.getByTestId(LANGUAGE_TEST_IDS.switch).getByText('English').click();
  await expect(page.getByTestId(TEST_IDS.statusSignOut)).toHaveText('Sign out');
  expect(c.problems).toEqual([]);
});
