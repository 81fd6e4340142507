/**
 * Pure presentation rules of change requests: a deviation in plain words,
 * and what the signed-in person may do with a request (decide it, or why not).
 * The back end checks the same rules again; these only decide what to show.
 */
import type { AuditActor } from '#shared/audit/event.ts';
import {
  approverRoles,
  type ChangeRequest,
  type Deviation,
} from '#shared/deployments/changeRequests.ts';
import { ROLE_LABELS, type Role } from '#shared/domain/roles.ts';
import { assertNever } from '#shared/errors.ts';
import { formatStoreDateTime } from '../deployments/timeline/format.ts';
import { t } from '../../i18n/index.ts';

/** What the console knows about the ids a deviation names; unknown ids are shown as they are. */
export type DeviationNames = {
  store?: { name: string; timezone: string };
  releaseVersion?: string;
  stepTitle?: string;
};

/** "a store manager or an administrator". */
export function rolesInWords(roles: readonly Role[]): string {
  return roles
    .map((r) => {
      const label = ROLE_LABELS[r].toLowerCase();
      return `${/^[aeiou]/.test(label) ? 'an' : 'a'} ${label}`;
    })
    .join(' or ');
}

/** One sentence a store manager understands without knowing the ids. */
export function describeDeviation(deviation: Deviation, names: DeviationNames = {}): string {
  const store = names.store?.name ?? deviation.storeId;
  const release = names.releaseVersion ?? deviation.releaseId;
  switch (deviation.kind) {
    case 'deploy_outside_window': {
      const zone = names.store?.timezone ?? 'UTC';
      return `Deploy ${release} at ${store} outside its deployment window, between ${formatStoreDateTime(deviation.from, zone)} and ${formatStoreDateTime(deviation.to, zone)} (store time).`;
    }
    case 'skip_mandatory_step':
      return `Skip the mandatory step “${names.stepTitle ?? deviation.stepId}” while deploying ${release} at ${store}.`;
    case 'release_not_approved_for_ring':
      return `Deploy ${release} at ${store} although it has not yet reached the store’s ring.`;
    case 'feature_flag_change':
      return `Turn the feature flag “${deviation.flagKey}” ${deviation.value ? 'on' : 'off'} at ${store} for ${release}.`;
    default:
      return assertNever(deviation, 'deviation');
  }
}

export type DecisionAccess =
  | { kind: 'can_decide' }
  | { kind: 'decided' }
  /** Shown to the requester and to people without the needed role: why there is no Approve button. */
  | { kind: 'cannot_decide'; reason: string };

/** Which decide buttons show for this person on this request, and if none, why. */
export function decisionAccess(request: ChangeRequest, user: AuditActor): DecisionAccess {
  if (request.status !== 'pending') return { kind: 'decided' };
  if (request.requestedBy.userId === user.userId)
    return { kind: 'cannot_decide', reason: t('changeRequests:ownRequest') };
  const roles = approverRoles(request.deviation.kind, request.risk);
  if (!roles.includes(user.role))
    return {
      kind: 'cannot_decide',
      reason: t('changeRequests:wrongRole', { roles: rolesInWords(roles) }),
    };
  return { kind: 'can_decide' };
}

/** Pending first (they wait for someone), then the newest. */
export function sortForReview(requests: readonly ChangeRequest[]): ChangeRequest[] {
  return [...requests].sort(
    (a, b) =>
      Number(b.status === 'pending') - Number(a.status === 'pending') ||
      b.requestedAt - a.requestedAt,
  );
}
