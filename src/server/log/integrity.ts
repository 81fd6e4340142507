/**
 * The server checks its own stored log. Everything a console or an auditor is
 * later shown (entries, proofs, new tree heads) is read back from the
 * database, so an edited row would otherwise be served, and signed over, as
 * if it were the log. At start and then on a schedule this monitor re-reads
 * what it has not verified yet and checks, independently of the append path:
 *
 * - each entry's body hashes (SHA-256) to its stored event hash, and the
 *   entries are gapless;
 * - the Merkle root recomputed from those hashes equals the root of every
 *   signed tree head in the range and of the log head, and each stored Merkle
 *   node (what proofs are built from) equals the recomputed subtree;
 * - the newest signed tree head's signature verifies under the log key.
 *
 * The first mismatch is an alarm that stays until an operator restarts the
 * server on a repaired database: an error log line, the
 * dearpos_log_integrity_ok gauge at 0, status() not ok (the readiness check),
 * and the guarded key refuses to sign any new tree head, so pushes are
 * answered `unavailable` and nothing new is built on the damaged log.
 *
 * Incremental: the recomputed frontier (the complete subtrees of the verified
 * prefix) is kept in memory, so a scheduled check reads only the entries
 * appended since. A restart verifies the whole log once before the server
 * answers: measured for 100,000 entries on SQLite, 0.52-0.62 s of CPU
 * (4.1-5.7 s wall on this shared, loaded 2-core machine).
 */
import type { Kysely } from 'kysely';
import { Counter, Gauge, Registry } from 'prom-client';
import { leafHash, nodeHash } from '../../shared/audit/merkle.ts';
import { treeHeadText } from '../../shared/audit/event.ts';
import type { ServerSchema } from '../db/schema.ts';
import { ServerError } from '../errors.ts';
import type { ServerLogger } from '../log.ts';
import { publicKeyFromRaw, sha256Bytes, sha256Hex, verifyEd25519, type LogKey } from './keys.ts';
import { LOWEST_STORED_LEVEL, toSignedTreeHead } from './merkleLog.ts';

type Db = Kysely<ServerSchema>;

export type IntegrityStatus = {
  ok: boolean;
  /** Why the log is not trusted (the first mismatch found), or why it is not verified yet. */
  reason?: string;
  /** Entries [0, verifiedSize) have been verified. */
  verifiedSize: number;
  /** When the last check finished (ISO), null before the first. */
  checkedAt: string | null;
};

export type LogIntegrityMonitor = {
  status(): IntegrityStatus;
  /** Verifies what has not been verified yet; concurrent calls share one run. */
  checkNow(): Promise<IntegrityStatus>;
  /** Checks every `intervalMs` (default 60 s) in the background. */
  start(intervalMs?: number): void;
  /** Stops the schedule and waits for a running check. */
  stop(): Promise<void>;
  /** For /readyz: not ready while the stored log is not trusted. */
  readiness(): { ok: true } | { ok: false; reason: string };
  /** The log key, refusing to sign while the log is not trusted. */
  readonly guardedKey: LogKey;
  /** Holds dearpos_log_integrity_ok, dearpos_log_verified_size, dearpos_log_integrity_failures_total. */
  readonly registry: Registry;
};

const DEFAULT_INTEGRITY_INTERVAL_MS = 60_000;
const PAGE = 4096;
const hashOf = (data: Uint8Array): Uint8Array => sha256Bytes(data);
const toHex = (bytes: Uint8Array): string =>
  Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex');

type Subtree = { level: number; index: number; hash: Uint8Array };

/** Root of the tree whose complete subtrees (largest first) are `stack`. */
function rootOf(stack: readonly Subtree[]): string {
  let acc = stack[stack.length - 1]!.hash;
  for (let i = stack.length - 2; i >= 0; i--) acc = nodeHash(stack[i]!.hash, acc, hashOf);
  return toHex(acc);
}

class Mismatch extends Error {}

