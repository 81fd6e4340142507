/**
 * A runbook step gated by the store manager's go (demo 5.0.0, blue-green):
 * the step card says why it waits and links to the Go / no-go screen, and
 * Continue stays disabled and records nothing while no decision or a no-go
 * is in force (a go opening it, also from another console, is covered by
 * src/main/crossDevice/decisionGate.test.ts). Screenshots at 1366×800.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { test as base } from '@playwright/test';
import { PNG_1X1 } from '../src/main/checklists/testing.ts';
import { DEMO_USERS } from '../src/main/demo/demoCatalog.ts';
import { DEPLOYMENT_TEST_IDS as DP } from '../src/renderer/features/deployments/testIds.ts';
import { TEST_IDS } from '../src/renderer/testIds.ts';
import { expect, SCREENSHOT_DIR, startConsole, stopConsole } from './fixtures.ts';

const tess = DEMO_USERS.find((u) => u.id === 'u-tess')!;
const maya = DEMO_USERS.find((u) => u.id === 'u-maya')!;

base(
  "a deployment waits at the store manager's go with the reason on the step, and a no-go keeps it shut, recording nothing",
  async ({ page }) => {
    let clock = Date.parse('2026-12-22T15:00:00.000Z');
    const c = await startConsole({ now: () => new Date(clock), demo: true, signedInAs: tess });
    page.on('pageerror', (error) => c.problems.push(`page error: ${error.message}`));
    try {
      mkdirSync(SCREENSHOT_DIR, { recursive: true });
      await page.setViewportSize({ width: 1366, height: 800 });
      await page.goto(c.url);
      await expect(page.getByTestId(TEST_IDS.statusUser)).toContainText(tess.name);
      // Walked over the API up to the gate: New York is a lab store, where 5.0.0 may go.
      const planned = await c.call('deployments:plan', {
        releaseId: 'rel-5.0.0',
        storeId: 'st-nyc-01',
        terminalIds: ['st-nyc-01-t1', 'st-nyc-01-t3'],
      });
      const deploymentId = planned.state.plan.deploymentId;
      type Action = Parameters<typeof c.call<'deployments:act'>>[1]['action'];
      const act = (action: Action) => c.call('deployments:act', { deploymentId, action });
      await act({
        type: 'start',
        strategy: 'blue_green',
        canaryTerminalId: null,
        overrideReason: null,
      });
      // The migration is approved by the store manager; she signs in on this console for it.
      await c.call('session:signIn', { userId: maya.id, pin: maya.pin });
      await act({ type: 'claim_intervention' });
      await act({ type: 'proceed_intervention', notes: 'End-of-day report printed' });
      await c.call('session:signIn', { userId: tess.id, pin: tess.pin });
      for (const terminalId of ['st-nyc-01-t1', 'st-nyc-01-t3'])
        await act({ type: 'stage_release', terminalId });
      await act({ type: 'complete_step' });
      clock += 20 * 60_000; // the data migration
      await act({ type: 'complete_step' });
      await act({ type: 'complete_step' }); // migration checked

      await page.goto(`${c.url}#/deployments/${deploymentId}`);
      const step = page.getByTestId(DP.currentStep);
      await expect(step).toHaveAttribute('data-kind', 'decision');
      const gate = step.getByTestId(DP.decisionGate);
      await expect(gate).toHaveAttribute('data-open', 'false');
      await expect(gate).toContainText("Waiting for the store manager's go decision on 5.0.0");
      await expect(gate.getByRole('link', { name: 'Open Go / no-go' })).toBeVisible();
      await expect(step.getByTestId(DP.completeStep)).toBeDisabled();
      await page.screenshot({ path: join(SCREENSHOT_DIR, 'decision-gate-waiting.png') });
      const journalBefore = (await c.call('deployments:get', { deploymentId })).state.history
        .length;

      // Maya acted on the deployment, so she may sign only no-go: the gate stays shut, with that reason.
      await c.call('session:signIn', { userId: maya.id, pin: maya.pin });
      await c.call('decisions:record', {
        releaseId: 'rel-5.0.0',
        storeId: 'st-nyc-01',
        decision: 'no-go',
        reason: 'UAT not run yet',
        pin: maya.pin,
        signaturePngBase64: PNG_1X1,
      });
      await expect(gate).toContainText('The latest decision on 5.0.0');
      await expect(step.getByTestId(DP.completeStep)).toBeDisabled();
      expect((await c.call('deployments:get', { deploymentId })).state.history.length).toBe(
        journalBefore,
      );
      await page.screenshot({ path: join(SCREENSHOT_DIR, 'decision-gate-no-go.png') });
      expect(c.problems).toEqual([]);
    } finally {
      await stopConsole(c);
    }
  },
);
