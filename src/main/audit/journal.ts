/**
 * The local hash-chained journal. Every change is one SQLite transaction that
 * updates the state tables *and* appends one audit event, so nothing is ever
 * in one and not the other. The journal is also the outbox: events with
 * seq > the acknowledged seq are what sync pushes.
 */
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
import { EVENT_TYPES, isEventType, type EventPayload, type EventType } from '../../shared/audit/eventTypes.ts';
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
  /** Tables the change touches, for the renderer's `db:changed` invalidation. */
  tables: readonly string[];
};

export type Journal = {
  readonly deviceId: string;
  head(): { seq: number; hash: string };
  /** Validates, applies and appends in one transaction; throws and changes nothing on any failure. */
  record<T extends EventType, R>(change: Change<T, R>): { event: AuditEvent; result: R };
  /** Many changes in one transaction (imports, benchmarks): all or nothing. */
  recordMany<T extends EventType>(changes: Array<Change<T, unknown>>): AuditEvent[];
  verify(): ChainSuccess | ChainFailure;
  /** Listener for committed changes (tables touched). */
  onCommitted(listener: (tables: string[]) => void): () => void;
};

// Per payload schema: its compiled fast path, or null when it has none.
const fastPaths = new WeakMap<z.ZodType, PayloadFastPath | null>();

/** The payload as the schema outputs it; throws `invalid_input` with zod's message when it is not valid. */
function validPayload(type: EventType, schema: z.ZodType, input: unknown): AuditEventBody['payload'] {
  let fast = fastPaths.get(schema);
  if (fast === undefined) {
    fast = compilePayloadFastPath(schema);
    fastPaths.set(schema, fast);
  }
  const accepted = fast?.(input);
  if (accepted !== undefined) return accepted as AuditEventBody['payload'];
  const parsed = schema.safeParse(input);
  if (!parsed.success) {
    throw new AppError('invalid_input', `The ${type} event is not valid: ${parsed.error.issues[0]?.message ?? 'bad payload'}.`);
  }
  return parsed.data as AuditEventBody['payload'];
}

export function ensureDeviceId(db: Db, now: () => Date = () => new Date()): string {
  const row = db.sqlite.prepare('SELECT device_id FROM device WHERE singleton = 1').get() as
    | { device_id: string }
    | undefined;
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
  const listeners = new Set<(tables: string[]) => void>();
  const insert = db.sqlite.prepare(
    'INSERT INTO journal (seq, id, at, type, store_id, actor_user_id, body, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
  );
  const readHead = db.sqlite.prepare('SELECT seq, hash FROM journal ORDER BY seq DESC LIMIT 1');
  const currentHead = () => (readHead.get() as { seq: number; hash: string } | undefined) ?? { seq: 0, hash: GENESIS_PREV };

  // Cached for head(); every transaction re-reads the real head first, so a
  // caller's outer transaction that rolls back can never leave the chain
  // pointing at an event that does not exist.
  let head = currentHead();

  function append(change: NewEvent, prev: { seq: number; hash: string }, at: string): AuditEvent {
    if (!isEventType(change.type)) {
      throw new AppError('invalid_input', `${String(change.type)} is not a known kind of event.`);
    }
    const spec = EVENT_TYPES[change.type];
    const payload = validPayload(change.type, spec.payload, change.payload);
    if (!(spec.roles as readonly string[]).includes(change.actor.role)) {
      throw new AppError('forbidden', `Your role (${change.actor.role}) cannot record ${change.type}.`);
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
      throw new AppError('invalid_input', `The ${change.type} event cannot be recorded: ${(error as Error).message}.`);
    }
    event.hash = sha256Hex(text);
    insert.run(event.seq, event.id, at, event.type, event.storeId, event.actor.userId, text, event.hash);
    return event;
  }

  function notify(tables: Iterable<string>) {
    const list = [...new Set(['journal', ...tables])];
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
      const tables = new Set<string>();
      const run = db.sqlite.transaction(() => {
        let prev = currentHead();
        // The events of one transaction commit together, so they carry one time.
        const at = now().toISOString();
        const events: AuditEvent[] = new Array<AuditEvent>(changes.length);
        for (let i = 0; i < changes.length; i++) {
          const change = changes[i]!;
          const event = append(change, prev, at);
          change.apply(event);
          for (const t of change.tables) tables.add(t);
          events[i] = event;
          prev = event;
        }
        return events;
      });
      const events = run.immediate();
      db.checkpointer.afterCommit();
      const last = events.at(-1);
      if (last) head = { seq: last.seq, hash: last.hash };
      notify(tables);
      return events;
    },
    verify() {
      const rows = db.sqlite.prepare('SELECT seq, body, hash FROM journal ORDER BY seq').iterate() as Iterable<{
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
