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
import { assertNever } from '#shared/errors.ts';
import { formatStoreDateTime } from '../deployments/timeline/format.ts';
import { rolesInWords } from '../../api/permissions.ts';
import { t } from '../../i18n/index.ts';

/** What the console knows about the ids a deviation names; unknown ids are shown as they are. */
export type DeviationNames = {
  store?: { name: string; timezone: string };
  releaseVersion?: string;
  stepTitle?: string;
};

export { rolesInWords };

/** One sentence a store manager understands without knowing the ids. */
export function describeDeviation(deviation: Deviation, names: DeviationNames = {}): string {
  const store = names.store?.name ?? deviation.storeId;
  const release = names.releaseVersion ?? deviation.releaseId;
  switch (deviation.kind) {
    case 'deploy_outside_window': {
      const zone = names.store?.timezone ?? 'UTC';
      return t('changeRequests:deviationText.deploy_outside_window', {
        release,
        store,
        from: formatStoreDateTime(deviation.from, zone),
        to: formatStoreDateTime(deviation.to, zone),
      });
    }
    case 'skip_mandatory_step':
      return t('changeRequests:deviationText.skip_mandatory_step', {
        step: names.stepTitle ?? deviation.stepId,
        release,
        store,
      });
    case 'release_not_approved_for_ring':
      return t('changeRequests:deviationText.release_not_approved_for_ring', { release, store });
    case 'feature_flag_change':
      return deviation.value
        ? t('changeRequests:deviationText.feature_flag_on', {
            flag: deviation.flagKey,
            store,
            release,
          })
        : t('changeRequests:deviationText.feature_flag_off', {
            flag: deviation.flagKey,
            store,
            release,
          });
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
