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
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
  },
});
