import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../../shared/errors.ts';
import { STRATEGIES } from '../../shared/deployments/runbook.ts';
import { journalCount, startTestApp, TECH, type TestApp } from '../app/testSupport.ts';
import { rebuildFleetProjection } from '../fleet/rebuild.ts';
import { rebuildDeployments } from './rebuild.ts';
import { deploymentActorsOf } from './repository.ts';
import {
  createDeploymentsService,
  type ActionRequest,
  type Actor,
  type DeploymentsService,
} from './service.ts';
import { smokeRun } from './testing.ts';

const PEOPLE: Actor[] = [
  { userId: 'u-tess', role: 'technician', storeIds: [] },
  { userId: 'u-maya', role: 'manager', storeIds: [] },
  { userId: 'u-leo', role: 'technician', storeIds: ['st-par-01', 'st-lyo-01'] },
  { userId: 'u-sam', role: 'support', storeIds: [] },
];
const LANES = ['st-lil-01-t1', 'st-lil-01-t2', 'st-lil-01-t3', 'st-lil-01-t4'];

const request: fc.Arbitrary<ActionRequest> = fc.oneof(
  fc.record({
    type: fc.constant('start' as const),
    strategy: fc.constantFrom(...STRATEGIES),
    canaryTerminalId: fc.constantFrom(null, ...LANES),
    overrideReason: fc.constant(null),
  }),
  fc.constant({ type: 'complete_step' as const }),
  fc.constant({ type: 'complete_step' as const }),
  fc.record({
    type: fc.constant('fail_step' as const),
    reason: fc.constantFrom('Installer hung', ' '),
  }),
  fc.constant({ type: 'retry_step' as const }),
  fc.record({
    type: fc.constant('skip_step' as const),
    reason: fc.constant('Not needed'),
    changeRequestId: fc.constant(null),
  }),
  fc.record({
    type: fc.constant('exclude_terminal' as const),
    terminalId: fc.constantFrom(...LANES),
    reason: fc.constant('Out of order'),
  }),
  fc.record({
    type: fc.constant('roll_back' as const),
    reason: fc.constant('Receipts do not print'),
  }),
  fc.record({
    type: fc.constant('abort' as const),
    isConfirmed: fc.boolean(),
    reason: fc.constant('Store reopens'),
  }),
  fc.constant({ type: 'claim_intervention' as const }),
  fc.constant({ type: 'release_intervention' as const }),
  fc.record({ type: fc.constant('proceed_intervention' as const), notes: fc.constant('ok') }),
  fc.record({ type: fc.constant('abort_intervention' as const), notes: fc.constant('not ok') }),
  fc.record({
    type: fc.constant('record_version' as const),
    terminalId: fc.constantFrom(...LANES),
    version: fc.constantFrom('4.4.0', '4.4.0', '4.2.1', '4.x'),
  }),
  // Placeholders for the real runs made in beforeAll (see SMOKE_RUNS).
  fc.record({
    type: fc.constant('record_smoke_result' as const),
    runId: fc.constantFrom('passing', 'failing', 'unfinished', 'unknown'),
  }),
  fc.constant({ type: 'resume' as const }),
);

let app: TestApp;
let service: DeploymentsService;
/** Real smoke-test runs over every lane, so whichever wave is at its smoke step, each run covers it. */
const SMOKE_RUNS = new Map<string, string>();
beforeAll(async () => {
  app = await startTestApp({ signInAs: TECH });
  service = createDeploymentsService({ db: app.db, journal: app.journal, now: app.clock.now });
  SMOKE_RUNS.set('passing', await smokeRun(app, { terminalIds: LANES }));
  SMOKE_RUNS.set('failing', await smokeRun(app, { terminalIds: LANES, failing: ['scan-sale'] }));
  SMOKE_RUNS.set('unfinished', await smokeRun(app, { terminalIds: LANES, answersPerTerminal: 2 }));
  SMOKE_RUNS.set('unknown', '0190a0a0-0000-7000-8000-000000000000');
});
afterAll(async () => {
  await app.dispose();
});

