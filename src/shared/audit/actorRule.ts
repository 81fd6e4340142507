/**
 * The actor rule (DESIGN.md "Who acted"): an event counts only if the user it
 * names acted within what the catalog allowed when the central log appended
 * it. The server applies this rule on every push (src/server/sync/actorCheck.ts)
 * and `audit:verify` applies it again to a bundle (src/shared/audit/bundle.ts),
 * so both must read the same pure function.
 *
 * An event that breaks the rule is not refused: it is appended and marked
 * quarantined with the first reason below, so the device's hash chain stays
 * whole, its later events still flow, and the evidence of the attempt is kept.
 */
import { ROLES, type Role } from '../domain/roles.ts';
import { EVENT_TYPES, isEventType } from './eventTypes.ts';

/** Machine-readable quarantine reasons, in the order the rule checks them. */
export const QUARANTINE_REASONS = [
  /** The claimed role may not record this event type at all. */
  'role_not_allowed_for_type',
  /** No user with this id was in the catalog when the event was appended. */
  'actor_unknown',
  /** The user had been revoked by an administrator. */
  'actor_revoked',
  /** The user's catalog role is not the role the event claims. */
  'actor_role_mismatch',
  /** The user is not assigned to the event's store (and is not regional). */
  'actor_store_denied',
  /** A terminal the event names belongs to another store. */
  'terminal_store_denied',
  /**
   * Not the actor rule but the block rule (src/shared/releases/blockRule.ts): a deployment
   * started of a release the release desk had blocked, without a store manager's bypass.
   */
  'release_blocked',
  /**
   * Not the actor rule: a go decision in a store whose region's or country's
   * compliance rules it did not meet, by its own criteria or by the checklist
   * evidence in the central log (src/server/compliance/pushCheck.ts). Judged
   * by the server against its catalog; a bundle verifier accepts the mark as given.
   */
  'compliance_missing',
] as const;
export type QuarantineReason = (typeof QUARANTINE_REASONS)[number];

export function isQuarantineReason(value: unknown): value is QuarantineReason {
  return typeof value === 'string' && (QUARANTINE_REASONS as readonly string[]).includes(value);
}

/** Plain words for each reason, and what the person can do about it (Sync screen, admin list). */
export const QUARANTINE_REASON_TEXT: Record<QuarantineReason, string> = {
  role_not_allowed_for_type:
    'The role this was recorded under may not record it. Ask someone with the right role to record it again.',
  actor_unknown:
    'The central server does not know the user who recorded this. Ask an administrator to add the user, then record it again.',
  actor_revoked:
    'The user who recorded this had been removed by an administrator. Sign in as an active user and record it again.',
  actor_role_mismatch:
    'The user who recorded this does not hold the role it claims. Sign in with your own account and record it again.',
  actor_store_denied:
    'The user who recorded this is not assigned to this store. Ask an administrator to assign the user, or have a store user record it.',
  terminal_store_denied:
    'This names a terminal of another store. Check the terminal and record it again on the right store.',
  release_blocked:
    "This deployment started after the release desk had blocked the release, without a store manager's emergency bypass. It does not count; roll the terminals back or ask the release desk.",
  compliance_missing:
    "This go decision lacks a check the compliance rules of the store's region or country require, or the central log does not show that check passed. Sync, complete the required checks, and sign the decision again.",
};

/** Reasons a central rule other than the actor rule gives: the bundle's actor check does not re-judge them. */
export const CENTRAL_RULE_REASONS: readonly QuarantineReason[] = ['compliance_missing'];

/** A user as the catalog held them from one log index on. */
export type ActorUserVersion = {
  role: Role;
  /** Stores the user works in; empty means every store. */
  storeIds: readonly string[];
  isRevoked: boolean;
};

/** What the rule reads of an event. */
export type ActorRuleEvent = {
  actor: { userId: string; role: string };
  storeId: string;
  type: string;
  payload: unknown;
};

/**
 * The terminal ids an event names: a top-level `terminalId`, every entry of a
 * top-level `terminalIds`, and the `terminalId` of each entry of a top-level
 * `terminals` (a deployment plan). Those are the places the event types of
 * src/shared/audit/eventTypes.ts carry a terminal of the event's store.
 */
export function terminalIdsOf(payload: unknown): string[] {
  if (typeof payload !== 'object' || payload === null || Array.isArray(payload)) return [];
  const p = payload as Record<string, unknown>;
  const ids: string[] = [];
  if (typeof p.terminalId === 'string') ids.push(p.terminalId);
  if (Array.isArray(p.terminalIds))
    for (const id of p.terminalIds) if (typeof id === 'string') ids.push(id);
  if (Array.isArray(p.terminals))
    for (const t of p.terminals)
      if (
        typeof t === 'object' &&
        t !== null &&
        typeof (t as { terminalId?: unknown }).terminalId === 'string'
      )
        ids.push((t as { terminalId: string }).terminalId);
  return ids;
}

/**
 * The first rule the event breaks, or null if it may count.
 * - `user`: the actor's catalog version in force at the event's log index
 *   (undefined: no such user then);
 * - `terminalStore`: the store a terminal belonged to then (undefined: the
 *   catalog does not know it — not quarantined, since a console only offers
 *   catalog terminals and a catalog import may trail the store by a few
 *   minutes; only a terminal known to be another store's is refused).
 */
export function actorRuleVerdict(
  event: ActorRuleEvent,
  user: ActorUserVersion | undefined,
  terminalStore: (terminalId: string) => string | undefined,
): QuarantineReason | null {
  const roles: readonly string[] = isEventType(event.type) ? EVENT_TYPES[event.type].roles : ROLES;
  if (!roles.includes(event.actor.role)) return 'role_not_allowed_for_type';
  if (user === undefined) return 'actor_unknown';
  if (user.isRevoked) return 'actor_revoked';
  if (user.role !== event.actor.role) return 'actor_role_mismatch';
  if (user.storeIds.length > 0 && !user.storeIds.includes(event.storeId))
    return 'actor_store_denied';
  for (const terminalId of terminalIdsOf(event.payload)) {
    const store = terminalStore(terminalId);
    if (store !== undefined && store !== event.storeId) return 'terminal_store_denied';
  }
  return null;
}

/**
 * A catalog history: versions of one entity ordered by `fromIndex`; the one
 * in force at log index i is the last with fromIndex ≤ i.
 */
export function versionAt<T extends { fromIndex: number }>(
  versions: readonly T[] | undefined,
  index: number,
): T | undefined {
  if (!versions) return undefined;
  let found: T | undefined;
  for (const v of versions) {
    if (v.fromIndex <= index) found = v;
    else break;
  }
  return found;
}
