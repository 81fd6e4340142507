/**
 * The canonical-line recogniser: reads an event line of the server's layout
 * without JSON.parse when it can prove the body is already the RFC 8785 text
 * that was hashed; anything else is left to JSON.parse + canonicalize. Also
 * what the verifier keeps of each event it read (EventFacts, ReadEvent) and
 * the hash check both paths share.
 */
import { canonicalEventText } from '../canonicalEvent.ts';
import {
  AUDIT_ACTOR_KEYS,
  AUDIT_EVENT_KEYS,
  canonicalBody,
  type AuditEventBody,
} from '../event.ts';
import { HEX64, hasExactKeys, isObject } from './bytes.ts';

/**
 * RFC 8785 text of an event without `hash`. Events of the usual shape (exactly
 * the format's keys) take the fixed-shape writer, which gives the same bytes
 * as the generic one; anything else, or anything it refuses, goes through the
 * generic `canonicalBody` (so its error messages stay the same).
 */
function canonicalText(ev: AuditEventBody & { hash: string }): string {
  const actor = (ev as { actor?: unknown }).actor;
  if (
    hasExactKeys(ev, AUDIT_EVENT_KEYS) &&
    isObject(actor) &&
    hasExactKeys(actor, AUDIT_ACTOR_KEYS)
  ) {
    try {
      return canonicalEventText(ev);
    } catch {
      // fall through: the generic writer decides and explains
    }
  }
  return canonicalBody(ev);
}

// Event lines as the central server writes them: the canonical body it
// stored and hashed, with `hash` appended (src/server/audit/bundle.ts):
//   {"kind":"event","index":N,"event":{"actor":…,"at":…,…,"v":1,"hash":"<hex>"}}
// When a line is exactly that and its body is canonical JSON as RFC 8785
// writes it, the text the slow path would hash (canonicalize(JSON.parse(body)))
// is the body itself: it is hashed as a slice of the line, without JSON.parse
// or re-serialising. The reader vouches only for a subset it can prove
// canonical by looking: no whitespace, no escapes, no control characters or
// surrogates, integers in shortest form within ±(2^53 − 1), object keys in
// strictly increasing UTF-16 order (so none twice). Anything else returns
// null and takes the slow path, which decides and explains.
export const EVENT_LINE_HEAD = '{"kind":"event","index":';
const EVENT_LINE_TAIL_LENGTH = ',"hash":"'.length + 64 + '"}}'.length;
// What JSON.stringify escapes, and surrogates (JCS refuses a lone one): such lines take the slow path.
// eslint-disable-next-line no-control-regex -- control characters are exactly what JSON escapes
const NEEDS_ESCAPING = /[\\\u0000-\u001f\ud800-\udfff]/;
const MAX_DEPTH = 32;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const COLON = 0x3a;
const MINUS = 0x2d;
const ZERO = 0x30;
const NINE = 0x39;
const QUOTE = 0x22;
const COMMA = 0x2c;

/** End of the string starting at s[i] (a quote), or -1. The line holds no escapes (checked once). */
function stringEnd(s: string, i: number, limit: number): number {
  if (s.charCodeAt(i) !== QUOTE) return -1;
  const close = s.indexOf('"', i + 1);
  return close < 0 || close >= limit ? -1 : close + 1;
}

/**
 * End of an integer in RFC 8785 form at s[i]: optional minus, no leading
 * zero, no "-0", a safe integer. The caller checks what follows, so "1.5" or
 * "1e3" fail there.
 */
function integerEnd(s: string, i: number, limit: number): number {
  let j = i;
  if (s.charCodeAt(j) === MINUS) j += 1;
  const first = j;
  while (j < limit) {
    const c = s.charCodeAt(j);
    if (c < ZERO || c > NINE) break;
    j += 1;
  }
  const digits = j - first;
  if (digits === 0 || digits > 16) return -1;
  if (s.charCodeAt(first) === ZERO && (digits > 1 || first > i)) return -1;
  if (digits === 16 && !Number.isSafeInteger(Number(s.slice(i, j)))) return -1;
  return j;
}

