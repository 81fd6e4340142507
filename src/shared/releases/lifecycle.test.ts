import { describe, expect, it } from 'vitest';
import {
  LIFECYCLE_STATES,
  applyLifecycleAction,
  isAllowedTransition,
  lifecycleAfterPromotion,
  type LifecycleState,
} from './lifecycle.ts';

/** The forward moves the release desk allows, written out pair by pair. */
const ALLOWED = new Set([
  'planned>feature_freeze',
  'planned>retired',
  'feature_freeze>candidate',
  'feature_freeze>retired',
  'candidate>released:lab',
  'candidate>retired',
  'released:lab>released:pilot',
  'released:lab>retired',
  'released:pilot>released:early',
  'released:pilot>retired',
  'released:early>general',
  'released:early>retired',
  'general>retired',
]);

const at = (state: LifecycleState) => ({ state, blockedFrom: null, blockReason: null });

describe('release lifecycle', () => {
  it('allows exactly the listed forward moves, for every pair of states', () => {
    for (const from of LIFECYCLE_STATES)
      for (const to of LIFECYCLE_STATES) {
        const isListed = ALLOWED.has(`${from}>${to}`);
        expect(isAllowedTransition(from, to), `${from} → ${to}`).toBe(isListed);
        if (from === 'blocked') continue;
        const outcome = applyLifecycleAction(at(from), { kind: 'advance', to });
        expect(outcome.ok, `${from} → ${to}`).toBe(isListed);
        if (!outcome.ok) expect(outcome.refusal.code).toBe('invalid_transition');
      }
  });

  it('blocks from any state but retired and unblocks back to the state it had', () => {
    for (const from of LIFECYCLE_STATES) {
      const blocked = applyLifecycleAction(at(from), { kind: 'block', reason: 'crash on pay' });
      if (from === 'retired' || from === 'blocked') {
        expect(blocked.ok, from).toBe(false);
        continue;
      }
      expect(blocked).toEqual({
        ok: true,
        next: { state: 'blocked', blockedFrom: from, blockReason: 'crash on pay' },
      });
      if (!blocked.ok) continue;
      // A blocked release moves nowhere but back.
      for (const to of LIFECYCLE_STATES) {
        const moved = applyLifecycleAction(blocked.next, { kind: 'advance', to });
        expect(moved.ok).toBe(false);
        if (!moved.ok) expect(moved.refusal.code).toBe('release_blocked');
      }
      expect(applyLifecycleAction(blocked.next, { kind: 'unblock' })).toEqual({
        ok: true,
        next: at(from),
      });
    }
  });

  it('refuses to unblock a release that is not blocked', () => {
    const outcome = applyLifecycleAction(at('candidate'), { kind: 'unblock' });
    expect(outcome.ok ? null : outcome.refusal.code).toBe('not_blocked');
  });

  it('moves a release behind the promoted ring up to it, and leaves one further on, retired or blocked alone', () => {
    expect(lifecycleAfterPromotion('planned', 'early')).toBe('released:early');
    expect(lifecycleAfterPromotion('candidate', 'lab')).toBe('released:lab');
    expect(lifecycleAfterPromotion('released:pilot', 'early')).toBe('released:early');
    expect(lifecycleAfterPromotion('released:early', 'general')).toBe('general');
    expect(lifecycleAfterPromotion('released:early', 'pilot')).toBe('released:early');
    expect(lifecycleAfterPromotion('general', 'early')).toBe('general');
    expect(lifecycleAfterPromotion('retired', 'pilot')).toBe('retired');
    expect(lifecycleAfterPromotion('blocked', 'pilot')).toBe('blocked');
  });
});
