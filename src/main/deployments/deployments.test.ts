import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import type { DeploymentView } from '../../shared/contract/deployments.ts';
import { AppError } from '../../shared/errors.ts';
import { deploymentInconsistencies } from '../../shared/deployments/invariants.ts';
import { metricsFromJournal, type JournalEventLike } from '../../shared/deployments/metrics.ts';
import { deploymentMetrics } from '../../shared/deployments/timeline.ts';
import { createApp } from '../app/createApp.ts';
import {
  expectOk,
  journalCount,
  MANAGER,
  startTestApp,
  TECH,
  type TestApp,
} from '../app/testSupport.ts';
import { PNG_1X1 } from '../checklists/testing.ts';
import { createLogger } from '../log.ts';
import { rebuildDeployments } from './rebuild.ts';
import { createDeploymentsService, type ActionRequest, type Actor } from './service.ts';
import { smokeRun } from './testing.ts';

const TESS: Actor = { userId: 'u-tess', role: 'technician', storeIds: [] };
const MAYA: Actor = { userId: 'u-maya', role: 'manager', storeIds: [] };
const LEO: Actor = { userId: 'u-leo', role: 'technician', storeIds: ['st-par-01', 'st-lyo-01'] };
const LILLE = 'st-lil-01';
const lane = (n: number) => `st-lil-01-t${n}`;

let app: TestApp | null = null;
afterEach(async () => {
  await app?.dispose();
  app = null;
});

async function start(clockAt?: string) {
  // Signed in as Tess so the test can run real smoke-test checklists through the contract.
  app = await startTestApp({ signInAs: TECH });
  if (clockAt) app.clock.set(clockAt);
  const clock = app.clock;
  return {
    app,
    clock,
    service: createDeploymentsService({ db: app.db, journal: app.journal, now: clock.now }),
  };
}

/** Every projection row, its JSON column parsed so a difference shows field by field. */
function rows(a: TestApp): unknown[] {
  const parse = (row: Record<string, unknown>) => ({
    ...row,
    state: row['state'] === undefined ? undefined : JSON.parse(row['state'] as string),
    data: row['data'] === undefined ? undefined : JSON.parse(row['data'] as string),
  });
  return (
    a.db.sqlite.prepare('SELECT * FROM deployments ORDER BY id').all() as Array<
      Record<string, unknown>
    >
  )
    .concat(
      a.db.sqlite.prepare('SELECT * FROM change_requests ORDER BY id').all() as Array<
        Record<string, unknown>
      >,
    )
    .map(parse);
}

function refusal(fn: () => unknown): { code: string; refusal: unknown } {
  try {
    fn();
  } catch (error) {
    if (error instanceof AppError)
      return {
        code: error.code,
        refusal: (error.details as { refusal?: unknown } | undefined)?.refusal,
      };
    throw error;
  }
  throw new Error('expected a refusal');
}

/** Claim and proceed the runbook's intervention, install, and record the given lanes on `version`. */
function updateWave(
  act: (r: ActionRequest, who?: Actor) => unknown,
  lanes: string[],
  version: string,
) {
  act({ type: 'complete_step' });
  act({ type: 'claim_intervention' });
  act({ type: 'proceed_intervention', notes: 'Lane closed, 0 sales waiting' });
  act({ type: 'complete_step' });
  for (const id of lanes) act({ type: 'record_version', terminalId: id, version });
  act({ type: 'complete_step' });
}

