import { afterEach, describe, expect, it } from 'vitest';
import type { DeploymentSummary, DeploymentView } from '../../shared/contract/deployments.ts';
import { AppError } from '../../shared/errors.ts';
import {
  expectOk,
  journalCount,
  MANAGER,
  startTestApp,
  TECH,
  type TestApp,
} from '../app/testSupport.ts';
import {
  createDeploymentsService,
  type ActionRequest,
  type Actor,
  type DeploymentsService,
} from './service.ts';
import { smokeRun } from './testing.ts';

const TESS: Actor = { userId: 'u-tess', role: 'technician', storeIds: [] };
const LILLE = 'st-lil-01';
const lane = (n: number) => `st-lil-01-t${n}`;

let app: TestApp | null = null;
afterEach(async () => {
  await app?.dispose();
  app = null;
});

function refusal(fn: () => unknown): { code: string; refusal: unknown; message: string } {
  try {
    fn();
  } catch (error) {
    if (error instanceof AppError)
      return {
        code: error.code,
        refusal: (error.details as { refusal?: unknown } | undefined)?.refusal,
        message: error.message,
      };
    throw error;
  }
  throw new Error('expected a refusal');
}

/** Lille on 4.4.0 canary first (lane 1), walked up to the canary's smoke step. */
async function atCanarySmoke(options: { runBeforeCapture?: boolean } = {}): Promise<{
  a: TestApp;
  service: DeploymentsService;
  deploymentId: string;
  act: (r: ActionRequest) => ReturnType<DeploymentsService['act']>;
  earlyRunId: string | null;
}> {
  const a = await startTestApp({ signInAs: TECH });
  app = a;
  const service = createDeploymentsService({ db: a.db, journal: a.journal, now: a.clock.now });
  const { plan } = service.plan({ releaseId: 'rel-4.4.0', storeId: LILLE }, TESS);
  const act = (r: ActionRequest) => {
    a.clock.advance(60_000);
    return service.act(plan.deploymentId, r, TESS);
  };
  act({ type: 'start', strategy: 'canary_first', canaryTerminalId: lane(1), overrideReason: null });
  act({ type: 'complete_step' });
  act({ type: 'claim_intervention' });
  act({ type: 'proceed_intervention', notes: 'Lane closed' });
  act({ type: 'complete_step' });
  // A finished, passing run done on the lane before its version was recorded: it tested the old release.
  const earlyRunId = options.runBeforeCapture
    ? await smokeRun(a, { terminalIds: [lane(1)] })
    : null;
  act({ type: 'record_version', terminalId: lane(1), version: '4.4.0' });
  expect(act({ type: 'complete_step' }).status).toBe('verifying');
  return { a, service, deploymentId: plan.deploymentId, act, earlyRunId };
}

const snapshot = (a: TestApp) => [
  journalCount(a),
  a.db.sqlite.prepare('SELECT * FROM deployments ORDER BY id').raw().all(),
];
const journaledSmoke = (a: TestApp) =>
  (
    a.db.sqlite
      .prepare("SELECT body FROM journal WHERE type = 'deployment.smoke.recorded' ORDER BY seq")
      .pluck()
      .all() as string[]
  ).map((b) => JSON.parse(b).payload as { runId: string; isPassed: boolean });

