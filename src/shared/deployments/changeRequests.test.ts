import { describe, expect, it } from 'vitest';
import type { AuditActor } from '../audit/event.ts';
import {
  approverRoles,
  decideChangeRequest,
  DEVIATION_KINDS,
  findApproval,
  isReleaseApprovedForRing,
  requestChange,
  RISK_LEVELS,
  ringClearance,
  type ChangeRequest,
  type ChangeRequestRefusalCode,
  type Deviation,
  type DeviationKind,
  type RiskLevel,
} from './changeRequests.ts';
import { foldChangeRequests, type DeploymentEvent } from './events.ts';
import { applyAction, planDeployment } from './stateMachine.ts';
import { ADA, clock, fixturePlan, IN_RING, LEO, MAYA, OPEN, SAM, TESS } from './testSupport.ts';

const OTHER_MANAGER: AuditActor = { userId: 'u-mia', role: 'manager' };
const OTHER_ADMIN: AuditActor = { userId: 'u-abe', role: 'admin' };
const NOW = Date.UTC(2026, 11, 20, 3, 0);

const OUTSIDE_WINDOW = {
  kind: 'deploy_outside_window',
  storeId: 'st-par-01',
  releaseId: 'rel-4.2.1',
  from: NOW,
  to: NOW + 3_600_000,
} as const;
const DEVIATIONS: Record<DeviationKind, Deviation> = {
  deploy_outside_window: OUTSIDE_WINDOW,
  skip_mandatory_step: {
    kind: 'skip_mandatory_step',
    storeId: 'st-par-01',
    releaseId: 'rel-4.4.0',
    deploymentId: 'dep-1',
    stepId: 'smoke',
  },
  release_not_approved_for_ring: {
    kind: 'release_not_approved_for_ring',
    storeId: 'st-man-01',
    releaseId: 'rel-4.4.0',
  },
  feature_flag_change: {
    kind: 'feature_flag_change',
    storeId: 'st-lyo-01',
    releaseId: 'rel-4.4.0',
    flagKey: 'assist-mode',
    value: true,
  },
};

function requested(
  kind: DeviationKind,
  risk: RiskLevel = 'medium',
  by: AuditActor = TESS,
): ChangeRequest {
  const outcome = requestChange({
    id: `cr-${kind}`,
    deviation: DEVIATIONS[kind],
    impactNote: 'Two lanes restart during opening hours',
    risk,
    actor: by,
    at: NOW,
  });
  if (!outcome.ok) throw new Error(outcome.refusal.message);
  return outcome.changeRequest;
}

