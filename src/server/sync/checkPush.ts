/**
 * Everything a push needs checked that needs no database (DESIGN.md §5): read
 * the raw body, check its shape, then each event's device, store, type,
 * payload, canonical text, hash and in-batch `prev`, and that the checkpoint
 * covers the last event. Pure and per push, so it runs either inline or on the
 * check worker (checkWorker.ts) with the same answers; the main thread then
 * only verifies the checkpoint signature and runs the transaction (push.ts).
 *
 * The result is columnar (arrays of strings, one buffer of leaf hashes): it is
 * what crosses the thread boundary, and 8 arrays clone far cheaper than 1,000
 * objects.
 */
import secureJsonParse from 'secure-json-parse';
import { canonicalEventText } from '../../shared/audit/canonicalEvent.ts';
import { terminalIdsOf } from '../../shared/audit/actorRule.ts';
import { GENESIS_PREV } from '../../shared/audit/event.ts';
import { EVENT_TYPES, isEventType } from '../../shared/audit/eventTypes.ts';
import { pushRequest, type PushRequest, type WireEvent } from '../../shared/sync/protocol.ts';
import { ServerError, parseInput } from '../errors.ts';
import { MAX_JSON_DEPTH, depthMessage, exceedsDepth } from '../http/jsonBody.ts';
import { sha256Hex } from '../log/keys.ts';
import { eventLeafHashes } from '../log/merkleLog.ts';
import { fastPushRequest } from './fastShape.ts';

export type PushPrincipal = { deviceId: string; storeId: string };

/** A push that passed every database-free check. Event i has seq firstSeq + i. */
export type CheckedPush = {
  deviceId: string;
  storeId: string;
  firstSeq: number;
  ids: string[];
  ats: string[];
  types: string[];
  /** The actor rule's inputs (sync/actorCheck.ts): each event's actor and the terminals it names. */
  actorUserIds: string[];
  actorRoles: string[];
  terminalIds: string[][];
  hashes: string[];
  /** RFC 8785 text of each event (what the log stores and hashes). */
  texts: string[];
  /** `prev` of the first event; the others link to the hash before them (checked). */
  firstPrev: string;
  checkpoint: { seq: number; head: string; signature: string };
  /** RFC 9162 leaf hash of each event, 32 bytes each, in one buffer. */
  leaves: Uint8Array<ArrayBuffer>;
};

// Fastify's own messages for an unreadable JSON body (FST_ERR_CTP_EMPTY_JSON_BODY,
// FST_ERR_CTP_INVALID_JSON_BODY), worded as the server's error handler words
// them for every other route, so the push route answers as it did when
// Fastify parsed its body.
const EMPTY_BODY_MESSAGE =
  "The request could not be read: Body cannot be empty when content-type is set to 'application/json'";
const INVALID_JSON_MESSAGE =
  "The request could not be read: Body is not valid JSON but content-type is set to 'application/json'";

// Fastify's default (onProtoPoisoning and onConstructorPoisoning 'error'): a
// body with a `__proto__` key or `constructor.prototype` is refused as
// unreadable, never parsed into an object that could poison a prototype.
const PARSE_OPTIONS = { protoAction: 'error', constructorAction: 'error' } as const;

/** Parses the raw push body as Fastify's default JSON parser would. */
function parsePushBody(body: Uint8Array): unknown {
  if (body.length === 0) throw new ServerError('invalid_input', EMPTY_BODY_MESSAGE);
  const text = Buffer.from(body.buffer, body.byteOffset, body.byteLength).toString('utf8');
  try {
    return secureJsonParse.parse(text, null, PARSE_OPTIONS);
  } catch {
    throw new ServerError('invalid_input', INVALID_JSON_MESSAGE);
  }
}

