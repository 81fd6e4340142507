/**
 * The catalog as the actor rule reads it (src/shared/audit/actorRule.ts):
 * users (role, stores, revoked) and terminals (store), kept as versions by
 * log index in `actor_catalog`.
 *
 * "At that point of the log" is decided when the event is appended: a
 * catalog change takes the log lock and records the log's size at that moment
 * as the index from which it is in force; a push takes the same lock before
 * it reads the versions, so every event is judged against exactly the
 * catalog changes committed before it in log order. The bundle carries these
 * versions, so an auditor re-applies the rule without the server.
 */
import { sql, type Kysely, type Transaction } from 'kysely';
import type { ActorUserVersion } from '../../shared/audit/actorRule.ts';
import { catalogUser, type CatalogUser } from '../../shared/catalog/schema.ts';
import type { ServerSchema } from '../db/schema.ts';
import { ServerError } from '../errors.ts';
import { lockLogHead } from '../log/merkleLog.ts';

type Trx = Transaction<ServerSchema>;

/** A version of one user or terminal, as the bundle and the rule read it. */
export type UserVersionRow = ActorUserVersion & { userId: string; fromIndex: number };
export type TerminalVersionRow = { terminalId: string; storeId: string; fromIndex: number };

/** The catalog change rows recordChanges writes (catalog/service.ts), as far as the rule needs them. */
type CatalogChangeLike = {
  entity: string;
  entity_id: string;
  op: 'upsert' | 'delete';
  store_id: string | null;
  value: string | null;
};

function userData(u: { role: string; storeIds: readonly string[] }, isRevoked: boolean): string {
  return JSON.stringify({ role: u.role, storeIds: u.storeIds, isRevoked });
}

/**
 * Records the users and terminals a catalog write changed, in force from the
 * log's current size. Called inside the catalog write's transaction, after
 * its catalog_head lock (nothing takes the two locks in the other order).
 * A user with only deletes in the batch was removed from every store it had:
 * it is revoked (revokeUser); a user re-created later is active again.
 */
export async function recordActorCatalog(
  trx: Trx,
  rows: readonly CatalogChangeLike[],
): Promise<void> {
  const users = new Map<string, string | null>();
  const terminals = new Map<string, string | null>();
  for (const r of rows) {
    if (r.entity === 'user') {
      if (r.op === 'upsert') users.set(r.entity_id, r.value);
      else if (!users.has(r.entity_id)) users.set(r.entity_id, null);
    } else if (r.entity === 'terminal') {
      if (r.op === 'upsert') terminals.set(r.entity_id, r.store_id);
      else if (!terminals.has(r.entity_id)) terminals.set(r.entity_id, null);
    }
  }
  if (users.size === 0 && terminals.size === 0) return;
  const { size } = await lockLogHead(trx);
  const values: ServerSchema['actor_catalog'][] = [];
  for (const [id, value] of users) {
    let data: string;
    if (value !== null) {
      data = userData(JSON.parse(value) as CatalogUser, false);
    } else {
      const before = await trx
        .selectFrom('actor_catalog')
        .select('data')
        .where('entity', '=', 'user')
        .where('entity_id', '=', id)
        .orderBy('from_index', 'desc')
        .limit(1)
        .executeTakeFirst();
      const old = before
        ? (JSON.parse(before.data) as ActorUserVersion)
        : { role: 'technician' as const, storeIds: [] };
      data = userData(old, true);
    }
    values.push({ entity: 'user', entity_id: id, from_index: size, data });
  }
  for (const [id, storeId] of terminals) {
    // A terminal deleted from one store and upserted in another in the same batch keeps the upsert.
    if (storeId === null) continue;
    values.push({
      entity: 'terminal',
      entity_id: id,
      from_index: size,
      data: JSON.stringify({ storeId }),
    });
  }
  // A re-import that changes nothing adds no version: only rows whose data differs from the one in force.
  const changed: ServerSchema['actor_catalog'][] = [];
  for (const entity of ['user', 'terminal'] as const) {
    const mine = values.filter((v) => v.entity === entity);
    for (let i = 0; i < mine.length; i += 500) {
      const part = mine.slice(i, i + 500);
      const latest = new Map<string, string>();
      const rows = await trx
        .selectFrom('actor_catalog')
        .select(['entity_id', 'data'])
        .where('entity', '=', entity)
        .where(
          'entity_id',
          'in',
          part.map((v) => v.entity_id),
        )
        .orderBy('from_index')
        .execute();
      for (const r of rows) latest.set(r.entity_id, r.data);
      for (const v of part) if (latest.get(v.entity_id) !== v.data) changed.push(v);
    }
  }
  for (let i = 0; i < changed.length; i += 500)
    await trx
      .insertInto('actor_catalog')
      .values(changed.slice(i, i + 500))
      .onConflict((oc) =>
        oc
          .columns(['entity', 'entity_id', 'from_index'])
          .doUpdateSet((eb) => ({ data: eb.ref('excluded.data') })),
      )
      .execute();
}

