import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { EVENT_TYPES, isEventType } from '../audit/eventTypes.ts';
import { assertNever } from '../errors.ts';
import {
  eventOfAction,
  foldDeploymentEvents,
  plannedEvent,
  type DeploymentEvent,
} from './events.ts';
import { deploymentInconsistencies } from './invariants.ts';
import { STRATEGIES, type Strategy } from './runbook.ts';
import {
  applyAction,
  DEPLOYMENT_STATUSES,
  FINISHED_STATUSES,
  planDeployment,
  type DeploymentAction,
  type DeploymentState,
  type DeploymentStatus,
} from './stateMachine.ts';
import {
  ADA,
  FROM,
  fixturePlan,
  LEO,
  MAYA,
  SAM,
  T0,
  TARGET,
  TERMINAL_IDS,
  TESS,
} from './testSupport.ts';

const PEOPLE = [TESS, LEO, MAYA, SAM, ADA];

/** Every action worth trying now: valid or not, from every person, on every terminal, with good and bad versions. */
function candidates(state: DeploymentState, at: number): DeploymentAction[] {
  const list: DeploymentAction[] = [];
  for (const actor of PEOPLE) {
    for (const strategy of STRATEGIES) {
      list.push({
        type: 'start',
        at,
        actor,
        strategy,
        canaryTerminalId: strategy === 'canary_first' ? 't1' : null,
        window: { basis: 'open' },
        ring: { basis: 'in_ring' },
      });
    }
    list.push(
      { type: 'complete_step', at, actor },
      { type: 'fail_step', at, actor, reason: 'It did not work' },
      { type: 'retry_step', at, actor },
      { type: 'skip_step', at, actor, reason: 'Not needed here', changeRequestId: 'cr-1' },
      { type: 'skip_step', at, actor, reason: 'Not needed here', changeRequestId: null },
      { type: 'roll_back', at, actor, reason: 'Going back' },
      { type: 'abort', at, actor, isConfirmed: true, reason: 'Stop' },
      { type: 'claim_intervention', at, actor },
      { type: 'release_intervention', at, actor },
      { type: 'proceed_intervention', at, actor, notes: 'ok' },
      { type: 'abort_intervention', at, actor, notes: 'not ok' },
      { type: 'record_smoke_result', at, actor, runId: 'run', isPassed: true },
      { type: 'record_smoke_result', at, actor, runId: 'run', isPassed: false },
      { type: 'switch_slots', at, actor },
      { type: 'switch_back', at, actor },
      { type: 'resume', at, actor },
    );
    for (const terminalId of [...TERMINAL_IDS, 't9']) {
      list.push(
        { type: 'exclude_terminal', at, actor, terminalId, reason: 'Out of order' },
        { type: 'stage_release', at, actor, terminalId },
        { type: 'record_version', at, actor, terminalId, version: TARGET },
        { type: 'record_version', at, actor, terminalId, version: FROM },
        { type: 'record_version', at, actor, terminalId, version: '9.9.9' },
      );
    }
  }
  // Offer abort and exclude on one step in seven only, so runs get somewhere before they end or run out of terminals.
  return list.filter(
    (a) => (a.type !== 'abort' && a.type !== 'exclude_terminal') || state.history.length % 7 === 6,
  );
}

type Walk = {
  strategy: Strategy;
  state: DeploymentState;
  events: DeploymentEvent[];
  visited: Set<DeploymentStatus>;
};

/**
 * Plays a sequence of choices: mostly an action the machine accepts (so runs
 * reach the end), sometimes any action at all (so refusals are exercised).
 * Checks the invariants after every accepted action, and that each is a valid journal event.
 */