export function createLogIntegrityMonitor(options: {
  db: Db;
  key: LogKey;
  log: Pick<ServerLogger, 'error' | 'info' | 'warn'>;
  now?: () => Date;
  /** The server's metrics registry (/metrics); a registry of its own by default. */
  registry?: Registry;
}): LogIntegrityMonitor {
  const { db, key, log } = options;
  const now = options.now ?? (() => new Date());
  const publicKey = publicKeyFromRaw(key.publicKey);
  let status: IntegrityStatus = {
    ok: false,
    reason: 'the stored log has not been verified yet',
    verifiedSize: 0,
    checkedAt: null,
  };
  // The verified prefix's complete subtrees, largest first.
  let frontier: Subtree[] = [];
  let running: Promise<IntegrityStatus> | null = null;
  let timer: NodeJS.Timeout | null = null;

  const registry = options.registry ?? new Registry();
  const okGauge = new Gauge({
    name: 'dearpos_log_integrity_ok',
    help: '1 while the stored log matches its signed tree heads, 0 after a mismatch (or before the first check)',
    registers: [registry],
  });
  const sizeGauge = new Gauge({
    name: 'dearpos_log_verified_size',
    help: 'Entries of the stored log verified against the signed tree heads',
    registers: [registry],
  });
  const failures = new Counter({
    name: 'dearpos_log_integrity_failures_total',
    help: 'Mismatches found between the stored log and its signed tree heads',
    registers: [registry],
  });
  okGauge.set(0);

  async function verifyPage(start: number, end: number, signedRoots: Map<number, string>) {
    const rows = await db
      .selectFrom('log_entries')
      .select(['idx', 'hash', 'body'])
      .where('idx', '>=', start)
      .where('idx', '<', end)
      .orderBy('idx')
      .execute();
    const completed: Subtree[] = [];
    let expected = start;
    for (const row of rows) {
      const idx = Number(row.idx);
      if (idx !== expected) throw new Mismatch(`log entry ${expected} is missing`);
      if (!/^[0-9a-f]{64}$/.test(row.hash) || sha256Hex(row.body) !== row.hash) {
        throw new Mismatch(
          `log entry ${idx}: the stored event does not hash to its stored hash (edited or damaged)`,
        );
      }
      frontier.push({ level: 0, index: idx, hash: leafHash(Buffer.from(row.hash, 'hex'), hashOf) });
      while (
        frontier.length >= 2 &&
        frontier[frontier.length - 1]!.level === frontier[frontier.length - 2]!.level
      ) {
        const right = frontier.pop()!;
        const left = frontier.pop()!;
        const node = {
          level: left.level + 1,
          index: left.index / 2,
          hash: nodeHash(left.hash, right.hash, hashOf),
        };
        frontier.push(node);
        if (node.level >= LOWEST_STORED_LEVEL) completed.push(node);
      }
      expected = idx + 1;
      const signed = signedRoots.get(expected);
      if (signed !== undefined && signed !== rootOf(frontier)) {
        throw new Mismatch(
          `the log's first ${expected} entries no longer give the root of the tree head signed for that size`,
        );
      }
    }
    if (expected !== end) throw new Mismatch(`log entry ${expected} is missing`);
    await compareStoredNodes(completed);
  }

  async function compareStoredNodes(nodes: readonly Subtree[]): Promise<void> {
    for (let i = 0; i < nodes.length; i += 200) {
      const chunk = nodes.slice(i, i + 200);
      const rows = await db
        .selectFrom('merkle_nodes')
        .select(['level', 'idx', 'hash'])
        .where((eb) =>
          eb.or(chunk.map((n) => eb.and([eb('level', '=', n.level), eb('idx', '=', n.index)]))),
        )
        .execute();
      const stored = new Map(rows.map((r) => [`${r.level}:${Number(r.idx)}`, r.hash]));
      for (const n of chunk) {
        const hash = stored.get(`${n.level}:${n.index}`);
        if (hash !== toHex(n.hash)) {
          throw new Mismatch(
            `the stored Merkle node ${n.level}:${n.index} ${hash === undefined ? 'is missing' : 'does not match the entries under it'}`,
          );
        }
      }
    }
  }

  async function run(): Promise<IntegrityStatus> {
    if (status.checkedAt !== null && !status.ok) return status; // an alarm stays raised
    const startedAt = Date.now();
    const from = status.verifiedSize;
    const savedFrontier = [...frontier];
    try {
      const head = await db
        .selectFrom('log_head')
        .select(['size', 'root'])
        .where('id', '=', 1)
        .executeTakeFirstOrThrow();
      const size = Number(head.size);
      if (size < from) {
        throw new Mismatch(
          `the log head says ${size} entries, but ${from} were already verified: the log was rolled back`,
        );
      }
      const heads = await db
        .selectFrom('tree_heads')
        .selectAll()
        .where('size', '>', from)
        .where('size', '<=', size)
        .orderBy('size')
        .execute();
      const signedRoots = new Map(heads.map((h) => [Number(h.size), h.root]));
      for (let start = from; start < size; start += PAGE) {
        await verifyPage(start, Math.min(size, start + PAGE), signedRoots);
      }
      if (size > 0 && rootOf(frontier) !== head.root) {
        throw new Mismatch(`the log head's root does not match its ${size} entries`);
      }
      const newest = heads[heads.length - 1];
      if (newest) {
        const signed = toSignedTreeHead(key, newest);
        if (!verifyEd25519(publicKey, treeHeadText(signed.treeHead), signed.signature)) {
          throw new Mismatch(
            `the stored tree head for size ${signed.treeHead.size} is not signed by this log's key`,
          );
        }
      }
      status = { ok: true, verifiedSize: size, checkedAt: now().toISOString() };
      okGauge.set(1);
      sizeGauge.set(size);
      if (size > from) {
        log.info(
          { from, to: size, ms: Date.now() - startedAt },
          'stored log verified against its signed tree heads',
        );
      }
    } catch (error) {
      frontier = savedFrontier;
      if (!(error instanceof Mismatch)) {
        // The database could not be read (a lost connection): not evidence of tampering. Try again next time.
        log.warn({ err: error }, 'the stored log could not be checked; will try again');
        return status;
      }
      status = {
        ok: false,
        reason: error.message,
        verifiedSize: from,
        checkedAt: now().toISOString(),
      };
      okGauge.set(0);
      failures.inc();
      log.error(
        { reason: error.message, verifiedSize: from },
        'LOG INTEGRITY ALARM: the stored log does not match its signed tree heads; no new tree head will be signed',
      );
    }
    return status;
  }

  const guardedKey: LogKey = {
    logId: key.logId,
    publicKey: key.publicKey,
    sign(text) {
      // Before the first check the log is not yet known to be good either, but
      // createServer runs that check before it serves, so only an alarm stops signing here.
      if (status.checkedAt !== null && !status.ok) {
        throw new ServerError(
          'unavailable',
          `The central log is halted: its stored data does not match its signed tree heads (${status.reason}). Nothing was recorded; an operator has been alerted.`,
        );
      }
      return key.sign(text);
    },
  };

  return {
    status: () => ({ ...status }),
    checkNow() {
      running ??= run().finally(() => {
        running = null;
      });
      return running;
    },
    start(intervalMs = DEFAULT_INTEGRITY_INTERVAL_MS) {
      if (timer) return;
      timer = setInterval(() => {
        void this.checkNow();
      }, intervalMs);
      timer.unref();
    },
    async stop() {
      if (timer) clearInterval(timer);
      timer = null;
      await running;
    },
    readiness: () =>
      status.ok
        ? { ok: true }
        : { ok: false, reason: `stored log not trusted: ${status.reason ?? 'not verified'}` },
    guardedKey,
    registry,
  };
}
