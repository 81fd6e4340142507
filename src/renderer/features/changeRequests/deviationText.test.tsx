import { describe, expect, it } from 'vitest';
import type { AuditActor } from '#shared/audit/event.ts';
import {
  requestChange,
  type ChangeRequest,
  type Deviation,
  type RiskLevel,
} from '#shared/deployments/changeRequests.ts';
import { decisionAccess, describeDeviation, rolesInWords, sortForReview } from './deviationText.ts';

const TESS: AuditActor = { userId: 'u-tess', role: 'technician' };
const LEO: AuditActor = { userId: 'u-leo', role: 'technician' };
const MAYA: AuditActor = { userId: 'u-maya', role: 'manager' };
const ADA: AuditActor = { userId: 'u-ada', role: 'admin' };
const SAM: AuditActor = { userId: 'u-sam', role: 'support' };

const LILLE = {
  store: { name: 'Lille Euralille', timezone: 'Europe/Paris' },
  releaseVersion: '4.4.0',
};
const outsideWindow: Deviation = {
  kind: 'deploy_outside_window',
  storeId: 'st-lil-01',
  releaseId: 'rel-440',
  from: Date.UTC(2026, 10, 24, 9, 0),
  to: Date.UTC(2026, 10, 24, 11, 0),
};
const flagOff: Deviation = {
  kind: 'feature_flag_change',
  storeId: 'st-lil-01',
  releaseId: 'rel-440',
  flagKey: 'new_checkout',
  value: false,
};

/** A request made through the real rules, so the tests see what the back end stores. */
function requested(
  deviation: Deviation,
  by: AuditActor,
  risk: RiskLevel = 'medium',
  at = 1_000,
): ChangeRequest {
  const outcome = requestChange({
    id: `cr-${at}`,
    deviation,
    impactNote: 'Lanes 1-4 are down for 20 minutes at opening.',
    risk,
    actor: by,
    at,
  });
  if (!outcome.ok) throw new Error(outcome.refusal.message);
  return outcome.changeRequest;
}

describe('a deviation in plain words', () => {
  it('names the store, the release and the span on the store’s clock', () => {
    expect(describeDeviation(outsideWindow, LILLE)).toBe(
      'Deploy 4.4.0 at Lille Euralille outside its deployment window, between 2026-11-24 10:00 and 2026-11-24 12:00 (store time).',
    );
  });

  it.each<[Deviation, string]>([
    [
      {
        kind: 'skip_mandatory_step',
        storeId: 'st-lil-01',
        releaseId: 'rel-440',
        deploymentId: 'dep-1',
        stepId: 'smoke',
      },
      'Skip the mandatory step “smoke” while deploying 4.4.0 at Lille Euralille.',
    ],
    [
      { kind: 'release_not_approved_for_ring', storeId: 'st-lil-01', releaseId: 'rel-440' },
      'Deploy 4.4.0 at Lille Euralille although it has not yet reached the store’s ring.',
    ],
    [flagOff, 'Turn the feature flag “new_checkout” off at Lille Euralille for 4.4.0.'],
  ])('%o', (deviation, text) => {
    expect(describeDeviation(deviation, LILLE)).toBe(text);
  });

  it('before the names are loaded it shows the ids rather than nothing', () => {
    expect(describeDeviation(flagOff)).toBe(
      'Turn the feature flag “new_checkout” off at st-lil-01 for rel-440.',
    );
  });

  it('says who may approve in words', () => {
    expect(rolesInWords(['manager', 'admin'])).toBe('a store manager or an administrator');
  });
});

describe('who sees the decide buttons', () => {
  it('the requester never: they are told why (separation of duties), even as a manager', () => {
    const own = requested(outsideWindow, MAYA);
    const access = decisionAccess(own, MAYA);
    expect(access.kind).toBe('cannot_decide');
    expect(access.kind === 'cannot_decide' && access.reason).toMatch(/someone else must decide/);
  });

  it('a store manager or an administrator decides a store-level request of low or medium risk; a technician or support cannot', () => {
    const request = requested(outsideWindow, TESS);
    expect(decisionAccess(request, MAYA)).toEqual({ kind: 'can_decide' });
    expect(decisionAccess(request, ADA)).toEqual({ kind: 'can_decide' });
    expect(decisionAccess(request, LEO)).toEqual({
      kind: 'cannot_decide',
      reason: 'Only a store manager or an administrator can decide this request.',
    });
    expect(decisionAccess(request, SAM).kind).toBe('cannot_decide');
    expect(decisionAccess(request, TESS).kind).toBe('cannot_decide');
  });

  it('high risk and feature flags are the administrator’s alone', () => {
    expect(decisionAccess(requested(outsideWindow, TESS, 'high'), MAYA)).toEqual({
      kind: 'cannot_decide',
      reason: 'Only an administrator can decide this request.',
    });
    expect(decisionAccess(requested(flagOff, TESS, 'low'), MAYA).kind).toBe('cannot_decide');
    expect(decisionAccess(requested(flagOff, TESS, 'low'), ADA)).toEqual({ kind: 'can_decide' });
  });

  it('nobody once it is decided', () => {
    const decided: ChangeRequest = {
      ...requested(outsideWindow, TESS),
      status: 'approved',
      decidedBy: MAYA,
      decidedAt: 2_000,
      decisionNote: null,
    };
    expect(decisionAccess(decided, ADA)).toEqual({ kind: 'decided' });
  });

  it('the list puts pending requests first, then the newest', () => {
    const old = requested(outsideWindow, TESS, 'low', 1_000);
    const newer = { ...requested(outsideWindow, TESS, 'low', 3_000), status: 'rejected' as const };
    const pending = requested(outsideWindow, TESS, 'low', 2_000);
    expect(sortForReview([old, newer, pending]).map((r) => r.id)).toEqual([
      'cr-2000',
      'cr-1000',
      'cr-3000',
    ]);
  });
});