/** Runs every database-free check of a push body. Throws the first failure as a ServerError. */
export function checkPushBody(body: Uint8Array, principal: PushPrincipal): CheckedPush {
  const input = parsePushBody(body);
  const req = fastPushRequest(input) ?? slowPushRequest(input);
  if (req.deviceId !== principal.deviceId) {
    throw new ServerError(
      'wrong_device',
      `This token belongs to device ${principal.deviceId}, not ${req.deviceId}.`,
    );
  }
  const events = req.events;
  const last = events[events.length - 1]!;
  const texts = checkBatch(events, req.deviceId, principal.storeId);
  if (req.checkpoint.seq !== last.seq || req.checkpoint.head !== last.hash) {
    throw new ServerError(
      'invalid_input',
      `The checkpoint must cover the last event of the push (seq ${last.seq}).`,
    );
  }
  const hashes = events.map((e) => e.hash);
  const leafList = eventLeafHashes(hashes);
  const leaves = new Uint8Array(32 * leafList.length);
  leafList.forEach((leaf, i) => leaves.set(leaf, 32 * i));
  return {
    deviceId: req.deviceId,
    storeId: principal.storeId,
    firstSeq: events[0]!.seq,
    ids: events.map((e) => e.id),
    ats: events.map((e) => e.at),
    types: events.map((e) => e.type),
    actorUserIds: events.map((e) => e.actor.userId),
    actorRoles: events.map((e) => e.actor.role),
    terminalIds: events.map((e) => terminalIdsOf(e.payload)),
    hashes,
    texts,
    firstPrev: events[0]!.prev,
    checkpoint: {
      seq: req.checkpoint.seq,
      head: req.checkpoint.head,
      signature: req.checkpoint.signature,
    },
    leaves,
  };
}

/**
 * The zod schema's verdict on a body the fast path declined. A body nested
 * deeper than any push needs is refused first: zod's JSON check recurses and
 * would overflow the stack (a 4.7 KB payload of 2,000 levels once answered 500).
 */
function slowPushRequest(input: unknown): PushRequest {
  if (exceedsDepth(input, MAX_JSON_DEPTH))
    throw new ServerError('invalid_input', depthMessage(MAX_JSON_DEPTH));
  return parseInput(pushRequest, input, 'The push');
}

/** Canonical text of each event, after every check that needs no database. Throws the first failure. */
function checkBatch(events: readonly WireEvent[], deviceId: string, storeId: string): string[] {
  const first = events[0]!;
  const texts: string[] = [];
  events.forEach((event, i) => {
    const at = { seq: event.seq };
    if (event.deviceId !== deviceId) {
      throw new ServerError(
        'wrong_device',
        `Event ${event.id} belongs to device ${event.deviceId}, not to this device.`,
        at,
      );
    }
    if (event.seq !== first.seq + i) {
      throw new ServerError(
        'invalid_input',
        `Events of a push must have consecutive seq numbers; seq ${event.seq} follows ${first.seq + i - 1}.`,
        at,
      );
    }
    if (event.storeId !== storeId) {
      throw new ServerError(
        'wrong_store',
        `Event ${event.id} is for store ${event.storeId}, but this device is enrolled for store ${storeId}.`,
        at,
      );
    }
    if (!isEventType(event.type)) {
      throw new ServerError(
        'forbidden_event_type',
        `Event ${event.id} has the unknown type "${event.type}"; update the server or the console.`,
        at,
      );
    }
    // A role that may not record this type is the actor rule's business: the
    // event is well formed, so it is appended and quarantined (sync/actorCheck.ts),
    // not refused, and the device's later events still flow.
    const spec = EVENT_TYPES[event.type];
    const payload = spec.payload.safeParse(event.payload);
    if (!payload.success) {
      throw new ServerError(
        'invalid_input',
        `Event ${event.id} has an invalid payload for "${event.type}": ${payload.error.issues[0]?.message ?? 'malformed'}.`,
        at,
      );
    }
    let text: string;
    try {
      // The schema fixed the key set, so the fixed-shape JCS writer gives the
      // same bytes as the generic one (it reads every field except `hash`).
      text = canonicalEventText(event);
    } catch (error) {
      throw new ServerError(
        'invalid_input',
        `Event ${event.id} cannot be canonicalized: ${(error as Error).message}.`,
        at,
      );
    }
    if (sha256Hex(text) !== event.hash) {
      throw new ServerError(
        'bad_hash',
        `Event ${event.id} (seq ${event.seq}) does not match its hash: it was altered after it was recorded.`,
        at,
      );
    }
    const expectedPrev = i > 0 ? events[i - 1]!.hash : event.seq === 1 ? GENESIS_PREV : null;
    if (expectedPrev !== null && event.prev !== expectedPrev) {
      throw new ServerError(
        'bad_prev',
        `Event ${event.id} (seq ${event.seq}) does not link to the previous event of this device.`,
        at,
      );
    }
    texts.push(text);
  });
  return texts;
}
