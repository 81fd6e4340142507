/**
 * The console's sync engine (DESIGN.md §5): pushes journal events above the
 * acknowledged seq in batches with a signed device checkpoint, pulls catalog
 * changes since the stored cursor, and checks every new signed tree head for
 * consistency with the last one it verified. A central history that fails the
 * check raises an alarm that stays (and halts sync) until a person reconnects.
 *
 * Nothing here sleeps for real in tests: `syncOnce()` is one step, and the
 * background loop's clock, randomness and sleep are injected.
 */
import { createHash } from 'node:crypto';
import { treeHeadText } from '../../shared/audit/event.ts';
import {
  eventLeafHashHex,
  verifyConsistencyHex,
  verifyInclusionHex,
  type Sha256,
} from '../../shared/audit/merkle.ts';
import type { QuarantinedEventPage, SyncStatus, UploadProgress } from '../../shared/sync/status.ts';
import type { ConsoleTable } from '../../shared/contract/tables.ts';
import { AppError } from '../../shared/errors.ts';
import {
  MAX_PUSH_EVENTS,
  tokenExpiresAt,
  type CatalogChange,
  type SignedTreeHead,
} from '../../shared/sync/protocol.ts';
import type { Journal } from '../audit/journal.ts';
import type { Db } from '../db/open.ts';
import type { Logger } from '../log.ts';
import { backoffDelayMs, DEFAULT_BACKOFF, type BackoffPolicy } from './backoff.ts';
import {
  createSyncClient,
  pushBodyBytes,
  SyncHttpError,
  type FetchLike,
  type SyncClient,
} from './client.ts';
import {
  generateDeviceKey,
  loadDeviceKey,
  publicKeyFromRawBase64,
  signCheckpoint,
  verifyEd25519,
} from './deviceKey.ts';
import { describeSyncError } from './errors.ts';
import { pullFeed } from './feed.ts';
import { pullStoreDeviceNames } from './storeDevices.ts';
import { downloadForeignEvidence } from './evidenceDownload.ts';
import { pullChainRequests } from '../feedback/chainRequests.ts';
import { recordAppendedRange } from './feedApply.ts';
import { PUSH_PIPELINE_DEPTH, runPushPipeline } from './pushPipeline.ts';
import { refusedAttachments, uploadPendingEvidence } from './evidenceUpload.ts';
import {
  countQuarantineMarks,
  listQuarantineMarks,
  recordQuarantineMarks,
} from './quarantineMarks.ts';
import type { SecretStore } from './secretStore.ts';
import {
  raiseAlarm,
  readSyncState,
  readTreeHead,
  saveEnrollment,
  setAckedSeq,
  setCatalogCursor,
  setDeviceToken,
  setOutcome,
  setTreeHead,
  type SyncState,
} from './state.ts';

/** Applies one page of catalog changes inside the engine's transaction (synchronous: better-sqlite3). */
export type CatalogApplier = (
  db: Db,
  changes: CatalogChange[],
  context: { isFirstPage: boolean; serverUrl: string },
) => void;

export type SyncEngineOptions = {
  db: Db;
  journal: Journal;
  secrets: SecretStore;
  log: Logger;
  applyCatalogChanges: CatalogApplier;
  /** Called after a pulled page changed the catalog (createApp turns it into `db:changed`). */
  onCatalogChanged?: () => void;
  /** Called after a feed page changed state tables (the tables touched, for `db:changed`). */
  onFeedApplied?: (tables: readonly ConsoleTable[]) => void;
  /** Entries per feed page (shared/sync/feed.ts MAX_FEED_PAGE by default). */
  feedPageSize?: number;
  now?: () => Date;
  random?: () => number;
  /** Waits `ms` or until `signal` aborts (sync:now, a new journal event). Injected so tests never sleep. */
  sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
  fetch?: FetchLike;
  batchSize?: number;
  /** Push requests in flight at once (pushPipeline.ts); 1 sends the next batch only after the ack. */
  pushPipelineDepth?: number;
  backoff?: BackoffPolicy;
  /** Pause between successful cycles when nothing is pending. */
  idleIntervalMs?: number;
  /** Per-request timeout. */
  timeoutMs?: number;
  /** Bytes per chunk of the resumable attachment upload (default CHUNK_BYTES). */
  attachmentChunkBytes?: number;
};

