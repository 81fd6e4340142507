/**
 * The fleet follows guided deployments (issue 5): versions captured during a
 * deployment show in the matrix, the terminal's detail and its history, in
 * the same transaction as the deployment event; a refused capture changes
 * nothing; the fleet rebuilt from the journal equals the live state.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { FleetMatrix, TerminalDetail } from '../../shared/fleet/types.ts';
import type { deploymentActionInput, DeploymentView } from '../../shared/contract/deployments.ts';
import type { z } from 'zod';
import {
  expectOk,
  journalCount,
  startTestApp,
  stateChecksum,
  TECH,
  type TestApp,
} from '../app/testSupport.ts';
import { rebuildFleetProjection } from './rebuild.ts';

const LILLE = 'st-lil-01';
const lane = (n: number) => `${LILLE}-t${n}`;

let app: TestApp | null = null;
afterEach(async () => {
  await app?.dispose();
  app = null;
});

/** The fleet's maintained tables, including the counts kept by triggers. */
function fleetState(a: TestApp): string {
  const counts = a.db.sqlite
    .prepare('SELECT * FROM store_release_counts ORDER BY store_id, release_key')
    .raw()
    .all();
  return `${stateChecksum(a)}\nstore_release_counts:${JSON.stringify(counts)}`;
}

async function lilleCells(a: TestApp): Promise<Array<[string | null, number, number]>> {
  const matrix = expectOk(await a.dispatch('fleet:matrix', { storeId: LILLE })) as FleetMatrix;
  return matrix.cells
    .filter((c) => c.storeId === LILLE)
    .map((c): [string | null, number, number] => [c.releaseId, c.count, c.driftCount])
    .sort((x, y) => String(x[0]).localeCompare(String(y[0])));
}

describe('the fleet follows deployments', () => {
  it('versions recorded by a deployment show in the matrix, the terminal detail and its history; the rebuild equals the live state', async () => {
    app = await startTestApp({ signInAs: TECH });
    const a = app;
    // Lille's four lanes run 4.2.1; its ring (pilot) targets 4.4.0, so all four drift.
    expect(await lilleCells(a)).toEqual([['rel-4.2.1', 4, 4]]);

    const planned = expectOk(
      await a.dispatch('deployments:plan', { releaseId: 'rel-4.4.0', storeId: LILLE }),
    ) as DeploymentView;
    const deploymentId = planned.state.plan.deploymentId;
    const act = async (action: z.input<typeof deploymentActionInput>) => {
      a.clock.advance(60_000);
      return a.dispatch('deployments:act', { deploymentId, action });
    };
    expectOk(
      await act({
        type: 'start',
        strategy: 'all_at_once',
        canaryTerminalId: null,
        overrideReason: null,
      }),
    );
    expectOk(await act({ type: 'complete_step' }));
    expectOk(await act({ type: 'claim_intervention' }));
    expectOk(await act({ type: 'proceed_intervention', notes: 'Lanes closed, 0 sales waiting' }));
    expectOk(await act({ type: 'complete_step' }));

    // A version the rules refuse records nothing, in the deployment or in the fleet.
    const before = { journal: journalCount(a), fleet: fleetState(a) };
    const refused = await act({ type: 'record_version', terminalId: lane(1), version: '4.0.0' });
    expect(refused.ok).toBe(false);
    expect(journalCount(a)).toBe(before.journal);
    expect(fleetState(a)).toBe(before.fleet);

    for (const n of [1, 2, 3])
      expectOk(await act({ type: 'record_version', terminalId: lane(n), version: '4.4.0' }));
    // Lane 4 did not take the update: it is seen on the old release.
    expectOk(await act({ type: 'record_version', terminalId: lane(4), version: '4.2.1' }));

    expect(await lilleCells(a)).toEqual([
      ['rel-4.2.1', 1, 1],
      ['rel-4.4.0', 3, 0],
    ]);
    const matrix = expectOk(await a.dispatch('fleet:matrix', { storeId: LILLE })) as FleetMatrix;
    expect(matrix.stores.find((s) => s.id === LILLE)).toMatchObject({
      terminalCount: 4,
      driftCount: 1,
    });

    const recorded = a.db.sqlite
      .prepare(
        "SELECT json_extract(body, '$.id') AS id, json_extract(body, '$.at') AS at FROM journal WHERE type = 'deployment.version.recorded' ORDER BY seq",
      )
      .all() as Array<{ id: string; at: string }>;
    expect(recorded).toHaveLength(4);
    const detail = expectOk(
      await a.dispatch('fleet:getTerminal', { terminalId: lane(1) }),
    ) as TerminalDetail;
    expect(detail.terminal).toMatchObject({
      releaseId: 'rel-4.4.0',
      version: '4.4.0',
      since: recorded[0]!.at,
      lastSeen: recorded[0]!.at,
      isDrift: false,
    });
    expect(detail.history.find((h) => h.eventId === recorded[0]!.id)).toMatchObject({
      version: '4.4.0',
      releaseId: 'rel-4.4.0',
      recordedBy: TECH.userId,
    });
    // Seen again on the release it already ran: last seen moves, since does not.
    const unchanged = expectOk(
      await a.dispatch('fleet:getTerminal', { terminalId: lane(4) }),
    ) as TerminalDetail;
    expect(unchanged.terminal).toMatchObject({
      version: '4.2.1',
      lastSeen: recorded[3]!.at,
      isDrift: true,
    });
    expect(unchanged.terminal.since).not.toBe(recorded[3]!.at);

    const live = fleetState(a);
    const stats = rebuildFleetProjection(a.db);
    expect(stats.replayed).toBe(4);
    expect(fleetState(a)).toBe(live);
  });
});
