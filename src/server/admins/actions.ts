/**
 * Central actions: what an administrator changes in the catalog (a release
 * published, a ring target moved, a user or device created or revoked, an
 * enrollment code or token issued) becomes a server entry of the central log
 * (log/serverEntry.ts) naming the acting administrator, written in the same
 * transaction as the change. So one verifier (`npm run audit:verify`) proves
 * both what the stores did and what the centre decided, and who decided it.
 *
 * Feature code uses one of two doors:
 * - `appendAdminAction(trx, key, action)` inside a transaction it already
 *   holds (call it first: it takes the log lock that orders every append);
 * - `runAdminAction(db, key, action, change)` around an existing service that
 *   opens its own transaction: the service joins the action's transaction, so
 *   the change and its entry commit together or not at all.
 */
import type { Kysely, Transaction } from 'kysely';
import type { AdminActionType } from '../../shared/audit/centralActions.ts';
import type { JsonValue } from '../../shared/audit/event.ts';
import type { ServerSchema } from '../db/schema.ts';
import type { LogKey } from '../log/keys.ts';
import { lockLogHead } from '../log/merkleLog.ts';
import { appendServerEntry, type AppendedServerEntry } from '../log/serverEntry.ts';

/**
 * How the administrator reached the server: a named admin's token, the
 * server's own command line (which holds the database itself, so it names the
 * operator it is told to act as), or the bootstrap token creating the first
 * named admin.
 */
type AdminActionVia = 'token' | 'cli' | 'bootstrap';

export type { AdminActionType };

/** Who acted, as the entry's payload names them (`payload.actedBy`). */
export type AdminActedBy = { adminId: string; role: 'admin'; via: AdminActionVia };

type AdminAction = {
  actedBy: AdminActedBy;
  /** The entry type, `admin.<thing>.<past tense>`: see ADMIN_ACTION_TYPES. */
  type: AdminActionType;
  payload: { [k: string]: JsonValue };
  at: Date;
  /** The store concerned: the entry then flows in that store's feed. Default: central. */
  storeId?: string;
};

/** Appends the action's entry inside the caller's transaction; call it first in that transaction. */
export async function appendAdminAction(
  trx: Transaction<ServerSchema>,
  key: LogKey,
  action: AdminAction,
): Promise<AppendedServerEntry> {
  return appendServerEntry(trx, key, {
    type: action.type,
    payload: { ...action.payload, actedBy: action.actedBy },
    at: action.at,
    ...(action.storeId !== undefined ? { storeId: action.storeId } : {}),
  });
}

/**
 * Runs `change` (a service written against a database handle, which may open
 * its own transaction) inside one transaction with the action's entry: the
 * log lock first, then the change, then the entry, whose payload may name
 * what the change produced. A change that throws leaves the catalog, the log
 * and the tree head as they were.
 */
export async function runAdminAction<T>(
  db: Kysely<ServerSchema>,
  key: LogKey,
  action: Omit<AdminAction, 'payload'> & {
    payload: { [k: string]: JsonValue } | ((result: NoInfer<T>) => { [k: string]: JsonValue });
  },
  change: (db: Kysely<ServerSchema>) => Promise<T>,
): Promise<{ result: T; entry: AppendedServerEntry }> {
  return db.transaction().execute(async (trx) => {
    await lockLogHead(trx);
    const result = await change(joinedTransaction(trx));
    const payload = typeof action.payload === 'function' ? action.payload(result) : action.payload;
    const entry = await appendAdminAction(trx, key, { ...action, payload });
    return { result, entry };
  });
}

/**
 * The transaction seen as a database handle whose `transaction()` joins it
 * instead of opening a second one (Kysely refuses nested transactions): the
 * catalog services keep their own `db.transaction()` and still commit with
 * the action's entry. Methods are bound to the transaction itself because
 * Kysely keeps its state in private fields a proxy cannot reach.
 */
function joinedTransaction(trx: Transaction<ServerSchema>): Kysely<ServerSchema> {
  return new Proxy(trx, {
    get(target, property) {
      if (property === 'transaction')
        return () => ({
          execute: <R>(fn: (inner: Transaction<ServerSchema>) => Promise<R>) => fn(target),
        });
      const value: unknown = Reflect.get(target, property, target);
      return typeof value === 'function'
        ? (value as (...a: unknown[]) => unknown).bind(target)
        : value;
    },
  });
}
