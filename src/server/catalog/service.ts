/**
 * The catalog the server publishes: stores, terminals, releases, ring
 * targets and users. Every write also appends catalog_changes rows with
 * cursors handed out under a lock on catalog_head, so cursors are in commit
 * order and a device that pulls `cursor > c` never misses a change. Each row
 * is scoped: to a store (only that store's devices see it) or global (null).
 */
import type { Kysely, Transaction } from 'kysely';
import { z } from 'zod';
import {
  DEFAULT_PIN_POLICY,
  catalogPinPolicy,
  catalogRelease,
  catalogRingTarget,
  catalogStore,
  catalogTerminal,
  catalogUser,
  type CatalogPinPolicy,
  type CatalogRelease,
  type CatalogRingTarget,
  type CatalogStore,
  type CatalogTerminal,
  type CatalogUser,
} from '../../shared/catalog/schema.ts';
import { ROLES } from '../../shared/domain/roles.ts';
import {
  MAX_CHANGES_PAGE,
  type CatalogChange,
  type CatalogEntity,
  type ChangesResponse,
} from '../../shared/sync/protocol.ts';
import type { ServerSchema } from '../db/schema.ts';
import { ServerError, parseInput } from '../errors.ts';
import { hashPin } from '../auth/pin.ts';
import { dialectOf } from '../readModels/project.ts';
import { seedTerminalBaselines } from '../readModels/rebuild.ts';
import { recordActorCatalog } from '../quarantine/catalog.ts';
import { effectiveTarget, type RingRollout } from '../../shared/releases/cohort.ts';

type Db = Kysely<ServerSchema>;
type Trx = Transaction<ServerSchema>;

export type RowError = { row: number; message: string };

/** Thrown by imports: per-row errors, nothing written. */
export class ImportRejected extends ServerError {
  readonly rowErrors: RowError[];
  constructor(rowErrors: RowError[]) {
    const shown = rowErrors
      .slice(0, 5)
      .map((e) => `row ${e.row}: ${e.message}`)
      .join('; ');
    super(
      'invalid_input',
      `Nothing was imported: ${rowErrors.length} row(s) have errors (${shown}${rowErrors.length > 5 ? '; …' : ''}).`,
    );
    this.rowErrors = rowErrors;
  }
}

export type ChangeRow = {
  entity: CatalogEntity;
  entity_id: string;
  op: 'upsert' | 'delete';
  store_id: string | null;
  value: string | null;
};

export async function recordChanges(
  trx: Trx,
  rows: readonly ChangeRow[],
  now: Date,
): Promise<void> {
  if (rows.length === 0) return;
  const head = await trx
    .updateTable('catalog_head')
    .set((eb) => ({ cursor: eb('cursor', '+', rows.length) }))
    .where('id', '=', 1)
    .returning('cursor')
    .executeTakeFirstOrThrow();
  const first = Number(head.cursor) - rows.length + 1;
  const values = rows.map((r, i) => ({ ...r, cursor: first + i, at: now.toISOString() }));
  for (let i = 0; i < values.length; i += 500)
    await trx
      .insertInto('catalog_changes')
      .values(values.slice(i, i + 500))
      .execute();
  // Users and terminals as the actor rule reads them, in force from the log's current size.
  await recordActorCatalog(trx, rows);
}

function zodRowMessage(error: z.ZodError): string {
  const issue = error.issues[0];
  return issue ? `${issue.path.map(String).join('.') || 'value'}: ${issue.message}` : 'malformed';
}

export const fleetImport = z
  .object({
    stores: z.array(z.unknown()).max(100_000).default([]),
    terminals: z.array(z.unknown()).max(500_000).default([]),
  })
  .strict();

/**
 * Creates or updates stores and terminals, all or nothing. Rows are numbered
 * from 1 in the order given (stores first, then terminals).
 */