export type SyncOutcome =
  | { ok: true; pushed: number; pulled: number }
  | { ok: false; error: string; retryAfterMs: number | null };

export type SyncEngine = {
  status(): SyncStatus;
  /** This console's events the server quarantined, newest first (quarantineMarks.ts). */
  quarantined(q: {
    beforeSeq?: number | undefined;
    limit?: number | undefined;
  }): QuarantinedEventPage;
  onStatus(listener: (status: SyncStatus) => void): () => void;
  connect(input: {
    serverUrl: string;
    enrollmentCode: string;
    deviceName?: string | undefined;
  }): Promise<SyncStatus>;
  /** One full cycle: push everything pending, pull the catalog, verify the tree head. Never throws. */
  syncOnce(): Promise<SyncOutcome>;
  /** The wait before the next cycle of the background loop, given the failures so far. */
  nextDelayMs(): number;
  start(): void;
  stop(): Promise<void>;
};

/** The device token is rotated once it expires within this (a week of margin for a console that syncs rarely). */
export const TOKEN_RENEW_BEFORE_MS = 7 * 24 * 60 * 60 * 1000;

const ALARM_TEXT =
  'Central history was rewritten: the central server no longer shows the audit log this console verified before. Sync is stopped. Tell your release manager; reconnect only after they have checked the server.';

