/**
 * Builds the audit bundle (shared/audit/bundle.ts) for one store and time
 * range: every event of the store whose `at` is in [from, to), widened to
 * whole seq ranges per device so the verifier can check each chain without
 * gaps, with the devices' keys, their checkpoints in range, the newest signed
 * tree head and one inclusion proof per event under it. With them, what the
 * actor rule needs (quarantine/catalog.ts): the log index from which it was
 * applied, every version of each user who acted and each terminal named, and
 * the quarantine mark of each quarantined event, so audit:verify re-applies it.
 */
import type { Kysely } from 'kysely';
import { BUNDLE_FORMAT, type BundleLine } from '../../shared/audit/bundle.ts';
import { bytesToHex } from '../../shared/audit/hex.ts';
import { combineSubtrees, completeSubtrees, inclusionRanges } from '../../shared/audit/merkle.ts';
import type { ServerSchema } from '../db/schema.ts';
import { sha256Bytes, type LogKey } from '../log/keys.ts';
import { fetchSubtrees, latestTreeHead } from '../log/merkleLog.ts';
import { ServerError } from '../errors.ts';
import { terminalIdsOf } from '../../shared/audit/actorRule.ts';
import { SERVER_DEVICE_ID, SERVER_STORE_ID } from '../../shared/audit/serverEntry.ts';
import { actorCatalogVersions, actorRuleStart } from '../quarantine/catalog.ts';

type Db = Kysely<ServerSchema>;

export async function buildBundle(
  db: Db,
  key: LogKey,
  now: () => Date,
  q: { storeId?: string | undefined; from?: string | undefined; to?: string | undefined },
): Promise<string[]> {
  if (q.storeId === undefined) {
    if (q.from !== undefined || q.to !== undefined) {
      throw new ServerError(
        'invalid_input',
        'A complete-log bundle covers the whole log: leave out from and to, or name a storeId.',
      );
    }
    // One transaction: the tree head and the entries are the same snapshot.
    return db.transaction().execute((trx) => buildCompleteBundle(trx, key, now));
  }
  return buildStoreBundle(db, key, now, { ...q, storeId: q.storeId });
}

/** The bundle's lines, built in one place for both kinds of bundle (the format is public). */
function headerLine(
  key: LogKey,
  now: () => Date,
  scope: { storeId: string | null; from: string | null; to: string | null },
): BundleLine {
  return {
    kind: 'header',
    v: 1,
    format: BUNDLE_FORMAT,
    logId: key.logId,
    logPublicKey: key.publicKey,
    ...scope,
    createdAt: now().toISOString(),
  };
}

/** An event exactly as it was hashed (the stored canonical body), plus its hash. */
function eventLine(index: number, body: string, hash: string): BundleLine {
  return { kind: 'event', index, event: { ...(JSON.parse(body) as object), hash } as never };
}

