/**
 * Change requests: a deviation from the rules (deploy outside the window, skip
 * a mandatory step, deploy a release not yet approved for the store's ring,
 * change a feature flag for a store) is requested with an impact note and a
 * risk level, and is allowed only once a DIFFERENT person with the right role
 * has approved it. Pure rules; the service journals every decision.
 */
import type { AuditActor } from '../audit/event.ts';
import { RINGS, type ReleaseStatus, type Ring } from '../domain/releases.ts';
import type { Role } from '../domain/roles.ts';
import { assertNever } from '../errors.ts';
import type { RingClearance } from './stateMachine.ts';

export const DEVIATION_KINDS = [
  'deploy_outside_window',
  'skip_mandatory_step',
  'release_not_approved_for_ring',
  'feature_flag_change',
] as const;
export type DeviationKind = (typeof DEVIATION_KINDS)[number];

export const RISK_LEVELS = ['low', 'medium', 'high'] as const;
export type RiskLevel = (typeof RISK_LEVELS)[number];

export const CHANGE_REQUEST_STATUSES = ['pending', 'approved', 'rejected'] as const;
export type ChangeRequestStatus = (typeof CHANGE_REQUEST_STATUSES)[number];

/** What the change request asks to be allowed; `from`/`to` are epoch milliseconds. */
export type Deviation =
  | { kind: 'deploy_outside_window'; storeId: string; releaseId: string; from: number; to: number }
  | {
      kind: 'skip_mandatory_step';
      storeId: string;
      releaseId: string;
      deploymentId: string;
      stepId: string;
    }
  | { kind: 'release_not_approved_for_ring'; storeId: string; releaseId: string }
  | {
      kind: 'feature_flag_change';
      storeId: string;
      releaseId: string;
      flagKey: string;
      value: boolean;
    };

export type ChangeRequest = {
  id: string;
  deviation: Deviation;
  impactNote: string;
  risk: RiskLevel;
  requestedBy: AuditActor;
  requestedAt: number;
  status: ChangeRequestStatus;
  decidedBy: AuditActor | null;
  decidedAt: number | null;
  decisionNote: string | null;
};

export const CHANGE_REQUEST_REFUSALS = [
  'not_allowed_to_request',
  'impact_note_required',
  'bad_time_span',
  'already_decided',
  'same_person',
  'wrong_role',
  'note_required',
] as const;
export type ChangeRequestRefusalCode = (typeof CHANGE_REQUEST_REFUSALS)[number];
export type ChangeRequestOutcome =
  | { ok: true; changeRequest: ChangeRequest }
  | { ok: false; refusal: { code: ChangeRequestRefusalCode; message: string } };

function refuse(code: ChangeRequestRefusalCode, message: string): ChangeRequestOutcome {
  return { ok: false, refusal: { code, message } };
}

export const REQUESTER_ROLES: readonly Role[] = ['technician', 'manager', 'admin'];

/** Longest time span one window deviation may cover: a change request is for one intervention, not a standing exemption. */
const MAX_WINDOW_DEVIATION_MS = 7 * 24 * 3_600_000;
/** Shortest impact note, trimmed: the contract's schema and the rule below refuse the same notes in the same words. */
export const MIN_IMPACT_NOTE = 10;
export const IMPACT_NOTE_MESSAGE =
  'Describe the impact: who and what is affected, and what happens if it goes wrong.';
export const TIME_SPAN_MESSAGE = 'The time span must end after it starts and last at most 7 days.';

/** Whether a window deviation's span is one the rules accept. */
export function isAcceptedSpan(span: { from: number; to: number }): boolean {
  return span.to > span.from && span.to - span.from <= MAX_WINDOW_DEVIATION_MS;
}

/**
 * Who may approve: a store manager or an administrator for store-level
 * deviations of low or medium risk; the central administrator alone for
 * high risk, for a release outside the store's ring (rings are the release
 * manager's call) and for feature flags (they are defined centrally).
 */
export function approverRoles(kind: DeviationKind, risk: RiskLevel): readonly Role[] {
  if (risk === 'high') return ['admin'];
  switch (kind) {
    case 'deploy_outside_window':
    case 'skip_mandatory_step':
      return ['manager', 'admin'];
    case 'release_not_approved_for_ring':
    case 'feature_flag_change':
      return ['admin'];
    default:
      return assertNever(kind, 'deviation kind');
  }
}