describe('change requests: separation of duties and roles', () => {
  // Who may approve each kind at each risk: a different person, with the right role.
  type Row = [
    kind: DeviationKind,
    risk: RiskLevel,
    requester: AuditActor,
    approver: AuditActor,
    expected: 'approved' | ChangeRequestRefusalCode,
  ];
  const rows: Row[] = [];
  for (const kind of DEVIATION_KINDS) {
    for (const risk of RISK_LEVELS) {
      const storeLevel =
        risk !== 'high' && (kind === 'deploy_outside_window' || kind === 'skip_mandatory_step');
      rows.push([kind, risk, TESS, MAYA, storeLevel ? 'approved' : 'wrong_role']);
      rows.push([kind, risk, TESS, ADA, 'approved']);
      rows.push([kind, risk, TESS, LEO, 'wrong_role']);
      rows.push([kind, risk, TESS, SAM, 'wrong_role']);
      rows.push([kind, risk, MAYA, MAYA, 'same_person']);
      rows.push([kind, risk, ADA, ADA, 'same_person']);
      rows.push([kind, risk, MAYA, storeLevel ? OTHER_MANAGER : OTHER_ADMIN, 'approved']);
    }
  }
  for (const [kind, risk, requester, approver, expected] of rows) {
    it(`${kind} (${risk}) requested by ${requester.userId}, approved by ${approver.userId} (${approver.role}) → ${expected}`, () => {
      const request = requested(kind, risk, requester);
      const outcome = decideChangeRequest(request, {
        isApproved: true,
        actor: approver,
        at: NOW + 1,
        note: '',
      });
      if (expected === 'approved') {
        expect(outcome.ok && outcome.changeRequest.status).toBe('approved');
      } else {
        expect(outcome.ok ? null : outcome.refusal.code).toBe(expected);
        expect(outcome.ok ? '' : outcome.refusal.message).toMatch(/\w{4,}/);
      }
    });
  }

  it('the approver table agrees with the rows above', () => {
    expect(approverRoles('deploy_outside_window', 'low')).toEqual(['manager', 'admin']);
    expect(approverRoles('skip_mandatory_step', 'high')).toEqual(['admin']);
    expect(approverRoles('feature_flag_change', 'low')).toEqual(['admin']);
  });

  it('a decision is final; a rejection says why; a refused decision changes nothing', () => {
    const request = requested('deploy_outside_window');
    const snapshot = structuredClone(request);
    const noReason = decideChangeRequest(request, {
      isApproved: false,
      actor: MAYA,
      at: NOW,
      note: '  ',
    });
    expect(noReason.ok ? null : noReason.refusal.code).toBe('note_required');
    expect(request).toEqual(snapshot);
    const rejected = decideChangeRequest(request, {
      isApproved: false,
      actor: MAYA,
      at: NOW,
      note: 'Not during the sale',
    });
    expect(
      rejected.ok && [rejected.changeRequest.status, rejected.changeRequest.decisionNote],
    ).toEqual(['rejected', 'Not during the sale']);
    if (!rejected.ok) return;
    const again = decideChangeRequest(rejected.changeRequest, {
      isApproved: true,
      actor: ADA,
      at: NOW,
      note: '',
    });
    expect(again.ok ? null : again.refusal.code).toBe('already_decided');
  });

  it('a request needs an impact note, a sane time span, and a field or admin role', () => {
    const base = {
      id: 'cr-x',
      deviation: DEVIATIONS.deploy_outside_window,
      impactNote: 'Two lanes restart',
      risk: 'low' as const,
      actor: TESS,
      at: NOW,
    };
    const cases: [Parameters<typeof requestChange>[0], ChangeRequestRefusalCode][] = [
      [{ ...base, impactNote: 'short' }, 'impact_note_required'],
      [{ ...base, deviation: { ...OUTSIDE_WINDOW, to: NOW } }, 'bad_time_span'],
      [
        { ...base, deviation: { ...OUTSIDE_WINDOW, to: NOW + 8 * 24 * 3_600_000 } },
        'bad_time_span',
      ],
      [{ ...base, actor: SAM }, 'not_allowed_to_request'],
    ];
    for (const [input, code] of cases) {
      const outcome = requestChange(input);
      expect(outcome.ok ? null : outcome.refusal.code, code).toBe(code);
    }
  });
});

