/**
 * The desk's read of central actions (shared/desk/centralActions.ts): the
 * server entries that name an administrator, newest first, read straight
 * from the log on the (device, seq) index of the server's own chain, so a
 * page costs the same on a log of millions of store events.
 *
 * Scope: an action touches the stores it names (the entry's store, a
 * `storeId` or `storeIds` in its payload, a revoked device's store) and the
 * region it names (a compliance rule's `region`, a desk code's
 * `region:<name>` scope). A region desk sees those touching its region and
 * those touching none (chain-wide: a release published, a plan set).
 */
import type { Kysely } from 'kysely';
import {
  centralActionSubject,
  centralActorOf,
  type CentralActionSubject,
} from '../../shared/audit/centralActions.ts';
import { SERVER_DEVICE_ID, SERVER_STORE_ID } from '../../shared/audit/serverEntry.ts';
import {
  centralActionsQuery,
  type CentralActionRow,
  type CentralActionsPage,
} from '../../shared/desk/centralActions.ts';
import type { ServerSchema } from '../db/schema.ts';
import type { DeskPrincipal } from '../desk/queries.ts';
import { parseInput } from '../errors.ts';

type Db = Kysely<ServerSchema>;

/** Rows read per round while a region desk's filter skips actions outside its region. */
const SCAN_BATCH = 200;
/** At most this many entries are read for one page; the page then ends early with its cursor. */
const MAX_SCANNED = 5_000;

type Candidate = {
  index: number;
  at: string;
  type: string;
  adminId: string;
  via: string;
  subject: CentralActionSubject | null;
  storeIds: string[];
  deviceId: string | null;
  userId: string | null;
  region: string | null;
};

function candidateOf(row: {
  idx: number | string;
  store_id: string;
  body: string;
}): Candidate | null {
  const event = JSON.parse(row.body) as { at: string; type: string; payload?: unknown };
  const payload = (event.payload ?? {}) as Record<string, unknown>;
  const actor = centralActorOf(payload);
  if (actor === null) return null;
  const storeIds = new Set<string>();
  if (row.store_id !== SERVER_STORE_ID) storeIds.add(row.store_id);
  if (typeof payload.storeId === 'string') storeIds.add(payload.storeId);
  if (Array.isArray(payload.storeIds))
    for (const s of payload.storeIds) if (typeof s === 'string') storeIds.add(s);
  const scope = typeof payload.scope === 'string' ? /^region:(.+)$/.exec(payload.scope) : null;
  const region = typeof payload.region === 'string' ? payload.region : (scope?.[1] ?? null);
  return {
    index: Number(row.idx),
    at: event.at,
    type: event.type,
    adminId: actor.adminId,
    via: actor.via,
    subject: centralActionSubject(payload),
    storeIds: [...storeIds],
    deviceId: typeof payload.deviceId === 'string' ? payload.deviceId : null,
    // A user created names their stores in the payload; a revoked one is looked up.
    userId:
      typeof payload.userId === 'string' && !Array.isArray(payload.storeIds)
        ? payload.userId
        : null,
    region,
  };
}

/** The server chain's seq below which the page starts (the entry at `before` or the last before it). */
async function seqBound(db: Db, before: number | undefined): Promise<number | null> {
  if (before === undefined) return null;
  const exact = await db
    .selectFrom('log_entries')
    .select(['device_id', 'seq'])
    .where('idx', '=', before)
    .executeTakeFirst();
  if (exact?.device_id === SERVER_DEVICE_ID) return Number(exact.seq);
  // Any other index: the first server entry at or after it bounds the page (indexes and seqs rise together).
  const after = await db
    .selectFrom('log_entries')
    .select('seq')
    .where('device_id', '=', SERVER_DEVICE_ID)
    .where('idx', '>=', before)
    .orderBy('seq')
    .limit(1)
    .executeTakeFirst();
  return after ? Number(after.seq) : Number.MAX_SAFE_INTEGER;
}