/** Migration 0070: the users and terminals already in the catalog, in force from index 0. */
export async function backfillActorCatalog(db: Kysely<unknown>): Promise<void> {
  const users = await sql<{ id: string; data: string }>`SELECT id, data FROM users`.execute(db);
  const terminals = await sql<{
    id: string;
    store_id: string;
  }>`SELECT id, store_id FROM terminals`.execute(db);
  const values = [
    ...users.rows.map((u) => ({
      entity: 'user',
      entity_id: u.id,
      data: userData(JSON.parse(u.data) as CatalogUser, false),
    })),
    ...terminals.rows.map((t) => ({
      entity: 'terminal',
      entity_id: t.id,
      data: JSON.stringify({ storeId: t.store_id }),
    })),
  ];
  for (const v of values)
    await sql`INSERT INTO actor_catalog (entity, entity_id, from_index, data)
      VALUES (${v.entity}, ${v.entity_id}, 0, ${v.data})`.execute(db);
}

/** The actor rule's facts for a push: the latest version of each named user and terminal. */
export async function currentActorFacts(
  trx: Trx,
  userIds: readonly string[],
  terminalIds: readonly string[],
): Promise<{ users: Map<string, ActorUserVersion>; terminals: Map<string, string> }> {
  const users = new Map<string, ActorUserVersion>();
  const terminals = new Map<string, string>();
  if (userIds.length === 0 && terminalIds.length === 0) return { users, terminals };
  // Oldest first, so the last row read for an id is the version in force now.
  const rows = await trx
    .selectFrom('actor_catalog')
    .select(['entity', 'entity_id', 'data'])
    .where((eb) =>
      eb.or([
        ...(userIds.length > 0
          ? [eb.and([eb('entity', '=', 'user'), eb('entity_id', 'in', userIds)])]
          : []),
        ...(terminalIds.length > 0
          ? [eb.and([eb('entity', '=', 'terminal'), eb('entity_id', 'in', terminalIds)])]
          : []),
      ]),
    )
    .orderBy('from_index')
    .execute();
  return actorFactsOf(rows);
}

export type ActorFacts = { users: Map<string, ActorUserVersion>; terminals: Map<string, string> };

/** The facts in force from catalog rows read oldest first (by from_index): the last row of an id wins. */
export function actorFactsOf(
  rows: ReadonlyArray<{ entity: string; entity_id: string; data: string }>,
): ActorFacts {
  const users = new Map<string, ActorUserVersion>();
  const terminals = new Map<string, string>();
  for (const r of rows) {
    if (r.entity === 'user') users.set(r.entity_id, JSON.parse(r.data) as ActorUserVersion);
    else terminals.set(r.entity_id, (JSON.parse(r.data) as { storeId: string }).storeId);
  }
  return { users, terminals };
}

