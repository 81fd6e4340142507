/**
 * The desktop shell's parts that browser mode can show: the console's own
 * update in the status bar (browser mode has no updater, so a test updater
 * state is attached to the back end), and renderer errors written to the
 * console's log file.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { UpdateStatus } from '../src/shared/contract/updates.ts';
import { createApp } from '../src/main/app/createApp.ts';
import { DEMO_USERS } from '../src/shared/demo/demoUsers.ts';
import { createWebLogger } from '../src/main/web/cli.ts';
import { startWebServer } from '../src/main/web/server.ts';
import { COLOR_SCHEME_TEST_ID } from '../src/renderer/app/colorScheme.ts';
import { TEST_IDS } from '../src/renderer/testIds.ts';
import { expect, SCREENSHOT_DIR, STATIC_DIR, test } from './fixtures.ts';

const manager = DEMO_USERS.find((u) => u.role === 'manager')!;

function stubStatus(over: Partial<UpdateStatus>): UpdateStatus {
  return {
    phase: 'ready',
    currentVersion: '1.4.0',
    version: '1.5.0',
    percent: null,
    message: null,
    notNow: [],
    canRestartNow: false,
    ...over,
  };
}

test('the status bar shows the update: progress, the reasons it waits, then Restart now', async ({
  page,
  console: target,
}) => {
  await page.setViewportSize({ width: 1366, height: 800 });
  await target.call('demo:load', {});
  await target.call('session:signIn', { userId: manager.id, pin: manager.pin });
  await page.goto(target.url);
  await expect(page.getByTestId(TEST_IDS.statusUser)).toContainText(manager.name);
  // At 800 px the navigation's entries scroll: its switches stay above the status bar, whose
  // first item (who is signed in) nothing covers.
  const switchBox = (await page.getByTestId(COLOR_SCHEME_TEST_ID).boundingBox())!;
  const barBox = (await page.getByTestId(TEST_IDS.statusBar).boundingBox())!;
  expect(switchBox.y + switchBox.height).toBeLessThanOrEqual(barBox.y);
  const userBox = (await page.getByTestId(TEST_IDS.statusUser).boundingBox())!;
  const onTop = await page.evaluate(
    ([x, y, id]) => document.elementFromPoint(x, y)?.closest(`[data-testid="${id}"]`) !== null,
    [userBox.x + 4, userBox.y + userBox.height / 2, TEST_IDS.statusUser] as const,
  );
  expect(onTop, 'the signed-in user in the status bar is not covered').toBe(true);
  // Browser mode: no updater, nothing in the status bar.
  await expect(page.getByTestId(TEST_IDS.statusUpdate)).toHaveCount(0);

  let current = stubStatus({ phase: 'downloading', percent: 37 });
  let restarts = 0;
  target.app.updates.attach({
    status: () => current,
    restartNow: () => {
      restarts++;
      return current;
    },
    beforeQuit: () => undefined,
    settled: () => Promise.resolve(),
  });
  await page.reload();
  const item = page.getByTestId(TEST_IDS.statusUpdate);
  await expect(item).toHaveAttribute('data-phase', 'downloading');
  await expect(item).toContainText('Update 1.5.0 downloading');
  await expect(item).toContainText('37 %');
  await page.screenshot({ path: join(SCREENSHOT_DIR, 'status-update-downloading-1366.png') });

  current = stubStatus({
    notNow: [
      'A deployment is in progress (Paris Rivoli → 4.2.0): the update installs when it is finished.',
      '3 recorded actions are not synced yet: the update installs after they reach the central server.',
    ],
  });
  await page.reload();
  await expect(item).toHaveAttribute('data-phase', 'ready');
  await expect(page.getByTestId(TEST_IDS.statusUpdateReason)).toContainText(
    'A deployment is in progress',
  );
  await expect(page.getByTestId(TEST_IDS.statusUpdateRestart)).toHaveCount(0);
  await page.screenshot({ path: join(SCREENSHOT_DIR, 'status-update-waits-1366.png') });

  current = stubStatus({ canRestartNow: true });
  await page.reload();
  await expect(page.getByTestId(TEST_IDS.statusUpdateRestart)).toBeVisible();
  await page.screenshot({ path: join(SCREENSHOT_DIR, 'status-update-ready-1366.png') });
  await page.getByTestId(TEST_IDS.statusUpdateRestart).click();
  await expect.poll(() => restarts).toBe(1);
  expect(target.problems).toEqual([]);
});

test('an error thrown in the renderer and an unhandled rejection land in the console log file', async ({
  page,
}) => {
  const dataDir = await mkdtemp(join(tmpdir(), 'dearpos-e2e-log-'));
  const log = createWebLogger(dataDir, { toStdout: false });
  const app = await createApp({ dataDir, log });
  const server = await startWebServer({ app, port: 0, staticDir: STATIC_DIR, log });
  try {
    await page.goto(server.url);
    await expect(page.getByTestId(TEST_IDS.demoLoad)).toBeVisible();
    await page.evaluate(() => {
      setTimeout(() => {
        throw new Error('thrown by a screen in the renderer');
      });
      void Promise.reject(new Error('a promise nobody awaited'));
    });
    const file = join(dataDir, 'logs', 'console.log');
    await expect
      .poll(
        async () =>
          (await readFile(file, 'utf8').catch(() => '')).split('\n').filter(Boolean).length,
        {
          timeout: 10_000,
        },
      )
      .toBeGreaterThan(0);
    await expect
      .poll(() => readFile(file, 'utf8'), { timeout: 10_000 })
      .toContain('renderer error: Error: thrown by a screen in the renderer');
    const text = await readFile(file, 'utf8');
    expect(text).toContain('renderer unhandledrejection: Error: a promise nobody awaited');
    const line = JSON.parse(text.split('\n').find((l) => l.includes('thrown by a screen'))!) as {
      scope: string;
      level: number;
      kind: string;
      stack?: string;
    };
    expect(line).toMatchObject({ scope: 'renderer', level: 50, kind: 'error' });
  } finally {
    await server.close();
    await app.close();
    await rm(dataDir, { recursive: true, force: true });
  }
});
