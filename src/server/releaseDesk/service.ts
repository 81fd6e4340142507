/**
 * The release desk's actions and its state read. Every action runs in one
 * transaction: the log lock first, then every check (desk role `release`,
 * scope, acting user role `admin` — release managers are administrators in
 * today's catalog — input, lifecycle, gate, quorum), and only then the desk
 * action's server entry and the writes. A refused action changes nothing.
 */
import { appendAdminAction, type AdminActedBy } from '../admins/actions.ts';
import type { Kysely, Transaction } from 'kysely';
import { z } from 'zod';
import { catalogRingTarget } from '../../shared/catalog/schema.ts';
import type { JsonValue } from '../../shared/audit/event.ts';
import { isRegionInScope } from '../../shared/desk/protocol.ts';
import { RINGS, type Ring } from '../../shared/domain/releases.ts';
import { deploymentWindowId } from '../../shared/releases/catalogParts.ts';
import { quorumState, type ReleaseCommittee } from '../../shared/releases/committee.ts';
import { isInCohort } from '../../shared/releases/cohort.ts';
import {
  blockRequest,
  committeeRequest,
  lifecycleMoveRequest,
  promoteRequest,
  releaseParams,
  ringPolicyRequest,
  signOffRequest,
  stageRequest,
  unblockRequest,
  windowsRequest,
  type ReleaseDeskActionResponse,
  type ReleaseDeskState,
} from '../../shared/releases/deskProtocol.ts';
import { describeGateReasons, type GateReason } from '../../shared/releases/gate.ts';
import {
  LIFECYCLE_TRANSITIONS,
  applyLifecycleAction,
  lifecycleAfterPromotion,
  type LifecycleAction,
  type ReleaseLifecycle,
} from '../../shared/releases/lifecycle.ts';
import { isWindowOrdered, windowStatus } from '../../shared/releases/schedule.ts';
import { PublishRejected, parseFields } from '../catalog/deployments.ts';
import { recordChanges, writeRingTarget, type ChangeRow } from '../catalog/service.ts';
import type { ServerSchema } from '../db/schema.ts';
import { appendDeskAction, checkDeskAction } from '../desk/actions.ts';
import type { DeskPrincipal } from '../desk/queries.ts';
import { ServerError, parseInput } from '../errors.ts';
import type { LogKey } from '../log/keys.ts';
import { lockLogHead } from '../log/merkleLog.ts';
import { appendServerEntry } from '../log/serverEntry.ts';
import {
  DEFAULT_COMMITTEE_ID,
  catalogStores,
  committeeFor,
  currentSignOffEvidence,
  lifecycleOf,
  openBlockingBugs,
  ringGate,
  type DeskStore,
} from './evidence.ts';

type Db = Kysely<ServerSchema>;
type Trx = Transaction<ServerSchema>;
type Payload = { [k: string]: JsonValue };

export type ReleaseDeskContext = { db: Db; key: LogKey; now: Date };

// ---------------------------------------------------------------- checks

/** Desk role and scope first (403, nothing read beyond them), then the acting user. */
async function checkDesk(
  trx: Trx,
  desk: DeskPrincipal,
  actedBy: string,
  storeIds: readonly string[] | 'release-wide',
): Promise<void> {
  if (desk.role !== 'release')
    throw new ServerError(
      'role_denied',
      `A ${desk.role} desk may not do this; it needs a release desk.`,
    );
  if (storeIds === 'release-wide') {
    if (desk.scope.kind !== 'all')
      throw new ServerError(
        'scope_denied',
        "This acts on every store of a ring: it needs a release desk whose scope is 'all'.",
      );
  } else {
    const stores = new Map((await catalogStores(trx)).map((s) => [s.id, s]));
    for (const id of storeIds) {
      const store = stores.get(id);
      // An unknown store and one outside the scope answer alike.
      if (!store || !isRegionInScope(desk.scope, store.region))
        throw new ServerError('scope_denied', `Store ${id} is outside this desk's scope.`);
    }
  }
  await checkDeskAction(trx, {
    desk,
    allowedDeskRoles: ['release'],
    actedBy,
    allowedUserRoles: ['admin'],
    storeId: null,
  });
}

