/**
 * Guided deployments in the console: plans a deployment from the catalog's
 * runbook, and applies each action through the shared state machine. Every
 * accepted action is ONE journal transaction (the event and the projection
 * row together); a refused action records nothing. Because the projection is
 * the fold of the journal, the console resumes exactly where it was after a
 * restart, and `rebuildDeployments` gives the same rows.
 *
 * The clearance of a start (trading hours, freezes, ring) is computed here
 * from the catalog and the approved change requests, never taken from the caller.
 */
import { requireApprovedRevision } from '../revisions/gate.ts';
import { BYPASS_REASON_MIN_LENGTH, BYPASS_ROLES } from '../../shared/releases/blockRule.ts';
import { v7 as uuidv7 } from 'uuid';
import type { AuditActor } from '../../shared/audit/event.ts';
import {
  decideChangeRequest,
  findApproval,
  requestChange,
  ringClearance,
  type ChangeRequest,
  type Deviation,
  type RiskLevel,
} from '../../shared/deployments/changeRequests.ts';
import {
  actionOfEvent,
  eventOfAction,
  plannedEvent,
  stateOfPlannedEvent,
  type DeploymentEvent,
} from '../../shared/deployments/events.ts';
import {
  isAtDecisionStep,
  judgeDecisionGate,
  type DecisionGate,
  type GateDecisionRow,
} from '../../shared/deployments/decisionGate.ts';
import type { FlagValue, Strategy } from '../../shared/deployments/runbook.ts';
import { effectiveFlagValues } from '../../shared/releases/flags.ts';
import { judgeSmokeRun, type SmokeRunRefusal } from '../../shared/deployments/smoke.ts';
import {
  applyAction,
  currentStep,
  type DeploymentAction,
  type DeploymentPlan,
  type DeploymentState,
  type RefusalCode,
} from '../../shared/deployments/stateMachine.ts';
import { canStartDeployment } from '../../shared/deployments/windows.ts';
import type { Ring, ReleaseStatus } from '../../shared/domain/releases.ts';
import { AppError } from '../../shared/errors.ts';
import type { Journal } from '../audit/journal.ts';
import type { Db } from '../db/open.ts';
import { applyDeploymentVersion, DEPLOYMENT_VERSION_RECORDED } from '../fleet/deployments.ts';
import { FLEET_TABLES } from '../fleet/service.ts';
import { readFeatureFlags, readRunbook, readStoreWindows } from './catalog.ts';
import { readSmokeRun } from './smokeRun.ts';
import { readDeploymentWindows, readReleaseBlocks } from '../releases/catalogParts.ts';
import { checkSchedule } from '../../shared/releases/schedule.ts';
import {
  DEPLOYMENT_TABLES,
  listChangeRequests,
  listDeploymentRows,
  readChangeRequest,
  readDeployment,
  recordDeploymentActor,
  writeChangeRequest,
  writeDeployment,
  type DeploymentRow,
} from './repository.ts';

/** Who acts, and the stores they work in (empty: every store). */
export type Actor = AuditActor & { storeIds: readonly string[] };

/** An action as the caller asks for it: the time and actor come from the session; a start's clearance from the catalog. */
type Body<A> = A extends DeploymentAction ? Omit<A, 'at' | 'actor'> : never;
export type ActionRequest =
  | Exclude<Body<DeploymentAction>, { type: 'start' } | { type: 'record_smoke_result' }>
  | {
      type: 'start';
      strategy: Strategy;
      canaryTerminalId: string | null;
      overrideReason: string | null;
      blockBypassReason?: string | null;
    }
  /** The result is read from the checklist run itself (smoke.ts), never taken from the caller. */
  | { type: 'record_smoke_result'; runId: string };