export async function importFleet(
  db: Db,
  input: { stores: unknown[]; terminals: unknown[] },
  now: Date,
  /** Errors found earlier (CSV parsing), reported together with these rows' errors. */
  earlierErrors: readonly RowError[] = [],
): Promise<{ stores: number; terminals: number }> {
  const errors: RowError[] = [...earlierErrors];
  const stores: CatalogStore[] = [];
  const terminals: CatalogTerminal[] = [];
  const seenStores = new Set<string>();
  input.stores.forEach((raw, i) => {
    const r = catalogStore.safeParse(raw);
    if (!r.success) errors.push({ row: i + 1, message: `store: ${zodRowMessage(r.error)}` });
    else if (seenStores.has(r.data.id))
      errors.push({ row: i + 1, message: `store ${r.data.id} appears twice` });
    else {
      seenStores.add(r.data.id);
      stores.push(r.data);
    }
  });
  const existingStores = new Set(
    (await db.selectFrom('stores').select('id').execute()).map((s) => s.id),
  );
  const seenTerminals = new Set<string>();
  input.terminals.forEach((raw, i) => {
    const row = input.stores.length + i + 1;
    const r = catalogTerminal.safeParse(raw);
    if (!r.success) errors.push({ row, message: `terminal: ${zodRowMessage(r.error)}` });
    else if (seenTerminals.has(r.data.id))
      errors.push({ row, message: `terminal ${r.data.id} appears twice` });
    else if (!seenStores.has(r.data.storeId) && !existingStores.has(r.data.storeId)) {
      errors.push({ row, message: `terminal ${r.data.id}: there is no store ${r.data.storeId}` });
    } else {
      seenTerminals.add(r.data.id);
      terminals.push(r.data);
    }
  });
  if (errors.length > 0) throw new ImportRejected(errors.sort((a, b) => a.row - b.row));
  await db.transaction().execute(async (trx) => {
    const changes: ChangeRow[] = [];
    for (const s of stores) {
      await trx
        .insertInto('stores')
        .values({ id: s.id, data: JSON.stringify(s) })
        .onConflict((oc) => oc.column('id').doUpdateSet({ data: JSON.stringify(s) }))
        .execute();
      changes.push({
        entity: 'store',
        entity_id: s.id,
        op: 'upsert',
        store_id: s.id,
        value: JSON.stringify(s),
      });
    }
    const previous = new Map(
      terminals.length === 0
        ? []
        : (
            await trx
              .selectFrom('terminals')
              .select(['id', 'store_id'])
              .where(
                'id',
                'in',
                terminals.map((t) => t.id),
              )
              .execute()
          ).map((t) => [t.id, t.store_id]),
    );
    for (const t of terminals) {
      await trx
        .insertInto('terminals')
        .values({ id: t.id, store_id: t.storeId, data: JSON.stringify(t) })
        .onConflict((oc) =>
          oc.column('id').doUpdateSet({ store_id: t.storeId, data: JSON.stringify(t) }),
        )
        .execute();
      const old = previous.get(t.id);
      // A terminal moved to another store disappears from the old store's consoles.
      if (old !== undefined && old !== t.storeId)
        changes.push({
          entity: 'terminal',
          entity_id: t.id,
          op: 'delete',
          store_id: old,
          value: null,
        });
      changes.push({
        entity: 'terminal',
        entity_id: t.id,
        op: 'upsert',
        store_id: t.storeId,
        value: JSON.stringify(t),
      });
    }
    await recordChanges(trx, changes, now);
    // The read models hold every terminal's baseline (src/server/readModels/rebuild.ts).
    await seedTerminalBaselines(trx, dialectOf(trx), terminals, { replace: false });
  });
  return { stores: stores.length, terminals: terminals.length };
}

/** Publishes a new release or updates one (status, dates, notes). */
export async function publishRelease(db: Db, input: unknown, now: Date): Promise<CatalogRelease> {
  const release = parseInput(catalogRelease, input, 'The release');
  await db.transaction().execute(async (trx) => {
    const data = JSON.stringify(release);
    await trx
      .insertInto('releases')
      .values({ id: release.id, data })
      .onConflict((oc) => oc.column('id').doUpdateSet({ data }))
      .execute();
    await recordChanges(
      trx,
      [{ entity: 'release', entity_id: release.id, op: 'upsert', store_id: null, value: data }],
      now,
    );
    // Terminals whose baseline names this release now show its version (read models).
    await trx
      .updateTable('rm_terminals')
      .set({ version: release.version })
      .where('release_id', '=', release.id)
      .execute();
  });
  return release;
}

/**
 * Points a ring at a release as a plain catalog write, with no evidence gate:
 * for the demo and for imports. Administrators and the release desk promote
 * through src/server/releaseDesk/service.ts, which gates and audits.
 */