/** The fleet's maintained tables: a recorded version moves them in the deployment event's transaction. */
const fleetRows = () =>
  [
    'terminal_current ORDER BY terminal_id',
    'terminal_versions ORDER BY id',
    'store_release_counts ORDER BY 1, 2, 3, 4',
  ].map((t) => app.db.sqlite.prepare(`SELECT * FROM ${t}`).raw().all());
const actorRows = () =>
  app.db.sqlite.prepare('SELECT * FROM deployment_actors ORDER BY 1, 2').raw().all();
const snapshot = () => [
  journalCount(app),
  app.db.sqlite.prepare('SELECT * FROM deployments ORDER BY id').raw().all(),
  fleetRows(),
  actorRows(),
];
/** Who acted on Lille's 4.4.0 deployments, read the slow way: every deployment event of the journal. */
const actorsFromJournal = () =>
  app.db.sqlite
    .prepare(
      `SELECT DISTINCT j.actor_user_id FROM deployments d
       JOIN journal j ON j.type LIKE 'deployment.%' AND json_extract(j.body, '$.payload.deploymentId') = d.id
       WHERE d.release_id = 'rel-4.4.0' AND d.store_id = 'st-lil-01' ORDER BY 1`,
    )
    .pluck()
    .all();

describe('deployments through the service: properties', () => {
  it('a refused action writes nothing; every accepted one is one journal event; the rebuild from the journal equals what was written', () => {
    let accepted = 0;
    let refused = 0;
    fc.assert(
      fc.property(
        fc.constantFrom(...LANES, null),
        fc.array(fc.tuple(request, fc.constantFrom(...PEOPLE)), { minLength: 5, maxLength: 40 }),
        (canary, steps) => {
          const { plan } = service.plan(
            { releaseId: 'rel-4.4.0', storeId: 'st-lil-01' },
            PEOPLE[0]!,
          );
          // Most runs start properly, so the random actions that follow meet every step.
          service.act(
            plan.deploymentId,
            {
              type: 'start',
              strategy: canary === null ? 'all_at_once' : 'canary_first',
              canaryTerminalId: canary,
              overrideReason: null,
            },
            PEOPLE[0]!,
          );
          for (const [request, who] of steps) {
            app.clock.advance(10 * 60_000);
            const action =
              request.type === 'record_smoke_result'
                ? { ...request, runId: SMOKE_RUNS.get(request.runId)! }
                : request;
            const before = snapshot();
            try {
              service.act(plan.deploymentId, action, who);
              accepted += 1;
              expect(journalCount(app)).toBe((before[0] as number) + 1);
            } catch (error) {
              if (!(error instanceof AppError)) throw error;
              refused += 1;
              expect(snapshot()).toEqual(before);
            }
          }
        },
      ),
      { numRuns: 25 },
    );
    const written = app.db.sqlite.prepare('SELECT * FROM deployments ORDER BY id').raw().all();
    // The deployers projection the go / no-go reads equals the journal's own answer, live and after a rebuild.
    const actors = actorRows();
    expect(deploymentActorsOf(app.db, 'rel-4.4.0', 'st-lil-01')).toEqual(actorsFromJournal());
    expect(actorsFromJournal().length).toBeGreaterThan(1);
    rebuildDeployments(app.db);
    expect(app.db.sqlite.prepare('SELECT * FROM deployments ORDER BY id').raw().all()).toEqual(
      written,
    );
    expect(actorRows()).toEqual(actors);
    const fleet = fleetRows();
    rebuildFleetProjection(app.db);
    expect(fleetRows()).toEqual(fleet);
    expect(accepted).toBeGreaterThan(10);
    expect(refused).toBeGreaterThan(10);
  });
});
