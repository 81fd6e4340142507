/**
 * Desks: devices enrolled for a scope (one region, or every
 * store) and a central role (support, release, auditor). A desk reads the
 * server's read models through these paged, filtered queries, never the whole
 * log; every call checks the desk token's scope (403 `scope_denied` outside
 * it, 400 `invalid_input` for a malformed parameter).
 */
import { z } from 'zod';
import type { RouteAuth } from '../sync/protocol.ts';

export const DESK_ROLES = ['support', 'release', 'auditor'] as const;
export type DeskRole = (typeof DESK_ROLES)[number];
export const deskRoleSchema = z.enum(DESK_ROLES);

const idText = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9_.:-]+$/);
const regionText = z.string().min(1).max(60);

/** `all`, or `region:<name>` (a region as the catalog's stores spell it). */
export type DeskScope = { kind: 'all' } | { kind: 'region'; region: string };

export const deskScopeText = z
  .string()
  .min(3)
  .max(80)
  .refine((s) => s === 'all' || /^region:[^\s].{0,59}$/.test(s), {
    message: "a scope is 'all' or 'region:<name>'",
  });

export function parseDeskScope(text: string): DeskScope {
  if (text === 'all') return { kind: 'all' };
  if (text.startsWith('region:') && text.length > 'region:'.length)
    return { kind: 'region', region: text.slice('region:'.length) };
  throw new Error(`not a desk scope: ${text}`);
}

/** Whether a store of `region` is inside the scope. */
export function isRegionInScope(scope: DeskScope, region: string): boolean {
  return scope.kind === 'all' || scope.region === region;
}

// ---------------------------------------------------------------- enrollment

export const deskEnrollmentCodeRequest = z
  .object({
    scope: deskScopeText,
    role: z.enum(DESK_ROLES),
    ttlMinutes: z
      .number()
      .int()
      .min(1)
      .max(60 * 24 * 30)
      .optional(),
  })
  .strict();

export const deskEnrollRequest = z
  .object({
    code: z.string().min(6).max(64),
    deskId: idText,
    /** The desk's Ed25519 public key, base64 of the raw 32 bytes. */
    publicKey: z.string().min(40).max(64),
    name: z.string().min(1).max(120).optional(),
  })
  .strict();

export const deskEnrollResponse = z
  .object({
    deskId: idText,
    deskToken: z.string().min(20).max(200),
    scope: deskScopeText,
    role: z.enum(DESK_ROLES),
    /** The token expires like a device token (30 days); the desk renews it before, or within the grace window after. */
    expiresAt: z.string(),
  })
  .strict();
export type DeskEnrollResponse = z.infer<typeof deskEnrollResponse>;

/** A desk token renews itself (also within the grace window after expiry): the old one stops working at once. */
export const deskRenewTokenResponse = z
  .object({ deskToken: z.string().min(20).max(200), expiresAt: z.string() })
  .strict();
export type DeskRenewTokenResponse = z.infer<typeof deskRenewTokenResponse>;

/** An administrator revokes one desk: its token stops working on the next call. */
export const revokeDeskRequest = z.object({ deskId: idText }).strict();
export const revokeDeskResponse = z.object({ deskId: idText, revokedAt: z.string() }).strict();

// ---------------------------------------------------------------- reads

const MAX_DESK_PAGE = 500;
const limit = z.coerce.number().int().min(1).max(MAX_DESK_PAGE).default(200);

export const deskStoresQuery = z
  .object({
    releaseId: idText,
    /** Keyset: the last store id of the previous page. */
    after: idText.optional(),
    limit,
    region: regionText.optional(),
  })
  .strict();

export const deskStoreState = z
  .object({
    storeId: idText,
    name: z.string(),
    region: z.string(),
    ring: z.string(),
    terminals: z.number().int(),
    /** Terminals running the chosen release. */
    installed: z.number().int(),
    /** Terminals not running their ring's target release. */
    drifting: z.number().int(),
    latestDecision: z
      .object({
        decision: z.string(),
        verdict: z.string(),
        signedBy: z.string(),
        signedAt: z.string(),
      })
      .strict()
      .nullable(),
    /** Deployments of the chosen release not yet completed, rolled back, failed or aborted. */
    openDeployments: z.number().int(),
    /** The store's records that lost a conflict to an earlier entry in the central log (docs/conflicts.md). */
    superseded: z.number().int(),
    /** Each console of the store and when its last push reached the central log. */
    consoles: z.array(
      z
        .object({ deviceId: z.string(), name: z.string().nullable(), lastSyncAt: z.string() })
        .strict(),
    ),
  })
  .strict();
export type DeskStoreState = z.infer<typeof deskStoreState>;

export const deskStoresPage = z
  .object({
    stores: z.array(deskStoreState),
    next: idText.nullable(),
    /** Server time of the answer: a desk labels cached pages with their age from it. */
    asOf: z.string(),
  })
  .strict();
export type DeskStoresPage = z.infer<typeof deskStoresPage>;

export const deskStoreParams = z.object({ storeId: idText }).strict();

export const deskTerminalsQuery = z.object({ after: idText.optional(), limit }).strict();

const deskTerminal = z
  .object({
    terminalId: z.string(),
    releaseId: z.string().nullable(),
    version: z.string().nullable(),
    since: z.string().nullable(),
    lastSeen: z.string().nullable(),
  })
  .strict();

export const deskTerminalsPage = z
  .object({ terminals: z.array(deskTerminal), next: idText.nullable(), asOf: z.string() })
  .strict();
export type DeskTerminalsPage = z.infer<typeof deskTerminalsPage>;

export const deskRecordsQuery = z
  .object({
    releaseId: idText.optional(),
    limit: z.coerce.number().int().min(1).max(100).default(50),
  })
  .strict();

export const deskRecord = z
  .object({
    kind: z.enum(['decision', 'deployment', 'checklist_run', 'bug_report', 'change_request']),
    id: z.string(),
    releaseId: z.string(),
    status: z.string(),
    by: z.string().nullable(),
    at: z.string(),
  })
  .strict();
export type DeskRecord = z.infer<typeof deskRecord>;

export const deskRecordsPage = z
  .object({ records: z.array(deskRecord), asOf: z.string() })
  .strict();
export type DeskRecordsPage = z.infer<typeof deskRecordsPage>;

export const DESK_ROUTES = {
  issueDeskEnrollmentCode: {
    method: 'POST',
    url: '/v1/admin/desk-enrollment-codes',
    auth: 'admin',
  },
  deskEnroll: { method: 'POST', url: '/v1/desk/enroll', auth: 'enrollment' },
  deskRenewToken: { method: 'POST', url: '/v1/desk/token', auth: 'deskRenewal' },
  revokeDesk: { method: 'POST', url: '/v1/admin/desks/revoke', auth: 'admin' },
  deskStores: { method: 'GET', url: '/v1/desk/stores', auth: 'desk' },
  deskStoreTerminals: { method: 'GET', url: '/v1/desk/stores/:storeId/terminals', auth: 'desk' },
  deskStoreRecords: { method: 'GET', url: '/v1/desk/stores/:storeId/records', auth: 'desk' },
} as const satisfies Record<string, { method: 'GET' | 'POST'; url: string; auth: RouteAuth }>;