export async function setRingTarget(db: Db, input: unknown, now: Date): Promise<void> {
  const target = parseInput(catalogRingTarget, input, 'The ring target');
  await db.transaction().execute(async (trx) => {
    await writeRingTarget(trx, target, now);
    // A staged rollout of another release no longer applies to the ring.
    await trx.deleteFrom('ring_rollouts').where('ring', '=', target.ring).execute();
  });
}

/** The catalog write of a ring target inside the caller's transaction: every console pulls it. */
export async function writeRingTarget(
  trx: Trx,
  target: { ring: CatalogRingTarget['ring']; releaseId: string },
  now: Date,
): Promise<void> {
  const release = await trx
    .selectFrom('releases')
    .select('id')
    .where('id', '=', target.releaseId)
    .executeTakeFirst();
  if (!release)
    throw new ServerError(
      'not_found',
      `There is no release ${target.releaseId}; publish it first.`,
    );
  await trx
    .insertInto('ring_targets')
    .values({ ring: target.ring, release_id: target.releaseId })
    .onConflict((oc) => oc.column('ring').doUpdateSet({ release_id: target.releaseId }))
    .execute();
  await recordChanges(
    trx,
    [
      {
        entity: 'ringTarget',
        entity_id: target.ring,
        op: 'upsert',
        store_id: null,
        value: JSON.stringify({ ring: target.ring, releaseId: target.releaseId }),
      },
    ],
    now,
  );
}

export const createUserInput = z
  .object({
    id: catalogUser.shape.id,
    name: catalogUser.shape.name,
    role: z.enum(ROLES),
    pin: z.string().regex(/^\d{4,12}$/, 'a PIN is 4 to 12 digits'),
    storeIds: catalogUser.shape.storeIds,
  })
  .strict();

/**
 * Which devices receive a user (and its PIN hash): the devices of the stores
 * the user works in. A user of every store (storeIds empty) goes to every
 * store's devices, except an administrator: administrators act centrally, so
 * their hashes go to no device unless they are given stores explicitly.
 */
function userScopes(user: CatalogUser): Array<string | null> {
  if (user.storeIds.length > 0) return user.storeIds;
  return user.role === 'admin' ? [] : [null];
}

const PIN_POLICY_ID = 'pin-policy';

