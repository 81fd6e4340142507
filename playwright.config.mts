// End-to-end tests drive the renderer in browser mode with Debian's
// Chromium (never a Playwright-downloaded browser). Each test starts its own
// back end and web server in-process, on its own temp data folder and port
// (e2e/fixtures.ts), so tests are parallel-safe. Run through `npm run
// test:e2e`, which builds out/web first.
import { defineConfig } from '@playwright/test';
import { CHROMIUM_ARGS, chromiumPath } from './bench/chromium.ts';

export default defineConfig({
  testDir: './e2e',
  testMatch: '**/*.spec.ts',
  globalSetup: './e2e/globalSetup.ts',
  outputDir: './test-results',
  fullyParallel: true,
  forbidOnly: true,
  // Two cores are shared with the rest of the suite.
  workers: 2,
  retries: 0,
  // Generous: the machines running this are shared and often busy; these bound hangs, they are not speed targets.
  timeout: 180_000,
  expect: { timeout: 20_000 },
  reporter: [['list'], ['./scripts/reporters/playwrightDurations.ts']],
  use: {
    browserName: 'chromium',
    viewport: { width: 1440, height: 900 },
    launchOptions: { executablePath: chromiumPath(), args: CHROMIUM_ARGS },
    // No trace by default: recording one for every test (to keep it only on failure) cost more CPU
    // than the tests themselves on this 2-core machine. fleet.spec.ts, measured whole (cpuacct,
    // Chromium included): 57.3 s with a trace and its screencast, 36.8 s with the trace's DOM
    // snapshots only, 31.7 s with none. A failing test still leaves its screenshot and error
    // context; to trace it, re-run it with `--trace retain-on-failure`.
    trace: 'off',
    // Off here: e2e/fixtures.ts screenshots a failed test's pages itself. Playwright's
    // 'only-on-failure' screenshots every page at every context close, failed or not, and
    // throws the image away when the test passed (0.4 CPU-s a test on a blank page).
    screenshot: 'off',
  },
});
