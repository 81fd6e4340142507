/**
 * The local hash-chained journal. Every change is one SQLite transaction that
 * updates the state tables *and* appends one audit event, so nothing is ever
 * in one and not the other. The journal is also the outbox: events with
 * seq > the acknowledged seq are what sync pushes.
 */
import type { ConsoleTable } from '../../shared/contract/tables.ts';
import { hash as oneShotHash } from 'node:crypto';
import { v7 as uuidv7 } from 'uuid';
import type { z } from 'zod';
import {
  GENESIS_PREV,
  verifyChainTexts,
  type AuditActor,
  type AuditEvent,
  type AuditEventBody,
  type ChainFailure,
  type ChainSuccess,
  type Sha256Hex,
} from '../../shared/audit/event.ts';
import {
  EVENT_TYPES,
  isEventType,
  type EventPayload,
  type EventType,
} from '../../shared/audit/eventTypes.ts';
import { AppError } from '../../shared/errors.ts';
import type { Db } from '../db/open.ts';
import { canonicalEventText } from './canonicalEvent.ts';
import { eventIdV7 } from './eventIds.ts';
import { compilePayloadFastPath, type PayloadFastPath } from './payloadFastPath.ts';

// One-shot hashing: about twice as fast as createHash().update().digest() for small inputs.
export const sha256Hex: Sha256Hex = (utf8) => oneShotHash('sha256', utf8, 'hex');

export type NewEvent<T extends EventType = EventType> = {
  type: T;
  storeId: string;
  actor: AuditActor;
  payload: EventPayload<T>;
};

export type Change<T extends EventType, R> = NewEvent<T> & {
  /** State-table writes; runs inside the same transaction as the append. */
  apply: (event: AuditEvent) => R;
  /** Tables the change writes, for the renderer's `db:changed` invalidation (declared readers: shared/contract/tables.ts). */
  tables: readonly ConsoleTable[];
};

export type Journal = {
  readonly deviceId: string;
  head(): { seq: number; hash: string };
  /** Validates, applies and appends in one transaction; throws and changes nothing on any failure. */
  record<T extends EventType, R>(change: Change<T, R>): { event: AuditEvent; result: R };
  /**
   * Many changes in one transaction (imports, benchmarks): all or nothing.
   * Each change's `apply` runs in order, right after its event is sealed, but
   * the batch's journal rows are written ROWS_PER_INSERT at a time: an `apply`
   * here must write state tables only, never read the journal.
   */
  recordMany<T extends EventType>(changes: Array<Change<T, unknown>>): AuditEvent[];
  verify(): ChainSuccess | ChainFailure;
  /** Listener for committed changes (tables touched). */
  onCommitted(listener: (tables: ConsoleTable[]) => void): () => void;
};

// Per payload schema: its compiled fast path, or null when it has none.
const fastPaths = new WeakMap<z.ZodType, PayloadFastPath | null>();

/** The payload as the schema outputs it; throws `invalid_input` with zod's message when it is not valid. */
function validPayload(
  type: EventType,
  schema: z.ZodType,
  input: unknown,
): AuditEventBody['payload'] {
  let fast = fastPaths.get(schema);
  if (fast === undefined) {
    fast = compilePayloadFastPath(schema);
    fastPaths.set(schema, fast);
  }
  const accepted = fast?.(input);
  if (accepted !== undefined) return accepted as AuditEventBody['payload'];
  const parsed = schema.safeParse(input);
  if (!parsed.success) {
    throw new AppError(
      'invalid_input',
      `The ${type} event is not valid: ${parsed.error.issues[0]?.message ?? 'bad payload'}.`,
    );
  }
  return parsed.data as AuditEventBody['payload'];
}

const INSERT_INTO_JOURNAL =
  'INSERT INTO journal (seq, id, at, type, store_id, actor_user_id, body, hash) VALUES ';
/**
 * Rows per INSERT statement in recordMany. Each statement run costs a bind
 * round trip, a VDBE start and a result object whatever its size; 64 rows
 * per run measured ~15% less SQLite CPU on a 100,000-event append than one
 * row per run (449 parameters, far below SQLite's limit of 32,766).
 */