async function requireRelease(trx: Trx | Db, releaseId: string): Promise<{ version: string }> {
  const row = await trx
    .selectFrom('releases')
    .select('data')
    .where('id', '=', releaseId)
    .executeTakeFirst();
  if (!row) throw new ServerError('not_found', `There is no release ${releaseId}.`);
  return JSON.parse(row.data) as { version: string };
}

/** Parses a body with every bad field named (400 invalid_input with fieldErrors). */
function body<T>(schema: Parameters<typeof parseFields<T>>[0], value: unknown, what: string): T {
  return parseFields(schema, value, what);
}

async function appendAction(
  trx: Trx,
  ctx: ReleaseDeskContext,
  desk: DeskPrincipal,
  actedBy: string,
  type: string,
  payload: Payload,
  storeId: string | null = null,
): Promise<number> {
  const entry = await appendDeskAction(trx, ctx.key, {
    desk,
    allowedDeskRoles: ['release'],
    actedBy,
    allowedUserRoles: ['admin'],
    storeId,
    type,
    payload,
    at: ctx.now,
  });
  return entry.index;
}

async function writeLifecycle(
  trx: Trx,
  releaseId: string,
  next: ReleaseLifecycle,
  now: Date,
  logIndex: number,
): Promise<void> {
  const row = {
    state: next.state,
    blocked_from: next.blockedFrom,
    block_reason: next.blockReason,
    updated_at: now.toISOString(),
    log_index: logIndex,
  };
  await trx
    .insertInto('release_lifecycles')
    .values({ release_id: releaseId, ...row })
    .onConflict((oc) => oc.column('release_id').doUpdateSet(row))
    .execute();
}

function lifecycleOutcome(current: ReleaseLifecycle, action: LifecycleAction): ReleaseLifecycle {
  const outcome = applyLifecycleAction(current, action);
  if (!outcome.ok)
    throw new ServerError(
      outcome.refusal.code === 'not_blocked' ? 'conflict' : outcome.refusal.code,
      outcome.refusal.message,
    );
  return outcome.next;
}

/** The committee's quorum on the evidence as it is now; refused (409 quorum_not_met) when short. */
async function requireQuorum(trx: Trx, releaseId: string, stores: DeskStore[]): Promise<void> {
  const found = await committeeFor(trx, releaseId);
  if (!found)
    throw new ServerError(
      'quorum_not_met',
      'The move to general needs the release committee, and no committee is set for this release or as the default.',
    );
  const { digest } = await currentSignOffEvidence(trx, releaseId, {
    stores,
    openBlockers: await openBlockingBugs(trx, releaseId),
  });
  const state = quorumState(found.committee, await signOffsOf(trx, releaseId), digest);
  if (!state.isMet)
    throw new ServerError(
      'quorum_not_met',
      `The move to general needs ${state.quorum} committee sign-off(s) on the current evidence; it has ${state.current.length}${state.stale.length > 0 ? ` (${state.stale.join(', ')} signed on evidence that has changed since)` : ''}.`,
    );
}

async function signOffsOf(trx: Trx | Db, releaseId: string) {
  const rows = await trx
    .selectFrom('committee_sign_offs')
    .select(['user_id', 'digest', 'signed_at'])
    .where('release_id', '=', releaseId)
    .execute();
  return rows.map((r) => ({ userId: r.user_id, digest: r.digest, signedAt: r.signed_at }));
}

// ---------------------------------------------------------------- actions

async function run(
  ctx: ReleaseDeskContext,
  desk: DeskPrincipal,
  releaseId: string,
  action: (trx: Trx) => Promise<number>,
): Promise<ReleaseDeskActionResponse> {
  const logIndex = await ctx.db.transaction().execute(async (trx) => {
    await lockLogHead(trx);
    return action(trx);
  });
  return { logIndex, state: await releaseDeskState(ctx.db, desk, { releaseId }, ctx.now) };
}

