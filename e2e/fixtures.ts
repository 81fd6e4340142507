/**
 * Each end-to-end test gets its own back end: a fresh temp data folder, the
 * real createApp() on a real SQLite file, and browser mode's web server on a
 * port from the OS, all in the Playwright worker's process. `call` uses the
 * same HTTP endpoints the renderer uses, to read facts for assertions.
 *
 * Starting with the demo fleet loaded (fast: the back end loads it in about
 * 40 ms, where the sign-in screen's button costs a page round trip):
 *
 *   // a whole file
 *   test.use({ consoleOptions: { demo: true } });
 *   // or signed in as well, so the test opens straight on the fleet screen
 *   test.use({ consoleOptions: { demo: true, signedInAs: DEMO_USERS[0] } });
 *   // or by hand, for a second console or a test clock
 *   const c = await startConsole({ demo: true, now: () => clock });
 *
 * Keep the button when the loading itself is what the test is about
 * (demoSignIn.spec.ts, i18n.spec.ts); everywhere else, prefer the option.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { AxeBuilder } from '@axe-core/playwright';
import {
  test as base,
  expect,
  type BrowserContext,
  type Page,
  type TestInfo,
} from '@playwright/test';
import type { Channel, Contract } from '../src/shared/contract/index.ts';
import type { InputOf, OutputOf } from '../src/shared/contract/define.ts';
import type { Result } from '../src/shared/errors.ts';
import { createApp, type App } from '../src/main/app/createApp.ts';
import { createLogger } from '../src/main/log.ts';
import { startWebServer, type WebServer } from '../src/main/web/server.ts';
import { TEST_IDS } from '../src/renderer/testIds.ts';

/** The snapshot of out/web made by globalSetup.ts, or out/web itself when run without it. */
export const STATIC_DIR =
  process.env.DEARPOS_E2E_STATIC_DIR ?? resolve(import.meta.dirname, '../out/web');
export const SCREENSHOT_DIR = resolve(import.meta.dirname, '../test-output/screenshots');

export type ConsoleUnderTest = {
  url: string;
  dataDir: string;
  app: App;
  server: WebServer;
  /** Calls the back end over HTTP exactly as the renderer does; throws on an error envelope. */
  call<C extends Channel>(channel: C, input: InputOf<Contract[C]>): Promise<OutputOf<Contract[C]>>;
  /** CSP violations and uncaught errors the page reported; a test ends with none. */
  problems: string[];
};

export type ConsoleOptions = {
  /** The back end's clock, for a test that must move time (a runbook's wait step). */
  now?: () => Date;
  /** Load the demo fleet through the back end before the page opens. */
  demo?: boolean;
  /** Sign this user in through the back end (needs a catalog: `demo: true`); the page opens signed in. */
  signedInAs?: { id: string; pin: string };
};

export async function startConsole(options: ConsoleOptions = {}): Promise<ConsoleUnderTest> {
  const dataDir = await mkdtemp(join(tmpdir(), 'dearpos-e2e-'));
  const log = createLogger({ level: process.env.E2E_LOG_LEVEL ?? 'silent' });
  const app = await createApp({ dataDir, log, ...(options.now ? { now: options.now } : {}) });
  const server = await startWebServer({ app, port: 0, staticDir: STATIC_DIR, log });
  const target: ConsoleUnderTest = {
    url: server.url,
    dataDir,
    app,
    server,
    problems: [],
    async call(channel, input) {
      const response = await fetch(`${server.url}api/${channel}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${server.token}` },
        body: JSON.stringify(input),
      });
      const result = (await response.json()) as Result<never>;
      if (!result.ok) throw new Error(`${channel}: ${result.error.code}: ${result.error.message}`);
      return result.value;
    },
  };
  if (options.demo) await target.call('demo:load', {});
  if (options.signedInAs)
    await target.call('session:signIn', {
      userId: options.signedInAs.id,
      pin: options.signedInAs.pin,
    });
  return target;
}

export async function stopConsole(target: ConsoleUnderTest): Promise<void> {
  await target.server.close();
  await target.app.close();
  await rm(target.dataDir, { recursive: true, force: true });
}