export const ROWS_PER_INSERT = 64;
/** Values bound per row of the many-row INSERT: every column but `at`, which all rows of a batch share. */
const BOUND_PER_ROW = 7;
/** `@at` is one parameter however often it appears: bound once per statement, not once per row. */
const MANY_ROWS_TUPLE = '(?, ?, @at, ?, ?, ?, ?, ?)';

/** Page cache bytes a journal row needs, roughly (a ~600-byte body and its columns). */
const CACHE_BYTES_PER_EVENT = 1024;
/** The most page cache a big append may take (KiB), enough for 100,000 events; SQLite's default is 2 MB. */
const MAX_APPEND_CACHE_KIB = 128 * 1024;

/**
 * Runs a big append with a page cache large enough to hold what it writes.
 * With SQLite's 2 MB default a 100,000-event transaction keeps running out of
 * cache and writes its dirty pages to the WAL piecemeal while it runs (a
 * "cache spill"); holding them until the commit measured ~10% less CPU for
 * the inserts. The usual size comes back afterwards, so the memory is only
 * held while the append runs.
 */
function withCacheFor<T>(db: Db, events: number, fn: () => T): T {
  const kib = Math.min(MAX_APPEND_CACHE_KIB, Math.ceil((events * CACHE_BYTES_PER_EVENT) / 1024));
  const usual = db.sqlite.pragma('cache_size', { simple: true }) as number;
  // Negative cache sizes are in KiB; the usual one is already enough for a small batch.
  const pageBytes = db.sqlite.pragma('page_size', { simple: true }) as number;
  const usualKib = usual < 0 ? -usual : (usual * pageBytes) / 1024;
  if (kib <= usualKib) return fn();
  db.sqlite.pragma(`cache_size = -${kib}`);
  try {
    return fn();
  } finally {
    db.sqlite.pragma(`cache_size = ${usual}`);
  }
}

function ensureDeviceId(db: Db, now: () => Date = () => new Date()): string {
  const row = db.sqlite.prepare('SELECT device_id FROM device WHERE singleton = 1').get() as
    { device_id: string } | undefined;
  if (row) return row.device_id;
  const deviceId = uuidv7();
  db.sqlite
    .prepare('INSERT INTO device (singleton, device_id, created_at) VALUES (1, ?, ?)')
    .run(deviceId, now().toISOString());
  return deviceId;
}