/**
 * The frame most release-wide actions share: under the log lock, the acting
 * user may act for every store of the desk's scope, and the release exists.
 */
function runReleaseWide(
  ctx: ReleaseDeskContext,
  desk: DeskPrincipal,
  releaseId: string,
  actedBy: string,
  action: (trx: Trx) => Promise<number>,
): Promise<ReleaseDeskActionResponse> {
  return run(ctx, desk, releaseId, async (trx) => {
    await checkDesk(trx, desk, actedBy, 'release-wide');
    await requireRelease(trx, releaseId);
    return action(trx);
  });
}

function releaseIdOf(params: unknown): string {
  return parseInput(releaseParams, params, 'The address').releaseId;
}

/** Moves the lifecycle forward (`release.lifecycle.moved`); the move to general needs the committee's quorum. */
export function moveLifecycle(
  ctx: ReleaseDeskContext,
  desk: DeskPrincipal,
  params: unknown,
  input: unknown,
): Promise<ReleaseDeskActionResponse> {
  const releaseId = releaseIdOf(params);
  const req = body(lifecycleMoveRequest, input, 'The lifecycle move');
  return runReleaseWide(ctx, desk, releaseId, req.actedBy, async (trx) => {
    const current = await lifecycleOf(trx, releaseId);
    const next = lifecycleOutcome(current, { kind: 'advance', to: req.to });
    if (req.to === 'general') await requireQuorum(trx, releaseId, await catalogStores(trx));
    const index = await appendAction(trx, ctx, desk, req.actedBy, 'release.lifecycle.moved', {
      releaseId,
      from: current.state,
      to: next.state,
    });
    await writeLifecycle(trx, releaseId, next, ctx.now, index);
    return index;
  });
}

/** Blocks the release with a reason (`release.blocked`); the catalog carries the block to every console. */
export function blockRelease(
  ctx: ReleaseDeskContext,
  desk: DeskPrincipal,
  params: unknown,
  input: unknown,
): Promise<ReleaseDeskActionResponse> {
  const releaseId = releaseIdOf(params);
  const req = body(blockRequest, input, 'The block');
  return runReleaseWide(ctx, desk, releaseId, req.actedBy, async (trx) => {
    const current = await lifecycleOf(trx, releaseId);
    const next = lifecycleOutcome(current, { kind: 'block', reason: req.reason });
    const index = await appendAction(trx, ctx, desk, req.actedBy, 'release.blocked', {
      releaseId,
      reason: req.reason,
      from: current.state,
    });
    await writeLifecycle(trx, releaseId, next, ctx.now, index);
    const block = {
      releaseId,
      reason: req.reason,
      blockedAt: ctx.now.toISOString(),
      blockedBy: req.actedBy,
    };
    await recordChanges(
      trx,
      [
        {
          entity: 'releaseBlock',
          entity_id: releaseId,
          op: 'upsert',
          store_id: null,
          value: JSON.stringify(block),
        },
      ],
      ctx.now,
    );
    return index;
  });
}

/** Unblocks the release back to the state it had (`release.unblocked`); consoles drop the banner. */
export function unblockRelease(
  ctx: ReleaseDeskContext,
  desk: DeskPrincipal,
  params: unknown,
  input: unknown,
): Promise<ReleaseDeskActionResponse> {
  const releaseId = releaseIdOf(params);
  const req = body(unblockRequest, input, 'The unblock');
  return runReleaseWide(ctx, desk, releaseId, req.actedBy, async (trx) => {
    const current = await lifecycleOf(trx, releaseId);
    const next = lifecycleOutcome(current, { kind: 'unblock' });
    const index = await appendAction(trx, ctx, desk, req.actedBy, 'release.unblocked', {
      releaseId,
      to: next.state,
      ...(req.reason !== undefined ? { reason: req.reason } : {}),
    });
    await writeLifecycle(trx, releaseId, next, ctx.now, index);
    await recordChanges(
      trx,
      [{ entity: 'releaseBlock', entity_id: releaseId, op: 'delete', store_id: null, value: null }],
      ctx.now,
    );
    return index;
  });
}