/** Whether key s[a, aEnd) sorts strictly before key s[b, bEnd) by UTF-16 code units (JCS order). */
function keyBefore(s: string, a: number, aEnd: number, b: number, bEnd: number): boolean {
  const n = Math.min(aEnd - a, bEnd - b);
  for (let k = 0; k < n; k++) {
    const x = s.charCodeAt(a + k);
    const y = s.charCodeAt(b + k);
    if (x !== y) return x < y;
  }
  return aEnd - a < bEnd - b;
}

function objectEnd(s: string, i: number, limit: number, depth: number): number {
  if (depth > MAX_DEPTH || s.charCodeAt(i) !== OPEN_BRACE) return -1;
  let j = i + 1;
  if (j < limit && s.charCodeAt(j) === CLOSE_BRACE) return j + 1;
  let lastKey = -1;
  let lastKeyEnd = -1;
  for (;;) {
    const keyEnd = stringEnd(s, j, limit);
    if (keyEnd < 0) return -1;
    if (lastKey >= 0 && !keyBefore(s, lastKey, lastKeyEnd, j + 1, keyEnd - 1)) return -1;
    lastKey = j + 1;
    lastKeyEnd = keyEnd - 1;
    if (keyEnd >= limit || s.charCodeAt(keyEnd) !== COLON) return -1;
    j = valueEnd(s, keyEnd + 1, limit, depth + 1);
    if (j < 0 || j >= limit) return -1;
    const c = s.charCodeAt(j);
    if (c === CLOSE_BRACE) return j + 1;
    if (c !== COMMA) return -1;
    j += 1;
  }
}

function arrayEnd(s: string, i: number, limit: number, depth: number): number {
  if (depth > MAX_DEPTH) return -1;
  let j = i + 1;
  if (j < limit && s.charCodeAt(j) === CLOSE_BRACKET) return j + 1;
  for (;;) {
    j = valueEnd(s, j, limit, depth + 1);
    if (j < 0 || j >= limit) return -1;
    const c = s.charCodeAt(j);
    if (c === CLOSE_BRACKET) return j + 1;
    if (c !== COMMA) return -1;
    j += 1;
  }
}

/** End of the canonical JSON value at s[i], or -1 for anything this reader does not vouch for. */
function valueEnd(s: string, i: number, limit: number, depth: number): number {
  if (i >= limit) return -1;
  const c = s.charCodeAt(i);
  if (c === QUOTE) return stringEnd(s, i, limit);
  if (c === OPEN_BRACE) return objectEnd(s, i, limit, depth);
  if (c === OPEN_BRACKET) return arrayEnd(s, i, limit, depth);
  if (c === MINUS || (c >= ZERO && c <= NINE)) return integerEnd(s, i, limit);
  for (const literal of ['true', 'false', 'null']) {
    if (s.startsWith(literal, i)) return i + literal.length <= limit ? i + literal.length : -1;
  }
  return -1;
}

/** i + literal's length if s continues with literal at i, else -1 (and -1 stays -1). */
function after(s: string, i: number, literal: string): number {
  return i >= 0 && s.startsWith(literal, i) ? i + literal.length : -1;
}

/** An event line read by its canonical layout: the body text that was hashed, and the facts the later checks need. */
export type CanonicalEventLine = { index: number; body: string; event: EventFacts };

/**
 * Reads an event line of the server's canonical layout (see above), or
 * returns null: then the line is not of that layout or holds something this
 * reader does not vouch for, and JSON.parse + canonicalize decide. Exported
 * for the differential tests against that slow path.
 */
