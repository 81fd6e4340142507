/**
 * Conflicts decided by the central log (docs/conflicts.md), as a property:
 * three real consoles of one store against one real central server; in each
 * run a deployment waits at an intervention and a change request waits for a
 * decision, then the consoles act on both offline (claim, release, proceed;
 * approve, reject — the same things, at once, on different consoles) and sync
 * in a random order. After everyone has synced twice over, every console
 * holds the same deployment and change request, equal to folding the central
 * log's events of each in log order through the same rules (the earlier
 * entry wins; a refused one is superseded), and every console marks the same
 * events superseded.
 *
 * The server's read models (rm_* tables) are not yet maintained in the push
 * transaction, so the reference is the fold of the central log itself.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DeploymentView } from '../../shared/contract/deployments.ts';
import {
  decideChangeRequest,
  requestChange,
  type ChangeRequest,
} from '../../shared/deployments/changeRequests.ts';
import {
  actionOfEvent,
  CHANGE_REQUEST_EVENT_TYPES,
  DEPLOYMENT_PLANNED,
  stateOfPlannedEvent,
  type DeploymentEvent,
} from '../../shared/deployments/events.ts';
import { applyAction, type DeploymentState } from '../../shared/deployments/stateMachine.ts';
import { expectOk, MANAGER, TECH, type TestApp } from '../app/testSupport.ts';
import { readChangeRequest, readDeployment } from '../deployments/repository.ts';
import { logEntriesResponse, signedTreeHead } from '../../shared/sync/protocol.ts';
import { startFleet, syncNow, type Fleet } from './testing.ts';

const STORE = 'st-lyo-01';
const LEO = { userId: 'u-leo', pin: '5555' };
const USERS = [TECH, LEO, MANAGER] as const;

let fleet: Fleet;
let consoles: TestApp[];
beforeAll(async () => {
  fleet = await startFleet();
  consoles = [];
  for (let i = 0; i < 3; i++) {
    const app = await fleet.console(`c${i}`, STORE);
    expectOk(await app.dispatch('session:signIn', USERS[i]!));
    consoles.push(app);
  }
}, 120_000);
afterAll(() => fleet.close());

type Op =
  | { kind: 'act'; on: number; action: 'claim_intervention' | 'release_intervention' | 'proceed' }
  | { kind: 'decide'; on: number; isApproved: boolean }
  | { kind: 'sync'; on: number };

const console_ = fc.integer({ min: 0, max: 2 });
const op: fc.Arbitrary<Op> = fc.oneof(
  fc.record({
    kind: fc.constant('act' as const),
    on: console_,
    action: fc.constantFrom(
      'claim_intervention' as const,
      'release_intervention' as const,
      'proceed' as const,
    ),
  }),
  fc.record({ kind: fc.constant('decide' as const), on: console_, isApproved: fc.boolean() }),
  fc.record({ kind: fc.constant('sync' as const), on: console_ }),
);

/** What the rules say, folding the central log's events of one thing in log order. */
function foldDeployment(events: readonly DeploymentEvent[]): {
  state: DeploymentState | null;
  superseded: Set<string>;
} {
  let state: DeploymentState | null = null;
  const superseded = new Set<string>();
  for (const e of events) {
    if (e.type === DEPLOYMENT_PLANNED) {
      if (state === null) state = stateOfPlannedEvent(e);
      else superseded.add((e as { id: string } & DeploymentEvent).id);
      continue;
    }
    if (state === null) continue;
    const next = applyAction(state, actionOfEvent(e));
    if (next.ok) state = next.state;
    else superseded.add((e as { id: string } & DeploymentEvent).id);
  }
  return { state, superseded };
}

function foldChangeRequest(events: ReadonlyArray<DeploymentEvent & { id: string }>): {
  request: ChangeRequest | null;
  superseded: Set<string>;
} {
  let request: ChangeRequest | null = null;
  const superseded = new Set<string>();
  for (const e of events) {
    const at = Date.parse(e.at);
    let outcome: ReturnType<typeof requestChange> | null = null;
    if (e.type === 'change_request.requested') {
      const p = CHANGE_REQUEST_EVENT_TYPES['change_request.requested'].payload.parse(e.payload);
      if (request === null)
        outcome = requestChange({
          id: p.changeRequestId,
          deviation: p.deviation,
          impactNote: p.impactNote,
          risk: p.risk,
          actor: e.actor,
          at,
        });
    } else if (request !== null) {
      const p = CHANGE_REQUEST_EVENT_TYPES['change_request.approved'].payload.parse(e.payload);
      outcome = decideChangeRequest(request, {
        isApproved: e.type === 'change_request.approved',
        actor: e.actor,
        at,
        note: p.note,
      });
    }
    if (outcome?.ok) request = outcome.changeRequest;
    else superseded.add(e.id);
  }
  return { request, superseded };
}

/** GET as JSON; a 429 from the server's rate limit is waited out as its Retry-After asks. */
async function getJson(url: string, headers: Record<string, string> = {}): Promise<unknown> {
  for (let attempt = 1; ; attempt++) {
    const res = await fetch(url, { headers });
    if (res.status === 429 && attempt < 10) {
      await new Promise((resolve) => setTimeout(resolve, 1000));
      continue;
    }
    if (!res.ok) throw new Error(`${url}: HTTP ${res.status} ${await res.text()}`);
    return res.json();
  }
}