type PromotionInput = {
  releaseId: string;
  ring: Ring;
  percent: number;
  override: { reason: string } | null;
};

/**
 * The promotion shared by the desk and the admin route: the lifecycle must
 * not be blocked, the move to general needs the committee, and the evidence
 * gate must pass unless overridden with a reason. Returns what to audit.
 */
async function promoteInside(
  trx: Trx,
  input: PromotionInput,
  now: Date,
  append: (type: string, payload: Payload) => Promise<number | null>,
  actedBy: string,
): Promise<number | null> {
  await requireRelease(trx, input.releaseId);
  const lifecycle = await lifecycleOf(trx, input.releaseId);
  if (lifecycle.state === 'blocked')
    throw new ServerError(
      'release_blocked',
      `The release is blocked (${lifecycle.blockReason ?? ''}); unblock it before promoting it.`,
    );
  const stores = await catalogStores(trx);
  const openBlockers = await openBlockingBugs(trx, input.releaseId);
  const gate = await ringGate(trx, input.releaseId, input.ring, { stores, openBlockers });
  if (input.ring === 'general') await requireQuorum(trx, input.releaseId, stores);
  if (!gate.isAllowed && input.override === null)
    throw new ServerError(
      'promotion_gated',
      `The ${input.ring} ring cannot move to this release yet: ${describeGateReasons(gate.reasons)}. An administrator may override with a reason.`,
      { reasons: gate.reasons },
    );
  const isOverride = !gate.isAllowed;
  const old = await trx
    .selectFrom('ring_targets')
    .select('release_id')
    .where('ring', '=', input.ring)
    .executeTakeFirst();
  const oldRollout = await trx
    .selectFrom('ring_rollouts')
    .select(['release_id', 'previous_release_id'])
    .where('ring', '=', input.ring)
    .executeTakeFirst();
  // Promoting again to the same release keeps the ring's previous target.
  const previousReleaseId =
    old?.release_id === input.releaseId
      ? oldRollout?.release_id === input.releaseId
        ? oldRollout.previous_release_id
        : null
      : (old?.release_id ?? null);
  const index = await append(isOverride ? 'release.promotion.overridden' : 'release.promoted', {
    releaseId: input.releaseId,
    ring: input.ring,
    previousReleaseId,
    percent: input.percent,
    gate: { isAllowed: gate.isAllowed, reasons: gate.reasons as unknown as JsonValue },
    ...(isOverride && input.override ? { override: { reason: input.override.reason } } : {}),
  });
  await writeRingTarget(trx, { ring: input.ring, releaseId: input.releaseId }, now);
  const rollout = {
    release_id: input.releaseId,
    previous_release_id: previousReleaseId,
    percent: input.percent,
    updated_at: now.toISOString(),
    log_index: index,
  };
  await trx
    .insertInto('ring_rollouts')
    .values({ ring: input.ring, ...rollout })
    .onConflict((oc) => oc.column('ring').doUpdateSet(rollout))
    .execute();
  await trx
    .insertInto('release_promotions')
    .values({
      release_id: input.releaseId,
      ring: input.ring,
      previous_release_id: previousReleaseId,
      percent: input.percent,
      is_override: isOverride ? 1 : 0,
      override_reason: isOverride ? (input.override?.reason ?? null) : null,
      gate_reasons: JSON.stringify(gate.reasons),
      acted_by: actedBy,
      at: now.toISOString(),
      log_index: index,
    })
    .execute();
  // The ring runs the release now: a lifecycle still behind it follows.
  const to = lifecycleAfterPromotion(lifecycle.state, input.ring);
  if (to !== lifecycle.state && index !== null)
    await writeLifecycle(
      trx,
      input.releaseId,
      { state: to, blockedFrom: null, blockReason: null },
      now,
      index,
    );
  return index;
}

