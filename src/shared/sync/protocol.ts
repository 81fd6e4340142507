/**
 * The wire protocol between a console (device) and the central audit log
 * server (DESIGN.md §5). Every request body and query is a zod `.strict()`
 * schema; every response has a schema too, so the console can parse what it
 * receives instead of trusting it. docs/protocol.md explains the same for an
 * auditor.
 *
 * Transport: JSON over HTTPS. Authenticated calls carry
 * `Authorization: Bearer <token>` (a device, admin or auditor token).
 * Every non-2xx response has the body `ProtocolError` ({code, message}).
 */
import { z } from 'zod';
import { catalogReleaseRisk } from '../releases/risks.ts';
import { catalogStoreNotes } from '../releases/storeNotes.ts';
import { ROLES } from '../domain/roles.ts';
import { QUARANTINE_REASONS } from '../audit/actorRule.ts';
import {
  catalogRelease,
  catalogRingTarget,
  catalogStore,
  catalogTerminal,
  catalogPinPolicy,
  catalogUser,
} from '../catalog/schema.ts';
import { checklistTemplate, releaseChecklistRequirement } from '../checklists/template.ts';
import { catalogFeatureFlag, catalogRunbook } from '../deployments/runbook.ts';
import { catalogDocumentRevision, catalogRevisionPolicy } from '../revisions/gate.ts';
import { catalogStoreWindows } from '../deployments/windows.ts';
import { deviceNameProblem } from './deviceName.ts';
import { consoleUpdatePolicy } from '../updates/policy.ts';
import { gateReasonSchema } from '../releases/gateReasons.ts';
import { catalogDeploymentWindow, catalogReleaseBlock } from '../releases/catalogParts.ts';
import { testResultsSummary } from '../releases/testResults.ts';
import { complianceRule } from '../compliance/rules.ts';
import { checklistAssignment } from '../checklists/assignments.ts';

// ---------------------------------------------------------------- primitives

export const hex64 = z.string().regex(/^[0-9a-f]{64}$/, 'must be 64 lowercase hex characters');
/** Standard base64 (with padding) of exactly 32 bytes: an Ed25519 public key. */
const base64Key = z.string().regex(/^[A-Za-z0-9+/]{43}=$/, 'must be base64 of 32 bytes');
/** Standard base64 (with padding) of exactly 64 bytes: an Ed25519 signature. */
const base64Signature = z.string().regex(/^[A-Za-z0-9+/]{86}==$/, 'must be base64 of 64 bytes');
export const idText = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9_.:-]+$/, 'must be an identifier');
export const isoTime = z.iso.datetime({ offset: false });
/** A log index or tree size: a non-negative safe integer. */
export const logInt = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER);
/** The same in a query string: decimal digits, no sign, no leading zeros beyond "0". */
export const logIntQuery = z
  .string()
  .regex(/^(0|[1-9][0-9]{0,15})$/, 'must be a non-negative integer')
  .transform(Number)
  .pipe(logInt);

/** Most events one push may carry; a console sends larger backlogs in several batches. */
export const MAX_PUSH_EVENTS = 1000;
/** Body limit for a push, in bytes (the server answers 413 payload_too_large above it). */
export const MAX_PUSH_BYTES = 4 * 1024 * 1024;
export const MAX_LOG_ENTRIES_PAGE = 1000;
export const MAX_CHANGES_PAGE = 1000;

// ---------------------------------------------------------------- errors