export type DeploymentsService = {
  plan(
    input: { releaseId: string; storeId: string; terminalIds?: readonly string[] },
    actor: Actor,
  ): DeploymentState;
  act(deploymentId: string, request: ActionRequest, actor: Actor): DeploymentState;
  get(deploymentId: string, actor: Actor): DeploymentState;
  /** The go gate of the step the deployment stands at; null away from a decision step. */
  gate(state: DeploymentState): DecisionGate | null;
  list(filter: { storeId?: string }, actor: Actor): DeploymentRow[];
  flags(releaseId: string, storeId: string): FlagValue[];
  /** The same values for someone asking: only for a store they work in, and a release in the catalog. */
  storeFlags(input: { storeId: string; releaseId: string }, actor: Actor): FlagValue[];
  requestChange(
    input: { deviation: Deviation; impactNote: string; risk: RiskLevel },
    actor: Actor,
  ): ChangeRequest;
  decideChange(
    input: { changeRequestId: string; isApproved: boolean; note: string },
    actor: Actor,
  ): ChangeRequest;
  changeRequests(storeId: string, actor: Actor): ChangeRequest[];
};

/** Refusals that are about who is asking, and about what was typed; the rest are about the deployment's state. */
const FORBIDDEN: readonly RefusalCode[] = [
  'needs_manager',
  'wrong_role',
  'override_needs_manager',
  'not_the_claimant',
];
const BAD_INPUT: readonly RefusalCode[] = [
  'reason_required',
  'confirmation_required',
  'invalid_version',
  'unexpected_version',
  'unknown_terminal',
  'canary_required',
  'strategy_not_allowed',
];

/** A run that does not exist is not found; one of another checklist, store or release is bad input; an unfinished or partial one is not ready yet. */
function smokeRefusalError(refusal: { code: SmokeRunRefusal; message: string }): AppError {
  const code =
    refusal.code === 'smoke_run_unknown'
      ? 'not_found'
      : refusal.code === 'smoke_run_missing_terminals' ||
          refusal.code === 'smoke_run_unfinished' ||
          refusal.code === 'smoke_run_stale'
        ? 'conflict'
        : 'invalid_input';
  return new AppError(code, `${refusal.message} Nothing was recorded.`, { refusal: refusal.code });
}

function refusalError(refusal: { code: RefusalCode; message: string }): AppError {
  const code = FORBIDDEN.includes(refusal.code)
    ? 'forbidden'
    : BAD_INPUT.includes(refusal.code)
      ? 'invalid_input'
      : 'conflict';
  return new AppError(code, refusal.message, { refusal: refusal.code });
}

type StoreRow = { id: string; name: string; ring: Ring; timezone: string };
type ReleaseRow = { id: string; version: string; ring: Ring; status: ReleaseStatus };