export function requestChange(input: {
  id: string;
  deviation: Deviation;
  impactNote: string;
  risk: RiskLevel;
  actor: AuditActor;
  at: number;
}): ChangeRequestOutcome {
  if (!REQUESTER_ROLES.includes(input.actor.role))
    return refuse(
      'not_allowed_to_request',
      'Only a technician, a store manager or an administrator can request a change.',
    );
  if (input.impactNote.trim().length < MIN_IMPACT_NOTE) {
    return refuse('impact_note_required', IMPACT_NOTE_MESSAGE);
  }
  const { deviation } = input;
  if (deviation.kind === 'deploy_outside_window' && !isAcceptedSpan(deviation)) {
    return refuse('bad_time_span', TIME_SPAN_MESSAGE);
  }
  return {
    ok: true,
    changeRequest: {
      id: input.id,
      deviation,
      impactNote: input.impactNote.trim(),
      risk: input.risk,
      requestedBy: input.actor,
      requestedAt: input.at,
      status: 'pending',
      decidedBy: null,
      decidedAt: null,
      decisionNote: null,
    },
  };
}

/** Approves or rejects. The requester can never approve their own request (separation of duties). */
export function decideChangeRequest(
  request: ChangeRequest,
  decision: { isApproved: boolean; actor: AuditActor; at: number; note: string },
): ChangeRequestOutcome {
  if (request.status !== 'pending')
    return refuse('already_decided', `This change request is already ${request.status}.`);
  if (decision.actor.userId === request.requestedBy.userId) {
    return refuse(
      'same_person',
      'A change request must be decided by someone other than the person who requested it.',
    );
  }
  const roles = approverRoles(request.deviation.kind, request.risk);
  if (!roles.includes(decision.actor.role)) {
    return refuse(
      'wrong_role',
      `This change request needs the ${roles.join(' or ')} role to decide it.`,
    );
  }
  if (!decision.isApproved && decision.note.trim().length === 0)
    return refuse('note_required', 'Say why the change request is rejected.');
  return {
    ok: true,
    changeRequest: {
      ...request,
      status: decision.isApproved ? 'approved' : 'rejected',
      decidedBy: decision.actor,
      decidedAt: decision.at,
      decisionNote: decision.note.trim() === '' ? null : decision.note.trim(),
    },
  };
}

/** What a deviation must match to be covered by an approved change request. */
export type DeviationQuery =
  | { kind: 'deploy_outside_window'; storeId: string; releaseId: string; at: number }
  | {
      kind: 'skip_mandatory_step';
      storeId: string;
      releaseId: string;
      deploymentId: string;
      stepId: string;
    }
  | { kind: 'release_not_approved_for_ring'; storeId: string; releaseId: string }
  | {
      kind: 'feature_flag_change';
      storeId: string;
      releaseId: string;
      flagKey: string;
      value: boolean;
    };

function covers(deviation: Deviation, query: DeviationQuery): boolean {
  if (deviation.storeId !== query.storeId || deviation.releaseId !== query.releaseId) return false;
  switch (deviation.kind) {
    case 'deploy_outside_window':
      return query.kind === deviation.kind && query.at >= deviation.from && query.at < deviation.to;
    case 'skip_mandatory_step':
      return (
        query.kind === deviation.kind &&
        query.deploymentId === deviation.deploymentId &&
        query.stepId === deviation.stepId
      );
    case 'release_not_approved_for_ring':
      return query.kind === deviation.kind;
    case 'feature_flag_change':
      return (
        query.kind === deviation.kind &&
        query.flagKey === deviation.flagKey &&
        query.value === deviation.value
      );
    default:
      return assertNever(deviation, 'deviation');
  }
}

/** The approved change request that allows this deviation, if any (pending and rejected ones allow nothing). */
export function findApproval(
  requests: readonly ChangeRequest[],
  query: DeviationQuery,
): ChangeRequest | null {
  return requests.find((r) => r.status === 'approved' && covers(r.deviation, query)) ?? null;
}

/** A release may go to a store once it has reached the store's ring (lab first, general last); a withdrawn release never. */
export function isReleaseApprovedForRing(
  release: { ring: Ring; status: ReleaseStatus },
  storeRing: Ring,
): boolean {
  return release.status !== 'withdrawn' && RINGS.indexOf(release.ring) >= RINGS.indexOf(storeRing);
}

/** Whether a deployment of this release may start at this store, as the state machine's start action needs it. */
export function ringClearance(
  release: { id: string; version: string; ring: Ring; status: ReleaseStatus },
  store: { id: string; ring: Ring },
  requests: readonly ChangeRequest[],
): RingClearance {
  if (release.status === 'withdrawn')
    return {
      basis: 'blocked',
      message: `${release.version} was withdrawn: it must not be installed anywhere.`,
    };
  if (isReleaseApprovedForRing(release, store.ring)) return { basis: 'in_ring' };
  const approval = findApproval(requests, {
    kind: 'release_not_approved_for_ring',
    storeId: store.id,
    releaseId: release.id,
  });
  if (approval !== null) return { basis: 'change_request', changeRequestId: approval.id };
  return {
    basis: 'blocked',
    message: `${release.version} has reached the ${release.ring} ring only; this store is in the ${store.ring} ring. Deploying it here needs an approved change request.`,
  };
}