export function createJournal(db: Db, options: { now?: () => Date } = {}): Journal {
  const now = options.now ?? (() => new Date());
  const deviceId = ensureDeviceId(db, now);
  const listeners = new Set<(tables: ConsoleTable[]) => void>();
  const insert = db.sqlite.prepare(INSERT_INTO_JOURNAL + '(?, ?, ?, ?, ?, ?, ?, ?)');
  // recordMany's rows go in ROWS_PER_INSERT at a time.
  const insertRows = db.sqlite.prepare(
    INSERT_INTO_JOURNAL + Array<string>(ROWS_PER_INSERT).fill(MANY_ROWS_TUPLE).join(', '),
  );
  const readHead = db.sqlite.prepare('SELECT seq, hash FROM journal ORDER BY seq DESC LIMIT 1');
  const currentHead = () =>
    (readHead.get() as { seq: number; hash: string } | undefined) ?? { seq: 0, hash: GENESIS_PREV };

  // Cached for head(); every transaction re-reads the real head first, so a
  // caller's outer transaction that rolls back can never leave the chain
  // pointing at an event that does not exist.
  let head = currentHead();

  /** Validates a change and makes its event: checked, chained and hashed; `text` is what was hashed. */
  function seal(
    change: NewEvent,
    prev: { seq: number; hash: string },
    at: string,
  ): { event: AuditEvent; text: string } {
    if (!isEventType(change.type)) {
      throw new AppError('invalid_input', `${String(change.type)} is not a known kind of event.`);
    }
    const spec = EVENT_TYPES[change.type];
    const payload = validPayload(change.type, spec.payload, change.payload);
    if (!(spec.roles as readonly string[]).includes(change.actor.role)) {
      throw new AppError(
        'forbidden',
        `Your role (${change.actor.role}) cannot record ${change.type}.`,
      );
    }
    // Made with its `hash` slot (filled below), so every event shares one object shape.
    const event: AuditEvent = {
      v: 1,
      id: eventIdV7(),
      deviceId,
      seq: prev.seq + 1,
      at,
      actor: { userId: change.actor.userId, role: change.actor.role },
      storeId: change.storeId,
      type: change.type,
      payload,
      prev: prev.hash,
      hash: '',
    };
    let text: string;
    try {
      text = canonicalEventText(event);
    } catch (error) {
      throw new AppError(
        'invalid_input',
        `The ${change.type} event cannot be recorded: ${(error as Error).message}.`,
      );
    }
    event.hash = sha256Hex(text);
    return { event, text };
  }

  function append(change: NewEvent, prev: { seq: number; hash: string }, at: string): AuditEvent {
    const { event, text } = seal(change, prev, at);
    insert.run(
      event.seq,
      event.id,
      at,
      event.type,
      event.storeId,
      event.actor.userId,
      text,
      event.hash,
    );
    return event;
  }

  function notify(tables: Iterable<ConsoleTable>) {
    const list = [...new Set<ConsoleTable>(['journal', ...tables])];
    for (const l of listeners) l(list);
  }

  return {
    deviceId,
    head: () => ({ ...head }),
    record(change) {
      const run = db.sqlite.transaction(() => {
        const event = append(change, currentHead(), now().toISOString());
        const result = change.apply(event);
        return { event, result };
      });
      const out = run.immediate();
      db.checkpointer.afterCommit();
      head = { seq: out.event.seq, hash: out.event.hash };
      notify(change.tables);
      return out;
    },
    recordMany(changes) {
      const tables = new Set<ConsoleTable>();
      const run = db.sqlite.transaction(() => {
        let prev = currentHead();
        // The events of one transaction commit together, so they carry one time.
        const at = now().toISOString();
        const events: AuditEvent[] = new Array<AuditEvent>(changes.length);
        const shared = { at };
        // The values of the rows not inserted yet, BOUND_PER_ROW per row.
        const pending: Array<string | number> = new Array<string | number>(
          ROWS_PER_INSERT * BOUND_PER_ROW,
        ).fill(at);
        let pendingRows = 0;
        for (let i = 0; i < changes.length; i++) {
          const change = changes[i]!;
          const { event, text } = seal(change, prev, at);
          let k = pendingRows * BOUND_PER_ROW;
          pending[k++] = event.seq;
          pending[k++] = event.id;
          pending[k++] = event.type;
          pending[k++] = event.storeId;
          pending[k++] = event.actor.userId;
          pending[k++] = text;
          pending[k] = event.hash;
          if (++pendingRows === ROWS_PER_INSERT) {
            insertRows.run(pending, shared);
            pendingRows = 0;
          }
          // This change's state writes still run before the next change is sealed.
          change.apply(event);
          for (const t of change.tables) tables.add(t);
          events[i] = event;
          prev = event;
        }
        for (let r = 0; r < pendingRows; r++) {
          const k = r * BOUND_PER_ROW;
          insert.run(
            pending[k],
            pending[k + 1],
            at,
            pending[k + 2],
            pending[k + 3],
            pending[k + 4],
            pending[k + 5],
            pending[k + 6],
          );
        }
        return events;
      });
      const events = withCacheFor(db, changes.length, () => run.immediate());
      db.checkpointer.afterCommit();
      const last = events.at(-1);
      if (last) head = { seq: last.seq, hash: last.hash };
      notify(tables);
      return events;
    },
    verify() {
      const rows = db.sqlite
        .prepare('SELECT seq, body, hash FROM journal ORDER BY seq')
        .iterate() as Iterable<{
        seq: number;
        body: string;
        hash: string;
      }>;
      return verifyChainTexts(rows, sha256Hex, { deviceId });
    },
    onCommitted(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