export function createDeploymentsService(options: {
  db: Db;
  journal: Journal;
  now: () => Date;
}): DeploymentsService {
  const { db, journal, now } = options;

  function store(storeId: string): StoreRow {
    const row = db.sqlite
      .prepare('SELECT id, name, ring, timezone FROM stores WHERE id = ?')
      .get(storeId) as StoreRow | undefined;
    if (row === undefined)
      throw new AppError(
        'not_found',
        'This store is not in the catalog. Sync to get the latest catalog.',
      );
    return row;
  }
  function release(releaseId: string): ReleaseRow {
    const row = db.sqlite
      .prepare('SELECT id, version, ring, status FROM releases WHERE id = ?')
      .get(releaseId) as ReleaseRow | undefined;
    if (row === undefined)
      throw new AppError(
        'unknown_release',
        'This release is not in the catalog. Sync to get the latest catalog.',
      );
    return row;
  }
  function checkStore(actor: Actor, storeId: string): void {
    if (actor.storeIds.length > 0 && !actor.storeIds.includes(storeId)) {
      throw new AppError(
        'forbidden',
        `You are not assigned to ${store(storeId).name}: its deployments are not yours to run.`,
      );
    }
  }
  function existing(deploymentId: string, actor: Actor): DeploymentState {
    const state = readDeployment(db, deploymentId);
    if (state === null)
      throw new AppError('not_found', 'This deployment does not exist on this console.');
    checkStore(actor, state.plan.storeId);
    return state;
  }
  /** The flags the store runs: the catalog's, overlaid by the change requests approved for it. */
  function storeFlagValues(releaseId: string, storeRow: { id: string; ring: Ring }): FlagValue[] {
    return effectiveFlagValues(
      readFeatureFlags(db, releaseId),
      releaseId,
      storeRow,
      listChangeRequests(db, storeRow.id),
    );
  }
  /** What a deviation names beyond its store and release must exist: a request about a flag or step nobody has could never be used. */
  function checkDeviationTarget(deviation: Deviation): void {
    if (deviation.kind === 'feature_flag_change') {
      const flags = readFeatureFlags(db, deviation.releaseId);
      if (!flags.some((f) => f.key === deviation.flagKey)) {
        throw new AppError(
          'invalid_input',
          `Release ${release(deviation.releaseId).version} has no feature flag "${deviation.flagKey}". Nothing was recorded.`,
          { refusal: 'unknown_flag' },
        );
      }
    }
    if (deviation.kind === 'skip_mandatory_step') {
      const state = readDeployment(db, deviation.deploymentId);
      if (
        state === null ||
        state.plan.storeId !== deviation.storeId ||
        state.plan.releaseId !== deviation.releaseId
      ) {
        throw new AppError(
          'not_found',
          'That deployment of this release does not exist in this store on this console. Nothing was recorded.',
          { refusal: 'unknown_deployment' },
        );
      }
      const { runbook } = state.plan;
      const step = [...runbook.steps, ...runbook.rollbackSteps].find(
        (s) => s.id === deviation.stepId,
      );
      if (step === undefined)
        throw new AppError(
          'invalid_input',
          `The runbook has no step "${deviation.stepId}". Nothing was recorded.`,
          { refusal: 'unknown_step' },
        );
      if (!step.mandatory) {
        throw new AppError(
          'invalid_input',
          `"${step.title}" is optional: a manager can skip it with a reason, no change request needed. Nothing was recorded.`,
          { refusal: 'step_not_mandatory' },
        );
      }
    }
  }
  const auditActor = (actor: Actor): AuditActor => ({ userId: actor.userId, role: actor.role });
  const asEvent = (e: {
    type: string;
    at: string;
    actor: AuditActor;
    storeId: string;
    payload: unknown;
  }): DeploymentEvent => ({
    type: e.type,
    at: e.at,
    actor: e.actor,
    storeId: e.storeId,
    payload: e.payload as Record<string, unknown>,
  });

  /**
   * A release the release desk blocked starts nowhere, unless a store manager
   * bypasses the block in an emergency with a reason: the start event records it.
   */
  function releaseBlockBypass(
    releaseId: string,
    reason: string | null,
    actor: Actor,
  ): { reason: string } | null {
    const block = readReleaseBlocks(db).find((b) => b.releaseId === releaseId);
    if (!block) return null;
    const version = release(releaseId).version;
    if (reason === null)
      throw new AppError(
        'conflict',
        `${version} is blocked by the release desk: ${block.reason}. It cannot be deployed; in an emergency a store manager may bypass the block with a reason. Nothing was recorded.`,
        { refusal: 'release_blocked' },
      );
    if (!BYPASS_ROLES.includes(actor.role))
      throw new AppError(
        'forbidden',
        `Only a store manager may bypass the block on ${version}. Nothing was recorded.`,
        { refusal: 'bypass_needs_manager' },
      );
    if (reason.trim().length < BYPASS_REASON_MIN_LENGTH)
      throw new AppError(
        'invalid_input',
        'Say why this emergency cannot wait for the block to be lifted (at least 10 characters). Nothing was recorded.',
        { refusal: 'reason_required' },
      );
    return { reason: reason.trim() };
  }

  /** The clearance of a start, from the store's windows, the release's ring and the approved change requests. */
  function startAction(
    state: DeploymentState,
    request: Extract<ActionRequest, { type: 'start' }>,
    actor: Actor,
  ): Body<DeploymentAction> {
    // The runbook as the catalog holds it now: a start waits for its approvals too.
    const runbook = readRunbook(db, state.plan.releaseId);
    if (runbook !== null)
      requireApprovedRevision(db, { kind: 'runbook', docId: runbook.id, content: runbook });
    const at = now().getTime();
    const storeRow = store(state.plan.storeId);
    const requests = listChangeRequests(db, storeRow.id);
    const window = canStartDeployment(at, storeRow, readStoreWindows(db, storeRow.id), {
      releaseId: state.plan.releaseId,
      changeRequests: requests,
      override:
        request.overrideReason === null
          ? null
          : { reason: request.overrideReason, role: actor.role },
    });
    const bypass = releaseBlockBypass(
      state.plan.releaseId,
      request.blockBypassReason ?? null,
      actor,
    );
    const schedule = checkSchedule(readDeploymentWindows(db), storeRow, state.plan.releaseId, at);
    if (!schedule.isAllowed)
      throw new AppError('conflict', `${schedule.message} Nothing was recorded.`, {
        refusal: schedule.status === 'expired' ? 'window_expired' : 'window_not_open',
      });
    return {
      type: 'start',
      strategy: request.strategy,
      canaryTerminalId: request.canaryTerminalId,
      window: window.clearance,
      ring: ringClearance(release(state.plan.releaseId), storeRow, requests),
      ...(bypass ? { blockBypass: bypass } : {}),
    };
  }

  /** The go gate from the decisions this console holds: its own and those the feed brought. */
  function decisionGate(state: DeploymentState): DecisionGate {
    const rows = db.sqlite
      .prepare(
        'SELECT id, decision, signed_by AS signedBy, signed_at AS signedAt FROM decisions WHERE release_id = ? AND store_id = ?',
      )
      .all(state.plan.releaseId, state.plan.storeId) as GateDecisionRow[];
    return judgeDecisionGate(rows, {
      releaseVersion: state.plan.targetVersion,
      storeName: store(state.plan.storeId).name,
    });
  }

  /** A step is completed as the state says; at a decision step the gate names the go decision, never the caller. */
  function completeAction(state: DeploymentState): Body<DeploymentAction> {
    if (!isAtDecisionStep(state)) return { type: 'complete_step' };
    const gate = decisionGate(state);
    if (!gate.isOpen)
      throw new AppError('conflict', `${gate.message} Nothing was recorded.`, {
        refusal: 'decision_required',
        gate: gate.code,
      });
    return { type: 'complete_step', decisionId: gate.decisionId };
  }

  /**
   * The smoke result as the checklist run shows it. Away from a smoke step the
   * run is not read: the state machine refuses the action with its own reason.
   */
  function smokeAction(state: DeploymentState, runId: string): Body<DeploymentAction> {
    const step = currentStep(state);
    if (state.status !== 'verifying' || step?.kind !== 'checklist')
      return { type: 'record_smoke_result', runId, isPassed: false };
    const judged = judgeSmokeRun(state, step, readSmokeRun(db, runId));
    if (!judged.ok) throw smokeRefusalError(judged.refusal);
    return { type: 'record_smoke_result', runId, isPassed: judged.isPassed };
  }

  return {
    plan(input, actor) {
      if (actor.role !== 'technician' && actor.role !== 'manager')
        throw new AppError(
          'forbidden',
          'Deployments are planned by field technicians and store managers.',
        );
      const storeRow = store(input.storeId);
      checkStore(actor, storeRow.id);
      const releaseRow = release(input.releaseId);
      if (releaseRow.status === 'withdrawn')
        throw new AppError(
          'conflict',
          `${releaseRow.version} was withdrawn: it must not be installed anywhere. Nothing was planned.`,
          { refusal: 'release_withdrawn' },
        );
      const runbook = readRunbook(db, releaseRow.id);
      if (runbook === null)
        throw new AppError(
          'not_found',
          `${releaseRow.version} has no runbook in the catalog: it cannot be deployed with guidance.`,
        );
      requireApprovedRevision(db, { kind: 'runbook', docId: runbook.id, content: runbook });
      const terminals = db.sqlite
        .prepare(
          'SELECT terminal_id AS terminalId, terminal_name AS name, version FROM terminal_current WHERE store_id = ? ORDER BY terminal_name, terminal_id',
        )
        .all(storeRow.id) as Array<{ terminalId: string; name: string; version: string | null }>;
      const chosen =
        input.terminalIds === undefined
          ? terminals
          : terminals.filter((t) => input.terminalIds!.includes(t.terminalId));
      if (input.terminalIds !== undefined && chosen.length !== new Set(input.terminalIds).size) {
        throw new AppError(
          'invalid_input',
          `Some of the chosen terminals are not in ${storeRow.name}. Nothing was planned.`,
        );
      }
      if (chosen.length === 0)
        throw new AppError(
          'invalid_input',
          `${storeRow.name} has no terminal to deploy to. Nothing was planned.`,
        );
      const plan: DeploymentPlan = {
        deploymentId: uuidv7(),
        releaseId: releaseRow.id,
        storeId: storeRow.id,
        targetVersion: releaseRow.version,
        terminals: chosen.map((t) => ({
          terminalId: t.terminalId,
          name: t.name,
          fromVersion: t.version,
        })),
        runbook: {
          id: runbook.id,
          strategies: runbook.strategies,
          steps: runbook.steps,
          rollbackSteps: runbook.rollbackSteps,
        },
      };
      const planned = plannedEvent(plan);
      const { result } = journal.record({
        type: planned.type,
        storeId: planned.storeId,
        actor: auditActor(actor),
        payload: planned.payload,
        tables: DEPLOYMENT_TABLES,
        apply: (e) => {
          // The same path as the fold: the state is built from the event as journaled.
          const state = stateOfPlannedEvent(asEvent(e));
          writeDeployment(db, state, e);
          recordDeploymentActor(db, state.plan.deploymentId, e.actor.userId);
          return state;
        },
      });
      return result;
    },

    act(deploymentId, request, actor) {
      const before = existing(deploymentId, actor);
      const body =
        request.type === 'start'
          ? startAction(before, request, actor)
          : request.type === 'record_smoke_result'
            ? smokeAction(before, request.runId)
            : request.type === 'complete_step'
              ? completeAction(before)
              : request;
      if (body.type === 'skip_step' && body.changeRequestId !== null) {
        // A change request named for a skip must be approved for exactly this deployment and step.
        const step =
          before.stepIndex >= 0
            ? (before.phase === 'forward'
                ? before.plan.runbook.steps
                : before.plan.runbook.rollbackSteps)[before.stepIndex]
            : undefined;
        const approval = findApproval(listChangeRequests(db, before.plan.storeId), {
          kind: 'skip_mandatory_step',
          storeId: before.plan.storeId,
          releaseId: before.plan.releaseId,
          deploymentId,
          stepId: step?.id ?? '',
        });
        if (approval?.id !== body.changeRequestId) {
          throw new AppError(
            'conflict',
            'That change request is not approved for skipping this step of this deployment. Nothing was recorded.',
            { refusal: 'change_request_required' },
          );
        }
      }
      const action = { ...body, at: now().getTime(), actor: auditActor(actor) };
      // Checked first so a refusal never reaches the journal; checked again on the event as journaled.
      const preview = applyAction(before, action);
      if (!preview.ok) throw refusalError(preview.refusal);
      const event = eventOfAction(deploymentId, action);
      const { result } = journal.record({
        type: event.type,
        storeId: before.plan.storeId,
        actor: auditActor(actor),
        payload: event.payload as never,
        tables:
          event.type === DEPLOYMENT_VERSION_RECORDED
            ? [...DEPLOYMENT_TABLES, ...FLEET_TABLES]
            : DEPLOYMENT_TABLES,
        apply: (e) => {
          const next = applyAction(before, actionOfEvent(asEvent(e)));
          if (!next.ok) throw refusalError(next.refusal);
          writeDeployment(db, next.state, e);
          recordDeploymentActor(db, deploymentId, e.actor.userId);
          // The fleet follows in the same transaction: the matrix and the terminal's history show the captured version.
          if (e.type === DEPLOYMENT_VERSION_RECORDED) applyDeploymentVersion(db, e);
          return next.state;
        },
      });
      return result;
    },

    get(deploymentId, actor) {
      return existing(deploymentId, actor);
    },

    gate(state) {
      return isAtDecisionStep(state) ? decisionGate(state) : null;
    },

    list(filter, actor) {
      if (filter.storeId !== undefined) checkStore(actor, filter.storeId);
      const rows = listDeploymentRows(db, filter);
      return actor.storeIds.length === 0
        ? rows
        : rows.filter((r) => actor.storeIds.includes(r.storeId));
    },

    flags(releaseId, storeId) {
      const storeRow = store(storeId);
      return storeFlagValues(releaseId, storeRow);
    },

    storeFlags(input, actor) {
      checkStore(actor, input.storeId);
      release(input.releaseId);
      return storeFlagValues(input.releaseId, store(input.storeId));
    },

    requestChange(input, actor) {
      store(input.deviation.storeId);
      checkStore(actor, input.deviation.storeId);
      release(input.deviation.releaseId);
      checkDeviationTarget(input.deviation);
      const outcome = requestChange({
        id: uuidv7(),
        deviation: input.deviation,
        impactNote: input.impactNote,
        risk: input.risk,
        actor: auditActor(actor),
        at: now().getTime(),
      });
      if (!outcome.ok)
        throw new AppError(
          outcome.refusal.code === 'not_allowed_to_request' ? 'forbidden' : 'invalid_input',
          outcome.refusal.message,
          { refusal: outcome.refusal.code },
        );
      const requested = outcome.changeRequest;
      journal.record({
        type: 'change_request.requested',
        storeId: input.deviation.storeId,
        actor: auditActor(actor),
        payload: {
          changeRequestId: requested.id,
          deviation: requested.deviation,
          impactNote: input.impactNote,
          risk: requested.risk,
        },
        tables: DEPLOYMENT_TABLES,
        apply: (e) => writeChangeRequest(db, { ...requested, requestedAt: Date.parse(e.at) }),
      });
      return readChangeRequest(db, requested.id)!;
    },

    decideChange(input, actor) {
      const request = readChangeRequest(db, input.changeRequestId);
      if (request === null)
        throw new AppError('not_found', 'This change request does not exist on this console.');
      checkStore(actor, request.deviation.storeId);
      const outcome = decideChangeRequest(request, {
        isApproved: input.isApproved,
        actor: auditActor(actor),
        at: now().getTime(),
        note: input.note,
      });
      if (!outcome.ok) {
        const code =
          outcome.refusal.code === 'same_person' || outcome.refusal.code === 'wrong_role'
            ? 'forbidden'
            : outcome.refusal.code === 'already_decided'
              ? 'conflict'
              : 'invalid_input';
        throw new AppError(code, outcome.refusal.message, { refusal: outcome.refusal.code });
      }
      journal.record({
        type: input.isApproved ? 'change_request.approved' : 'change_request.rejected',
        storeId: request.deviation.storeId,
        actor: auditActor(actor),
        payload: { changeRequestId: request.id, note: input.note },
        tables: DEPLOYMENT_TABLES,
        apply: (e) =>
          writeChangeRequest(db, { ...outcome.changeRequest, decidedAt: Date.parse(e.at) }),
      });
      return readChangeRequest(db, request.id)!;
    },

    changeRequests(storeId, actor) {
      checkStore(actor, storeId);
      return listChangeRequests(db, storeId);
    },
  };
}