export function readCanonicalEventLine(s: string): CanonicalEventLine | null {
  const tail = s.length - EVENT_LINE_TAIL_LENGTH;
  if (
    tail < 0 ||
    !s.startsWith(EVENT_LINE_HEAD) ||
    !s.startsWith(',"hash":"', tail) ||
    !s.endsWith('"}}') ||
    NEEDS_ESCAPING.test(s)
  ) {
    return null;
  }
  // The hash is one JSON string (no quote inside). Not checked for hex here: a
  // hash that matches the body is hex; the caller explains one that does not.
  if (s.indexOf('"', tail + 9) !== tail + 73) return null;
  const hash = s.slice(tail + 9, tail + 73);
  const indexStart = EVENT_LINE_HEAD.length;
  const indexEnd = integerEnd(s, indexStart, tail);
  if (indexEnd < 0 || s.charCodeAt(indexStart) === MINUS) return null;
  const bodyStart = after(s, indexEnd, ',"event":');
  // The body's members, in the only order RFC 8785 allows for the event's keys.
  const actorEnd = objectEnd(s, after(s, bodyStart, '{"actor":'), tail, 1);
  const atStart = after(s, actorEnd, ',"at":');
  const deviceIdStart = after(s, stringEnd(s, atStart, tail), ',"deviceId":');
  const deviceIdEnd = stringEnd(s, deviceIdStart, tail);
  const idStart = after(s, deviceIdEnd, ',"id":');
  const idEnd = stringEnd(s, idStart, tail);
  const payloadEnd = objectEnd(s, after(s, idEnd, ',"payload":'), tail, 1);
  const prevStart = after(s, payloadEnd, ',"prev":');
  const prevEnd = stringEnd(s, prevStart, tail);
  const seqStart = after(s, prevEnd, ',"seq":');
  const seqEnd = seqStart < 0 ? -1 : integerEnd(s, seqStart, tail);
  const storeIdStart = after(s, seqEnd, ',"storeId":');
  const storeIdEnd = stringEnd(s, storeIdStart, tail);
  const typeEnd = stringEnd(s, after(s, storeIdEnd, ',"type":'), tail);
  if (after(s, typeEnd, ',"v":1') !== tail) return null;
  return {
    index: Number(s.slice(indexStart, indexEnd)),
    body: s.slice(bodyStart, tail) + '}',
    event: {
      id: s.slice(idStart + 1, idEnd - 1),
      deviceId: s.slice(deviceIdStart + 1, deviceIdEnd - 1),
      seq: Number(s.slice(seqStart, seqEnd)),
      storeId: s.slice(storeIdStart + 1, storeIdEnd - 1),
      prev: s.slice(prevStart + 1, prevEnd - 1),
      hash,
    },
  };
}

/**
 * What the later checks need of an event, kept instead of the parsed event:
 * its hash is checked as the line is read (the failure, if any, is reported
 * in the same order as before), so 100,000 parsed events are not all kept
 * alive until the end.
 */
export type EventFacts = Pick<AuditEventBody, 'id' | 'deviceId' | 'seq' | 'storeId' | 'prev'> & {
  hash: string;
};
export type ReadEvent = {
  index: number;
  line: number;
  event: EventFacts;
  hashFailure: string | null;
};

export function hashFailure(
  ev: AuditEventBody & { hash: string },
  sha256Hex: (t: string) => string,
): string | null {
  let text: string;
  try {
    text = canonicalText(ev);
  } catch (error) {
    return `event cannot be canonicalized: ${(error as Error).message}`;
  }
  if (typeof ev.hash !== 'string' || !HEX64.test(ev.hash))
    return `event ${String(ev.id)} has a malformed hash`;
  if (sha256Hex(text) !== ev.hash)
    return `event ${String(ev.id)} does not match its hash (altered)`;
  return null;
}

// The canonical body ends with its type and `v` (RFC 8785 key order): a sign-off
// or a result is recognised on the fast path without parsing the body.
export const DECISION_TAIL = ',"type":"decision.recorded","v":1}';
export const RESULT_TAIL = ',"type":"checklist.result.recorded","v":1}';