/** The catalog's PIN policy: the last one published, else DEFAULT_PIN_POLICY (6 digits). */
async function currentPinPolicy(db: Db | Trx): Promise<CatalogPinPolicy> {
  const row = await db
    .selectFrom('catalog_changes')
    .select('value')
    .where('entity', '=', 'pinPolicy')
    .orderBy('cursor', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row?.value ? catalogPinPolicy.parse(JSON.parse(row.value)) : DEFAULT_PIN_POLICY;
}

/**
 * Publishes the PIN policy every console enforces at sign-in. Below 6 digits
 * only as a demo policy (`isDemo: true`): the demo fleet's public PINs.
 */
export async function setPinPolicy(db: Db, input: unknown, now: Date): Promise<CatalogPinPolicy> {
  const policy = parseInput(catalogPinPolicy, input, 'The PIN policy');
  await db.transaction().execute(async (trx) => {
    await recordChanges(
      trx,
      [
        {
          entity: 'pinPolicy',
          entity_id: PIN_POLICY_ID,
          op: 'upsert',
          store_id: null,
          value: JSON.stringify(policy),
        },
      ],
      now,
    );
  });
  return policy;
}

/** Creates a user (or replaces one) with a scrypt PIN hash; the PIN itself is never stored or logged. */
export async function createUser(
  db: Db,
  input: unknown,
  now: Date,
): Promise<Omit<CatalogUser, 'pinHash'>> {
  const req = parseInput(createUserInput, input, 'The user');
  const policy = await currentPinPolicy(db);
  if (req.pin.length < policy.minDigits) {
    throw new ServerError(
      'invalid_input',
      `The user is not valid at pin: a PIN has at least ${policy.minDigits} digits (the catalog's PIN policy); nothing was stored.`,
    );
  }
  const user: CatalogUser = {
    id: req.id,
    name: req.name,
    role: req.role,
    storeIds: req.storeIds,
    pinHash: await hashPin(req.pin),
  };
  await putUsers(db, [user], now);
  return { id: user.id, name: user.name, role: user.role, storeIds: user.storeIds };
}

/** Stores users that already carry a PIN hash (catalog import, demo). */
export async function putUsers(db: Db, users: readonly CatalogUser[], now: Date): Promise<void> {
  for (const u of users) parseInput(catalogUser, u, `User ${u.id}`);
  await db.transaction().execute(async (trx) => {
    const changes: ChangeRow[] = [];
    for (const user of users) {
      const data = JSON.stringify(user);
      const old = await trx
        .selectFrom('users')
        .select('data')
        .where('id', '=', user.id)
        .executeTakeFirst();
      await trx
        .insertInto('users')
        .values({ id: user.id, data })
        .onConflict((oc) => oc.column('id').doUpdateSet({ data }))
        .execute();
      const scopes = userScopes(user);
      if (old) {
        const oldScopes = userScopes(JSON.parse(old.data) as CatalogUser);
        for (const s of oldScopes)
          if (!scopes.includes(s))
            changes.push({
              entity: 'user',
              entity_id: user.id,
              op: 'delete',
              store_id: s,
              value: null,
            });
      }
      for (const s of scopes)
        changes.push({
          entity: 'user',
          entity_id: user.id,
          op: 'upsert',
          store_id: s,
          value: data,
        });
    }
    await recordChanges(trx, changes, now);
    // Administrators without stores reach no device, but they act at desks:
    // the actor rule (and so every desk action) must know them too.
    const central = users.filter((u) => userScopes(u).length === 0);
    if (central.length > 0)
      await recordActorCatalog(
        trx,
        central.map((u) => ({
          entity: 'user',
          entity_id: u.id,
          op: 'upsert' as const,
          store_id: null,
          value: JSON.stringify(u),
        })),
      );
  });
}

/** Catalog changes a device's store may see, after `cursor`. */
export async function changesSince(
  db: Db,
  storeId: string,
  cursor: number,
  limit = MAX_CHANGES_PAGE,
): Promise<ChangesResponse> {
  const rows = await db
    .selectFrom('catalog_changes')
    .select(['cursor', 'entity', 'entity_id', 'op', 'value'])
    .where('cursor', '>', cursor)
    .where((eb) => eb.or([eb('store_id', 'is', null), eb('store_id', '=', storeId)]))
    .orderBy('cursor')
    .limit(limit + 1)
    .execute();
  const page = rows.slice(0, limit);
  const rollouts = page.some((r) => r.entity === 'ringTarget') ? await ringRollouts(db) : null;
  const changes: CatalogChange[] = [];
  for (const r of page) {
    if (r.op === 'delete') {
      changes.push({ entity: r.entity as CatalogEntity, op: 'delete', id: r.entity_id });
      continue;
    }
    const value = JSON.parse(r.value!) as unknown;
    if (r.entity === 'ringTarget' && rollouts !== null) {
      changes.push(effectiveRingTarget(value as CatalogRingTarget, rollouts, storeId));
      continue;
    }
    // Older servers published every-store users to all devices, administrators
    // included; such rows are still in catalog_changes and stay undelivered.
    if (r.entity === 'user' && userScopes(value as CatalogUser).length === 0) continue;
    changes.push({ entity: r.entity, op: 'upsert', value } as CatalogChange);
  }
  const last = page[page.length - 1];
  return {
    changes,
    cursor: String(last ? Number(last.cursor) : cursor),
    hasMore: rows.length > limit,
  };
}

async function ringRollouts(db: Db): Promise<Map<string, RingRollout>> {
  const rows = await db
    .selectFrom('ring_rollouts')
    .select(['ring', 'release_id', 'previous_release_id', 'percent'])
    .execute();
  return new Map(
    rows.map((r) => [
      r.ring,
      {
        ring: r.ring,
        releaseId: r.release_id,
        previousReleaseId: r.previous_release_id,
        percent: Number(r.percent),
      },
    ]),
  );
}

/**
 * A ring target as one store's consoles should see it: during a staged
 * rollout a store outside the cohort keeps the previous target (or none).
 * Every change of the percentage writes a new ring target row, so each store
 * pulls its effective target again.
 */
function effectiveRingTarget(
  target: CatalogRingTarget,
  rollouts: ReadonlyMap<string, RingRollout>,
  storeId: string,
): CatalogChange {
  const rollout = rollouts.get(target.ring);
  if (!rollout || rollout.releaseId !== target.releaseId)
    return { entity: 'ringTarget', op: 'upsert', value: target };
  const releaseId = effectiveTarget(rollout, storeId);
  return releaseId === null
    ? { entity: 'ringTarget', op: 'delete', id: target.ring }
    : { entity: 'ringTarget', op: 'upsert', value: { ring: target.ring, releaseId } };
}
