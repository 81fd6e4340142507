/**
 * A runbook step gated by the store manager's go: a technician's deployment
 * on console A waits at the step until a go decision for its store and
 * release is in A's state, and a go signed on console B of the same store
 * opens it once it has come through the central log and A's feed.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DeploymentView } from '../../shared/contract/deployments.ts';
import type { VerdictView } from '../../shared/decisions/types.ts';
import type { Result } from '../../shared/errors.ts';
import { expectOk, MANAGER, TECH, type TestApp } from '../app/testSupport.ts';
import { PNG_1X1_RED } from '../checklists/testing.ts';
import { smokeRun } from '../deployments/testing.ts';
import { startFleet, syncNow, type Fleet } from './testing.ts';

const NYC = 'st-nyc-01';
const RELEASE = 'rel-5.0.0';
/** A second manager of the store: the one who approved the migration has acted on the deployment, so may not sign its go. */
const NORA = { userId: 'u-nora', pin: '48264826' };

let fleet: Fleet;
let a: TestApp;
let b: TestApp;
beforeAll(async () => {
  fleet = await startFleet();
  const res = await fetch(`${fleet.server.url}/v1/admin/users`, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${fleet.server.adminToken}`,
      'content-type': 'application/json',
    },
    body: JSON.stringify({
      id: NORA.userId,
      name: 'Nora Nakamura',
      role: 'manager',
      pin: NORA.pin,
      storeIds: [NYC],
    }),
  });
  expect(res.status).toBe(200);
  a = await fleet.console('nyc-a', NYC);
  b = await fleet.console('nyc-b', NYC);
  for (const app of [a, b]) app.clock.set('2026-12-22T15:00:00.000Z');
}, 60_000);
afterAll(() => fleet.close());

function refusalOf(result: Result<unknown>): string | null {
  if (result.ok) return null;
  const details = (result.error as { details?: { refusal?: string } }).details;
  return details?.refusal ?? result.error.code;
}

async function switchUser(app: TestApp, user: { userId: string; pin: string }): Promise<void> {
  await app.dispatch('session:signOut', {});
  expectOk(await app.dispatch('session:signIn', user));
}

function journalLength(app: TestApp): number {
  return app.db.sqlite.prepare('SELECT count(*) FROM journal').pluck().get() as number;
}

describe("the store manager's go gates the switch to 5.0.0", () => {
  let deploymentId = '';
  const act = (app: TestApp, action: Record<string, unknown>) =>
    app.dispatch('deployments:act', { deploymentId, action: action as never });
  const view = async (app: TestApp) =>
    expectOk(await app.dispatch('deployments:get', { deploymentId })) as DeploymentView;

  it('A walks the blue-green runbook up to the decision step, which waits with its reason and records nothing', async () => {
    expectOk(await a.dispatch('session:signIn', TECH));
    const planned = expectOk(
      await a.dispatch('deployments:plan', {
        releaseId: RELEASE,
        storeId: NYC,
        terminalIds: ['st-nyc-01-t1', 'st-nyc-01-t3'],
      }),
    ) as DeploymentView;
    deploymentId = planned.state.plan.deploymentId;
    expect(planned.gate).toBeNull();
    expectOk(
      await act(a, {
        type: 'start',
        strategy: 'blue_green',
        canaryTerminalId: null,
        overrideReason: null,
      }),
    );
    // The migration is approved by a manager (Maya, on A), then Tess stages and waits.
    await switchUser(a, MANAGER);
    expectOk(await act(a, { type: 'claim_intervention' }));
    expectOk(await act(a, { type: 'proceed_intervention', notes: 'End-of-day report printed' }));
    await switchUser(a, TECH);
    for (const terminalId of ['st-nyc-01-t1', 'st-nyc-01-t3'])
      expectOk(await act(a, { type: 'stage_release', terminalId }));
    expectOk(await act(a, { type: 'complete_step' }));
    a.clock.advance(20 * 60_000);
    expectOk(await act(a, { type: 'complete_step' })); // the migration wait
    const atGate = expectOk(await act(a, { type: 'complete_step' })) as DeploymentView;
    expect(atGate.state.plan.runbook.steps[atGate.state.stepIndex]!.id).toBe('store-go');
    expect(atGate.gate).toMatchObject({ isOpen: false, code: 'no_decision' });
    expect(atGate.gate && !atGate.gate.isOpen && atGate.gate.message).toMatch(
      /Waiting for the store manager's go decision on 5\.0\.0 at /,
    );

    const before = journalLength(a);
    expect(refusalOf(await act(a, { type: 'complete_step' }))).toBe('decision_required');
    expect(journalLength(a)).toBe(before);
    expect((await view(a)).state.stepIndex).toBe(atGate.state.stepIndex);
  });

  it("B's verdict counts A's smoke runs; the go B signs opens A's gate only once it reached A through the central log", async () => {
    // Two lanes already on 5.0.0 smoke-tested on A: the criterion is met on B after both sync.
    await smokeRun(a, { releaseId: RELEASE, terminalIds: ['st-nyc-01-t2', 'st-nyc-01-t4'] });
    await syncNow(a);
    expectOk(await b.dispatch('session:signIn', NORA));
    await syncNow(b);
    const verdict = expectOk(
      await b.dispatch('decisions:verdict', { releaseId: RELEASE, storeId: NYC }),
    ) as VerdictView;
    expect(verdict.criteria.find((c) => c.id === 'checklist_passed:tpl-smoke-pos')).toMatchObject({
      isMet: true,
    });
    // The deployment A is running is on B too (the feed), waiting at the same step.
    expect((await view(b)).gate).toMatchObject({ isOpen: false, code: 'no_decision' });

    const decision = expectOk(
      await b.dispatch('decisions:record', {
        releaseId: RELEASE,
        storeId: NYC,
        // The UAT is still open: a go with that condition.
        decision: 'go-with-conditions',
        reason: 'Smoke test passed on the two lanes already on 5.0.0',
        conditions: ['UAT on two lanes before Friday'],
        pin: NORA.pin,
        signaturePngBase64: PNG_1X1_RED,
      }),
    ) as { id: string };
    // Signed on B, not yet synced: A still waits.
    expect(refusalOf(await act(a, { type: 'complete_step' }))).toBe('decision_required');
    await syncNow(b);
    await syncNow(a);
    const opened = await view(a);
    expect(opened.gate).toMatchObject({
      isOpen: true,
      decisionId: decision.id,
      decision: 'go-with-conditions',
      signedBy: NORA.userId,
    });
    const after = expectOk(await act(a, { type: 'complete_step' })) as DeploymentView;
    expect(after.state.plan.runbook.steps[after.state.stepIndex]!.id).toBe('switch');
    expect(after.gate).toBeNull();
    // The journal names the decision that opened the gate; B replays it the same way.
    const body = JSON.parse(
      a.db.sqlite
        .prepare(
          "SELECT body FROM journal WHERE type = 'deployment.step.completed' ORDER BY seq DESC LIMIT 1",
        )
        .pluck()
        .get() as string,
    ) as { payload: { decisionId?: string } };
    expect(body.payload.decisionId).toBe(decision.id);
    await syncNow(a);
    await syncNow(b);
    const onB = await view(b);
    expect(onB.state.stepIndex).toBe(after.state.stepIndex);
    expect(onB.state.status).toBe('in_progress');
  });
});