describe('the smoke step is decided by a real checklist run', () => {
  it('refuses a run that is unknown, of another checklist, store or release, missing a terminal, or unfinished — with a reason and no write', async () => {
    const { a, act } = await atCanarySmoke();
    const uat = await smokeRun(a, { terminalIds: [lane(1)], templateId: 'tpl-uat-pos' });
    const otherStore = await smokeRun(a, { terminalIds: ['st-par-01-t1'] });
    const otherRelease = await smokeRun(a, { terminalIds: [lane(1)], releaseId: 'rel-4.2.1' });
    const otherLane = await smokeRun(a, { terminalIds: [lane(2)] });
    const halfDone = await smokeRun(a, { terminalIds: [lane(1)], answersPerTerminal: 3 });
    const before = snapshot(a);

    expect(
      refusal(() =>
        act({ type: 'record_smoke_result', runId: '0190a0a0-0000-7000-8000-000000000000' }),
      ),
    ).toMatchObject({ code: 'not_found', refusal: 'smoke_run_unknown' });
    expect(refusal(() => act({ type: 'record_smoke_result', runId: uat }))).toMatchObject({
      code: 'invalid_input',
      refusal: 'smoke_run_wrong_template',
    });
    expect(refusal(() => act({ type: 'record_smoke_result', runId: otherStore }))).toMatchObject({
      code: 'invalid_input',
      refusal: 'smoke_run_wrong_store',
    });
    expect(refusal(() => act({ type: 'record_smoke_result', runId: otherRelease }))).toMatchObject({
      code: 'invalid_input',
      refusal: 'smoke_run_wrong_release',
    });
    const missing = refusal(() => act({ type: 'record_smoke_result', runId: otherLane }));
    expect(missing).toMatchObject({ code: 'conflict', refusal: 'smoke_run_missing_terminals' });
    expect(missing.message).toContain('Lane 1');
    const unfinished = refusal(() => act({ type: 'record_smoke_result', runId: halfDone }));
    expect(unfinished).toMatchObject({ code: 'conflict', refusal: 'smoke_run_unfinished' });
    expect(unfinished.message).toMatch(/Lane 1 \(\d+ items\)/);
    expect(unfinished.message).toContain('Nothing was recorded');

    expect(snapshot(a)).toEqual(before);
    expect(journaledSmoke(a)).toEqual([]);
  });

  it('refuses a finished run started before the versions were recorded (it tested the old release); a run started after decides', async () => {
    const { a, act, earlyRunId } = await atCanarySmoke({ runBeforeCapture: true });
    const before = snapshot(a);
    const stale = refusal(() => act({ type: 'record_smoke_result', runId: earlyRunId! }));
    expect(stale).toMatchObject({ code: 'conflict', refusal: 'smoke_run_stale' });
    expect(stale.message).toContain('start a new run');
    expect(snapshot(a)).toEqual(before);
    const fresh = await smokeRun(a, { terminalIds: [lane(1)] });
    expect(act({ type: 'record_smoke_result', runId: fresh }).canary?.result).toBe('passed');
  });

  it('a finished run decides the step: a failed mandatory item fails it; once the manager waives that item the same run passes it', async () => {
    const { a, act } = await atCanarySmoke();
    // The optional contactless item fails too: it lowers the score but never fails the run.
    const runId = await smokeRun(a, {
      terminalIds: [lane(1)],
      failing: ['card-payment', 'contactless'],
    });
    const failed = act({ type: 'record_smoke_result', runId });
    expect(failed.status).toBe('failed');
    expect(failed.canary?.result).toBe('failed');
    expect(act({ type: 'retry_step' }).status).toBe('verifying');

    expectOk(await a.dispatch('session:signOut', {}));
    expectOk(await a.dispatch('session:signIn', MANAGER));
    expectOk(
      await a.dispatch('checklists:waiveItem', {
        runId,
        terminalId: lane(1),
        itemId: 'card-payment',
        reason: 'Test card expired; a real card payment passed',
      }),
    );
    const passed = act({ type: 'record_smoke_result', runId });
    expect(passed.canary?.result).toBe('passed');
    expect(passed.plan.runbook.steps[passed.stepIndex]?.id).toBe('reopen');

    expect(journaledSmoke(a)).toEqual([
      { deploymentId: passed.plan.deploymentId, runId, isPassed: false },
      { deploymentId: passed.plan.deploymentId, runId, isPassed: true },
    ]);
  });

  it('a run covering more lanes than the step decides with all of them; away from the smoke step the state machine refuses without reading the run', async () => {
    const { a, act } = await atCanarySmoke();
    // Lanes 2–4 still run 4.2.1, but the run passes on all of them: the canary step passes.
    const wide = await smokeRun(a, { terminalIds: [lane(1), lane(2), lane(3), lane(4)] });
    expect(act({ type: 'record_smoke_result', runId: wide }).canary?.result).toBe('passed');
    const before = snapshot(a);
    expect(refusal(() => act({ type: 'record_smoke_result', runId: wide }))).toMatchObject({
      code: 'conflict',
      refusal: 'wrong_step',
    });
    expect(refusal(() => act({ type: 'record_smoke_result', runId: 'not-a-run' }))).toMatchObject({
      code: 'conflict',
      refusal: 'wrong_step',
    });
    expect(snapshot(a)).toEqual(before);
  });

  it('through the contract the input names the run only: a caller cannot say "passed"', async () => {
    const { a, deploymentId } = await atCanarySmoke();
    const count = journalCount(a);
    const claimed = await a.dispatch('deployments:act', {
      deploymentId,
      action: { type: 'record_smoke_result', runId: 'r', isPassed: true },
    });
    expect(claimed.ok ? null : claimed.error.code).toBe('invalid_input');
    const runId = await smokeRun(a, { terminalIds: [lane(1)], failing: ['boot'] });
    const countBefore = journalCount(a);
    const view = expectOk(
      await a.dispatch('deployments:act', {
        deploymentId,
        action: { type: 'record_smoke_result', runId },
      }),
    ) as DeploymentView;
    expect(view.state.status).toBe('failed');
    expect(journalCount(a)).toBe(countBefore + 1);
    expect(count).toBeLessThan(countBefore);
  });
});

