/**
 * The release desk's HTTP routes and their bodies (desk token, desk role
 * `release`, acting user role `admin`: release managers are administrators in
 * today's catalog). Each action becomes a server entry of the central log
 * naming the acting user (src/server/desk/actions.ts); release-wide actions
 * need a desk whose scope is every store, per-store windows a desk whose
 * scope holds the store.
 */
import { z } from 'zod';
import { RINGS } from '../domain/releases.ts';
import type { RouteAuth } from '../sync/protocol.ts';
import { releaseCommittee } from './committee.ts';
import { gateReasonSchema } from './gateReasons.ts';
import { LIFECYCLE_STATES } from './lifecycle.ts';
import { storeLocalTime } from './schedule.ts';

export const RELEASE_DESK_ROUTES = {
  releaseDeskState: { method: 'GET', url: '/v1/desk/releases/:releaseId/state', auth: 'desk' },
  releaseDeskMove: { method: 'POST', url: '/v1/desk/releases/:releaseId/lifecycle', auth: 'desk' },
  releaseDeskBlock: { method: 'POST', url: '/v1/desk/releases/:releaseId/block', auth: 'desk' },
  releaseDeskUnblock: { method: 'POST', url: '/v1/desk/releases/:releaseId/unblock', auth: 'desk' },
  releaseDeskPromote: { method: 'POST', url: '/v1/desk/releases/:releaseId/promote', auth: 'desk' },
  releaseDeskStage: { method: 'POST', url: '/v1/desk/releases/:releaseId/stage', auth: 'desk' },
  releaseDeskWindows: { method: 'POST', url: '/v1/desk/releases/:releaseId/windows', auth: 'desk' },
  releaseDeskSignOff: {
    method: 'POST',
    url: '/v1/desk/releases/:releaseId/sign-off',
    auth: 'desk',
  },
  releaseDeskCommittee: { method: 'POST', url: '/v1/desk/release-committees', auth: 'desk' },
  releaseDeskRingPolicy: { method: 'POST', url: '/v1/desk/ring-policies', auth: 'desk' },
} as const satisfies Record<string, { method: 'GET' | 'POST'; url: string; auth: RouteAuth }>;

const idText = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9_.:-]+$/, 'must be an identifier');
const reason = z.string().trim().min(3, 'a reason has at least 3 characters').max(2000);
const percent = z
  .number()
  .int('a percentage is a whole number')
  .min(0, 'a percentage is 0 to 100')
  .max(100, 'a percentage is 0 to 100');
const ring = z.enum(RINGS);

export const releaseParams = z.object({ releaseId: idText }).strict();

export const lifecycleMoveRequest = z
  .object({ actedBy: idText, to: z.enum(LIFECYCLE_STATES).exclude(['blocked']) })
  .strict();
export const blockRequest = z.object({ actedBy: idText, reason }).strict();
export const unblockRequest = z.object({ actedBy: idText, reason: reason.optional() }).strict();
export const promoteRequest = z
  .object({
    actedBy: idText,
    ring,
    /** Share of the ring's stores that take the release now; 100 unless staged. */
    percent: percent.optional(),
    /** An administrator's override of the evidence gate: its own audited event. */
    override: z.object({ reason }).strict().optional(),
  })
  .strict();
export const stageRequest = z.object({ actedBy: idText, ring, percent }).strict();
export const windowsRequest = z
  .object({
    actedBy: idText,
    /** Store-local start and expiry, YYYY-MM-DDTHH:mm; the window is [start, end). */
    start: storeLocalTime,
    end: storeLocalTime,
    /** These stores, or the stores of a ring's staged cohort for this release. */
    storeIds: z.array(idText).min(1).max(5000).optional(),
    cohort: z.object({ ring }).strict().optional(),
  })
  .strict()
  .refine((w) => (w.storeIds === undefined) !== (w.cohort === undefined), {
    message: 'name either storeIds or a cohort',
    path: ['storeIds'],
  });
export const signOffRequest = z
  .object({
    actedBy: idText,
    digest: z.string().regex(/^[0-9a-f]{64}$/, 'must be 64 hex characters'),
  })
  .strict();