function walk(strategy: Strategy, choices: readonly { pool: string; index: number }[]): Walk {
  const plan = fixturePlan(strategy);
  let state = planDeployment(plan);
  const planned = plannedEvent(plan);
  const events: DeploymentEvent[] = [
    {
      type: planned.type,
      storeId: planned.storeId,
      at: new Date(T0).toISOString(),
      actor: TESS,
      payload: planned.payload,
    },
  ];
  let at = T0;
  const visited = new Set<DeploymentStatus>([state.status]);
  for (const choice of choices) {
    at += 10 * 60_000;
    const all = candidates(state, at);
    const outcomes = all.map((action) => ({ action, result: applyAction(state, action) }));
    const accepted = outcomes.filter((o) => o.result.ok);
    const forward = accepted.filter((o) => isForward(o.action, state));
    const pool =
      choice.pool === 'forward' && forward.length > 0
        ? forward
        : choice.pool !== 'any' && accepted.length > 0
          ? accepted
          : outcomes;
    // Pick the action type first, so the many "record a version" variants do not crowd out "complete the step".
    const types = [...new Set(pool.map((o) => o.action.type))];
    const type = types[choice.index % types.length];
    const ofType = pool.filter((o) => o.action.type === type);
    const { action, result } = ofType[Math.floor(choice.index / types.length) % ofType.length]!;
    if (!result.ok) {
      expect(result.refusal.message.length).toBeGreaterThan(10);
      continue;
    }
    state = result.state;
    visited.add(state.status);
    const problems = deploymentInconsistencies(state);
    if (problems.length > 0)
      throw new Error(`after ${action.type} by ${action.actor.userId}: ${problems.join('; ')}`);
    const event = eventOfAction(plan.deploymentId, action);
    // Every accepted action is a valid journal event: its payload and its actor's role pass the registry the server checks too.
    expect(isEventType(event.type)).toBe(true);
    const spec = EVENT_TYPES[event.type];
    spec.payload.parse(event.payload);
    expect(spec.roles as readonly string[]).toContain(action.actor.role);
    events.push({
      type: event.type,
      storeId: plan.storeId,
      at: new Date(action.at).toISOString(),
      actor: action.actor,
      payload: event.payload,
    });
  }
  return { strategy, state, events, visited };
}

/** Actions that move a deployment on rather than sideways or back. */
function isForward(action: DeploymentAction, state: DeploymentState): boolean {
  switch (action.type) {
    case 'resume':
    case 'release_intervention':
    case 'fail_step':
    case 'abort_intervention':
    case 'roll_back':
    case 'abort':
    case 'exclude_terminal':
    case 'skip_step':
      return false;
    case 'record_version':
      return action.version === (state.phase === 'forward' ? TARGET : FROM);
    case 'record_smoke_result':
      return action.isPassed;
    case 'start':
    case 'complete_step':
    case 'retry_step':
    case 'claim_intervention':
    case 'proceed_intervention':
    case 'stage_release':
    case 'switch_slots':
    case 'switch_back':
      return true;
    default:
      return assertNever(action, 'deployment action');
  }
}

/** Mostly forward (so runs complete), often any accepted action (so they fail, retry and roll back), sometimes anything (refusals). */
const choice = fc.record({
  pool: fc.constantFrom('forward', 'forward', 'forward', 'forward', 'accepted', 'any'),
  index: fc.nat(),
});

describe('deployment state machine: properties', () => {
  it('no sequence of actions reaches an inconsistent state, and folding the journal gives the same state', () => {
    const ended = new Set<DeploymentStatus>();
    const visited = new Set<DeploymentStatus>();
    fc.assert(
      fc.property(
        fc.constantFrom(...STRATEGIES),
        fc.array(choice, { minLength: 20, maxLength: 120 }),
        (strategy, choices) => {
          const result = walk(strategy, choices);
          ended.add(result.state.status);
          for (const status of result.visited) visited.add(status);
          expect(foldDeploymentEvents(result.events)).toEqual(result.state);
        },
      ),
      { numRuns: 300 },
    );
    // The property is only worth something if the runs go everywhere: a generator that never completes would prove nothing.
    expect([...visited].sort()).toEqual([...DEPLOYMENT_STATUSES].sort());
    for (const status of FINISHED_STATUSES) expect(ended.has(status), status).toBe(true);
  });

  it('a final state refuses every action', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...STRATEGIES),
        fc.array(choice, { minLength: 1, maxLength: 80 }),
        fc.nat(),
        (strategy, choices, pick) => {
          const { state } = walk(strategy, choices);
          if (!['completed', 'rolled_back', 'aborted'].includes(state.status)) return;
          const actions = candidates(state, T0 + 10_000 * 60_000);
          const result = applyAction(state, actions[pick % actions.length]!);
          expect(result.ok).toBe(false);
        },
      ),
      { numRuns: 100 },
    );
  });

  it('the fold refuses a journal that breaks the rules', () => {
    const plan = fixturePlan('all_at_once');
    const planned = plannedEvent(plan);
    const events: DeploymentEvent[] = [
      {
        type: planned.type,
        storeId: plan.storeId,
        at: new Date(T0).toISOString(),
        actor: TESS,
        payload: planned.payload,
      },
      {
        type: 'deployment.step.completed',
        storeId: plan.storeId,
        at: new Date(T0 + 1000).toISOString(),
        actor: TESS,
        payload: { deploymentId: plan.deploymentId },
      },
    ];
    expect(() => foldDeploymentEvents(events)).toThrow(/not_started/);
    expect(() => foldDeploymentEvents(events.slice(1))).toThrow(/deployment.planned/);
  });
});
