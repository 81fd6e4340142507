/**
 * Desk actions: what a person does at a desk console (triage a bug report,
 * block a release…) becomes a server entry of the central log
 * (log/serverEntry.ts) that names the acting catalog user, so `audit:verify`
 * and every desk show who did what and when. An action about one store
 * carries that store's id, so it reaches the store's consoles through their
 * feed.
 *
 * Every check runs before anything is written: a refused action leaves the
 * log, the tree head and the caller's tables as they were.
 */
import type { Transaction } from 'kysely';
import type { JsonValue } from '../../shared/audit/event.ts';
import { isRegionInScope, type DeskRole } from '../../shared/desk/protocol.ts';
import type { Role } from '../../shared/domain/roles.ts';
import type { ServerSchema } from '../db/schema.ts';
import { ServerError } from '../errors.ts';
import type { LogKey } from '../log/keys.ts';
import { lockLogHead } from '../log/merkleLog.ts';
import { appendServerEntry, type AppendedServerEntry } from '../log/serverEntry.ts';
import { currentActorFacts } from '../quarantine/catalog.ts';
import type { DeskPrincipal } from './queries.ts';

export type DeskAction = {
  /** From the desk token: its scope, role and id. */
  desk: DeskPrincipal;
  /** Desk roles that may take this action: `role_denied` (403) otherwise. */
  allowedDeskRoles: readonly DeskRole[];
  /** The catalog user acting at the desk (from the request body). */
  actedBy: string;
  /** The user must exist, not be revoked and hold one of these: `actor_denied` (403) otherwise. */
  allowedUserRoles: readonly Role[];
  /** The store concerned (inside the desk's scope, else `scope_denied`); null: central. */
  storeId: string | null;
  type: string;
  payload: { [k: string]: JsonValue };
  at: Date;
};

/** Who acted, as the entry's payload names them. */
export type ActedBy = { userId: string; role: Role; deskId: string };

/**
 * Checks the desk, the acting user and the store, then appends the entry.
 * Runs first in the caller's transaction: it takes the log lock that orders
 * every append, so the checks read the catalog as it stands at the entry's
 * place in the log.
 */
export async function appendDeskAction(
  trx: Transaction<ServerSchema>,
  key: LogKey,
  action: DeskAction,
): Promise<AppendedServerEntry & { actedBy: ActedBy }> {
  await lockLogHead(trx);
  const actedBy = await checkDeskAction(trx, action);
  const entry = await appendServerEntry(trx, key, {
    type: action.type,
    payload: { ...action.payload, actedBy },
    at: action.at,
    ...(action.storeId !== null ? { storeId: action.storeId } : {}),
  });
  return { ...entry, actedBy };
}

/** The checks alone (no write): the acting user as the entry will name them. */
export async function checkDeskAction(
  trx: Transaction<ServerSchema>,
  action: Omit<DeskAction, 'type' | 'payload' | 'at'>,
): Promise<ActedBy> {
  const { desk } = action;
  if (!action.allowedDeskRoles.includes(desk.role))
    throw new ServerError(
      'role_denied',
      `A ${desk.role} desk may not do this; it needs a ${action.allowedDeskRoles.join(' or ')} desk.`,
    );
  const { users } = await currentActorFacts(trx, [action.actedBy], []);
  const user = users.get(action.actedBy);
  if (!user)
    throw new ServerError(
      'actor_denied',
      `The central catalog has no user ${action.actedBy}; sign in at the desk as a catalog user.`,
    );
  if (user.isRevoked)
    throw new ServerError(
      'actor_denied',
      `User ${action.actedBy} was removed by an administrator and may no longer act.`,
    );
  if (!action.allowedUserRoles.includes(user.role))
    throw new ServerError(
      'actor_denied',
      `User ${action.actedBy} is ${user.role}; this needs the role ${action.allowedUserRoles.join(' or ')}.`,
    );
  if (
    action.storeId !== null &&
    user.storeIds.length > 0 &&
    !user.storeIds.includes(action.storeId)
  )
    throw new ServerError(
      'actor_denied',
      `User ${action.actedBy} is not assigned to store ${action.storeId}.`,
    );
  if (action.storeId !== null) {
    const row = await trx
      .selectFrom('stores')
      .select('data')
      .where('id', '=', action.storeId)
      .executeTakeFirst();
    // An unknown store and one outside the scope answer alike: a desk learns nothing beyond its scope.
    const region = row ? (JSON.parse(row.data) as { region: string }).region : null;
    if (region === null || !isRegionInScope(desk.scope, region))
      throw new ServerError(
        'scope_denied',
        `Store ${action.storeId} is outside this desk's scope.`,
      );
  }
  return { userId: action.actedBy, role: user.role, deskId: desk.deskId };
}