/** Points a ring at the release, gated by evidence (`release.promoted`, or `release.promotion.overridden`). */
export function promoteRelease(
  ctx: ReleaseDeskContext,
  desk: DeskPrincipal,
  params: unknown,
  input: unknown,
): Promise<ReleaseDeskActionResponse> {
  const releaseId = releaseIdOf(params);
  const req = body(promoteRequest, input, 'The promotion');
  return run(ctx, desk, releaseId, async (trx) => {
    await checkDesk(trx, desk, req.actedBy, 'release-wide');
    const index = await promoteInside(
      trx,
      { releaseId, ring: req.ring, percent: req.percent ?? 100, override: req.override ?? null },
      ctx.now,
      (type, payload) => appendAction(trx, ctx, desk, req.actedBy, type, payload),
      req.actedBy,
    );
    return index!;
  });
}

export const adminRingTargetSchema = catalogRingTarget
  .extend({
    /** Moves the ring although the evidence gate refuses: audited as `release.promotion.overridden`. */
    override: z
      .object({ reason: z.string().trim().min(3).max(2000) })
      .strict()
      .optional(),
  })
  .strict();

/**
 * The administrator's ring target (admin route and `admin set-ring-target`):
 * the same gate as the desk. A plain promotion stays a catalog change as
 * before; an override is appended to the central log naming the admin token.
 */
export async function adminSetRingTarget(
  db: Db,
  key: LogKey,
  input: unknown,
  who: AdminActedBy,
  now: Date,
): Promise<{ logIndex: number | null }> {
  const req = parseFields(adminRingTargetSchema, input, 'The ring target');
  const logIndex = await db.transaction().execute(async (trx) => {
    await lockLogHead(trx);
    const overrideIndex = await promoteInside(
      trx,
      { releaseId: req.releaseId, ring: req.ring, percent: 100, override: req.override ?? null },
      now,
      async (type, payload) =>
        type === 'release.promotion.overridden'
          ? (
              await appendServerEntry(trx, key, {
                type,
                payload: { ...payload, actedBy: who },
                at: now,
              })
            ).index
          : null,
      who.adminId,
    );
    if (overrideIndex !== null) return overrideIndex;
    // A promotion the gate allowed is a central action too: the log names who moved the ring.
    await appendAdminAction(trx, key, {
      actedBy: who,
      type: 'admin.ringTarget.set',
      payload: { ring: req.ring, releaseId: req.releaseId },
      at: now,
    });
    return null;
  });
  return { logIndex };
}

/** Sets the staged percentage of a ring already pointed at the release (`release.rollout.staged`). */
export function stageRollout(
  ctx: ReleaseDeskContext,
  desk: DeskPrincipal,
  params: unknown,
  input: unknown,
): Promise<ReleaseDeskActionResponse> {
  const releaseId = releaseIdOf(params);
  const req = body(stageRequest, input, 'The staged rollout');
  return runReleaseWide(ctx, desk, releaseId, req.actedBy, async (trx) => {
    const rollout = await trx
      .selectFrom('ring_rollouts')
      .select(['release_id', 'previous_release_id', 'percent'])
      .where('ring', '=', req.ring)
      .executeTakeFirst();
    if (rollout?.release_id !== releaseId)
      throw new ServerError(
        'conflict',
        `The ${req.ring} ring does not target this release; promote it first, then stage it.`,
      );
    const index = await appendAction(trx, ctx, desk, req.actedBy, 'release.rollout.staged', {
      releaseId,
      ring: req.ring,
      from: Number(rollout.percent),
      percent: req.percent,
    });
    await trx
      .updateTable('ring_rollouts')
      .set({ percent: req.percent, updated_at: ctx.now.toISOString(), log_index: index })
      .where('ring', '=', req.ring)
      .execute();
    // A new ring target row: every store pulls its effective target again.
    await writeRingTarget(trx, { ring: req.ring, releaseId }, ctx.now);
    return index;
  });
}