/** Stable, machine-readable codes of every error response. */
export const PROTOCOL_ERROR_CODES = [
  'invalid_input',
  'unauthorized',
  'forbidden',
  'not_found',
  'payload_too_large',
  'rate_limited',
  'enrollment_code_invalid',
  'device_id_taken',
  'bad_hash',
  'bad_prev',
  'bad_signature',
  'wrong_store',
  'wrong_device',
  'forbidden_event_type',
  'equivocation',
  'seq_gap',
  'conflict',
  'unavailable',
  'internal',
  /** A desk token asked for a store or region outside its scope. */
  'scope_denied',
  /** A desk action asked of a desk whose role may not take it. */
  'role_denied',
  /** A desk action named a user who is unknown, revoked or without a role that may take it. */
  'actor_denied',
  /** The release desk: a ring's target may not move to the release yet (the reasons say why). */
  'promotion_gated',
  /** The release desk: the lifecycle does not allow this move. */
  'invalid_transition',
  /** The release is blocked: unblock it first (or, on a console, the emergency bypass). */
  'release_blocked',
  /** The move to general lacks the committee's quorum of sign-offs on the current evidence. */
  'quorum_not_met',
  /** An admin token of an administrator who was revoked (or is no longer an administrator). */
  'admin_revoked',
  /** The bootstrap token may only create the first named administrator. */
  'bootstrap_only',
  /** The bootstrap token was spent: a named administrator exists, who issues every further admin token. */
  'bootstrap_spent',
  /** An approval signed a content hash that is not the revision's. */
  'revision_hash_mismatch',
  /** An attachment chunk was sent at another offset than the one the server holds (`offset` says which). */
  'offset_mismatch',
  /** An attachment of a media type the server does not take. */
  'unsupported_media_type',
] as const;
export type ProtocolErrorCode = (typeof PROTOCOL_ERROR_CODES)[number];

/** HTTP status the server uses for each code. */
export const PROTOCOL_ERROR_STATUS: Record<ProtocolErrorCode, number> = {
  invalid_input: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  payload_too_large: 413,
  rate_limited: 429,
  enrollment_code_invalid: 400,
  device_id_taken: 409,
  bad_hash: 422,
  bad_prev: 422,
  bad_signature: 422,
  wrong_store: 403,
  wrong_device: 403,
  forbidden_event_type: 403,
  equivocation: 409,
  seq_gap: 409,
  conflict: 409,
  unavailable: 503,
  internal: 500,
  scope_denied: 403,
  role_denied: 403,
  actor_denied: 403,
  promotion_gated: 409,
  invalid_transition: 409,
  release_blocked: 409,
  quorum_not_met: 409,
  admin_revoked: 401,
  bootstrap_only: 403,
  bootstrap_spent: 403,
  revision_hash_mismatch: 422,
  offset_mismatch: 409,
  unsupported_media_type: 415,
};

export const protocolError = z
  .object({
    code: z.enum(PROTOCOL_ERROR_CODES),
    message: z.string(),
    /** seq_gap: the seq the server expects next (last stored + 1). */
    expectedSeq: z.number().int().min(1).optional(),
    /** Push errors: the seq of the first event that failed. */
    seq: z.number().int().min(1).optional(),
    /** rate_limited: seconds to wait (also in the Retry-After header). */
    retryAfterSeconds: z.number().int().min(0).optional(),
    /** offset_mismatch: the bytes of the attachment the server holds, where the next chunk starts. */
    offset: z.number().int().min(0).optional(),
    /** Admin imports: every row that failed (nothing was imported). */
    rowErrors: z
      .array(z.object({ row: z.number().int(), message: z.string() }).strict())
      .optional(),
    /** Admin publishes: every field that failed (nothing was published). */
    fieldErrors: z.array(z.object({ field: z.string(), message: z.string() }).strict()).optional(),
    /** promotion_gated: every reason the evidence does not allow the promotion yet. */
    reasons: z.array(gateReasonSchema).optional(),
  })
  .strict();
export type ProtocolError = z.infer<typeof protocolError>;

// ---------------------------------------------------------------- tree heads

const treeHead = z
  .object({
    kind: z.literal('tree-head'),
    v: z.literal(1),
    logId: hex64,
    size: logInt,
    root: hex64,
    at: isoTime,
  })
  .strict();

/** A tree head plus the log's Ed25519 signature over its JCS bytes (`treeHeadText`); what GET /v1/log/tree-head answers. */
export const signedTreeHead = z.object({ treeHead, signature: base64Signature }).strict();
export type SignedTreeHead = z.infer<typeof signedTreeHead>;

