/**
 * The local hash-chained journal. Every change is one SQLite transaction that
 * updates the state tables *and* appends one audit event, so nothing is ever
 * in one and not the other. The journal is also the outbox: events with
 * seq > the acknowledged seq are what sync pushes.
 */
import { createHash } from 'node:crypto';
import { v7 as uuidv7 } from 'uuid';
import {
  GENESIS_PREV,
  canonicalBody,
  verifyChainTexts,
  type AuditActor,
  type AuditEvent,
  type AuditEventBody,
  type ChainFailure,
  type ChainSuccess,
  type Sha256Hex,
} from '../../shared/audit/event.ts';
import { EVENT_TYPES, type EventPayload, type EventType } from '../../shared/audit/eventTypes.ts';
import { AppError } from '../../shared/errors.ts';
import type { Db } from '../db/open.ts';

export const sha256Hex: Sha256Hex = (utf8) => createHash('sha256').update(utf8, 'utf8').digest('hex');

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

  // The head is cached and advanced only after a commit; one writer connection
  // means nothing else can move it underneath us.
  let head = (readHead.get() as { seq: number; hash: string } | undefined) ?? { seq: 0, hash: GENESIS_PREV };

  function append(change: NewEvent, at: { seq: number; hash: string }): AuditEvent {
    const spec = EVENT_TYPES[change.type];
    const parsed = spec.payload.safeParse(change.payload);
    if (!parsed.success) {
      throw new AppError('invalid_input', `The ${change.type} event is not valid: ${parsed.error.issues[0]?.message ?? 'bad payload'}.`);
    }
    if (!(spec.roles as readonly string[]).includes(change.actor.role)) {
      throw new AppError('forbidden', `Your role (${change.actor.role}) cannot record ${change.type}.`);
    }
    const body: AuditEventBody = {
      v: 1,
      id: uuidv7(),
      deviceId,
      seq: at.seq + 1,
      at: now().toISOString(),
      actor: { userId: change.actor.userId, role: change.actor.role },
      storeId: change.storeId,
      type: change.type,
      payload: parsed.data,
      prev: at.hash,
    };
    const text = canonicalBody(body);
    const hash = sha256Hex(text);
    insert.run(body.seq, body.id, body.at, body.type, body.storeId, body.actor.userId, text, hash);
    return { ...body, hash };
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
        const event = append(change, head);
        const result = change.apply(event);
        return { event, result };
      });
      const out = run.immediate();
      head = { seq: out.event.seq, hash: out.event.hash };
      notify(change.tables);
      return out;
    },
    recordMany(changes) {
      const run = db.sqlite.transaction(() => {
        let at = head;
        const events: AuditEvent[] = [];
        for (const change of changes) {
          const event = append(change, at);
          change.apply(event);
          events.push(event);
          at = { seq: event.seq, hash: event.hash };
        }
        return events;
      });
      const events = run.immediate();
      const last = events.at(-1);
      if (last) head = { seq: last.seq, hash: last.hash };
      notify(changes.flatMap((c) => c.tables));
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
