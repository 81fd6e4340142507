/**
 * A structural fast path for feed pages (GET /v1/feed) on the console.
 *
 * A 5,000-entry page is 5,000 strict objects of eleven checked fields each;
 * zod builds a context, a result and an issue list per field, which was about
 * a seventh of the console's CPU in feed.catchup100k. This checks the same
 * rules in plain loops, with the patterns and bounds read from the protocol's
 * own schemas so the two cannot drift apart.
 *
 * It only ever *accepts* what `feedResponse` accepts: it returns the page
 * itself (JSON.parse output, so equal as data to what zod would return) or
 * `undefined` — "not sure, ask zod" — for anything else, and the caller then
 * runs the schema, which accepts or gives the precise error. The signed tree
 * head (one per page) always goes through zod. A differential test
 * (feedFastPath.test.ts) holds it to that.
 *
 * It does not replace any check of content: every event's hash, chain link,
 * index and the page's proof are still checked by checkFeedPage.
 */
import { type z } from 'zod';
import { MAX_FEED_PAGE, type FeedResponse } from '../../shared/sync/feed.ts';
import { auditActor, hex64, idText, isoTime, signedTreeHead } from '../../shared/sync/protocol.ts';

type Def = {
  pattern?: unknown;
  checks?: Array<{ _zod: { def: { check?: string; pattern?: unknown } } }>;
};

function patternOf(schema: z.ZodType): RegExp {
  const def = (schema as unknown as { _zod: { def: Def } })._zod.def;
  if (def.pattern instanceof RegExp) return def.pattern;
  const found = def.checks?.find((c) => c._zod.def.pattern instanceof RegExp)?._zod.def.pattern;
  if (!(found instanceof RegExp)) throw new Error('feed fast path: schema without a pattern');
  return found;
}

const ID = patternOf(idText);
const HEX64 = patternOf(hex64);
const ISO_TIME = patternOf(isoTime);
const ROLE_SET: ReadonlySet<unknown> = new Set(auditActor.shape.role.options);

const EVENT_KEYS = [
  'v',
  'id',
  'deviceId',
  'seq',
  'at',
  'actor',
  'storeId',
  'type',
  'payload',
  'prev',
  'hash',
] as const;
const WITHHELD_KEYS = ['deviceId', 'seq', 'hash', 'reason'] as const;
const PAGE_KEYS = ['entries', 'next', 'treeHead', 'proof'] as const;

function isPlain(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}

/** A strict object: exactly these keys, all own (zod's strict check walks `for…in`). */
function hasExactly(record: Record<string, unknown>, keys: readonly string[]): boolean {
  let count = 0;
  for (const key in record) {
    if (!Object.hasOwn(record, key)) return false;
    count++;
  }
  if (count !== keys.length) return false;
  for (const key of keys) if (!Object.hasOwn(record, key)) return false;
  return true;
}

// Identifiers are ASCII by their pattern, so UTF-16 length is zod's length.
const isId = (v: unknown): boolean =>
  typeof v === 'string' && v.length >= 1 && v.length <= 64 && ID.test(v);
const isHex64 = (v: unknown): boolean => typeof v === 'string' && HEX64.test(v);
const isLogInt = (v: unknown): boolean => Number.isSafeInteger(v) && (v as number) >= 0;
const isSeq = (v: unknown): boolean => Number.isSafeInteger(v) && (v as number) >= 1;

function isEvent(e: unknown): boolean {
  if (!isPlain(e) || !hasExactly(e, EVENT_KEYS)) return false;
  const actor = e['actor'];
  const type = e['type'];
  return (
    e['v'] === 1 &&
    isId(e['id']) &&
    isId(e['deviceId']) &&
    isSeq(e['seq']) &&
    typeof e['at'] === 'string' &&
    ISO_TIME.test(e['at']) &&
    isPlain(actor) &&
    hasExactly(actor, ['userId', 'role']) &&
    isId(actor['userId']) &&
    ROLE_SET.has(actor['role']) &&
    isId(e['storeId']) &&
    // Type names are ASCII in practice; a longer string in UTF-16 units is left to zod.
    typeof type === 'string' &&
    type.length >= 1 &&
    type.length <= 100 &&
    isPlain(e['payload']) &&
    isHex64(e['prev']) &&
    isHex64(e['hash'])
  );
}

function isWithheld(w: unknown): boolean {
  return (
    isPlain(w) &&
    hasExactly(w, WITHHELD_KEYS) &&
    isId(w['deviceId']) &&
    isSeq(w['seq']) &&
    isHex64(w['hash']) &&
    typeof w['reason'] === 'string'
  );
}

function isEntry(entry: unknown): boolean {
  if (!isPlain(entry) || !isLogInt(entry['index'])) return false;
  if (Object.hasOwn(entry, 'event'))
    return hasExactly(entry, ['index', 'event']) && isEvent(entry['event']);
  return hasExactly(entry, ['index', 'withheld']) && isWithheld(entry['withheld']);
}

/** The page when it surely matches `feedResponse`; `undefined`: run the schema. */
export function feedResponseFastPath(json: unknown): FeedResponse | undefined {
  if (!isPlain(json) || !hasExactly(json, PAGE_KEYS)) return undefined;
  const { entries, next, proof } = json;
  if (!Array.isArray(entries) || entries.length > MAX_FEED_PAGE) return undefined;
  if (next !== null && !isLogInt(next)) return undefined;
  if (!Array.isArray(proof)) return undefined;
  for (const h of proof) if (!isHex64(h)) return undefined;
  for (const entry of entries) if (!isEntry(entry)) return undefined;
  if (!signedTreeHead.safeParse(json['treeHead']).success) return undefined;
  return json as FeedResponse;
}