// ---------------------------------------------------------------- events

/**
 * Any JSON value (z.json()). Registered under an id so its JSON Schema, which
 * refers to itself, is one named component of the OpenAPI description rather
 * than a reference to nowhere.
 */
const jsonValue = z.json().register(z.globalRegistry, { id: 'JsonValue' });

export const auditActor = z.object({ userId: idText, role: z.enum(ROLES) }).strict();

/**
 * An event as pushed and as served by the log: the hashed body plus `hash`.
 * The payload is checked against the event-type registry by the server; here
 * it is any JSON object (integers only, which canonicalization enforces).
 */
export const wireEvent = z
  .object({
    v: z.literal(1),
    id: idText,
    deviceId: idText,
    seq: z.number().int().min(1).max(Number.MAX_SAFE_INTEGER),
    at: isoTime,
    actor: auditActor,
    storeId: idText,
    type: z.string().min(1).max(100),
    payload: z.record(z.string(), jsonValue),
    prev: hex64,
    hash: hex64,
  })
  .strict();
export type WireEvent = z.infer<typeof wireEvent>;

// ---------------------------------------------------------------- POST /v1/enroll (no token)

/** The device-name rule of deviceName.ts (shared with the Connect form) as a schema. */
export const deviceName = z
  .string()
  .trim()
  .superRefine((name, ctx) => {
    const problem = deviceNameProblem(name);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  });

export const enrollRequest = z
  .object({
    /** Single-use, expiring code an admin issued for one store. */
    code: z.string().min(6).max(64),
    /** The device's own id (the `deviceId` of its journal events). */
    deviceId: idText,
    /** The device's Ed25519 public key: base64 of the raw 32 bytes. */
    publicKey: base64Key,
    /**
     * Shown to admins in the device list, e.g. "Back office PC". Without it the
     * server names the device after its store and a number ("st-par-01 console 2").
     */
    name: deviceName.optional(),
  })
  .strict();
export type EnrollRequest = z.infer<typeof enrollRequest>;

export const enrollResponse = z
  .object({
    deviceId: idText,
    /** Bearer token for every later call; store-scoped; shown once. */
    deviceToken: z.string().min(20).max(200),
    storeId: idText,
    logId: hex64,
    /** The log's Ed25519 public key, base64 of the raw 32 bytes. */
    logPublicKey: base64Key,
    /** Last seq the server already holds for this device (0 on a first enrollment). */
    lastSeq: z.number().int().min(0),
  })
  .strict();
export type EnrollResponse = z.infer<typeof enrollResponse>;

// ---------------------------------------------------------------- POST /v1/device/token (device token, renewal)

/**
 * A device token renews itself before it expires (and within a grace window
 * after, for a console that was offline): the old token stops working, the
 * new one is returned once.
 */
export const renewTokenResponse = z
  .object({ deviceToken: z.string().min(20).max(200), expiresAt: isoTime })
  .strict();
export type RenewTokenResponse = z.infer<typeof renewTokenResponse>;

const EXPIRING_TOKEN = /^dp[a-z]e_([0-9a-z]{1,10})_[A-Za-z0-9_-]+$/;

/**
 * The expiry written into a token's text (`dpde_<unix seconds, base 36>_…`),
 * or null for a token that carries none (an enrollment token, an admin token).
 * The server stores only the token's hash, so this text cannot be changed.
 */
export function tokenExpiresAt(token: string): Date | null {
  const m = EXPIRING_TOKEN.exec(token);
  if (!m) return null;
  const seconds = parseInt(m[1]!, 36);
  return Number.isSafeInteger(seconds) ? new Date(seconds * 1000) : null;
}

// ---------------------------------------------------------------- POST /v1/events (device token)

/** The device's signature over `checkpointText(deviceId, seq, head)`. */
const deviceCheckpoint = z
  .object({
    seq: z.number().int().min(1),
    head: hex64,
    signature: base64Signature,
  })
  .strict();

