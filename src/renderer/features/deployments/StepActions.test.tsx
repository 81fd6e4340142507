import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, fireEvent, screen, waitFor } from '@testing-library/react';
import type { DeploymentView } from '#shared/contract/deployments.ts';
import { judgeDecisionGate } from '#shared/deployments/decisionGate.ts';
import {
  applyAll,
  DEPLOYMENT_ACTION_TYPES,
  planDeployment,
  type DeploymentState,
} from '#shared/deployments/stateMachine.ts';
import { clock, fixturePlan, IN_RING, MAYA, OPEN, TESS } from '#shared/deployments/testSupport.ts';
import type { AuditActor } from '#shared/audit/event.ts';
import { changeLanguage, t } from '../../i18n/index.ts';
import { renderWithApi, type ApiCall } from '../../testing/renderWithApi.tsx';
import { AbortControl, CurrentStepCard } from './StepActions.tsx';
import type { ActionOffer } from './stepGuide.ts';
import { DEPLOYMENT_TEST_IDS as ID } from './testIds.ts';

afterEach(cleanup);

/** Every action offered: the forms, not the offers, are under test here. */
const OFFERS: ActionOffer[] = DEPLOYMENT_ACTION_TYPES.map((type) => ({ type, whyNot: null }));

function viewOf(state: DeploymentState): DeploymentView {
  return { state, timeline: [], metrics: {} as never, flags: [], gate: null };
}

/** A canary-first deployment held at its intervention, claimed by Maya. */
function atClaimedIntervention(): DeploymentState {
  const at = clock();
  const result = applyAll(planDeployment(fixturePlan('canary_first')), [
    at(MAYA, {
      type: 'start',
      strategy: 'canary_first',
      canaryTerminalId: 't2',
      window: OPEN,
      ring: IN_RING,
    }),
    at(MAYA, { type: 'claim_intervention' }),
  ]);
  if (!result.ok) throw new Error(result.refusal.message);
  return result.state;
}

function renderCard(state: DeploymentState) {
  const view = viewOf(state);
  return renderWithApi(
    <CurrentStepCard
      view={view}
      viewer={{ userId: MAYA.userId, role: MAYA.role }}
      offers={OFFERS}
      now={0}
      nameOf={(id) => id}
    />,
    { 'deployments:act': () => view },
  );
}

/** The start form of a release the release desk blocked, seen by `viewer`. */
function renderBlockedStart(viewer: AuditActor) {
  const state = planDeployment(fixturePlan('canary_first'));
  const view = viewOf(state);
  return renderWithApi(
    <CurrentStepCard
      view={view}
      viewer={{ userId: viewer.userId, role: viewer.role }}
      offers={OFFERS}
      now={0}
      nameOf={(id) => id}
    />,
    {
      'deployments:act': () => view,
      'releases:blocks': () => [
        {
          releaseId: state.plan.releaseId,
          reason: 'Receipts print blank',
          blockedAt: '2026-12-07T10:00:00.000Z',
          blockedBy: 'u-ada',
          version: '4.4.0',
          title: 'Release 4.4.0',
        },
      ],
    },
  );
}

const acts = (calls: ApiCall[]) => calls.filter((call) => call.channel === 'deployments:act');