export function createSyncEngine(options: SyncEngineOptions): SyncEngine {
  const { db, journal, secrets, applyCatalogChanges } = options;
  const log = options.log.child({ scope: 'sync' });
  const now = options.now ?? (() => new Date());
  const random = options.random ?? Math.random;
  const sleep = options.sleep ?? realSleep;
  const batchSize = Math.min(options.batchSize ?? MAX_PUSH_EVENTS, MAX_PUSH_EVENTS);
  const pipelineDepth = options.pushPipelineDepth ?? PUSH_PIPELINE_DEPTH;
  const backoff = options.backoff ?? DEFAULT_BACKOFF;
  const idleIntervalMs = options.idleIntervalMs ?? 60_000;
  const listeners = new Set<(s: SyncStatus) => void>();

  let failures = 0;
  let retryAfterMs: number | null = null;
  let isOnline = false;
  let inFlight: Promise<SyncOutcome> | null = null;
  let running = false;
  let loopDone: Promise<void> | null = null;
  let wake = new AbortController();
  /** The attachment the resumable upload is sending now, shown on the sync screen. */
  let upload: UploadProgress | null = null;

  const selectPending = db.sqlite.prepare(
    'SELECT seq, body, hash FROM journal WHERE seq > ? ORDER BY seq LIMIT ?',
  );

  function clientFor(state: SyncState): SyncClient {
    return createSyncClient(state.server_url, {
      fetch: options.fetch,
      timeoutMs: options.timeoutMs,
    });
  }

  function status(): SyncStatus {
    const state = readSyncState(db);
    const headSeq = journal.head().seq;
    if (!state) {
      return {
        isEnrolled: false,
        isOnline: false,
        pendingEvents: headSeq,
        lastSuccessAt: null,
        lastError: null,
        serverUrl: null,
        treeHead: null,
        alarm: null,
        isSyncing: inFlight !== null,
      };
    }
    const head = readTreeHead(state);
    return {
      isEnrolled: true,
      isOnline,
      pendingEvents: Math.max(0, headSeq - state.acked_seq),
      lastSuccessAt: state.last_success_at,
      lastError: state.last_error,
      serverUrl: state.server_url,
      treeHead: head
        ? {
            size: head.treeHead.size,
            root: head.treeHead.root,
            at: head.treeHead.at,
            ...(state.tree_head_verified_at ? { verifiedAt: state.tree_head_verified_at } : {}),
          }
        : null,
      alarm: state.alarm,
      isSyncing: inFlight !== null,
      quarantinedEvents: countQuarantineMarks(db),
      upload,
      refusedAttachments: refusedAttachments(db),
    };
  }

  function emit(): void {
    if (listeners.size === 0) return;
    const s = status();
    for (const l of listeners) {
      try {
        l(s);
      } catch (error) {
        log.error({ err: error }, 'status listener failed');
      }
    }
  }

  // New journal events change the pending count and should be pushed soon.
  journal.onCommitted(() => {
    emit();
    if (failures === 0) wake.abort();
  });

  /** Checks the log's signature and id on a tree head; a bad one is an error, not proof of a rewrite. */
  function checkSignature(state: SyncState, head: SignedTreeHead): void {
    if (head.treeHead.logId !== state.log_id) {
      throw new AppError(
        'conflict',
        'The central server answered with a different audit log than the one this console enrolled with.',
      );
    }
    const key = publicKeyFromRawBase64(state.log_public_key);
    if (!verifyEd25519(key, treeHeadText(head.treeHead), head.signature)) {
      throw new AppError(
        'conflict',
        "The central server's tree head signature does not verify: the answer was not signed by the central log.",
      );
    }
  }

  /**
   * Moves the verified tree head forward to `next`, or raises the alarm when
   * `next` does not extend the last verified head.
   */
  async function advanceTreeHead(
    state: SyncState,
    client: SyncClient,
    next: SignedTreeHead,
  ): Promise<void> {
    checkSignature(state, next);
    const previous = readTreeHead(state);
    const verifiedAt = now().toISOString();
    if (previous && previous.treeHead.size > 0) {
      const a = previous.treeHead;
      const b = next.treeHead;
      let isConsistent: boolean;
      if (b.size < a.size) isConsistent = false;
      else if (b.size === a.size) isConsistent = b.root === a.root;
      else {
        const proof = await client.consistency(a.size, b.size);
        isConsistent =
          proof.first === a.size &&
          proof.second === b.size &&
          verifyConsistencyHex(proof, a.root, b.root, nodeSha256);
      }
      if (!isConsistent) {
        log.error({ previous: a, next: b }, 'central history was rewritten');
        raiseAlarm(
          db,
          `${ALARM_TEXT} (verified size ${a.size}, root ${a.root.slice(0, 12)}…; server now shows size ${b.size}, root ${b.root.slice(0, 12)}…)`,
        );
        throw new AlarmRaised();
      }
    }
    setTreeHead(db, next, verifiedAt);
  }

  type PushBatch = {
    rows: Array<{ seq: number; body: string; hash: string }>;
    lastSeq: number;
    body: Buffer;
    /** The acknowledged seq when this batch was sent: a later ack makes its seq_gap answer stale. */
    ackedAtSend: number;
  };

  async function pushAll(
    state: SyncState,
    client: SyncClient,
    key: NonNullable<ReturnType<typeof loadDeviceKey>>,
  ) {
    let acked = state.acked_seq;
    /** The last seq handed to a request; starts over from `acked` after a failure. */
    let prepared = acked;
    let pushed = 0;
    let gapRetries = 0;
    // Assigned inside the pipeline's callbacks (the casts keep TypeScript from narrowing them to null).
    let lastAppended = null as { index: number; hash: string } | null;
    let latestHead = null as SignedTreeHead | null;
    await runPushPipeline<PushBatch>({
      depth: pipelineDepth,
      prepare() {
        if (prepared >= journal.head().seq) return null;
        const rows = selectPending.all(prepared, batchSize) as PushBatch['rows'];
        const last = rows.at(-1);
        if (!last) return null;
        prepared = last.seq;
        const checkpoint = {
          seq: last.seq,
          head: last.hash,
          signature: signCheckpoint(key, journal.deviceId, last.seq, last.hash),
        };
        return {
          rows,
          lastSeq: last.seq,
          body: pushBodyBytes(journal.deviceId, rows, checkpoint),
          ackedAtSend: acked,
        };
      },
      send: (batch) => client.pushSerialized(state.device_token, batch.body),
      restart() {
        prepared = acked;
      },
      settle(batch, outcome) {
        if (!outcome.ok) {
          const error = outcome.error;
          if (
            error instanceof SyncHttpError &&
            error.body?.code === 'seq_gap' &&
            error.body.expectedSeq !== undefined
          ) {
            const serverLast = error.body.expectedSeq - 1;
            if (acked > batch.ackedAtSend && serverLast < acked) {
              // Sent while the batch before it was in flight, and the server saw it first
              // (two requests can arrive in either order). That batch is now acknowledged: resend.
              return 'resend';
            }
            // The server holds less than we believed (a restored server): resume from what it expects.
            const headSeq = journal.head().seq;
            if (serverLast > headSeq) {
              throw new AppError(
                'conflict',
                `The central server holds events up to #${serverLast} from this console, but this console only has ${headSeq}. Its database may have been restored from an old backup.`,
              );
            }
            if (++gapRetries > 3) throw error;
            log.warn({ acked, serverLast }, 'server expects an earlier seq; resuming from it');
            acked = serverLast;
            setAckedSeq(db, acked);
            emit();
            return 'resend';
          }
          throw error;
        }
        const ack = outcome.ack;
        isOnline = true;
        checkSignature(state, ack.treeHead);
        if (ack.ackSeq > journal.head().seq) {
          throw new AppError(
            'conflict',
            `The central server acknowledged event #${ack.ackSeq}, which this console never recorded.`,
          );
        }
        latestHead = ack.treeHead;
        // Appended but quarantined by the actor rule: noted before the ack
        // moves, so an event is never shown as accepted while it counts nowhere.
        if (ack.quarantined && ack.quarantined.length > 0)
          recordQuarantineMarks(db, ack.quarantined, now().toISOString());
        if (ack.appended)
          lastAppended = {
            index: ack.appended.lastIndex,
            hash: batch.rows[ack.appended.lastSeq - batch.rows[0]!.seq]?.hash ?? '',
          };
        if (ack.ackSeq > acked) {
          pushed += ack.ackSeq - acked;
          acked = ack.ackSeq;
          // Where the log put our events (the conflict rule orders own and foreign events by it), in the ack's own commit.
          const appended = ack.appended;
          db.sqlite.transaction(() => {
            if (appended) recordAppendedRange(db, appended);
            setAckedSeq(db, acked);
          })();
          emit();
        } else if (ack.appended) {
          recordAppendedRange(db, ack.appended);
        } else if (ack.ackSeq < batch.lastSeq) {
          throw new AppError(
            'unavailable',
            `The central server did not accept event #${acked + 1}; it will be retried.`,
          );
        }
        return 'next';
      },
    });
    return { pushed, lastAppended, latestHead };
  }

  /**
   * Rotates the device token when it expires within TOKEN_RENEW_BEFORE_MS, or
   * has already expired (a console offline for weeks: the server still renews
   * within its grace window), or carries no expiry (issued before tokens
   * expired). Runs first in a cycle, so no other request uses the old token.
   */
  async function renewTokenIfDue(state: SyncState, client: SyncClient): Promise<SyncState> {
    const expiresAt = tokenExpiresAt(state.device_token);
    if (expiresAt && expiresAt.getTime() - now().getTime() > TOKEN_RENEW_BEFORE_MS) return state;
    const renewed = await client.renewToken(state.device_token);
    isOnline = true;
    setDeviceToken(db, renewed.deviceToken);
    log.info({ expiresAt: renewed.expiresAt }, 'device token renewed');
    return readSyncState(db) ?? { ...state, device_token: renewed.deviceToken };
  }

  async function pullAll(state: SyncState, client: SyncClient): Promise<number> {
    let cursor = state.catalog_cursor;
    let pulled = 0;
    for (let page = 0; page < 10_000; page++) {
      const response = await client.changes(state.device_token, cursor);
      isOnline = true;
      if (response.changes.length > 0 || response.cursor !== cursor) {
        db.sqlite
          .transaction(() => {
            applyCatalogChanges(db, response.changes, {
              isFirstPage: cursor === null,
              serverUrl: state.server_url,
            });
            setCatalogCursor(db, response.cursor);
          })
          .immediate();
      }
      if (response.changes.length > 0) options.onCatalogChanged?.();
      pulled += response.changes.length;
      cursor = response.cursor;
      if (!response.hasMore) break;
    }
    return pulled;
  }

  async function cycle(): Promise<SyncOutcome> {
    const enrolled = readSyncState(db);
    if (!enrolled)
      return {
        ok: false,
        error: 'This console is not connected to a central server yet.',
        retryAfterMs: null,
      };
    if (enrolled.alarm) return { ok: false, error: enrolled.alarm, retryAfterMs: null };
    const key = loadDeviceKey(secrets);
    if (!key) {
      const message = `This console's device key is missing from ${secrets.kind}: reconnect it with a new enrollment code.`;
      setOutcome(db, { lastError: message });
      return { ok: false, error: message, retryAfterMs: null };
    }
    const client = clientFor(enrolled);
    try {
      // Before anything is sent: a server whose log no longer extends the tree
      // head verified last (rolled back, rewritten) must not receive events,
      // which it would append to a forked history. Raises the alarm if so.
      if (journal.head().seq > enrolled.acked_seq && readTreeHead(enrolled)) {
        await advanceTreeHead(enrolled, client, await client.treeHead());
      }
      const state = await renewTokenIfDue(enrolled, client);
      // Evidence files first: every event pushed must find the files it cites on the server.
      await uploadPendingEvidence({
        db,
        serverUrl: state.server_url,
        token: state.device_token,
        fetch: options.fetch,
        timeoutMs: options.timeoutMs,
        now,
        log,
        chunkBytes: options.attachmentChunkBytes,
        onProgress: (progress) => {
          upload = progress;
          emit();
        },
      });
      const { pushed, lastAppended } = await pushAll(state, client, key);
      const pulled = await pullAll(readSyncState(db) ?? state, client);
      const fresh = await client.treeHead();
      isOnline = true;
      await advanceTreeHead(readSyncState(db) ?? state, client, fresh);
      if (lastAppended && lastAppended.hash && lastAppended.index < fresh.treeHead.size) {
        // Our newest event must be in the log we just verified.
        const proof = await client.inclusion(lastAppended.index, fresh.treeHead.size);
        const isIncluded =
          proof.index === lastAppended.index &&
          proof.size === fresh.treeHead.size &&
          proof.leafHash === eventLeafHashHex(lastAppended.hash, nodeSha256) &&
          verifyInclusionHex(proof, fresh.treeHead.root, nodeSha256);
        if (isIncluded) {
          // Kept for the audit screen, which shows it offline.
          db.sqlite.prepare('UPDATE sync_state SET last_inclusion = ? WHERE singleton = 1').run(
            JSON.stringify({
              index: lastAppended.index,
              hash: lastAppended.hash,
              treeSize: fresh.treeHead.size,
              root: fresh.treeHead.root,
              verifiedAt: now().toISOString(),
            }),
          );
        }
        if (!isIncluded) {
          raiseAlarm(
            db,
            `${ALARM_TEXT} (event at log index ${lastAppended.index} is missing from the signed log)`,
          );
          throw new AlarmRaised();
        }
      }
      // The other devices' events of this store, checked against the tree head just verified.
      const verified = readSyncState(db) ?? state;
      // Their names first, so the badges the feed refreshes can show them.
      await pullStoreDeviceNames({
        db,
        serverUrl: verified.server_url,
        token: verified.device_token,
        fetch: options.fetch,
        timeoutMs: options.timeoutMs,
        log,
      });
      await pullFeed({
        db,
        client,
        token: verified.device_token,
        context: { storeId: verified.store_id, deviceId: journal.deviceId, head: fresh.treeHead },
        now,
        hasCatalogChanged: pulled > 0,
        pageSize: options.feedPageSize,
        onPageApplied: options.onFeedApplied,
      });
      // The files the feed's records cite, after the feed and never failing the cycle.
      await downloadForeignEvidence({
        db,
        serverUrl: verified.server_url,
        token: verified.device_token,
        fetch: options.fetch,
        timeoutMs: options.timeoutMs,
        log,
      });
      // Other stores' open feature requests, for suggestions offline; never failing the cycle either.
      await pullChainRequests({
        db,
        serverUrl: verified.server_url,
        token: verified.device_token,
        now,
        fetch: options.fetch,
        timeoutMs: options.timeoutMs,
        log,
      });
      failures = 0;
      retryAfterMs = null;
      setOutcome(db, { lastSuccessAt: now().toISOString(), lastError: null });
      return { ok: true, pushed, pulled };
    } catch (error) {
      failures += 1;
      const described = describeSyncError(error);
      if (error instanceof SyncHttpError && error.kind === 'network') isOnline = false;
      retryAfterMs = described.retryAfterMs;
      if (error instanceof AlarmRaised) {
        const alarm = readSyncState(db)?.alarm ?? ALARM_TEXT;
        return { ok: false, error: alarm, retryAfterMs: null };
      }
      if (described.isUnexpected) log.error({ err: error }, 'sync failed');
      else log.warn({ reason: described.message }, 'sync failed');
      setOutcome(db, { lastError: described.message });
      return { ok: false, error: described.message, retryAfterMs };
    }
  }

  function syncOnce(): Promise<SyncOutcome> {
    if (inFlight) return inFlight;
    inFlight = cycle().finally(() => {
      inFlight = null;
      emit();
    });
    emit();
    return inFlight;
  }

  function nextDelayMs(): number {
    if (failures === 0) {
      const state = readSyncState(db);
      const pending = state ? journal.head().seq - state.acked_seq : 0;
      return pending > 0 ? 0 : idleIntervalMs;
    }
    return Math.max(backoffDelayMs(failures, random, backoff), retryAfterMs ?? 0);
  }

  async function loop(): Promise<void> {
    while (running) {
      const state = readSyncState(db);
      if (state && !state.alarm) await syncOnce();
      if (!running) break;
      const delay = state && !state.alarm ? nextDelayMs() : idleIntervalMs;
      wake = new AbortController();
      await sleep(delay, wake.signal);
    }
  }

  return {
    status,
    quarantined: (q) => listQuarantineMarks(db, q),
    onStatus(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    async connect({ serverUrl, enrollmentCode, deviceName }) {
      const key = generateDeviceKey();
      const client = createSyncClient(serverUrl, {
        fetch: options.fetch,
        timeoutMs: options.timeoutMs,
      });
      let response;
      try {
        response = await client.enroll({
          code: enrollmentCode,
          deviceId: journal.deviceId,
          publicKey: key.publicKeyBase64,
          // Not the computer's name: store PCs are often all called the same.
          ...(deviceName ? { name: deviceName } : {}),
        });
      } catch (error) {
        const described = describeSyncError(error);
        throw new AppError(described.code, described.message);
      }
      if (response.deviceId !== journal.deviceId) {
        throw new AppError(
          'conflict',
          'The central server enrolled a different device id than this console has; nothing was changed.',
        );
      }
      const head = journal.head();
      if (response.lastSeq > head.seq) {
        throw new AppError(
          'conflict',
          `The central server already holds ${response.lastSeq} events from this console, more than it has (${head.seq}). Its database may have been restored from an old backup.`,
        );
      }
      // The key is kept only once the server has accepted it, so a failed
      // enrollment never breaks an existing one.
      key.store(secrets);
      saveEnrollment(db, {
        serverUrl,
        deviceToken: response.deviceToken,
        storeId: response.storeId,
        logId: response.logId,
        logPublicKey: response.logPublicKey,
        devicePublicKey: key.publicKeyBase64,
        enrolledAt: now().toISOString(),
        ackedSeq: response.lastSeq,
      });
      failures = 0;
      isOnline = true;
      log.info({ serverUrl, storeId: response.storeId }, 'enrolled with the central server');
      emit();
      wake.abort();
      return status();
    },
    syncOnce,
    nextDelayMs,
    start() {
      if (running) return;
      running = true;
      loopDone = loop().catch((error: unknown) => log.error({ err: error }, 'sync loop stopped'));
    },
    async stop() {
      running = false;
      wake.abort();
      await loopDone;
      await inFlight;
    },
  };
}

const nodeSha256: Sha256 = (data) => createHash('sha256').update(data).digest();

class AlarmRaised extends Error {
  constructor() {
    super('central history was rewritten');
    this.name = 'AlarmRaised';
  }
}

function realSleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const timer = setTimeout(done, ms);
    // The loop must never keep a process (a test, a CLI) alive on its own.
    timer.unref();
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}
