/**
 * The audit event format of DESIGN.md §5. Public: an auditor re-implements it
 * with SHA-256 and RFC 8785 alone, so nothing here may depend on our runtime.
 * Hashing is injected (`Sha256Hex`) because `shared` runs in the renderer too
 * and the back end wants node:crypto's speed on the hot path.
 */
import canonicalize from 'canonicalize';
import type { Role } from '../domain/roles.ts';

export const GENESIS_PREV = '0'.repeat(64);

export type AuditActor = { userId: string; role: Role };

export type JsonValue = null | boolean | number | string | JsonValue[] | { [k: string]: JsonValue };

/** What is hashed: the event without its `hash` field. */
export type AuditEventBody = {
  v: 1;
  id: string;
  deviceId: string;
  seq: number;
  at: string;
  actor: AuditActor;
  storeId: string;
  type: string;
  payload: { [k: string]: JsonValue };
  prev: string;
};

export type AuditEvent = AuditEventBody & { hash: string };

/** Every field of a sealed event, and of its actor: an event has exactly these. */
export const AUDIT_EVENT_KEYS = [
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
export const AUDIT_ACTOR_KEYS = ['userId', 'role'] as const;

/** Lowercase hex SHA-256 of the UTF-8 bytes of a string. */
export type Sha256Hex = (utf8: string) => string;

const HEX64 = /^[0-9a-f]{64}$/;

/** Events carry integers only (durations in ms, amounts in minor units). */
export function assertIntegersOnly(value: unknown, path = 'event'): void {
  if (typeof value === 'number') {
    if (!Number.isSafeInteger(value)) {
      throw new Error(`${path} is ${value}: numbers in audit events must be safe integers`);
    }
  } else if (Array.isArray(value)) {
    value.forEach((v, i) => assertIntegersOnly(v, `${path}[${i}]`));
  } else if (value !== null && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) assertIntegersOnly(v, `${path}.${k}`);
  }
}

/** RFC 8785 canonical JSON of the event body (never includes `hash`). */
export function canonicalBody(body: AuditEventBody): string {
  const { hash: _ignored, ...rest } = body as AuditEventBody & { hash?: string };
  assertIntegersOnly(rest);
  const text = canonicalize(rest);
  if (text === undefined) throw new Error('event cannot be canonicalized');
  return text;
}

function hashBody(body: AuditEventBody, sha256Hex: Sha256Hex): string {
  return sha256Hex(canonicalBody(body));
}

export function sealEvent(body: AuditEventBody, sha256Hex: Sha256Hex): AuditEvent {
  return { ...body, hash: hashBody(body, sha256Hex) };
}

/** Bytes a device signs (Ed25519) to vouch for its chain up to `seq`. */
export function checkpointText(deviceId: string, seq: number, head: string): string {
  return canonicalize({ kind: 'device-checkpoint', v: 1, deviceId, seq, head }) as string;
}

export type TreeHead = {
  kind: 'tree-head';
  v: 1;
  logId: string;
  size: number;
  root: string;
  at: string;
};

/** Bytes the central log signs (Ed25519) for a tree head. */
export function treeHeadText(head: TreeHead): string {
  return canonicalize(head) as string;
}

export type ChainFailure = {
  ok: false;
  /** The first event that does not verify (by position in the chain). */
  seq: number;
  id: string | null;
  reason: string;
};
export type ChainSuccess = { ok: true; count: number; head: string };

/**
 * A stored event as the journal keeps it: the exact canonical text that was
 * hashed, and the hash. Verifying the text (not a re-serialised object) means
 * a flipped byte anywhere in storage is caught.
 */
export type StoredEventText = { seq: number; body: string; hash: string };

/**
 * Verifies one device's chain: canonical form, hash, `prev` link, gapless seq
 * starting at `startSeq` after `startPrev`. Stops at the first failure and
 * names it precisely.
 */
export function verifyChainTexts(
  events: Iterable<StoredEventText>,
  sha256Hex: Sha256Hex,
  options: { deviceId?: string; startSeq?: number; startPrev?: string } = {},
): ChainSuccess | ChainFailure {
  let expectedSeq = options.startSeq ?? 1;
  let prev = options.startPrev ?? GENESIS_PREV;
  let deviceId = options.deviceId ?? null;
  let count = 0;
  for (const stored of events) {
    const fail = (reason: string, id: string | null = null): ChainFailure => ({
      ok: false,
      seq: stored.seq,
      id,
      reason,
    });
    let body: AuditEventBody;
    try {
      body = JSON.parse(stored.body) as AuditEventBody;
    } catch {
      return fail(`event at seq ${stored.seq} is not valid JSON`);
    }
    const id = typeof body?.id === 'string' ? body.id : null;
    if (typeof body !== 'object' || body === null || Array.isArray(body)) {
      return fail(`event at seq ${stored.seq} is not a JSON object`, id);
    }
    let canonical: string;
    try {
      canonical = canonicalBody(body);
    } catch (e) {
      return fail(`event ${id} cannot be canonicalized: ${(e as Error).message}`, id);
    }
    if (canonical !== stored.body) return fail(`event ${id} is not stored in canonical form`, id);
    if (body.v !== 1) return fail(`event ${id} has unknown format version ${String(body.v)}`, id);
    if (stored.seq !== expectedSeq || body.seq !== expectedSeq) {
      return fail(
        `event ${id} has seq ${body.seq} (stored as ${stored.seq}), expected ${expectedSeq}`,
        id,
      );
    }
    if (deviceId !== null && body.deviceId !== deviceId) {
      return fail(`event ${id} belongs to device ${body.deviceId}, expected ${deviceId}`, id);
    }
    deviceId = body.deviceId;
    if (body.prev !== prev)
      return fail(`event ${id} does not link to the previous event (prev mismatch)`, id);
    if (!HEX64.test(stored.hash)) return fail(`event ${id} has a malformed hash`, id);
    const hash = sha256Hex(canonical);
    if (hash !== stored.hash) return fail(`event ${id} does not match its hash`, id);
    prev = hash;
    expectedSeq += 1;
    count += 1;
  }
  return { ok: true, count, head: prev };
}