/** Whether a region desk may see the action; a desk for every store sees all. */
async function visibleTo(
  db: Db,
  principal: DeskPrincipal,
  batch: readonly Candidate[],
): Promise<(c: Candidate) => boolean> {
  const { scope } = principal;
  if (scope.kind === 'all') return () => true;
  // The stores behind a device or a user the action names only by id, read for the whole batch at once.
  const storesOf = new Map<string, string[]>();
  const deviceIds = [...new Set(batch.flatMap((c) => (c.deviceId ? [c.deviceId] : [])))];
  if (deviceIds.length > 0)
    for (const d of await db
      .selectFrom('devices')
      .select(['id', 'store_id'])
      .where('id', 'in', deviceIds)
      .execute())
      storesOf.set(`device:${d.id}`, [d.store_id]);
  const userIds = [...new Set(batch.flatMap((c) => (c.userId ? [c.userId] : [])))];
  if (userIds.length > 0)
    for (const u of await db
      .selectFrom('users')
      .select(['id', 'data'])
      .where('id', 'in', userIds)
      .execute())
      storesOf.set(`user:${u.id}`, (JSON.parse(u.data) as { storeIds?: string[] }).storeIds ?? []);
  const touched = (c: Candidate): string[] => [
    ...c.storeIds,
    ...(c.deviceId ? (storesOf.get(`device:${c.deviceId}`) ?? []) : []),
    ...(c.userId ? (storesOf.get(`user:${c.userId}`) ?? []) : []),
  ];
  const storeIds = [...new Set(batch.flatMap(touched))];
  const regionOf = new Map<string, string>();
  if (storeIds.length > 0)
    for (const s of await db
      .selectFrom('stores')
      .select(['id', 'data'])
      .where('id', 'in', storeIds)
      .execute())
      regionOf.set(s.id, (JSON.parse(s.data) as { region: string }).region);
  return (c) => {
    const stores = touched(c);
    const regions = new Set(
      stores.map((s) => regionOf.get(s)).filter((r): r is string => r !== undefined),
    );
    if (c.region !== null) regions.add(c.region);
    // A device never enrolled, or stores the catalog no longer has: only an all-stores desk sees it.
    const isUnplaced =
      regions.size === 0 &&
      (stores.length > 0 || (c.deviceId !== null && !storesOf.has(`device:${c.deviceId}`)));
    if (isUnplaced) return false;
    return regions.size === 0 || regions.has(scope.region);
  };
}

/** Names of the administrators asked for and of every one holding an admin token. */
async function adminNames(db: Db, ids: readonly string[]): Promise<Map<string, string>> {
  const holders = await db
    .selectFrom('tokens')
    .select('user_id')
    .distinct()
    .where('kind', '=', 'admin')
    .where('user_id', 'is not', null)
    .execute();
  const all = [...new Set([...ids, ...holders.flatMap((h) => (h.user_id ? [h.user_id] : []))])];
  const names = new Map<string, string>();
  if (all.length === 0) return names;
  for (const u of await db
    .selectFrom('users')
    .select(['id', 'data'])
    .where('id', 'in', all)
    .execute())
    names.set(u.id, (JSON.parse(u.data) as { name: string }).name);
  return names;
}

/** One page of central actions in the desk's scope, newest first. */
export async function deskCentralActions(
  db: Db,
  principal: DeskPrincipal,
  query: unknown,
  now: Date,
): Promise<CentralActionsPage> {
  const q = parseInput(centralActionsQuery, query, 'The central actions query');
  let bound = await seqBound(db, q.before);
  const picked: Candidate[] = [];
  let scanned = 0;
  let next: number | null = null;
  for (;;) {
    let read = db
      .selectFrom('log_entries')
      .select(['idx', 'seq', 'store_id', 'body'])
      .where('device_id', '=', SERVER_DEVICE_ID)
      // Canonical JSON sorts keys, so a payload naming its administrator holds one of these texts
      // (an admin's own call, or a desk action by a user of role admin); candidateOf confirms it.
      .where((eb) =>
        eb.or([
          eb('body', 'like', '%"actedBy":{"adminId":%'),
          eb('body', 'like', '%"actedBy":{"deskId":%,"role":"admin","userId":%'),
        ]),
      );
    if (bound !== null) read = read.where('seq', '<', bound);
    if (q.type !== undefined) read = read.where('type', '=', q.type);
    const rows = await read.orderBy('seq', 'desc').limit(SCAN_BATCH).execute();
    scanned += rows.length;
    const batch = rows
      .map(candidateOf)
      .filter(
        (c): c is Candidate => c !== null && (q.adminId === undefined || c.adminId === q.adminId),
      );
    const isVisible = await visibleTo(db, principal, batch);
    for (const c of batch) {
      if (!isVisible(c)) continue;
      picked.push(c);
      if (picked.length === q.limit) break;
    }
    const last = rows.at(-1);
    if (picked.length === q.limit) {
      next = picked.at(-1)!.index;
      break;
    }
    if (rows.length < SCAN_BATCH || last === undefined) break;
    bound = Number(last.seq);
    if (scanned >= MAX_SCANNED) {
      // A short page with a cursor: the next call goes on from here.
      next = Number(last.idx);
      break;
    }
  }
  const names = await adminNames(
    db,
    picked.map((c) => c.adminId),
  );
  const actions: CentralActionRow[] = picked.map((c) => ({
    index: c.index,
    at: c.at,
    type: c.type,
    adminId: c.adminId,
    adminName: names.get(c.adminId) ?? null,
    via: c.via,
    subject: c.subject,
    storeId: c.storeIds[0] ?? null,
  }));
  return {
    actions,
    next,
    admins: [...names]
      .map(([id, name]) => ({ id, name }))
      .sort((a, b) => a.name.localeCompare(b.name)),
    asOf: now.toISOString(),
  };
}
