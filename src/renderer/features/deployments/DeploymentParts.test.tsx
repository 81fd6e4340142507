import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, screen, within } from '@testing-library/react';
import {
  applyAll,
  planDeployment,
  type DeploymentAction,
  type DeploymentState,
} from '#shared/deployments/stateMachine.ts';
import {
  clock,
  fixturePlan,
  IN_RING,
  MAYA,
  OPEN,
  TARGET,
  TESS,
} from '#shared/deployments/testSupport.ts';
import { deploymentTimeline } from '#shared/deployments/timeline.ts';
import { renderWithMantine } from '../../testing/renderWithMantine.tsx';
import { RunbookList } from './RunbookList.tsx';
import { runbookSections } from './stepGuide.ts';
import { TerminalsTable } from './TerminalsTable.tsx';
import { DEPLOYMENT_TEST_IDS as ID } from './testIds.ts';

afterEach(cleanup);

function walk(
  strategy: Parameters<typeof fixturePlan>[0],
  steps: (at: ReturnType<typeof clock>) => DeploymentAction[],
): DeploymentState {
  const result = applyAll(planDeployment(fixturePlan(strategy)), steps(clock()));
  if (!result.ok) throw new Error(result.refusal.message);
  return result.state;
}

describe('the runbook list', () => {
  it('names the canary wave after its terminal, marks the current step for assistive technology, and lists the rollback runbook while going forward', () => {
    const state = walk('canary_first', (at) => [
      at(TESS, {
        type: 'start',
        strategy: 'canary_first',
        canaryTerminalId: 't2',
        window: OPEN,
        ring: IN_RING,
      }),
      at(MAYA, { type: 'claim_intervention' }),
      at(MAYA, { type: 'proceed_intervention', notes: '' }),
    ]);
    renderWithMantine(
      <RunbookList state={state} sections={runbookSections(state, deploymentTimeline(state))} />,
    );
    expect(screen.getByText('Canary lane first: Lane 2')).toBeTruthy();
    expect(screen.getByText('Then the other terminals')).toBeTruthy();
    const current = screen
      .getAllByTestId(ID.runbookStep)
      .filter((row) => row.getAttribute('aria-current') === 'step');
    expect(
      current.map((row) => [row.getAttribute('data-step-id'), row.getAttribute('data-wave')]),
    ).toEqual([['install', 'canary']]);
    expect(
      screen.getByText(
        /Rollback runbook: Reinstall 4\.2\.1 from the USB key → Record the version after the rollback/,
      ),
    ).toBeTruthy();
  });
});

describe('the runbook list during a rollback', () => {
  it('lists the rollback runbook first with its current step, and the failed forward step as history, not highlighted', () => {
    const state = walk('canary_first', (at) => [
      at(TESS, {
        type: 'start',
        strategy: 'canary_first',
        canaryTerminalId: 't1',
        window: OPEN,
        ring: IN_RING,
      }),
      at(MAYA, { type: 'claim_intervention' }),
      at(MAYA, { type: 'proceed_intervention', notes: '' }),
      at(TESS, { type: 'fail_step', reason: 'The installer stopped at 40 %' }),
      at(TESS, { type: 'roll_back', reason: 'The installer stopped at 40 %' }),
    ]);
    renderWithMantine(
      <RunbookList state={state} sections={runbookSections(state, deploymentTimeline(state))} />,
    );
    const rows = screen.getAllByTestId(ID.runbookStep);
    expect(rows[0]!.getAttribute('data-phase')).toBe('rollback');
    const current = rows.filter((row) => row.getAttribute('aria-current') === 'step');
    expect(
      current.map((row) => [row.getAttribute('data-phase'), row.getAttribute('data-step-id')]),
    ).toEqual([['rollback', 'rb-reinstall']]);
    const failedInstall = rows.find(
      (row) =>
        row.getAttribute('data-phase') === 'forward' &&
        row.getAttribute('data-step-id') === 'install',
    )!;
    expect(failedInstall.getAttribute('data-standing')).toBe('failed');
    expect(failedInstall.style.background).toBe('');
    expect(screen.getByText('Before the rollback')).toBeTruthy();
  });
});

describe('the terminals table', () => {
  it('marks the canary and shows no slot column outside blue-green', () => {
    const state = walk('canary_first', (at) => [
      at(TESS, {
        type: 'start',
        strategy: 'canary_first',
        canaryTerminalId: 't1',
        window: OPEN,
        ring: IN_RING,
      }),
    ]);
    renderWithMantine(<TerminalsTable state={state} />);
    const rows = screen.getAllByTestId(ID.terminalRow);
    expect(rows).toHaveLength(4);
    expect(within(rows[0]!).getByText('Canary')).toBeTruthy();
    expect(within(rows[1]!).queryByText('Canary')).toBeNull();
    expect(screen.queryByText('Slot')).toBeNull();
  });

  it('a lane that already ran the target release before the deployment is not called "not updated yet"', () => {
    const plan = fixturePlan('canary_first');
    const state = planDeployment({
      ...plan,
      terminals: plan.terminals.map((t, i) => (i === 0 ? { ...t, fromVersion: TARGET } : t)),
    });
    renderWithMantine(<TerminalsTable state={state} />);
    const rows = screen.getAllByTestId(ID.terminalRow);
    expect(within(rows[0]!).getByText(`Already on ${TARGET}`)).toBeTruthy();
    expect(within(rows[1]!).getByText('Not updated yet')).toBeTruthy();
  });

  it('shows each terminal’s blue-green slot', () => {
    const state = walk('blue_green', (at) => [
      at(TESS, {
        type: 'start',
        strategy: 'blue_green',
        canaryTerminalId: null,
        window: OPEN,
        ring: IN_RING,
      }),
      at(TESS, { type: 'stage_release', terminalId: 't1' }),
    ]);
    renderWithMantine(<TerminalsTable state={state} />);
    const rows = screen.getAllByTestId(ID.terminalRow);
    expect(within(rows[0]!).getByText('New release staged on standby')).toBeTruthy();
    expect(within(rows[1]!).getByText('Old release active')).toBeTruthy();
  });
});