/**
 * One device's events in seq order (contiguous), plus a checkpoint signed by
 * the device over the last event of the batch (checkpoint.seq = last seq,
 * checkpoint.head = its hash). A batch may start at or below the server's last
 * seq (a retry); stored events with the same hash are acknowledged again.
 */
export const pushRequest = z
  .object({
    deviceId: idText,
    events: z.array(wireEvent).min(1).max(MAX_PUSH_EVENTS),
    checkpoint: deviceCheckpoint,
  })
  .strict();
export type PushRequest = z.infer<typeof pushRequest>;

export const pushResponse = z
  .object({
    /** Every event of this device up to ackSeq is durably stored. */
    ackSeq: z.number().int().min(0),
    /** Log indexes of the events this request newly appended (null if all were already stored). */
    appended: z
      .object({
        firstSeq: z.number().int().min(1),
        lastSeq: z.number().int().min(1),
        firstIndex: logInt,
        lastIndex: logInt,
      })
      .strict()
      .nullable(),
    /** How many events of the batch the server already had (idempotent retry). */
    duplicates: z.number().int().min(0),
    /**
     * Events of this request appended but quarantined: they broke the actor
     * rule (src/shared/audit/actorRule.ts), so they count in no read model
     * and no feed. Absent from servers older than the actor check, and empty
     * when nothing was quarantined. A retry lists the batch's already stored
     * quarantined events again, so a lost answer loses no reason.
     */
    quarantined: z
      .array(
        z.object({ seq: z.number().int().min(1), reason: z.enum(QUARANTINE_REASONS) }).strict(),
      )
      .optional(),
    /** A signed tree head whose size covers every acknowledged event. */
    treeHead: signedTreeHead,
  })
  .strict();
export type PushResponse = z.infer<typeof pushResponse>;

// ---------------------------------------------------------------- GET /v1/changes?cursor=&limit= (device token)

export const changesQuery = z
  .object({
    /** Opaque: the `cursor` of the previous response; absent or "0" for everything. */
    cursor: z
      .string()
      .regex(/^(0|[1-9][0-9]{0,15})$/)
      .optional(),
    limit: z
      .string()
      .regex(/^[1-9][0-9]{0,3}$/)
      .transform(Number)
      .pipe(z.number().max(MAX_CHANGES_PAGE))
      .optional(),
  })
  .strict();

/**
 * A checklist requirement's id is `<releaseId>/<templateId>`; a runbook's id is
 * its release's id (one runbook per release); a feature flag's is
 * `<releaseId>/<key>`; store windows' is their store's id; the one PIN policy's is `pin-policy`; the one console update policy's is
 * `console-update-policy`; a release block's is its release's id; a deployment window's is
 * `<releaseId>/<storeId>`; test results' is their release's id; a checklist assignment's is its own id;
 * a compliance rule's is its own id.
 * `<releaseId>/<storeId>`; test results' is their release's id; a checklist assignment's is its own id; a release risk's is its own id; store notes' is their release's id; a document revision's is
 * `<kind>/<docId>/<number>`; the revision policy's is `revision-policy`.
 */
export const CATALOG_ENTITIES = [
  'store',
  'terminal',
  'release',
  'ringTarget',
  'user',
  'checklistTemplate',
  'checklistRequirement',
  'runbook',
  'featureFlag',
  'storeWindows',
  'pinPolicy',
  'consoleUpdatePolicy',
  'releaseBlock',
  'deploymentWindow',
  'testResults',
  'checklistAssignment',
  'complianceRule',
  'releaseRisk',
  'storeNotes',
  'documentRevision',
  'revisionPolicy',
] as const;
export type CatalogEntity = (typeof CATALOG_ENTITIES)[number];

/**
 * One catalog change. Upserts carry the whole object in the catalog format of
 * shared/catalog/schema.ts (a ring target's id is its ring). Deletes carry the
 * id only (a user removed from the device's store is a delete for that device).
 */
