/**
 * The block rule: a deployment of a release the release desk blocked counts
 * only with an emergency bypass — a store manager's, with a reason of at
 * least BYPASS_REASON_MIN_LENGTH characters (the console asks for exactly
 * that before it records the start). A start that arrives without one (a
 * console that was offline when the block landed) is appended and
 * quarantined as `release_blocked`, like an event that breaks the actor rule:
 * the device's chain stays whole and the attempt is kept as evidence.
 *
 * The server judges it under the log lock, so "blocked" means blocked by the
 * desk entries before it in the log; `audit:verify` re-checks the event's own
 * part (a start without a valid bypass) for every such mark.
 */
import type { Role } from '../domain/roles.ts';

export const DEPLOYMENT_STARTED = 'deployment.started';
export const BYPASS_REASON_MIN_LENGTH = 10;
/** Who may bypass a block: the store's manager, who answers for the store. */
export const BYPASS_ROLES: readonly Role[] = ['manager'];

/** Whether the start carries a bypass the rule accepts. */
function hasValidBypass(event: { actor: { role: string }; payload: unknown }): boolean {
  if (!(BYPASS_ROLES as readonly string[]).includes(event.actor.role)) return false;
  const p = event.payload;
  if (typeof p !== 'object' || p === null) return false;
  const bypass = (p as { blockBypass?: unknown }).blockBypass;
  if (typeof bypass !== 'object' || bypass === null) return false;
  const reason = (bypass as { reason?: unknown }).reason;
  return typeof reason === 'string' && reason.trim().length >= BYPASS_REASON_MIN_LENGTH;
}

/** `release_blocked` for a start of a blocked release without a valid bypass, else null. */
export function blockRuleVerdict(
  event: { type: string; actor: { role: string }; payload: unknown },
  isReleaseBlocked: boolean,
): 'release_blocked' | null {
  if (event.type !== DEPLOYMENT_STARTED || !isReleaseBlocked) return null;
  return hasValidBypass(event) ? null : 'release_blocked';
}