// Mantine forms in jsdom take seconds on a loaded 2-core machine: the bound is for hangs.
describe(
  "the deployment step's forms, judged by the state machine's own rules",
  { timeout: 30_000 },
  () => {
    it('aborting an intervention without notes says why at the notes, and sends nothing', async () => {
      const { calls } = renderCard(atClaimedIntervention());
      fireEvent.click(screen.getByTestId(ID.abortIntervention));
      expect(await screen.findByText('Give a reason to abort the intervention.')).toBeTruthy();
      expect(acts(calls)).toEqual([]);

      fireEvent.change(screen.getByTestId(ID.interventionNotes), {
        target: { value: ' Lane 2 does not boot after the update. ' },
      });
      fireEvent.click(screen.getByTestId(ID.abortIntervention));
      await waitFor(() => expect(acts(calls)).toHaveLength(1));
      expect(acts(calls)[0]!.input).toEqual({
        deploymentId: 'dep-canary_first',
        action: { type: 'abort_intervention', notes: 'Lane 2 does not boot after the update.' },
      });
    });

    it('recording a failed step needs a reason; with one it sends exactly that', async () => {
      const { calls } = renderCard(atClaimedIntervention());
      fireEvent.click(screen.getByTestId(ID.failStep));
      fireEvent.click(await screen.findByTestId(ID.failSubmit));
      expect(await screen.findByText('Give a reason to record a failed step.')).toBeTruthy();
      expect(acts(calls)).toEqual([]);

      fireEvent.change(screen.getByTestId(ID.failReason), {
        target: { value: 'The installer stopped at 40 %' },
      });
      fireEvent.click(screen.getByTestId(ID.failSubmit));
      await waitFor(() => expect(acts(calls)).toHaveLength(1));
      expect(acts(calls)[0]!.input).toEqual({
        deploymentId: 'dep-canary_first',
        action: { type: 'fail_step', reason: 'The installer stopped at 40 %' },
      });
    });

    it('starting sends the strategy, the canary terminal and no override reason unless one is typed', async () => {
      const { calls } = renderCard(planDeployment(fixturePlan('canary_first')));
      fireEvent.change(screen.getByTestId(ID.overrideReason), { target: { value: '   ' } });
      fireEvent.click(screen.getByTestId(ID.start));
      await waitFor(() => expect(acts(calls)).toHaveLength(1));
      expect(acts(calls)[0]!.input).toEqual({
        deploymentId: 'dep-canary_first',
        action: {
          type: 'start',
          strategy: 'canary_first',
          canaryTerminalId: 't1',
          overrideReason: null,
        },
      });
    });

    it('a blocked release: a store manager must give an emergency bypass reason, which the start sends', async () => {
      const { calls } = renderBlockedStart(MAYA);
      expect(await screen.findByText('4.4.0 is blocked by the release desk')).toBeTruthy();
      fireEvent.change(screen.getByTestId(ID.bypassReason), { target: { value: 'Too short' } });
      fireEvent.click(screen.getByTestId(ID.start));
      expect(
        await screen.findByText(
          'Say why this emergency cannot wait for the block to be lifted (at least 10 characters).',
        ),
      ).toBeTruthy();
      expect(acts(calls)).toEqual([]);

      fireEvent.change(screen.getByTestId(ID.bypassReason), {
        target: { value: ' Every lane is down, the old build cannot print. ' },
      });
      fireEvent.click(screen.getByTestId(ID.start));
      await waitFor(() => expect(acts(calls)).toHaveLength(1));
      expect(acts(calls)[0]!.input).toEqual({
        deploymentId: 'dep-canary_first',
        action: {
          type: 'start',
          strategy: 'canary_first',
          canaryTerminalId: 't1',
          overrideReason: null,
          blockBypassReason: 'Every lane is down, the old build cannot print.',
        },
      });
    });

    it('a blocked release: a technician gets no bypass field and is told the start is refused', async () => {
      renderBlockedStart(TESS);
      expect(
        await screen.findByText(
          'It cannot be deployed: a start is refused. Only a store manager may bypass the block in an emergency; ask them.',
        ),
      ).toBeTruthy();
      expect(screen.queryByTestId(ID.bypassReason)).toBeNull();
    });

    it('a release that is not blocked shows no bypass field', async () => {
      renderCard(planDeployment(fixturePlan('canary_first')));
      expect(await screen.findByTestId(ID.start)).toBeTruthy();
      expect(screen.queryByTestId(ID.bypassReason)).toBeNull();
      expect(screen.queryByTestId(ID.blocked)).toBeNull();
    });

    it('aborting the deployment asks for a reason in the dialog before anything is sent', async () => {
      const state = atClaimedIntervention();
      const { calls } = renderWithApi(<AbortControl state={state} offer={OFFERS[0]} />, {
        'deployments:act': () => viewOf(state),
      });
      fireEvent.click(screen.getByTestId(ID.abort));
      fireEvent.click(await screen.findByTestId(ID.abortConfirm));
      expect(await screen.findByText('Give a reason to abort.')).toBeTruthy();
      expect(acts(calls)).toEqual([]);

      fireEvent.change(screen.getByTestId(ID.abortReason), {
        target: { value: 'The store closes early today.' },
      });
      fireEvent.click(screen.getByTestId(ID.abortConfirm));
      await waitFor(() => expect(acts(calls)).toHaveLength(1));
      expect(acts(calls)[0]!.input).toEqual({
        deploymentId: 'dep-canary_first',
        action: { type: 'abort', isConfirmed: true, reason: 'The store closes early today.' },
      });
    });
  },
);

describe('why a decision step waits', () => {
  const context = { releaseVersion: '4.4.0', storeName: 'Lille Euralille' };
  const closed = [
    judgeDecisionGate([], context),
    judgeDecisionGate(
      [{ id: 'dec-1', decision: 'no-go', signedBy: 'u-maya', signedAt: '2026-12-07T09:00:00Z' }],
      context,
    ),
  ].flatMap((gate) => (gate.isOpen ? [] : [gate]));

  it('is said by its code: in English word for word the back end’s, in German with the release and store it names', async () => {
    expect(closed.map((gate) => t(`deployments:gateWaits.${gate.code}`, gate.params))).toEqual(
      closed.map((gate) => gate.message),
    );
    await changeLanguage('de');
    try {
      expect(t(`deployments:gateWaits.${closed[1]!.code}`, closed[1]!.params)).toBe(
        'Die letzte Entscheidung zu 4.4.0 in Lille Euralille ist NO-GO: Der Rollout wartet, bis eine Filialleitung ein Go unterschreibt.',
      );
    } finally {
      await changeLanguage('en');
    }
  });
});