describe('change requests allow exactly the deviation they name', () => {
  it('a mandatory step is skipped only with an approved request for that deployment and step', () => {
    const approved = decideChangeRequest(requested('skip_mandatory_step'), {
      isApproved: true,
      actor: MAYA,
      at: NOW,
      note: '',
    });
    if (!approved.ok) throw new Error('setup');
    const query = {
      kind: 'skip_mandatory_step',
      storeId: 'st-par-01',
      releaseId: 'rel-4.4.0',
      deploymentId: 'dep-1',
      stepId: 'smoke',
    } as const;
    expect(findApproval([approved.changeRequest], query)?.id).toBe('cr-skip_mandatory_step');
    expect(findApproval([approved.changeRequest], { ...query, stepId: 'install' })).toBeNull();
    expect(findApproval([approved.changeRequest], { ...query, deploymentId: 'dep-2' })).toBeNull();
    expect(findApproval([requested('skip_mandatory_step')], query), 'still pending').toBeNull();
  });

  it('a flag change is allowed for that flag and value only', () => {
    const approved = decideChangeRequest(requested('feature_flag_change'), {
      isApproved: true,
      actor: ADA,
      at: NOW,
      note: '',
    });
    if (!approved.ok) throw new Error('setup');
    const query = {
      kind: 'feature_flag_change',
      storeId: 'st-lyo-01',
      releaseId: 'rel-4.4.0',
      flagKey: 'assist-mode',
      value: true,
    } as const;
    expect(findApproval([approved.changeRequest], query)).not.toBeNull();
    expect(findApproval([approved.changeRequest], { ...query, value: false })).toBeNull();
    expect(findApproval([approved.changeRequest], { ...query, flagKey: 'tap-to-pay' })).toBeNull();
  });

  it('a release outside the store ring needs an approved request; a withdrawn release never goes out', () => {
    const release = {
      id: 'rel-4.4.0',
      version: '4.4.0',
      ring: 'pilot' as const,
      status: 'rolling_out' as const,
    };
    const early = { id: 'st-man-01', ring: 'early' as const };
    expect(isReleaseApprovedForRing(release, 'lab')).toBe(true);
    expect(isReleaseApprovedForRing(release, 'pilot')).toBe(true);
    expect(ringClearance(release, early, [])).toMatchObject({
      basis: 'blocked',
      message: expect.stringContaining('pilot ring only'),
    });
    const approved = decideChangeRequest(requested('release_not_approved_for_ring'), {
      isApproved: true,
      actor: ADA,
      at: NOW,
      note: '',
    });
    if (!approved.ok) throw new Error('setup');
    expect(ringClearance(release, early, [approved.changeRequest])).toEqual({
      basis: 'change_request',
      changeRequestId: 'cr-release_not_approved_for_ring',
    });
    expect(
      ringClearance({ ...release, status: 'withdrawn' }, { id: 'st-par-01', ring: 'lab' }, [
        approved.changeRequest,
      ]).basis,
    ).toBe('blocked');
  });

  it('a deployment cannot start in a freeze without an approved change request (the state machine refuses the blocked clearance)', () => {
    const at = clock();
    const refused = applyAction(
      planDeployment(fixturePlan('all_at_once')),
      at(TESS, {
        type: 'start',
        strategy: 'all_at_once',
        canaryTerminalId: null,
        window: { basis: 'blocked', message: 'In freeze "Christmas trading" until …' },
        ring: IN_RING,
      }),
    );
    expect(refused.ok ? null : refused.refusal).toEqual({
      code: 'outside_window',
      message: 'In freeze "Christmas trading" until …',
    });
    const allowed = applyAction(
      planDeployment(fixturePlan('all_at_once')),
      at(TESS, {
        type: 'start',
        strategy: 'all_at_once',
        canaryTerminalId: null,
        window: { basis: 'change_request', changeRequestId: 'cr-1' },
        ring: IN_RING,
      }),
    );
    expect(allowed.ok).toBe(true);
    expect(
      applyAction(
        planDeployment(fixturePlan('all_at_once')),
        at(TESS, {
          type: 'start',
          strategy: 'all_at_once',
          canaryTerminalId: null,
          window: OPEN,
          ring: IN_RING,
        }),
      ).ok,
    ).toBe(true);
  });
});

describe('change requests rebuilt from the journal', () => {
  const event = (
    type: string,
    actor: AuditActor,
    at: number,
    payload: Record<string, unknown>,
  ): DeploymentEvent => ({
    type,
    actor,
    at: new Date(at).toISOString(),
    storeId: 'st-par-01',
    payload,
  });

  it('gives the state the rules produced, and refuses a journal that breaks them', () => {
    const deviation = DEVIATIONS.deploy_outside_window;
    const events = [
      event('change_request.requested', TESS, NOW, {
        changeRequestId: 'cr-1',
        deviation,
        impactNote: 'Two lanes restart during opening hours',
        risk: 'medium',
      }),
      event('change_request.approved', MAYA, NOW + 60_000, {
        changeRequestId: 'cr-1',
        note: 'Go ahead',
      }),
    ];
    const [rebuilt] = foldChangeRequests(events);
    expect(rebuilt).toMatchObject({
      id: 'cr-1',
      status: 'approved',
      requestedBy: TESS,
      decidedBy: MAYA,
      decisionNote: 'Go ahead',
      decidedAt: NOW + 60_000,
    });
    const selfApproved = [
      events[0]!,
      event('change_request.approved', TESS, NOW + 60_000, { changeRequestId: 'cr-1', note: '' }),
    ];
    expect(() => foldChangeRequests(selfApproved)).toThrow(/same_person/);
    expect(() => foldChangeRequests([events[1]!])).toThrow(/before it was requested/);
  });
});