export const catalogChange = z.union([
  z.object({ entity: z.literal('store'), op: z.literal('upsert'), value: catalogStore }).strict(),
  z
    .object({ entity: z.literal('terminal'), op: z.literal('upsert'), value: catalogTerminal })
    .strict(),
  z
    .object({ entity: z.literal('release'), op: z.literal('upsert'), value: catalogRelease })
    .strict(),
  z
    .object({ entity: z.literal('ringTarget'), op: z.literal('upsert'), value: catalogRingTarget })
    .strict(),
  z.object({ entity: z.literal('user'), op: z.literal('upsert'), value: catalogUser }).strict(),
  z
    .object({
      entity: z.literal('checklistTemplate'),
      op: z.literal('upsert'),
      value: checklistTemplate,
    })
    .strict(),
  z
    .object({
      entity: z.literal('checklistRequirement'),
      op: z.literal('upsert'),
      value: releaseChecklistRequirement,
    })
    .strict(),
  z
    .object({ entity: z.literal('runbook'), op: z.literal('upsert'), value: catalogRunbook })
    .strict(),
  z
    .object({
      entity: z.literal('featureFlag'),
      op: z.literal('upsert'),
      value: catalogFeatureFlag,
    })
    .strict(),
  z
    .object({
      entity: z.literal('storeWindows'),
      op: z.literal('upsert'),
      value: catalogStoreWindows,
    })
    .strict(),
  z
    .object({ entity: z.literal('pinPolicy'), op: z.literal('upsert'), value: catalogPinPolicy })
    .strict(),
  z
    .object({
      entity: z.literal('consoleUpdatePolicy'),
      op: z.literal('upsert'),
      value: consoleUpdatePolicy,
    })
    .strict(),
  z
    .object({
      entity: z.literal('releaseBlock'),
      op: z.literal('upsert'),
      value: catalogReleaseBlock,
    })
    .strict(),
  z
    .object({
      entity: z.literal('testResults'),
      op: z.literal('upsert'),
      value: testResultsSummary,
    })
    .strict(),
  z
    .object({
      entity: z.literal('deploymentWindow'),
      op: z.literal('upsert'),
      value: catalogDeploymentWindow,
    })
    .strict(),
  z
    .object({
      entity: z.literal('checklistAssignment'),
      op: z.literal('upsert'),
      value: checklistAssignment,
    })
    .strict(),
  z
    .object({
      entity: z.literal('releaseRisk'),
      op: z.literal('upsert'),
      value: catalogReleaseRisk,
    })
    .strict(),
  z
    .object({ entity: z.literal('storeNotes'), op: z.literal('upsert'), value: catalogStoreNotes })
    .strict(),
  z
    .object({
      entity: z.literal('complianceRule'),
      op: z.literal('upsert'),
      value: complianceRule,
    })
    .strict(),
  z
    .object({
      entity: z.literal('documentRevision'),
      op: z.literal('upsert'),
      value: catalogDocumentRevision,
    })
    .strict(),
  z
    .object({
      entity: z.literal('revisionPolicy'),
      op: z.literal('upsert'),
      value: catalogRevisionPolicy,
    })
    .strict(),
  z
    .object({
      entity: z.enum(CATALOG_ENTITIES),
      op: z.literal('delete'),
      id: z
        .string()
        .min(1)
        .max(129)
        .regex(/^[A-Za-z0-9_.:/-]+$/),
    })
    .strict(),
]);
export type CatalogChange = z.infer<typeof catalogChange>;

export const changesResponse = z
  .object({
    changes: z.array(catalogChange),
    /** Pass back as `cursor` next time; stored by the console only after applying `changes`. */
    cursor: z.string().regex(/^(0|[1-9][0-9]{0,15})$/),
    /** More changes are waiting: ask again at once. */
    hasMore: z.boolean(),
  })
  .strict();