/**
 * Stylesheet that ends every CSS transition and animation within a millisecond,
 * so a page is always seen in its final colours. Axe samples colours once: a
 * label still fading between two colours (a SegmentedControl's label after the
 * scheme or the hover changed) was reported as low contrast now and then. The
 * transitions still run (1 ms), so `transitionend` still fires for the
 * components that wait for it; endless animations (loaders) stop painting,
 * which also saves Chromium CPU on a 2-core machine.
 */
const STILL_MOTION_CSS = `*, *::before, *::after {
  transition-duration: 1ms !important;
  transition-delay: 0s !important;
  animation-duration: 1ms !important;
  animation-delay: 0s !important;
  animation-iteration-count: 1 !important;
}`;

/** Makes every page of `context` (opened after this call) still: see STILL_MOTION_CSS. */
export async function stillMotion(context: BrowserContext): Promise<void> {
  // A constructed stylesheet exists before the document's <head> does, and no page script sees it.
  await context.addInitScript((css: string) => {
    const sheet = new CSSStyleSheet();
    sheet.replaceSync(css);
    document.adoptedStyleSheets = [...document.adoptedStyleSheets, sheet];
  }, STILL_MOTION_CSS);
}

/**
 * Screenshots every open page of `browser` into the test's output folder when
 * the test failed. Playwright's own `screenshot: 'only-on-failure'` cannot know
 * at a context's close whether the test will fail, so it screenshots every page
 * of every closing context and throws the images away when the test passes:
 * 0.4 CPU-s a test on a blank page (measured, cpuacct), more on a full screen.
 */
async function screenshotOnFailure(
  contexts: readonly BrowserContext[],
  testInfo: TestInfo,
): Promise<void> {
  if (testInfo.status === testInfo.expectedStatus) return;
  const pages = contexts.flatMap((context) => context.pages());
  await Promise.all(
    pages.map(async (page, index) => {
      const path = testInfo.outputPath(`test-failed-${index + 1}.png`);
      try {
        await page.screenshot({ path, timeout: 5_000 });
        await testInfo.attach('screenshot', { path, contentType: 'image/png' });
      } catch {
        // A page that crashed or closed has nothing to show.
      }
    }),
  );
}

export const test = base.extend<{ consoleOptions: ConsoleOptions; console: ConsoleUnderTest }>({
  context: async ({ context }, use) => {
    await stillMotion(context);
    await use(context);
  },
  page: async ({ page, browser }, use, testInfo) => {
    await use(page);
    // Before the context closes: contexts a test opened itself and still holds are shown too.
    await screenshotOnFailure(browser.contexts(), testInfo);
  },
  // An option: `test.use({ consoleOptions: { demo: true } })` for a file or a describe block.
  consoleOptions: [{}, { option: true }],
  console: async ({ page, consoleOptions }, use) => {
    const target = await startConsole(consoleOptions);
    page.on('console', (message) => {
      if (message.text().includes('Content Security Policy')) target.problems.push(message.text());
    });
    page.on('pageerror', (error) => target.problems.push(`page error: ${error.message}`));
    await use(target);
    await stopConsole(target);
  },
});

export { expect };

/** Picks an option of a Mantine Select identified by its test id. */
export async function pickOption(
  page: Page,
  testId: string,
  option: string | RegExp,
): Promise<void> {
  await page.getByTestId(testId).click();
  await page.getByRole('option', { name: option }).click();
}

/** Signs in on the sign-in screen as `user` (a demo user: name and PIN) and waits for the status bar to name them. */
export async function signIn(page: Page, user: { name: string; pin: string }): Promise<void> {
  await pickOption(page, TEST_IDS.signInUser, new RegExp(user.name));
  await page.getByTestId(TEST_IDS.signInPin).fill(user.pin);
  await page.getByTestId(TEST_IDS.signInSubmit).click();
  await expect(page.getByTestId(TEST_IDS.statusUser)).toContainText(user.name);
}

/**
 * The axe rules that can never report a serious or critical finding: a rule's
 * impact, when set, overrides its checks'; otherwise a finding takes the
 * highest impact among its checks. The tests fail on serious and critical
 * findings only, so these rules' work was thrown away: 32 of axe 4.13's 105
 * (`region` walks the whole page), about a fifth of each run's CPU on the
 * fleet screen (1.2 s -> 1.0 s). Read from the axe-core the page runs, so an
 * upgrade that raises a rule's impact puts it back. Learnt from the first run
 * of each worker, which runs every rule.
 */
