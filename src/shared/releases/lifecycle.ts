/**
 * A release's lifecycle on the release desk: planned → feature freeze →
 * candidate → released to each ring in promotion order → general → retired,
 * plus `blocked` (with a reason) from any state but retired, and unblocking
 * back to exactly the state it had. One table says which moves exist, so the
 * server, the desk screens and the tests read the same rule.
 */
import type { Ring } from '../domain/releases.ts';
import { assertNever } from '../errors.ts';

export const LIFECYCLE_STATES = [
  'planned',
  'feature_freeze',
  'candidate',
  'released:lab',
  'released:pilot',
  'released:early',
  'general',
  'retired',
  'blocked',
] as const;
export type LifecycleState = (typeof LIFECYCLE_STATES)[number];

/**
 * Forward moves between states other than `blocked`. Retiring is allowed from
 * every state before it (a cancelled plan, a withdrawn candidate); nothing
 * leaves `retired`. Blocking and unblocking are separate actions below.
 */
export const LIFECYCLE_TRANSITIONS: Readonly<Record<LifecycleState, readonly LifecycleState[]>> = {
  planned: ['feature_freeze', 'retired'],
  feature_freeze: ['candidate', 'retired'],
  candidate: ['released:lab', 'retired'],
  'released:lab': ['released:pilot', 'retired'],
  'released:pilot': ['released:early', 'retired'],
  'released:early': ['general', 'retired'],
  general: ['retired'],
  retired: [],
  blocked: [],
};

/** A release's lifecycle as the server keeps it. */
export type ReleaseLifecycle = {
  state: LifecycleState;
  /** The state it had when blocked: unblocking returns there. Null unless blocked. */
  blockedFrom: LifecycleState | null;
  blockReason: string | null;
};

export const INITIAL_LIFECYCLE: ReleaseLifecycle = {
  state: 'planned',
  blockedFrom: null,
  blockReason: null,
};

export type LifecycleAction =
  { kind: 'advance'; to: LifecycleState } | { kind: 'block'; reason: string } | { kind: 'unblock' };

export type LifecycleRefusal = {
  code: 'invalid_transition' | 'release_blocked' | 'not_blocked';
  message: string;
};

export type LifecycleOutcome =
  { ok: true; next: ReleaseLifecycle } | { ok: false; refusal: LifecycleRefusal };

/**
 * The lifecycle once the release is promoted to `ring` (by evidence or by
 * override): the ring now runs it, so a release still behind that ring (a
 * catalog release that never went through the desk is `planned`) moves up to
 * `released:<ring>` (`general` for the general ring). One already as far or
 * further, or retired, keeps its state; a blocked release is never promoted.
 */
export function lifecycleAfterPromotion(state: LifecycleState, ring: Ring): LifecycleState {
  if (state === 'blocked' || state === 'retired') return state;
  const reached: LifecycleState = ring === 'general' ? 'general' : `released:${ring}`;
  return LIFECYCLE_STATES.indexOf(state) < LIFECYCLE_STATES.indexOf(reached) ? reached : state;
}

/** Whether `from → to` is a forward move of the table (blocking and unblocking are not). */
export function isAllowedTransition(from: LifecycleState, to: LifecycleState): boolean {
  return LIFECYCLE_TRANSITIONS[from].includes(to);
}

/** The lifecycle after an action, or why the action is refused (the release then stays as it was). */
export function applyLifecycleAction(
  current: ReleaseLifecycle,
  action: LifecycleAction,
): LifecycleOutcome {
  switch (action.kind) {
    case 'advance': {
      if (current.state === 'blocked')
        return refuse(
          'release_blocked',
          `The release is blocked (${current.blockReason ?? 'no reason'}); unblock it before moving it to ${action.to}.`,
        );
      if (!isAllowedTransition(current.state, action.to))
        return refuse(
          'invalid_transition',
          `A release cannot move from ${current.state} to ${action.to}; from ${current.state} it can move to ${LIFECYCLE_TRANSITIONS[current.state].join(' or ') || 'nothing'}.`,
        );
      return { ok: true, next: { state: action.to, blockedFrom: null, blockReason: null } };
    }
    case 'block':
      if (current.state === 'blocked')
        return refuse(
          'release_blocked',
          `The release is already blocked (${current.blockReason ?? ''}).`,
        );
      if (current.state === 'retired')
        return refuse('invalid_transition', 'A retired release cannot be blocked.');
      return {
        ok: true,
        next: { state: 'blocked', blockedFrom: current.state, blockReason: action.reason },
      };
    case 'unblock':
      if (current.state !== 'blocked' || current.blockedFrom === null)
        return refuse('not_blocked', 'The release is not blocked.');
      return {
        ok: true,
        next: { state: current.blockedFrom, blockedFrom: null, blockReason: null },
      };
    default:
      return assertNever(action, 'lifecycle action');
  }
}

function refuse(code: LifecycleRefusal['code'], message: string): LifecycleOutcome {
  return { ok: false, refusal: { code, message } };
}