/** Schedules a deployment window for stores or a ring's cohort (`release.window.scheduled`). */
export function scheduleWindows(
  ctx: ReleaseDeskContext,
  desk: DeskPrincipal,
  params: unknown,
  input: unknown,
): Promise<ReleaseDeskActionResponse> {
  const releaseId = releaseIdOf(params);
  const req = body(windowsRequest, input, 'The deployment window');
  return run(ctx, desk, releaseId, async (trx) => {
    const all = await catalogStores(trx);
    let stores: DeskStore[];
    if (req.cohort) {
      const ring = req.cohort.ring;
      const rollout = await trx
        .selectFrom('ring_rollouts')
        .select(['release_id', 'percent'])
        .where('ring', '=', ring)
        .executeTakeFirst();
      const percent = rollout?.release_id === releaseId ? Number(rollout.percent) : 0;
      // The cohort as this desk sees it: its stores outside the desk's scope are not its to schedule.
      stores = all.filter(
        (s) =>
          s.ring === ring &&
          isInCohort(releaseId, s.id, percent) &&
          isRegionInScope(desk.scope, s.region),
      );
      await checkDesk(
        trx,
        desk,
        req.actedBy,
        stores.map((s) => s.id),
      );
    } else {
      const ids = [...new Set(req.storeIds)];
      await checkDesk(trx, desk, req.actedBy, ids);
      const byId = new Map(all.map((s) => [s.id, s]));
      stores = ids.map((id) => byId.get(id)!);
    }
    await requireRelease(trx, releaseId);
    const disordered = stores.filter((s) => !isWindowOrdered(req, s.timezone));
    if (disordered.length > 0)
      throw new PublishRejected('The deployment window', [
        {
          field: 'end',
          message: `the window must end after it starts (in the store time of ${disordered
            .slice(0, 3)
            .map((s) => s.id)
            .join(', ')})`,
        },
      ]);
    if (stores.length === 0)
      throw new ServerError(
        'invalid_input',
        'The deployment window names no store (the cohort is empty).',
      );
    const index = await appendAction(
      trx,
      ctx,
      desk,
      req.actedBy,
      'release.window.scheduled',
      { releaseId, start: req.start, end: req.end, storeIds: stores.map((s) => s.id) },
      stores.length === 1 ? stores[0]!.id : null,
    );
    const changes: ChangeRow[] = [];
    for (const s of stores) {
      const row = {
        start_local: req.start,
        end_local: req.end,
        set_at: ctx.now.toISOString(),
        log_index: index,
      };
      await trx
        .insertInto('deployment_windows')
        .values({ release_id: releaseId, store_id: s.id, ...row })
        .onConflict((oc) => oc.columns(['release_id', 'store_id']).doUpdateSet(row))
        .execute();
      const value = { releaseId, storeId: s.id, start: req.start, end: req.end };
      changes.push({
        entity: 'deploymentWindow',
        entity_id: deploymentWindowId(value),
        op: 'upsert',
        store_id: s.id,
        value: JSON.stringify(value),
      });
    }
    await recordChanges(trx, changes, ctx.now);
    return index;
  });
}

/** Names the committee of one release or the default one (`release.committee.set`). */
export async function setCommittee(
  ctx: ReleaseDeskContext,
  desk: DeskPrincipal,
  input: unknown,
): Promise<{ logIndex: number; committee: ReleaseCommittee }> {
  const req = body(committeeRequest, input, 'The release committee');
  const logIndex = await ctx.db.transaction().execute(async (trx) => {
    await lockLogHead(trx);
    await checkDesk(trx, desk, req.actedBy, 'release-wide');
    if (req.releaseId !== null) await requireRelease(trx, req.releaseId);
    const index = await appendAction(trx, ctx, desk, req.actedBy, 'release.committee.set', {
      releaseId: req.releaseId,
      committee: req.committee,
    });
    const row = {
      data: JSON.stringify(req.committee),
      updated_at: ctx.now.toISOString(),
      log_index: index,
    };
    await trx
      .insertInto('release_committees')
      .values({ release_id: req.releaseId ?? DEFAULT_COMMITTEE_ID, ...row })
      .onConflict((oc) => oc.column('release_id').doUpdateSet(row))
      .execute();
    return index;
  });
  return { logIndex, committee: req.committee };
}