let lowImpactRules: string[] | null = null;
/**
 * The rules a default axe run would run that read colours (tag `cat.color`:
 * `color-contrast`, `link-in-text-block`), learnt with the low-impact ones.
 */
let colourRules: string[] | null = null;

async function learnRules(page: Page): Promise<void> {
  if (lowImpactRules !== null && colourRules !== null) return;
  const learnt = await page.evaluate(() => {
    type Check = { id: string; metadata?: { impact?: string } };
    type Rule = {
      id: string;
      impact?: string;
      enabled?: boolean;
      tags: string[];
      any: Check[];
      all: Check[];
      none: Check[];
    };
    const audit = (
      window as unknown as {
        axe: {
          _audit: {
            rules: Rule[];
            checks: Record<string, Check | undefined>;
            tagExclude?: string[];
          };
        };
      }
    ).axe._audit;
    const isLow = (impact: string | undefined) => impact === 'minor' || impact === 'moderate';
    const excluded = audit.tagExclude ?? [];
    return {
      lowImpact: audit.rules
        .filter((rule) =>
          rule.impact !== undefined
            ? isLow(rule.impact)
            : [...rule.any, ...rule.all, ...rule.none].length > 0 &&
              [...rule.any, ...rule.all, ...rule.none].every((check) =>
                isLow(audit.checks[typeof check === 'string' ? check : check.id]?.metadata?.impact),
              ),
        )
        .map((rule) => rule.id),
      // As a default run picks them: enabled, and no tag it leaves out (experimental).
      colour: audit.rules
        .filter(
          (rule) =>
            rule.enabled !== false &&
            rule.tags.includes('cat.color') &&
            !rule.tags.some((tag) => excluded.includes(tag)),
        )
        .map((rule) => rule.id),
    };
  });
  lowImpactRules = learnt.lowImpact;
  colourRules = learnt.colour;
}

/**
 * Which axe rules a check runs. `colour`: only the rules that read colours,
 * for a second look at a screen whose DOM another check has already passed
 * with every rule (the dark scheme changes CSS variables, not elements,
 * names or roles). Until the first run of a worker has taught the rule list,
 * `colour` runs every rule.
 */
type AxeRules = 'all' | 'colour';

/**
 * An axe run on `page`, as every test should start one. Two settings, same
 * findings, measured on the fleet screen at 1366×800 (same violations each
 * way): the default run took 27–29 s on the loaded shared machine, this one
 * 5–6 s.
 * - Legacy mode runs axe.run() in the page itself. The default runs
 *   runPartial() per frame, then opens a blank page, injects axe-core into it
 *   again and finishes there: it exists for cross-origin iframes, and the
 *   console has none.
 * - Axe collects every node of every result group; the tests read only
 *   violations, so the other groups keep one node each.
 */
function axeOn(page: Page, rules: AxeRules = 'all'): AxeBuilder {
  const builder = new AxeBuilder({ page })
    .options({ resultTypes: ['violations'] })
    .setLegacyMode(true);
  if (rules === 'colour' && colourRules !== null) return builder.withRules(colourRules);
  return lowImpactRules === null ? builder : builder.disableRules(lowImpactRules);
}

/** Axe's serious and critical findings on `page` (inside `selector` when given), each as one readable line. */
export async function seriousA11yFindings(
  page: Page,
  screen: string,
  selector?: string,
  rules: AxeRules = 'all',
): Promise<string[]> {
  const builder = axeOn(page, rules);
  const results = await (selector === undefined ? builder : builder.include(selector)).analyze();
  await learnRules(page);
  return results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map(
      (v) =>
        `${screen}: ${v.id} (${v.impact}): ${v.help} — ${v.nodes
          .slice(0, 8)
          .map((n) => `${n.target.join(' ')} ${n.failureSummary?.split('\n')[1] ?? ''}`.trim())
          .join(' | ')}`,
    );
}

/** Fails on serious or critical axe findings (contrast, labels, roles) inside `selector`, naming the screen and the elements. */
export async function expectNoSeriousA11yProblems(
  page: Page,
  screen: string,
  selector = 'main',
): Promise<void> {
  expect(await seriousA11yFindings(page, screen, selector)).toEqual([]);
}