describe('deployments in the console', () => {
  it('runs the issue scenario on Lille: a failed canary rolled back, then a second attempt completed; one journal event per action; the rebuild gives the same rows', async () => {
    const { app: a, clock, service } = await start();
    // Deployment actions only: the smoke-test runs journal their own checklist events.
    const deploymentEvents = () =>
      a.db.sqlite
        .prepare("SELECT count(*) FROM journal WHERE type NOT LIKE 'checklist.%'")
        .pluck()
        .get() as number;
    const before = deploymentEvents();
    const first = service.plan({ releaseId: 'rel-4.4.0', storeId: LILLE }, TESS);
    expect(first.terminals.map((t) => [t.terminalId, t.fromVersion])).toEqual(
      [1, 2, 3, 4].map((n) => [lane(n), '4.2.1']),
    );
    let actions = 1;
    const act1 = (r: ActionRequest, who: Actor = TESS) => {
      clock.advance(60_000);
      actions += 1;
      return service.act(first.plan.deploymentId, r, who);
    };
    act1({
      type: 'start',
      strategy: 'canary_first',
      canaryTerminalId: lane(1),
      overrideReason: null,
    });
    updateWave(act1, [lane(1)], '4.4.0');
    const failedCanary = await smokeRun(a, { terminalIds: [lane(1)], failing: ['card-payment'] });
    expect(act1({ type: 'record_smoke_result', runId: failedCanary }).status).toBe('failed');
    act1({ type: 'roll_back', reason: 'Card payment fails on the canary' });
    act1({ type: 'complete_step' });
    act1({ type: 'record_version', terminalId: lane(1), version: '4.2.1' });
    act1({ type: 'complete_step' });
    expect(
      act1({ type: 'record_smoke_result', runId: await smokeRun(a, { terminalIds: [lane(1)] }) })
        .status,
    ).toBe('rolled_back');

    const second = service.plan({ releaseId: 'rel-4.4.0', storeId: LILLE }, TESS);
    actions += 1;
    const act2 = (r: ActionRequest, who: Actor = TESS) => {
      clock.advance(60_000);
      actions += 1;
      return service.act(second.plan.deploymentId, r, who);
    };
    act2({
      type: 'start',
      strategy: 'canary_first',
      canaryTerminalId: lane(1),
      overrideReason: null,
    });
    updateWave(act2, [lane(1)], '4.4.0');
    act2({ type: 'record_smoke_result', runId: await smokeRun(a, { terminalIds: [lane(1)] }) });
    act2({ type: 'complete_step' });
    // Fleet wave: the same runbook for the three other lanes.
    updateWave(act2, [lane(2), lane(3), lane(4)], '4.4.0');
    act2({
      type: 'record_smoke_result',
      runId: await smokeRun(a, { terminalIds: [lane(2), lane(3), lane(4)] }),
    });
    const done = act2({ type: 'complete_step' });
    expect(done.status).toBe('completed');
    expect(deploymentInconsistencies(done)).toEqual([]);

    expect(deploymentEvents() - before).toBe(actions);
    expect(
      service
        .list({ storeId: LILLE }, TESS)
        .map((r) => r.status)
        .sort(),
    ).toEqual(['completed', 'rolled_back']);
    const written = rows(a);
    const raw = () => a.db.sqlite.prepare('SELECT * FROM deployments ORDER BY id').raw().all();
    const writtenRaw = raw();
    expect(rebuildDeployments(a.db)).toEqual({ deployments: 2, changeRequests: 0 });
    expect(rows(a)).toEqual(written);
    expect(raw(), 'byte for byte').toEqual(writtenRaw);

    // Metrics from the journal alone (acceptance 6) equal those of the states the console showed.
    const journal = (
      a.db.sqlite.prepare('SELECT body FROM journal ORDER BY seq').pluck().all() as string[]
    ).map((b) => JSON.parse(b) as JournalEventLike);
    const fromJournal = metricsFromJournal(journal);
    const shown = [first.plan.deploymentId, second.plan.deploymentId].map(
      (id) => [id, deploymentMetrics(service.get(id, TESS))] as const,
    );
    expect([...fromJournal]).toEqual(shown);
    expect(fromJournal.get(first.plan.deploymentId)).toMatchObject({
      outcome: 'rolled_back',
      isRolledBack: true,
      failedSteps: 1,
      timeToDeployMs: 12 * 60_000,
    }); // 12 actions a minute apart after the start
    expect(fromJournal.get(second.plan.deploymentId)).toMatchObject({
      outcome: 'completed',
      isRolledBack: false,
      terminalsUpdated: 4,
    });
    // The same through `npm run deployments:metrics -- console.sqlite`.
    const cli = spawnSync(
      process.execPath,
      [
        '--experimental-strip-types',
        '--no-warnings',
        fileURLToPath(new URL('./metricsCli.ts', import.meta.url)),
        join(a.dir, 'console.sqlite'),
      ],
      { encoding: 'utf8' },
    );
    expect(cli.status, cli.stderr).toBe(0);
    const lines = cli.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { deploymentId: string; status: string });
    expect(lines.map((l) => [l.deploymentId, l.status])).toEqual([
      [first.plan.deploymentId, 'rolled_back'],
      [second.plan.deploymentId, 'completed'],
    ]);
    expect(lines[1]).toMatchObject(shown[1]![1]);
  });

  it('a refused action records nothing and says why, with the right error code', async () => {
    const { app: a, service } = await start();
    const { plan } = service.plan({ releaseId: 'rel-4.4.0', storeId: LILLE }, TESS);
    service.act(
      plan.deploymentId,
      { type: 'start', strategy: 'all_at_once', canaryTerminalId: null, overrideReason: null },
      TESS,
    );
    const count = journalCount(a);
    const snapshot = rows(a);
    expect(
      refusal(() =>
        service.act(
          plan.deploymentId,
          { type: 'skip_step', reason: 'Done already', changeRequestId: null },
          TESS,
        ),
      ),
    ).toEqual({ code: 'forbidden', refusal: 'needs_manager' });
    expect(
      refusal(() =>
        service.act(
          plan.deploymentId,
          { type: 'record_version', terminalId: lane(1), version: '4.4.0' },
          TESS,
        ),
      ),
    ).toEqual({ code: 'conflict', refusal: 'wrong_step' });
    expect(
      refusal(() =>
        service.act(plan.deploymentId, { type: 'abort', isConfirmed: false, reason: 'x' }, TESS),
      ),
    ).toEqual({ code: 'invalid_input', refusal: 'confirmation_required' });
    expect(
      refusal(() =>
        service.act(
          plan.deploymentId,
          { type: 'skip_step', reason: 'Done', changeRequestId: 'cr-made-up' },
          MAYA,
        ),
      ),
    ).toEqual({ code: 'conflict', refusal: 'change_request_required' });
    expect(refusal(() => service.plan({ releaseId: 'rel-4.4.0', storeId: LILLE }, LEO)).code).toBe(
      'forbidden',
    );
    expect(refusal(() => service.get(plan.deploymentId, LEO)).code).toBe('forbidden');
    expect(refusal(() => service.plan({ releaseId: 'rel-4.1.0', storeId: LILLE }, TESS)).code).toBe(
      'not_found',
    );
    // A withdrawn release is never deployed, even through the contract.
    expect(refusal(() => service.plan({ releaseId: 'rel-4.3.1', storeId: LILLE }, TESS))).toEqual({
      code: 'conflict',
      refusal: 'release_withdrawn',
    });
    expect(journalCount(a)).toBe(count);
    expect(rows(a)).toEqual(snapshot);
  });

  it('resumes exactly where it was after the console is closed and opened again', async () => {
    const { app: a, service } = await start();
    const { plan } = service.plan({ releaseId: 'rel-4.4.0', storeId: LILLE }, TESS);
    service.act(
      plan.deploymentId,
      { type: 'start', strategy: 'canary_first', canaryTerminalId: lane(2), overrideReason: null },
      TESS,
    );
    service.act(plan.deploymentId, { type: 'complete_step' }, TESS);
    const paused = service.act(plan.deploymentId, { type: 'claim_intervention' }, TESS);
    await a.close();
    const reopened = await createApp({
      dataDir: a.dir,
      log: createLogger({ level: 'silent' }),
      now: a.clock.now,
      sync: null,
    });
    try {
      const again = createDeploymentsService({
        db: reopened.db,
        journal: reopened.journal,
        now: a.clock.now,
      });
      expect(again.get(plan.deploymentId, TESS)).toEqual(paused);
      const resumed = again.act(plan.deploymentId, { type: 'resume' }, TESS);
      expect(resumed.status).toBe('paused_at_intervention');
      expect(resumed.intervention?.claimant?.userId).toBe('u-tess');
      expect(
        again.act(plan.deploymentId, { type: 'proceed_intervention', notes: '' }, TESS).status,
      ).toBe('in_progress');
    } finally {
      await reopened.close();
    }
  });

  it('trading hours block a start in Paris until a manager overrides with a reason', async () => {
    // Tuesday 10 March 2026, 10:00 in Paris: the store trades 08:30–21:00.
    const { app: a, service } = await start('2026-03-10T09:00:00.000Z');
    const { plan } = service.plan({ releaseId: 'rel-4.2.1', storeId: 'st-par-01' }, TESS);
    const count = journalCount(a);
    expect(
      refusal(() =>
        service.act(
          plan.deploymentId,
          { type: 'start', strategy: 'all_at_once', canaryTerminalId: null, overrideReason: null },
          TESS,
        ),
      ),
    ).toEqual({
      code: 'conflict',
      refusal: 'outside_window',
    });
    expect(
      refusal(() =>
        service.act(
          plan.deploymentId,
          {
            type: 'start',
            strategy: 'all_at_once',
            canaryTerminalId: null,
            overrideReason: 'Urgent',
          },
          TESS,
        ),
      ).refusal,
    ).toBe('outside_window');
    expect(journalCount(a)).toBe(count);
    const started = service.act(
      plan.deploymentId,
      {
        type: 'start',
        strategy: 'all_at_once',
        canaryTerminalId: null,
        overrideReason: 'VAT rounding is wrong on every receipt',
      },
      MAYA,
    );
    expect(started.history[0]).toMatchObject({ action: 'start', actor: { userId: 'u-maya' } });
    const journaled = a.db.sqlite
      .prepare("SELECT body FROM journal WHERE type = 'deployment.started'")
      .pluck()
      .get() as string;
    expect(JSON.parse(journaled).payload.window).toEqual({
      basis: 'override',
      reason: 'VAT rounding is wrong on every receipt',
    });
  });

  it('a freeze needs a change request approved by someone else; then the start is allowed and journaled with it', async () => {
    // Sunday 20 December 2026, 04:00 in Paris: closed, but in the "Christmas trading" freeze.
    const { app: a, clock, service } = await start('2026-12-20T03:00:00.000Z');
    const { plan } = service.plan({ releaseId: 'rel-4.2.1', storeId: 'st-par-01' }, TESS);
    const startRequest: ActionRequest = {
      type: 'start',
      strategy: 'all_at_once',
      canaryTerminalId: null,
      overrideReason: null,
    };
    expect(refusal(() => service.act(plan.deploymentId, startRequest, TESS)).refusal).toBe(
      'outside_window',
    );
    const from = clock.now().getTime();
    const requested = service.requestChange(
      {
        deviation: {
          kind: 'deploy_outside_window',
          storeId: 'st-par-01',
          releaseId: 'rel-4.2.1',
          from,
          to: from + 2 * 3_600_000,
        },
        impactNote: 'VAT on multi-buy offers is wrong on every receipt until the hotfix',
        risk: 'medium',
      },
      TESS,
    );
    expect(
      refusal(() =>
        service.decideChange({ changeRequestId: requested.id, isApproved: true, note: '' }, TESS),
      ),
    ).toEqual({ code: 'forbidden', refusal: 'same_person' });
    expect(
      refusal(() => service.act(plan.deploymentId, startRequest, TESS)).refusal,
      'still pending',
    ).toBe('outside_window');
    service.decideChange(
      { changeRequestId: requested.id, isApproved: true, note: 'Go, before opening' },
      MAYA,
    );
    clock.advance(60_000);
    const started = service.act(plan.deploymentId, startRequest, TESS);
    expect(started.status).toBe('in_progress');
    const journaled = a.db.sqlite
      .prepare("SELECT body FROM journal WHERE type = 'deployment.started'")
      .pluck()
      .get() as string;
    expect(JSON.parse(journaled).payload.window).toEqual({
      basis: 'change_request',
      changeRequestId: requested.id,
    });
    const written = rows(a);
    rebuildDeployments(a.db);
    expect(rows(a)).toEqual(written);
  });

  it('refuses a change request about a flag, deployment or step that does not exist (or a step that needs none), recording nothing', async () => {
    const { app: a, service } = await start();
    const { plan } = service.plan({ releaseId: 'rel-4.4.0', storeId: LILLE }, TESS);
    const before = [journalCount(a), rows(a)];
    const ask = (deviation: Parameters<typeof service.requestChange>[0]['deviation']) => () =>
      service.requestChange(
        { deviation, impactNote: 'Self-checkout lanes are affected all afternoon', risk: 'low' },
        TESS,
      );
    const flag = {
      kind: 'feature_flag_change',
      storeId: LILLE,
      releaseId: 'rel-4.4.0',
      value: true,
    } as const;
    expect(refusal(ask({ ...flag, flagKey: 'fast-checkout' }))).toEqual({
      code: 'invalid_input',
      refusal: 'unknown_flag',
    });
    // tap-to-pay exists, but for 5.0.0, not 4.4.0.
    expect(refusal(ask({ ...flag, flagKey: 'tap-to-pay' }))).toEqual({
      code: 'invalid_input',
      refusal: 'unknown_flag',
    });
    const skip = {
      kind: 'skip_mandatory_step',
      storeId: LILLE,
      releaseId: 'rel-4.4.0',
      deploymentId: plan.deploymentId,
    } as const;
    expect(refusal(ask({ ...skip, stepId: 'no-such-step' }))).toEqual({
      code: 'invalid_input',
      refusal: 'unknown_step',
    });
    expect(refusal(ask({ ...skip, stepId: 'reopen' }))).toEqual({
      code: 'invalid_input',
      refusal: 'step_not_mandatory',
    });
    expect(refusal(ask({ ...skip, stepId: 'install', releaseId: 'rel-4.2.1' }))).toEqual({
      code: 'not_found',
      refusal: 'unknown_deployment',
    });
    expect(
      refusal(
        ask({ ...skip, stepId: 'install', deploymentId: '0190a0a0-0000-7000-8000-000000000000' }),
      ),
    ).toEqual({ code: 'not_found', refusal: 'unknown_deployment' });
    expect([journalCount(a), rows(a)]).toEqual(before);
    expect(
      service.requestChange(
        {
          deviation: { ...flag, flagKey: 'assist-mode' },
          impactNote: 'Staff want assist mode for the sale',
          risk: 'low',
        },
        TESS,
      ).status,
    ).toBe('pending');
    expect(
      service.requestChange(
        {
          deviation: { ...skip, stepId: 'smoke' },
          impactNote: 'The smoke test printer is broken today',
          risk: 'high',
        },
        TESS,
      ).status,
    ).toBe('pending');
  });

  it('shows the store its flag values for the release', async () => {
    const { service } = await start();
    expect(service.flags('rel-4.4.0', 'st-lyo-01').map((f) => [f.key, f.value, f.source])).toEqual([
      ['assist-mode', false, 'store'],
      ['offline-price-updates', true, 'default'],
    ]);
  });
});