export type ChangesResponse = z.infer<typeof changesResponse>;

// ---------------------------------------------------------------- log endpoints (public unless noted)

/** GET /v1/log/key */
export const logKeyResponse = z.object({ logId: hex64, publicKey: base64Key }).strict();

/** GET /v1/log/proof/inclusion?index=&size= (0 ≤ index < size ≤ current size) */
export const inclusionQuery = z.object({ index: logIntQuery, size: logIntQuery }).strict();
export const inclusionProof = z
  .object({ index: logInt, size: logInt, leafHash: hex64, path: z.array(hex64).max(64) })
  .strict();
export type InclusionProofResponse = z.infer<typeof inclusionProof>;

/** GET /v1/log/proof/consistency?first=&second= (0 < first ≤ second ≤ current size) */
export const consistencyQuery = z.object({ first: logIntQuery, second: logIntQuery }).strict();
export const consistencyProof = z
  .object({ first: logInt, second: logInt, path: z.array(hex64).max(128) })
  .strict();
export type ConsistencyProofResponse = z.infer<typeof consistencyProof>;

/**
 * GET /v1/log/entries?start=&end= (auditor or admin token). Half-open range
 * [start, end), at most MAX_LOG_ENTRIES_PAGE entries, end ≤ current size.
 */
export const entriesQuery = z.object({ start: logIntQuery, end: logIntQuery }).strict();
export const logEntriesResponse = z
  .object({
    entries: z.array(
      z
        .object({
          index: logInt,
          // The log's own server entries carry the reserved store id `*central*` (audit/serverEntry.ts).
          event: wireEvent.extend({ storeId: z.union([idText, z.literal('*central*')]) }),
        })
        .strict(),
    ),
  })
  .strict();

/**
 * GET /v1/audit/bundle?storeId=&from=&to= (auditor or admin token): the audit
 * bundle (JSON Lines, shared/audit/bundle.ts) of one store's events whose `at`
 * lies in [from, to). Without storeId, from and to: the complete log, whose
 * root the verifier recomputes. Content-Type application/x-ndjson.
 */
export const bundleQuery = z
  .object({ storeId: idText.optional(), from: isoTime.optional(), to: isoTime.optional() })
  .strict();

// ---------------------------------------------------------------- routes

/** Every route the server serves, with who may call it; the authorization test is generated from this table. */
export const ROUTE_AUTH = [
  'public',
  'enrollment',
  'device',
  /** A device token, also within its grace window after expiry: the renewal route only. */
  'deviceRenewal',
  /** A desk token, also within its grace window after expiry: the desk's renewal route only. */
  'deskRenewal',
  'auditor',
  'admin',
  /** The bootstrap token (an admin token of no named administrator), until the first named admin exists. */
  'bootstrap',
  /** A desk token: its scope is checked by each desk query. */
  'desk',
] as const;
export type RouteAuth = (typeof ROUTE_AUTH)[number];

export const PROTOCOL_ROUTES = {
  enroll: { method: 'POST', url: '/v1/enroll', auth: 'enrollment' },
  renewToken: { method: 'POST', url: '/v1/device/token', auth: 'deviceRenewal' },
  push: { method: 'POST', url: '/v1/events', auth: 'device' },
  changes: { method: 'GET', url: '/v1/changes', auth: 'device' },
  logKey: { method: 'GET', url: '/v1/log/key', auth: 'public' },
  treeHead: { method: 'GET', url: '/v1/log/tree-head', auth: 'public' },
  inclusion: { method: 'GET', url: '/v1/log/proof/inclusion', auth: 'public' },
  consistency: { method: 'GET', url: '/v1/log/proof/consistency', auth: 'public' },
  entries: { method: 'GET', url: '/v1/log/entries', auth: 'auditor' },
  bundle: { method: 'GET', url: '/v1/audit/bundle', auth: 'auditor' },
} as const satisfies Record<string, { method: 'GET' | 'POST'; url: string; auth: RouteAuth }>;