// RFC 8785 orders the event's keys, so its text starts with the actor: role, then userId.
const ACTOR_PREFIX = /^\{"actor":\{"role":"[^"\\]*","userId":("(?:[^"\\]|\\.)*")/;

/** The actor's user id and the terminals an event's canonical body names, without parsing the whole body when it names none. */
function actorAndTerminals(body: string): { userId: string | null; terminalIds: string[] } {
  const m = ACTOR_PREFIX.exec(body);
  const userId = m ? (JSON.parse(m[1]!) as string) : null;
  const terminalIds = body.includes('"terminal')
    ? terminalIdsOf((JSON.parse(body) as { payload: unknown }).payload)
    : [];
  return { userId, terminalIds };
}

/**
 * The actor-rule lines: where the rule starts, the catalog versions it reads
 * for these events (every version of each actor and terminal named, so the
 * verifier finds the one in force at each index), before the events.
 */
async function actorRuleLines(
  db: Db,
  bodies: ReadonlyArray<{ body: string }> | null,
): Promise<BundleLine[]> {
  let userIds: string[] | null = null;
  let terminalIds: string[] | null = null;
  if (bodies !== null) {
    const u = new Set<string>();
    const t = new Set<string>();
    for (const { body } of bodies) {
      const facts = actorAndTerminals(body);
      if (facts.userId !== null) u.add(facts.userId);
      for (const id of facts.terminalIds) t.add(id);
    }
    userIds = [...u];
    terminalIds = [...t];
  }
  const versions = await actorCatalogVersions(db, userIds, terminalIds);
  return [
    { kind: 'actor-rule', v: 1, fromIndex: await actorRuleStart(db) },
    ...versions.users.map((v): BundleLine => ({
      kind: 'user',
      userId: v.userId,
      fromIndex: v.fromIndex,
      role: v.role,
      storeIds: [...v.storeIds],
      isRevoked: v.isRevoked,
    })),
    ...versions.terminals.map((v): BundleLine => ({
      kind: 'terminal',
      terminalId: v.terminalId,
      fromIndex: v.fromIndex,
      storeId: v.storeId,
    })),
  ];
}

function quarantineLines(
  rows: ReadonlyArray<{ idx: number | string | bigint; quarantine_reason: string | null }>,
): BundleLine[] {
  const out: BundleLine[] = [];
  for (const r of rows)
    if (r.quarantine_reason !== null)
      out.push({
        kind: 'quarantine',
        index: Number(r.idx),
        reason: r.quarantine_reason as never,
      });
  return out;
}

function checkpointLine(
  deviceId: string,
  c: { seq: number | string | bigint; head: string; signature: string },
): BundleLine {
  return { kind: 'checkpoint', deviceId, seq: Number(c.seq), head: c.head, signature: c.signature };
}

/**
 * The whole log: every entry, every device, every checkpoint, the newest
 * signed tree head. No inclusion proofs: the verifier recomputes the root
 * from all entries, which also proves nothing was deleted, inserted or
 * reordered.
 */
export async function buildCompleteBundle(db: Db, key: LogKey, now: () => Date): Promise<string[]> {
  const signed = await latestTreeHead(db, key, now);
  const lines: BundleLine[] = [headerLine(key, now, { storeId: null, from: null, to: null })];
  const devices = await db
    .selectFrom('devices')
    .select(['id', 'store_id', 'public_key'])
    .orderBy('id')
    .execute();
  for (const d of devices)
    lines.push({ kind: 'device', deviceId: d.id, storeId: d.store_id, publicKey: d.public_key });
  // Server entries are vouched for by the log key itself (shared/audit/serverEntry.ts).
  const serverEntry = await db
    .selectFrom('log_entries')
    .select('idx')
    .where('device_id', '=', SERVER_DEVICE_ID)
    .limit(1)
    .executeTakeFirst();
  if (serverEntry)
    lines.push({
      kind: 'device',
      deviceId: SERVER_DEVICE_ID,
      storeId: SERVER_STORE_ID,
      publicKey: key.publicKey,
    });
  // Every stored row, even beyond the signed size: an appended forgery must show up, not hide past the tree head.
  const rows = await db
    .selectFrom('log_entries')
    .select(['idx', 'body', 'hash', 'quarantine_reason'])
    .orderBy('idx')
    .execute();
  // The whole catalog history: every user and terminal version.
  lines.push(...(await actorRuleLines(db, null)));
  for (const e of rows) lines.push(eventLine(Number(e.idx), e.body, e.hash));
  lines.push(...quarantineLines(rows));
  const cps = await db
    .selectFrom('checkpoints')
    .select(['device_id', 'seq', 'head', 'signature'])
    .orderBy('device_id')
    .orderBy('seq')
    .execute();
  for (const c of cps) lines.push(checkpointLine(c.device_id, c));
  lines.push({ kind: 'tree-head', treeHead: signed.treeHead, signature: signed.signature });
  return lines.map((l) => JSON.stringify(l));
}

async function buildStoreBundle(
  db: Db,
  key: LogKey,
  now: () => Date,
  q: { storeId: string; from?: string | undefined; to?: string | undefined },
): Promise<string[]> {
  const signed = await latestTreeHead(db, key, now);
  const size = signed.treeHead.size;
  let inRange = db
    .selectFrom('log_entries')
    .select(['device_id'])
    .select((eb) => [eb.fn.min('seq').as('lo'), eb.fn.max('seq').as('hi')])
    .where('store_id', '=', q.storeId)
    .where('idx', '<', size);
  if (q.from) inRange = inRange.where('at', '>=', q.from);
  if (q.to) inRange = inRange.where('at', '<', q.to);
  const ranges = await inRange.groupBy('device_id').orderBy('device_id').execute();

  const lines: BundleLine[] = [
    headerLine(key, now, { storeId: q.storeId, from: q.from ?? null, to: q.to ?? null }),
  ];
  const events: Array<{
    idx: number;
    body: string;
    hash: string;
    quarantine_reason: string | null;
  }> = [];
  const checkpoints: BundleLine[] = [];
  for (const r of ranges) {
    // The server's entries about this store: vouched for by the log key, and only this store's
    // (each has its own checkpoint, so the other stores' entries between them stay out).
    const isServer = r.device_id === SERVER_DEVICE_ID;
    const device = isServer
      ? { id: SERVER_DEVICE_ID, store_id: SERVER_STORE_ID, public_key: key.publicKey }
      : await db
          .selectFrom('devices')
          .select(['id', 'store_id', 'public_key'])
          .where('id', '=', r.device_id)
          .executeTakeFirstOrThrow();
    lines.push({
      kind: 'device',
      deviceId: device.id,
      storeId: device.store_id,
      publicKey: device.public_key,
    });
    let rowQuery = db
      .selectFrom('log_entries')
      .select(['idx', 'seq', 'body', 'hash', 'quarantine_reason'])
      .where('device_id', '=', r.device_id)
      .where('seq', '>=', Number(r.lo))
      .where('seq', '<=', Number(r.hi))
      .where('idx', '<', size);
    if (isServer) rowQuery = rowQuery.where('store_id', '=', q.storeId);
    if (isServer && q.from) rowQuery = rowQuery.where('at', '>=', q.from);
    if (isServer && q.to) rowQuery = rowQuery.where('at', '<', q.to);
    const rows = await rowQuery.execute();
    events.push(
      ...rows.map((row) => ({
        idx: Number(row.idx),
        body: row.body,
        hash: row.hash,
        quarantine_reason: row.quarantine_reason,
      })),
    );
    const cps = await db
      .selectFrom('checkpoints')
      .select(['seq', 'head', 'signature'])
      .where('device_id', '=', r.device_id)
      .where('seq', '>=', Number(r.lo))
      .where('seq', '<=', Number(r.hi))
      .orderBy('seq')
      .execute();
    const seqs = isServer ? new Set(rows.map((row) => Number(row.seq))) : null;
    for (const c of cps)
      if (seqs === null || seqs.has(Number(c.seq)))
        checkpoints.push(checkpointLine(r.device_id, c));
  }
  events.sort((a, b) => a.idx - b.idx);
  lines.push(...(await actorRuleLines(db, events)));
  for (const e of events) lines.push(eventLine(e.idx, e.body, e.hash));
  lines.push(...quarantineLines(events));
  lines.push(...checkpoints);
  lines.push({ kind: 'tree-head', treeHead: signed.treeHead, signature: signed.signature });

  // Proofs share most of their nodes: fetch each needed subtree once, in chunks.
  const shapes = events.map((e) =>
    inclusionRanges(e.idx, size).map((range) => completeSubtrees(range)),
  );
  const leafRefs = events.map((e) => ({ level: 0, index: e.idx }));
  const needed = new Map<string, { level: number; index: number }>();
  for (const ref of [...leafRefs, ...shapes.flat(2)]) needed.set(`${ref.level}:${ref.index}`, ref);
  const nodes = new Map<string, Uint8Array>();
  const all = [...needed.values()];
  for (let i = 0; i < all.length; i += 500) {
    for (const [k, v] of await fetchSubtrees(db, all.slice(i, i + 500))) nodes.set(k, v);
  }
  events.forEach((e, i) => {
    const path = shapes[i]!.map((refs) =>
      bytesToHex(
        combineSubtrees(
          refs.map((r) => nodes.get(`${r.level}:${r.index}`)!),
          sha256Bytes,
        ),
      ),
    );
    lines.push({
      kind: 'inclusion',
      index: e.idx,
      size,
      leafHash: bytesToHex(nodes.get(`0:${e.idx}`)!),
      path,
    });
  });
  return lines.map((l) => JSON.stringify(l));
}