describe('deployments through the contract', () => {
  it('a manager who acted on a deployment of the release at the store may not sign go for it (the deployers projection)', async () => {
    app = await startTestApp({ signInAs: MANAGER });
    const a = app;
    const signGo = () =>
      a.dispatch('decisions:record', {
        releaseId: 'rel-4.4.0',
        storeId: LILLE,
        decision: 'go',
        reason: 'All good',
        pin: MANAGER.pin,
        signaturePngBase64: PNG_1X1,
      });
    const before = await signGo();
    expect(before.ok ? '' : before.error.message).not.toMatch(/deployed this release/);
    // Planning is acting on it: from now on Maya is one of its deployers.
    expectOk(await a.dispatch('deployments:plan', { releaseId: 'rel-4.4.0', storeId: LILLE }));
    const count = journalCount(a);
    const after = await signGo();
    expect(after.ok ? null : after.error).toMatchObject({
      code: 'forbidden',
      message: expect.stringMatching(/deployed this release/),
    });
    expect(journalCount(a)).toBe(count);
    // Another release at the same store is not hers.
    const other = await a.dispatch('decisions:record', {
      releaseId: 'rel-4.2.1',
      storeId: LILLE,
      decision: 'go',
      reason: 'All good',
      pin: MANAGER.pin,
      signaturePngBase64: PNG_1X1,
    });
    expect(other.ok ? '' : other.error.message).not.toMatch(/deployed this release/);
  });

  it("answers a store's flag values for a release only to someone who works in that store, for a release in the catalog", async () => {
    app = await startTestApp({ signInAs: TECH });
    const flags = expectOk(
      await app.dispatch('deployments:flags', { storeId: 'st-lyo-01', releaseId: 'rel-4.4.0' }),
    ) as Array<{ key: string; value: boolean; source: string }>;
    expect(flags.map((f) => [f.key, f.value, f.source])).toEqual([
      ['assist-mode', false, 'store'],
      ['offline-price-updates', true, 'default'],
    ]);
    const unknownRelease = await app.dispatch('deployments:flags', {
      storeId: LILLE,
      releaseId: 'rel-9.9.9',
    });
    expect(unknownRelease.ok ? null : unknownRelease.error.code).toBe('unknown_release');
    const extraKey = await app.dispatch('deployments:flags', {
      storeId: LILLE,
      releaseId: 'rel-4.4.0',
      terminalId: lane(1),
    });
    expect(extraKey.ok ? null : extraKey.error.code).toBe('invalid_input');
    // Leo works in Paris and Lyon only: Lille's values are not his to read.
    expectOk(await app.dispatch('session:signOut', {}));
    expectOk(await app.dispatch('session:signIn', { userId: 'u-leo', pin: '5555' }));
    const otherStore = await app.dispatch('deployments:flags', {
      storeId: LILLE,
      releaseId: 'rel-4.4.0',
    });
    expect(otherStore.ok ? null : otherStore.error.code).toBe('forbidden');
    expect(
      (await app.dispatch('deployments:flags', { storeId: 'st-par-01', releaseId: 'rel-4.4.0' }))
        .ok,
    ).toBe(true);
  });

  it('plans, starts and refuses through dispatch with the stable refusal code, and keeps support out', async () => {
    app = await startTestApp({ signInAs: { userId: 'u-tess', pin: '1111' } });
    const planned = expectOk(
      await app.dispatch('deployments:plan', { releaseId: 'rel-4.4.0', storeId: LILLE }),
    ) as DeploymentView;
    const deploymentId = planned.state.plan.deploymentId;
    expect(planned.flags.map((f) => f.key)).toEqual(['assist-mode', 'offline-price-updates']);
    const started = expectOk(
      await app.dispatch('deployments:act', {
        deploymentId,
        action: {
          type: 'start',
          strategy: 'canary_first',
          canaryTerminalId: lane(3),
          overrideReason: null,
        },
      }),
    ) as DeploymentView;
    expect(started.state.status).toBe('in_progress');
    expect(started.timeline.at(-1)).toMatchObject({ stepId: 'close-lane', endedAt: null });
    const count = journalCount(app);
    const skipped = await app.dispatch('deployments:act', {
      deploymentId,
      action: { type: 'skip_step', reason: 'Already closed', changeRequestId: null },
    });
    expect(skipped.ok ? null : skipped.error).toMatchObject({
      code: 'forbidden',
      details: { refusal: 'needs_manager' },
    });
    const bad = await app.dispatch('deployments:act', { deploymentId, action: { type: 'launch' } });
    expect(bad.ok ? null : bad.error.code).toBe('invalid_input');
    expect(journalCount(app)).toBe(count);
    expect((await app.dispatch('deployments:list', { storeId: LILLE })).ok).toBe(true);

    expectOk(await app.dispatch('session:signOut', {}));
    expectOk(await app.dispatch('session:signIn', { userId: 'u-sam', pin: '3333' }));
    const bySupport = await app.dispatch('deployments:plan', {
      releaseId: 'rel-4.4.0',
      storeId: LILLE,
    });
    expect(bySupport.ok ? null : bySupport.error.code).toBe('forbidden');
  });
});