/** Every version of the named users and terminals, oldest first (the audit bundle). */
export async function actorCatalogVersions(
  db: Kysely<ServerSchema>,
  userIds: readonly string[] | null,
  terminalIds: readonly string[] | null,
): Promise<{ users: UserVersionRow[]; terminals: TerminalVersionRow[] }> {
  const users: UserVersionRow[] = [];
  const terminals: TerminalVersionRow[] = [];
  const load = async (entity: 'user' | 'terminal', ids: readonly string[] | null) => {
    if (ids !== null && ids.length === 0) return [];
    const out: Array<{ entity_id: string; from_index: number; data: string }> = [];
    const chunks = ids === null ? [null] : chunk(ids, 500);
    for (const part of chunks) {
      let q = db
        .selectFrom('actor_catalog')
        .select(['entity_id', 'from_index', 'data'])
        .where('entity', '=', entity);
      if (part !== null) q = q.where('entity_id', 'in', part);
      out.push(...(await q.execute()));
    }
    return out.sort(
      (a, b) =>
        (a.entity_id < b.entity_id ? -1 : a.entity_id > b.entity_id ? 1 : 0) ||
        Number(a.from_index) - Number(b.from_index),
    );
  };
  for (const r of await load('user', userIds)) {
    const v = JSON.parse(r.data) as ActorUserVersion;
    users.push({
      userId: r.entity_id,
      fromIndex: Number(r.from_index),
      role: v.role,
      storeIds: v.storeIds,
      isRevoked: v.isRevoked,
    });
  }
  for (const r of await load('terminal', terminalIds)) {
    terminals.push({
      terminalId: r.entity_id,
      fromIndex: Number(r.from_index),
      storeId: (JSON.parse(r.data) as { storeId: string }).storeId,
    });
  }
  return { users, terminals };
}

function chunk<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** The log index from which the server checked every appended event. */
export async function actorRuleStart(db: Kysely<ServerSchema>): Promise<number> {
  const row = await db
    .selectFrom('actor_rule')
    .select('from_index')
    .where('id', '=', 1)
    .executeTakeFirstOrThrow();
  return Number(row.from_index);
}

/**
 * Revokes a user: removed from the catalog every console pulls (so no console
 * offers them at sign-in any more), and from the next log index on every
 * event they act in is quarantined `actor_revoked`. Re-creating the user
 * (create-user) makes them active again from that point on.
 */
export async function revokeUser(
  db: Kysely<ServerSchema>,
  userId: string,
  now: Date,
  /** catalog/service.ts's recordChanges, passed in: that module imports this one. */
  recordChanges: (
    trx: Trx,
    rows: Array<CatalogChangeLike & { entity: 'user'; op: 'delete' }>,
    now: Date,
  ) => Promise<void>,
): Promise<{ storeIds: string[] }> {
  return db.transaction().execute(async (trx) => {
    const row = await trx
      .selectFrom('users')
      .select('data')
      .where('id', '=', userId)
      .executeTakeFirst();
    if (!row) throw new ServerError('not_found', `There is no user ${userId}.`);
    const user = catalogUser.parse(JSON.parse(row.data));
    await trx.deleteFrom('users').where('id', '=', userId).execute();
    // A revoked administrator's admin tokens end with them, even if the user is created again later.
    await trx
      .updateTable('tokens')
      .set({ revoked_at: now.toISOString() })
      .where('user_id', '=', userId)
      .where('revoked_at', 'is', null)
      .execute();
    const scopes: Array<string | null> = user.storeIds.length === 0 ? [null] : user.storeIds;
    await recordChanges(
      trx,
      scopes.map((s) => ({
        entity: 'user' as const,
        entity_id: userId,
        op: 'delete' as const,
        store_id: s,
        value: null,
      })),
      now,
    );
    // The stores the user worked for: the central action names them, so a region desk sees it.
    return { storeIds: [...user.storeIds] };
  });
}
