/**
 * A structural fast path for the push body: the same rules as the zod
 * `pushRequest` schema (strict objects, types, lengths, patterns), written out
 * for the one shape a push has. It only ever *accepts* what the schema accepts:
 * anything it is unsure of returns null, and the caller then runs the zod
 * schema, which gives the precise error (or accepts). Parsing 1,000 events
 * with zod costs ~20 ms of CPU per push; this costs well under 1 ms.
 */
import { ROLES } from '../../shared/domain/roles.ts';
import { MAX_PUSH_EVENTS, isoTime, type PushRequest } from '../../shared/sync/protocol.ts';
import { AUDIT_ACTOR_KEYS, AUDIT_EVENT_KEYS } from '../../shared/audit/event.ts';

const HEX64 = /^[0-9a-f]{64}$/;
const ID_TEXT = /^[A-Za-z0-9_.:-]+$/;
const SIGNATURE = /^[A-Za-z0-9+/]{86}==$/;
const ROLE_SET: ReadonlySet<string> = new Set(ROLES);

// The schema's own ISO-8601 pattern (zod keeps it on the format's definition).
// If a zod upgrade moves it, the fast path declines every body and zod decides.
const ISO_PATTERN: RegExp | null = (() => {
  const pattern = (isoTime as unknown as { _zod?: { def?: { pattern?: unknown } } })._zod?.def
    ?.pattern;
  return pattern instanceof RegExp ? pattern : null;
})();

type Rec = Record<string, unknown>;

/** A plain object (as JSON.parse makes) whose own keys are exactly `keys`. */
function exactObject(v: unknown, keys: readonly string[]): v is Rec {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return false;
  const proto = Object.getPrototypeOf(v) as unknown;
  if (proto !== Object.prototype && proto !== null) return false;
  const own = Object.keys(v);
  if (own.length !== keys.length) return false;
  for (const k of keys) if (!Object.hasOwn(v, k)) return false;
  return true;
}

function isIdText(v: unknown): v is string {
  return typeof v === 'string' && v.length >= 1 && v.length <= 64 && ID_TEXT.test(v);
}

function isHex64(v: unknown): v is string {
  return typeof v === 'string' && v.length === 64 && HEX64.test(v);
}

function isPositiveSafeInt(v: unknown): v is number {
  return typeof v === 'number' && Number.isSafeInteger(v) && v >= 1;
}

/** z.json(): strings, finite numbers, booleans, null, arrays and plain objects of those. */
function isJson(v: unknown, depth: number): boolean {
  if (v === null) return true;
  switch (typeof v) {
    case 'string':
    case 'boolean':
      return true;
    case 'number':
      return Number.isFinite(v);
    case 'object': {
      if (depth > 32) return false;
      if (Array.isArray(v)) {
        for (const x of v) if (!isJson(x, depth + 1)) return false;
        return true;
      }
      const proto = Object.getPrototypeOf(v) as unknown;
      if (proto !== Object.prototype && proto !== null) return false;
      if (Object.hasOwn(v, '__proto__')) return false;
      for (const k of Object.keys(v)) if (!isJson((v as Rec)[k], depth + 1)) return false;
      return true;
    }
    case 'undefined':
    case 'bigint':
    case 'symbol':
    case 'function':
      return false;
  }
  return false;
}

const PUSH_KEYS = ['deviceId', 'events', 'checkpoint'] as const;
const CHECKPOINT_KEYS = ['seq', 'head', 'signature'] as const;

function isWireEvent(e: unknown, iso: RegExp): boolean {
  if (!exactObject(e, AUDIT_EVENT_KEYS)) return false;
  if (e.v !== 1) return false;
  if (!isIdText(e.id) || !isIdText(e.deviceId) || !isIdText(e.storeId)) return false;
  if (!isPositiveSafeInt(e.seq)) return false;
  if (typeof e.at !== 'string' || !iso.test(e.at)) return false;
  const actor = e.actor;
  if (!exactObject(actor, AUDIT_ACTOR_KEYS)) return false;
  if (!isIdText(actor.userId) || typeof actor.role !== 'string' || !ROLE_SET.has(actor.role))
    return false;
  if (typeof e.type !== 'string' || e.type.length < 1 || e.type.length > 100) return false;
  const payload = e.payload;
  // z.record(z.string(), z.json()): a JSON object (never an array or null).
  if (typeof payload !== 'object' || payload === null || Array.isArray(payload)) return false;
  if (!isJson(payload, 0)) return false;
  return isHex64(e.prev) && isHex64(e.hash);
}

/**
 * The push body if it certainly matches `pushRequest` (returned as is: JSON
 * input needs no copy), or null when the zod schema has to decide.
 */
export function fastPushRequest(input: unknown): PushRequest | null {
  const iso = ISO_PATTERN;
  if (iso === null) return null;
  if (!exactObject(input, PUSH_KEYS)) return null;
  if (!isIdText(input.deviceId)) return null;
  const cp = input.checkpoint;
  if (!exactObject(cp, CHECKPOINT_KEYS)) return null;
  if (!isPositiveSafeInt(cp.seq) || !isHex64(cp.head)) return null;
  if (typeof cp.signature !== 'string' || !SIGNATURE.test(cp.signature)) return null;
  const events = input.events;
  if (!Array.isArray(events) || events.length < 1 || events.length > MAX_PUSH_EVENTS) return null;
  for (const e of events) if (!isWireEvent(e, iso)) return null;
  return input as PushRequest;
}
