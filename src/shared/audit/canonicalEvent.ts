/**
 * The hot path of the journal, the server's push ingest and the bundle
 * verifier: the RFC 8785 text of an event body, written out for the one
 * shape every event has. The generic `canonicalBody` (shared) sorts
 * keys and walks the whole object for every event; here the top-level key
 * order is fixed and only the payload goes through the generic serializer.
 * The output is byte-for-byte the same (a property test holds it to that).
 */
import canonicalize from 'canonicalize';
import { assertIntegersOnly, type AuditEventBody } from './event.ts';

// Text JSON.stringify writes unchanged: no quote, backslash, control
// character or surrogate. Almost every value in an event is such text, and
// quoting it by hand is several times cheaper than a JSON.stringify call.
// eslint-disable-next-line no-control-regex -- control characters are exactly what JSON escapes
const PLAIN_TEXT = /^[^"\\\u0000-\u001f\ud800-\udfff]*$/;

/** JCS strings are ECMAScript JSON strings; lone surrogates are refused, as `canonicalize` does. */
function jcsString(value: unknown, field: string): string {
  if (typeof value !== 'string') throw new Error(`event.${field} must be a string`);
  if (PLAIN_TEXT.test(value)) return '"' + value + '"';
  if (!value.isWellFormed()) throw new Error(`event.${field} contains a lone surrogate`);
  return JSON.stringify(value);
}

// Device, store, user, role, type and (within one batch) time repeat from
// event to event: their JSON text is remembered instead of re-escaped.
const quoted = new Map<string, string>();
function jcsRepeated(value: unknown, field: string): string {
  if (typeof value !== 'string') throw new Error(`event.${field} must be a string`);
  let text = quoted.get(value);
  if (text === undefined) {
    text = jcsString(value, field);
    if (quoted.size >= 4096) quoted.clear();
    quoted.set(value, text);
  }
  return text;
}

// Payloads of one event type share their keys in the same order: the sorted
// order of the last key list seen is reused while the keys stay the same.
let lastKeys: string[] = [];
let lastSorted: string[] = [];
function sortedKeys(record: object): string[] {
  const keys = Object.keys(record);
  const n = keys.length;
  let same = n === lastKeys.length;
  for (let i = 0; same && i < n; i++) same = keys[i] === lastKeys[i];
  if (!same) {
    lastKeys = keys;
    lastSorted = [...keys].sort();
  }
  return lastSorted;
}

/**
 * Payloads are mostly flat objects of strings, integers, booleans and nulls:
 * those are written directly; nested values go through `canonicalize`.
 */
function canonicalPayload(payload: unknown): string {
  if (payload === null || typeof payload !== 'object' || Array.isArray(payload)) {
    throw new Error('event.payload must be a JSON object');
  }
  const record = payload as Record<string, unknown>;
  const keys = sortedKeys(record);
  let out = '{';
  for (const key of keys) {
    const value = record[key];
    let text: string;
    switch (typeof value) {
      case 'undefined':
        continue; // JSON has no undefined: the member is left out, as JSON.stringify does.
      case 'string':
        // The field name is only built for the error message.
        text = PLAIN_TEXT.test(value) ? '"' + value + '"' : jcsString(value, `payload.${key}`);
        break;
      case 'number':
        if (!Number.isSafeInteger(value)) {
          throw new Error(
            `event.payload.${key} is ${value}: numbers in audit events must be safe integers`,
          );
        }
        text = String(value);
        break;
      case 'boolean':
        text = value ? 'true' : 'false';
        break;
      case 'object': {
        if (value === null) {
          text = 'null';
          break;
        }
        assertIntegersOnly(value, `event.payload.${key}`);
        const nested = canonicalize(value);
        if (nested === undefined) throw new Error(`event.payload.${key} cannot be written as JSON`);
        text = nested;
        break;
      }
      case 'bigint':
      case 'symbol':
      case 'function':
        throw new Error(`event.payload.${key} cannot be written as JSON`);
    }
    out += (out.length === 1 ? '' : ',') + jcsRepeated(key, 'payload key') + ':' + text;
  }
  return out + '}';
}

/**
 * RFC 8785 canonical text of an event body (without `hash`). Keys in UTF-16
 * order: actor{role,userId}, at, deviceId, id, payload, prev, seq, storeId, type, v.
 */
export function canonicalEventText(body: AuditEventBody): string {
  if (!Number.isSafeInteger(body.seq))
    throw new Error(`event.seq is ${body.seq}: numbers in audit events must be safe integers`);
  if (body.v !== 1) throw new Error('event.v must be 1');
  const payload = canonicalPayload(body.payload);
  return (
    '{"actor":{"role":' +
    jcsRepeated(body.actor.role, 'actor.role') +
    ',"userId":' +
    jcsRepeated(body.actor.userId, 'actor.userId') +
    '},"at":' +
    jcsRepeated(body.at, 'at') +
    ',"deviceId":' +
    jcsRepeated(body.deviceId, 'deviceId') +
    ',"id":' +
    jcsString(body.id, 'id') +
    ',"payload":' +
    payload +
    ',"prev":' +
    jcsString(body.prev, 'prev') +
    ',"seq":' +
    String(body.seq) +
    ',"storeId":' +
    jcsRepeated(body.storeId, 'storeId') +
    ',"type":' +
    jcsRepeated(body.type, 'type') +
    ',"v":1}'
  );
}