/**
 * A committee member's sign-off on the move to general, bound to the evidence
 * digest they saw (`release.committee.signed_off`): refused when the evidence
 * has changed since, so nobody signs what they did not see.
 */
export function signOff(
  ctx: ReleaseDeskContext,
  desk: DeskPrincipal,
  params: unknown,
  input: unknown,
): Promise<ReleaseDeskActionResponse> {
  const releaseId = releaseIdOf(params);
  const req = body(signOffRequest, input, 'The sign-off');
  return runReleaseWide(ctx, desk, releaseId, req.actedBy, async (trx) => {
    const found = await committeeFor(trx, releaseId);
    if (!found?.committee.approvers.includes(req.actedBy))
      throw new ServerError(
        'actor_denied',
        `User ${req.actedBy} is not on this release's committee.`,
      );
    const { evidence, digest } = await currentSignOffEvidence(trx, releaseId, {
      stores: await catalogStores(trx),
      openBlockers: await openBlockingBugs(trx, releaseId),
    });
    if (digest !== req.digest)
      throw new ServerError(
        'conflict',
        `The evidence changed since it was shown (its digest is now ${digest}); look at it again before signing.`,
      );
    const index = await appendAction(trx, ctx, desk, req.actedBy, 'release.committee.signed_off', {
      releaseId,
      digest,
      evidence: evidence,
    });
    await trx
      .insertInto('committee_sign_offs')
      .values({
        release_id: releaseId,
        user_id: req.actedBy,
        digest,
        evidence: JSON.stringify(evidence),
        signed_at: ctx.now.toISOString(),
        log_index: index,
      })
      .execute();
    return index;
  });
}

/** Sets the share of go decisions a ring's promotion needs (`release.ring_policy.set`). */
export async function setRingPolicy(
  ctx: ReleaseDeskContext,
  desk: DeskPrincipal,
  input: unknown,
): Promise<{ logIndex: number; ring: Ring; minGoPercent: number }> {
  const req = body(ringPolicyRequest, input, 'The ring policy');
  const logIndex = await ctx.db.transaction().execute(async (trx) => {
    await lockLogHead(trx);
    await checkDesk(trx, desk, req.actedBy, 'release-wide');
    const index = await appendAction(trx, ctx, desk, req.actedBy, 'release.ring_policy.set', {
      ring: req.ring,
      minGoPercent: req.minGoPercent,
    });
    const row = {
      min_go_percent: req.minGoPercent,
      updated_at: ctx.now.toISOString(),
      log_index: index,
    };
    await trx
      .insertInto('ring_policies')
      .values({ ring: req.ring, ...row })
      .onConflict((oc) => oc.column('ring').doUpdateSet(row))
      .execute();
    return index;
  });
  return { logIndex, ring: req.ring, minGoPercent: req.minGoPercent };
}

// ---------------------------------------------------------------- state

/** Everything the desk shows about one release; windows only for stores in the desk's scope. */
/**
 * The starts of this release the block rule quarantined (src/server/releaseDesk/blockCheck.ts),
 * read through the partial index on quarantined entries; the deployment's plan (not
 * quarantined) names the release.
 */
async function quarantinedStartsOf(
  db: Db,
  releaseId: string,
): Promise<ReleaseDeskState['blockedStarts']> {
  const rows = await db
    .selectFrom('log_entries')
    .select(['idx', 'store_id', 'at', 'body'])
    .where('quarantine_reason', '=', 'release_blocked')
    .orderBy('idx')
    .limit(1000)
    .execute();
  if (rows.length === 0) return [];
  const starts = rows.map((r) => ({
    storeId: r.store_id,
    deploymentId: String(
      (JSON.parse(r.body) as { payload: { deploymentId: unknown } }).payload.deploymentId,
    ),
    at: r.at,
    logIndex: Number(r.idx),
  }));
  const ofRelease = new Set(
    (
      await db
        .selectFrom('rm_deployments')
        .select('id')
        .where('release_id', '=', releaseId)
        .where(
          'id',
          'in',
          starts.map((s) => s.deploymentId),
        )
        .execute()
    ).map((r) => r.id),
  );
  return starts.filter((s) => ofRelease.has(s.deploymentId));
}