describe('a rollback after a failed canary install', () => {
  it('records the canary version, smoke-tests the canary and rolls back; Done with nothing recorded is refused and writes nothing', async () => {
    const a = await startTestApp({ signInAs: TECH });
    app = a;
    const service = createDeploymentsService({ db: a.db, journal: a.journal, now: a.clock.now });
    const { plan } = service.plan({ releaseId: 'rel-4.4.0', storeId: LILLE }, TESS);
    const act = (r: ActionRequest) => {
      a.clock.advance(60_000);
      return service.act(plan.deploymentId, r, TESS);
    };
    act({
      type: 'start',
      strategy: 'canary_first',
      canaryTerminalId: lane(1),
      overrideReason: null,
    });
    act({ type: 'complete_step' });
    act({ type: 'claim_intervention' });
    act({ type: 'proceed_intervention', notes: 'Lane closed' });
    // The install fails before any version was recorded on the canary.
    act({ type: 'fail_step', reason: 'The installer stopped at 40 %' });
    act({ type: 'roll_back', reason: 'The installer stopped at 40 %' });
    expect(act({ type: 'complete_step' }).plan.runbook.rollbackSteps[1]?.id).toBe('rb-capture');
    // The deployments list says it is rolling back, not just "in progress".
    const listed = expectOk(
      await a.dispatch('deployments:list', { storeId: LILLE }),
    ) as DeploymentSummary[];
    expect(listed.find((d) => d.id === plan.deploymentId)).toMatchObject({
      status: 'in_progress',
      phase: 'rollback',
    });

    const before = snapshot(a);
    const empty = refusal(() => act({ type: 'complete_step' }));
    expect(empty).toMatchObject({ code: 'conflict', refusal: 'step_incomplete' });
    expect(empty.message).toContain('Lane 1');
    expect(snapshot(a)).toEqual(before);

    act({ type: 'record_version', terminalId: lane(1), version: '4.2.1' });
    expect(act({ type: 'complete_step' }).status).toBe('verifying');
    // The run the step starts covers the canary (the screen starts it on the step's terminals).
    const runId = await smokeRun(a, { terminalIds: [lane(1)] });
    const done = act({ type: 'record_smoke_result', runId });
    expect(done.status).toBe('rolled_back');
    expect(done.terminals.find((t) => t.terminalId === lane(1))?.progress).toBe('rolled_back');
    expect(journaledSmoke(a)).toEqual([{ deploymentId: plan.deploymentId, runId, isPassed: true }]);
  });
});
