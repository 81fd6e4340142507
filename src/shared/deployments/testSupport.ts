/**
 * Fixtures for the deployment tests: a 4-terminal store moving from 4.2.1 to
 * 4.4.0, runbooks for each strategy, the demo people, and a clock.
 */
import type { AuditActor } from '../audit/event.ts';
import type { RunbookStep, Strategy } from './runbook.ts';
import type { DeploymentAction, DeploymentPlan } from './stateMachine.ts';

export const TESS: AuditActor = { userId: 'u-tess', role: 'technician' };
export const LEO: AuditActor = { userId: 'u-leo', role: 'technician' };
export const MAYA: AuditActor = { userId: 'u-maya', role: 'manager' };
export const SAM: AuditActor = { userId: 'u-sam', role: 'support' };
export const ADA: AuditActor = { userId: 'u-ada', role: 'admin' };

export const TARGET = '4.4.0';
export const FROM = '4.2.1';
export const T0 = Date.UTC(2026, 2, 10, 22, 0);

const step = (id: string, title: string, mandatory = true) => ({
  id,
  title,
  instructions: '',
  mandatory,
});

/** Canary first: the manager confirms the lanes are closed, install, capture, smoke test, a closing note. */
export const CANARY_STEPS: RunbookStep[] = [
  {
    kind: 'intervention',
    ...step('confirm-closed', 'Store manager confirms the lane is closed'),
    role: 'manager',
  },
  { kind: 'instruction', ...step('install', 'Install 4.4.0 from the USB key') },
  { kind: 'version_capture', ...step('capture', 'Record the version in Settings → About') },
  { kind: 'checklist', ...step('smoke', 'Run the smoke test'), templateId: 'tpl-smoke' },
  { kind: 'instruction', ...step('tell-staff', 'Tell the staff the lane is back', false) },
];

export const ROLLBACK_STEPS: RunbookStep[] = [
  { kind: 'instruction', ...step('rb-reinstall', 'Reinstall 4.2.1 from the USB key') },
  { kind: 'version_capture', ...step('rb-capture', 'Record the version after the rollback') },
];

export const BLUE_GREEN_STEPS: RunbookStep[] = [
  { kind: 'stage', ...step('stage', 'Stage 4.4.0 on the standby slot') },
  { kind: 'wait', ...step('migrate', 'Wait for the data migration'), durationMs: 15 * 60_000 },
  { kind: 'switch', ...step('switch', 'Switch to the new slot') },
  { kind: 'version_capture', ...step('capture', 'Record the version') },
  { kind: 'checklist', ...step('smoke', 'Run the smoke test'), templateId: 'tpl-smoke' },
];

export const BLUE_GREEN_ROLLBACK: RunbookStep[] = [
  { kind: 'switch', ...step('rb-switch', 'Switch back to the old slot') },
  { kind: 'version_capture', ...step('rb-capture', 'Record the version after switching back') },
];

export const ALL_AT_ONCE_STEPS: RunbookStep[] = [
  { kind: 'instruction', ...step('install', 'Install the hotfix on every lane') },
  { kind: 'version_capture', ...step('capture', 'Record the version') },
];

export const TERMINAL_IDS = ['t1', 't2', 't3', 't4'] as const;

export function fixturePlan(strategy: Strategy): DeploymentPlan {
  const steps =
    strategy === 'canary_first'
      ? CANARY_STEPS
      : strategy === 'blue_green'
        ? BLUE_GREEN_STEPS
        : ALL_AT_ONCE_STEPS;
  return {
    deploymentId: `dep-${strategy}`,
    releaseId: 'rel-4.4.0',
    storeId: 'st-par-01',
    targetVersion: TARGET,
    terminals: TERMINAL_IDS.map((id, i) => ({
      terminalId: id,
      name: `Lane ${i + 1}`,
      fromVersion: FROM,
    })),
    runbook: {
      id: `rb-${strategy}`,
      strategies: [strategy],
      steps,
      rollbackSteps: strategy === 'blue_green' ? BLUE_GREEN_ROLLBACK : ROLLBACK_STEPS,
    },
  };
}

/** Distributes over the action union so each action type keeps its own fields. */
type Body<A> = A extends DeploymentAction ? Omit<A, 'at' | 'actor'> : never;

/** Builds actions ten minutes apart, so every wait is over by the next action unless a test says otherwise. */
export function clock(start = T0) {
  let now = start;
  return (actor: AuditActor, body: Body<DeploymentAction>, minutes = 10): DeploymentAction => {
    now += minutes * 60_000;
    return { ...body, at: now, actor };
  };
}

export const OPEN = { basis: 'open' } as const;
export const IN_RING = { basis: 'in_ring' } as const;