export async function releaseDeskState(
  db: Db,
  desk: { scope: DeskPrincipal['scope'] } | null,
  params: unknown,
  now: Date,
): Promise<ReleaseDeskState> {
  const releaseId = releaseIdOf(params);
  const release = await requireRelease(db, releaseId);
  const lifecycle = await lifecycleOf(db, releaseId);
  const stores = await catalogStores(db);
  const openBlockers = await openBlockingBugs(db, releaseId);
  const gates = [];
  for (const ring of RINGS) {
    const g = await ringGate(db, releaseId, ring, { stores, openBlockers });
    gates.push({
      ring,
      previousRing: g.previousRing,
      minGoPercent: g.minGoPercent,
      goStores: g.goStores,
      stores: g.previousRingStores,
      isAllowed: g.isAllowed,
      reasons: g.reasons,
    });
  }
  const found = await committeeFor(db, releaseId);
  const { evidence, digest } = await currentSignOffEvidence(db, releaseId, {
    stores,
    openBlockers,
  });
  const rollouts = await db
    .selectFrom('ring_rollouts')
    .select(['ring', 'previous_release_id', 'percent'])
    .where('release_id', '=', releaseId)
    .execute();
  const storeById = new Map(stores.map((s) => [s.id, s]));
  const windows = (
    await db
      .selectFrom('deployment_windows')
      .select(['store_id', 'start_local', 'end_local'])
      .where('release_id', '=', releaseId)
      .orderBy('store_id')
      .limit(5000)
      .execute()
  ).flatMap((w) => {
    const store = storeById.get(w.store_id);
    if (!store || (desk !== null && !isRegionInScope(desk.scope, store.region))) return [];
    const window = { releaseId, storeId: w.store_id, start: w.start_local, end: w.end_local };
    return [
      {
        storeId: w.store_id,
        start: w.start_local,
        end: w.end_local,
        status: windowStatus(window, store.timezone, now.getTime()),
      },
    ];
  });
  const promotions = await db
    .selectFrom('release_promotions')
    .selectAll()
    .where('release_id', '=', releaseId)
    .orderBy('id')
    .execute();
  const blockedStarts = (await quarantinedStartsOf(db, releaseId)).filter((s) => {
    const store = storeById.get(s.storeId);
    return store !== undefined && (desk === null || isRegionInScope(desk.scope, store.region));
  });
  return {
    releaseId,
    version: release.version,
    lifecycle: {
      ...lifecycle,
      allowedNext: [...LIFECYCLE_TRANSITIONS[lifecycle.state]],
    },
    committee: found ? { ...found.committee, isDefault: found.isDefault } : null,
    quorum: found ? quorumState(found.committee, await signOffsOf(db, releaseId), digest) : null,
    signOffEvidence: {
      ring: evidence.ring as Ring,
      digest,
      decisions: evidence.decisions,
      openBlockers: evidence.openBlockers,
    },
    gates,
    openBlockers,
    rollouts: rollouts.map((r) => ({
      ring: r.ring as Ring,
      previousReleaseId: r.previous_release_id,
      percent: Number(r.percent),
    })),
    windows,
    promotions: promotions.map((p) => ({
      ring: p.ring as Ring,
      previousReleaseId: p.previous_release_id,
      percent: Number(p.percent),
      isOverride: Number(p.is_override) === 1,
      overrideReason: p.override_reason,
      gateReasons: JSON.parse(p.gate_reasons) as GateReason[],
      actedBy: p.acted_by,
      at: p.at,
      logIndex: p.log_index === null ? null : Number(p.log_index),
    })),
    blockedStarts,
    asOf: now.toISOString(),
  };
}