/** The central log's events from index `start` on, in log order (auditor token). */
async function logEventsSince(start: number): Promise<Array<DeploymentEvent & { id: string }>> {
  const { url, auditorToken } = fleet.server;
  const head = signedTreeHead.parse(await getJson(`${url}/v1/log/tree-head`));
  const out: Array<DeploymentEvent & { id: string }> = [];
  for (let from = start; from < head.treeHead.size; from += 1000) {
    const end = Math.min(head.treeHead.size, from + 1000);
    const page = await getJson(`${url}/v1/log/entries?start=${from}&end=${end}`, {
      authorization: `Bearer ${auditorToken}`,
    });
    for (const entry of logEntriesResponse.parse(page).entries) out.push(entry.event);
  }
  return out;
}

async function logSize(): Promise<number> {
  return signedTreeHead.parse(await getJson(`${fleet.server.url}/v1/log/tree-head`)).treeHead.size;
}

/** The events a console set aside: its own (superseded_events) and the others' (foreign_events). */
function supersededOn(app: TestApp): Set<string> {
  const own = app.db.sqlite.prepare('SELECT event_id FROM superseded_events').pluck().all();
  const theirs = app.db.sqlite
    .prepare("SELECT event_id FROM foreign_events WHERE outcome = 'superseded'")
    .pluck()
    .all();
  return new Set([...own, ...theirs] as string[]);
}

describe('consoles acting on the same things offline', () => {
  it('converge, whatever they did and in whatever order they synced, to the fold of the central log (earlier entry wins)', async () => {
    let run = 0;
    let runsWithConflict = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(op, { minLength: 1, maxLength: 8 }), async (ops) => {
        run += 1;
        const start = await logSize();
        const [c0, c1, c2] = consoles as [TestApp, TestApp, TestApp];
        // Set-up on c0, seen by all: a deployment at its intervention, a change request pending.
        const planned = expectOk(
          await c0.dispatch('deployments:plan', {
            releaseId: 'rel-4.4.0',
            storeId: STORE,
            terminalIds: ['st-lyo-01-t2'],
          }),
        ) as DeploymentView;
        const deploymentId = planned.state.plan.deploymentId;
        let view = expectOk(
          await c0.dispatch('deployments:act', {
            deploymentId,
            action: {
              type: 'start',
              strategy: 'all_at_once',
              canaryTerminalId: null,
              overrideReason: null,
            },
          }),
        ) as DeploymentView;
        for (let i = 0; i < 5 && !view.state.intervention; i++)
          view = expectOk(
            await c0.dispatch('deployments:act', {
              deploymentId,
              action: { type: 'complete_step' },
            }),
          ) as DeploymentView;
        const from = Date.parse('2027-02-01T00:00:00.000Z') + run * 86_400_000;
        const requested = expectOk(
          await c0.dispatch('changeRequests:request', {
            deviation: {
              kind: 'deploy_outside_window',
              storeId: STORE,
              releaseId: 'rel-4.4.0',
              from,
              to: from + 3_600_000,
            },
            impactNote: `Run ${run}: the lanes restart during opening hours`,
            risk: 'low',
          }),
        ) as ChangeRequest;
        for (const app of consoles) await syncNow(app);

        // Offline work and syncs in the order drawn; refused actions record nothing.
        for (const o of ops) {
          const app = consoles[o.on]!;
          if (o.kind === 'sync') await syncNow(app);
          else if (o.kind === 'act') {
            const action =
              o.action === 'proceed'
                ? { type: 'proceed_intervention' as const, notes: 'Lane closed, no sale waiting' }
                : { type: o.action };
            await app.dispatch('deployments:act', { deploymentId, action });
          } else {
            // The store manager decides on whichever console (the administrator is not in a
            // store console's catalog): on a technician's console she signs in for it.
            if (o.on !== 2) expectOk(await app.dispatch('session:signIn', MANAGER));
            await app.dispatch('changeRequests:decide', {
              changeRequestId: requested.id,
              isApproved: o.isApproved,
              note: 'decided offline',
            });
            if (o.on !== 2) expectOk(await app.dispatch('session:signIn', USERS[o.on]!));
          }
        }
        for (const i of [0, 1, 2, 0, 1]) await syncNow(consoles[i]!);

        // The reference: the central log, in its order.
        const ordered = await logEventsSince(start);
        const ofDeployment = ordered.filter(
          (e) => e.type.startsWith('deployment.') && e.payload['deploymentId'] === deploymentId,
        );
        const ofRequest = ordered.filter(
          (e) =>
            e.type.startsWith('change_request.') && e.payload['changeRequestId'] === requested.id,
        );
        const expected = foldDeployment(ofDeployment);
        const expectedRequest = foldChangeRequest(ofRequest);
        if (expected.superseded.size + expectedRequest.superseded.size > 0) runsWithConflict += 1;
        const mine = (ids: Set<string>, of: Array<{ id: string }>) =>
          of
            .filter((e) => ids.has(e.id))
            .map((e) => e.id)
            .sort();
        for (const app of consoles) {
          expect(readDeployment(app.db, deploymentId)).toEqual(expected.state);
          expect(readChangeRequest(app.db, requested.id)).toEqual(expectedRequest.request);
          const set = supersededOn(app);
          expect(mine(set, ofDeployment)).toEqual([...expected.superseded].sort());
          expect(mine(set, ofRequest)).toEqual([...expectedRequest.superseded].sort());
        }
        expect(c1.journal.head().seq).toBeGreaterThan(0);
        expect(c2.journal.head().seq).toBeGreaterThan(0);
      }),
      { numRuns: Number(process.env.CONVERGENCE_RUNS ?? 200), endOnFailure: true },
    );
    // The property is about conflicts: a good share of the runs must have had some.
    expect(runsWithConflict).toBeGreaterThan(run / 10);
  }, 1_800_000);
});