export const committeeRequest = z
  .object({
    actedBy: idText,
    /** The release it is for; null sets the default committee. */
    releaseId: idText.nullable(),
    committee: releaseCommittee,
  })
  .strict();
export const ringPolicyRequest = z
  .object({ actedBy: idText, ring, minGoPercent: percent })
  .strict();

const blockerSchema = z
  .object({ reportId: z.string(), severity: z.string(), storeId: z.string(), title: z.string() })
  .strict();

export const releaseDeskState = z
  .object({
    releaseId: idText,
    version: z.string(),
    lifecycle: z
      .object({
        state: z.enum(LIFECYCLE_STATES),
        blockedFrom: z.enum(LIFECYCLE_STATES).nullable(),
        blockReason: z.string().nullable(),
        /** The moves the table allows from here (empty while blocked: unblock first). */
        allowedNext: z.array(z.enum(LIFECYCLE_STATES)),
      })
      .strict(),
    committee: z
      .object({
        name: z.string(),
        approvers: z.array(z.string()),
        quorum: z.number().int(),
        isDefault: z.boolean(),
      })
      .strict()
      .nullable(),
    /** The committee's sign-offs against the evidence as it is now. */
    quorum: z
      .object({
        quorum: z.number().int(),
        current: z.array(z.string()),
        stale: z.array(z.string()),
        missing: z.array(z.string()),
        isMet: z.boolean(),
      })
      .strict()
      .nullable(),
    /** What a sign-off binds: the decisions of the ring before general and the open S1/S2 reports, hashed. */
    signOffEvidence: z
      .object({
        ring,
        digest: z.string(),
        decisions: z.array(
          z.object({ storeId: z.string(), decision: z.string(), eventHash: z.string() }).strict(),
        ),
        openBlockers: z.array(z.object({ reportId: z.string(), severity: z.string() }).strict()),
      })
      .strict(),
    /** Whether each ring's target may move to this release now, and why not. */
    gates: z.array(
      z
        .object({
          ring,
          previousRing: ring.nullable(),
          minGoPercent: z.number().int(),
          goStores: z.number().int(),
          stores: z.number().int(),
          isAllowed: z.boolean(),
          reasons: z.array(gateReasonSchema),
        })
        .strict(),
    ),
    openBlockers: z.array(blockerSchema),
    /** Rings whose target is this release, with their staged percentage. */
    rollouts: z.array(
      z
        .object({
          ring,
          previousReleaseId: z.string().nullable(),
          percent: z.number().int(),
        })
        .strict(),
    ),
    /** Scheduled windows of stores in the desk's scope, with where the store's clock stands. */
    windows: z.array(
      z
        .object({
          storeId: z.string(),
          start: z.string(),
          end: z.string(),
          status: z.enum(['upcoming', 'open', 'expired']),
        })
        .strict(),
    ),
    /** Every promotion of this release, overrides marked, oldest first. */
    promotions: z.array(
      z
        .object({
          ring,
          previousReleaseId: z.string().nullable(),
          percent: z.number().int(),
          isOverride: z.boolean(),
          overrideReason: z.string().nullable(),
          gateReasons: z.array(gateReasonSchema),
          actedBy: z.string(),
          at: z.string(),
          logIndex: z.number().int().nullable(),
        })
        .strict(),
    ),
    /**
     * Deployments of this release started at stores in scope while it was blocked, without a
     * store manager's bypass: appended to the log, quarantined as release_blocked, never counted.
     */
    blockedStarts: z.array(
      z
        .object({
          storeId: z.string(),
          deploymentId: z.string(),
          at: z.string(),
          logIndex: z.number().int(),
        })
        .strict(),
    ),
    asOf: z.string(),
  })
  .strict();
export type ReleaseDeskState = z.infer<typeof releaseDeskState>;

export const releaseDeskActionResponse = z
  .object({
    /** Index of the action's server entry in the central log. */
    logIndex: z.number().int(),
    state: releaseDeskState,
  })
  .strict();
export type ReleaseDeskActionResponse = z.infer<typeof releaseDeskActionResponse>;
