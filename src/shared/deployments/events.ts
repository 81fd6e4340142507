/**
 * Deployment journal events: one event per accepted action, plus the event
 * that plans a deployment (it carries a copy of the runbook followed). The
 * state of a deployment is a pure fold of its events, so the console rebuilds
 * it after a restart and an auditor can replay it from the central log.
 */
import { z } from 'zod';
import type { AuditActor } from '../audit/event.ts';
import type { EventTypeSpec } from '../audit/eventTypeSpec.ts';
import { ROLES, type Role } from '../domain/roles.ts';
import {
  decideChangeRequest,
  REQUESTER_ROLES,
  requestChange,
  RISK_LEVELS,
  type ChangeRequest,
} from './changeRequests.ts';
import { runbookStep, STRATEGIES } from './runbook.ts';
import {
  applyAction,
  FIELD_ROLES,
  planDeployment,
  type DeploymentAction,
  type DeploymentActionType,
  type DeploymentPlan,
  type DeploymentState,
} from './stateMachine.ts';

const idText = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9_.:-]+$/);
/** No trimming transforms here: the fold must see exactly what was journaled. */
const reason = z
  .string()
  .min(1)
  .max(2_000)
  .refine((text) => text.trim().length > 0, 'a reason cannot be blank');
const notes = z.string().max(2_000);
const versionText = z.string().min(1).max(64);

const DEPLOYMENT_EVENT_OF_ACTION = {
  start: 'deployment.started',
  complete_step: 'deployment.step.completed',
  fail_step: 'deployment.step.failed',
  retry_step: 'deployment.step.retried',
  skip_step: 'deployment.step.skipped',
  exclude_terminal: 'deployment.terminal.excluded',
  roll_back: 'deployment.rollback.started',
  abort: 'deployment.aborted',
  claim_intervention: 'deployment.intervention.claimed',
  release_intervention: 'deployment.intervention.released',
  proceed_intervention: 'deployment.intervention.proceeded',
  abort_intervention: 'deployment.intervention.aborted',
  record_version: 'deployment.version.recorded',
  record_smoke_result: 'deployment.smoke.recorded',
  stage_release: 'deployment.release.staged',
  switch_slots: 'deployment.slots.switched',
  switch_back: 'deployment.slots.switched_back',
  resume: 'deployment.resumed',
} as const satisfies Record<DeploymentActionType, string>;

export const DEPLOYMENT_PLANNED = 'deployment.planned';

const deploymentId = { deploymentId: idText };
/** Any role may claim an intervention the runbook assigns to it. */
const ANY_ROLE: readonly Role[] = ROLES;

const plannedPayload = z
  .object({
    ...deploymentId,
    releaseId: idText,
    targetVersion: versionText,
    terminals: z
      .array(
        z
          .object({
            terminalId: idText,
            name: z.string().min(1).max(60),
            fromVersion: versionText.nullable(),
          })
          .strict(),
      )
      .min(1)
      .max(64),
    runbook: z
      .object({
        id: idText,
        strategies: z.array(z.enum(STRATEGIES)).min(1).max(STRATEGIES.length),
        steps: z.array(runbookStep).min(1).max(200),
        rollbackSteps: z.array(runbookStep).min(1).max(200),
      })
      .strict(),
  })
  .strict();

const windowClearance = z.discriminatedUnion('basis', [
  z.object({ basis: z.literal('open') }).strict(),
  z.object({ basis: z.literal('override'), reason }).strict(),
  z.object({ basis: z.literal('change_request'), changeRequestId: idText }).strict(),
]);
const ringClearance = z.discriminatedUnion('basis', [
  z.object({ basis: z.literal('in_ring') }).strict(),
  z.object({ basis: z.literal('change_request'), changeRequestId: idText }).strict(),
]);

const simple = z.object(deploymentId).strict();

/** Payload schema and roles of each deployment event type (registered in audit/eventTypes.ts). */
export const DEPLOYMENT_EVENT_TYPES = {
  [DEPLOYMENT_PLANNED]: { payload: plannedPayload, roles: FIELD_ROLES },
  'deployment.started': {
    payload: z
      .object({
        ...deploymentId,
        strategy: z.enum(STRATEGIES),
        canaryTerminalId: idText.nullable(),
        window: windowClearance,
        ring: ringClearance,
        /** Started although the release desk blocked the release: a store manager's emergency bypass. */
        blockBypass: z.object({ reason }).strict().optional(),
      })
      .strict(),
    roles: FIELD_ROLES,
  },
  'deployment.step.completed': {
    // A decision step names the go decision that opened it; other steps carry nothing more.
    payload: z.object({ ...deploymentId, decisionId: idText.optional() }).strict(),
    roles: FIELD_ROLES,
  },
  'deployment.step.failed': {
    payload: z.object({ ...deploymentId, reason }).strict(),
    roles: FIELD_ROLES,
  },
  'deployment.step.retried': { payload: simple, roles: FIELD_ROLES },
  'deployment.step.skipped': {
    payload: z.object({ ...deploymentId, reason, changeRequestId: idText.nullable() }).strict(),
    roles: ['manager'],
  },
  'deployment.terminal.excluded': {
    payload: z.object({ ...deploymentId, terminalId: idText, reason }).strict(),
    roles: FIELD_ROLES,
  },
  'deployment.rollback.started': {
    payload: z.object({ ...deploymentId, reason }).strict(),
    roles: FIELD_ROLES,
  },
  'deployment.aborted': {
    payload: z.object({ ...deploymentId, isConfirmed: z.literal(true), reason }).strict(),
    roles: FIELD_ROLES,
  },
  'deployment.intervention.claimed': { payload: simple, roles: ANY_ROLE },
  'deployment.intervention.released': { payload: simple, roles: ANY_ROLE },
  'deployment.intervention.proceeded': {
    payload: z.object({ ...deploymentId, notes }).strict(),
    roles: ANY_ROLE,
  },
  'deployment.intervention.aborted': {
    payload: z.object({ ...deploymentId, notes: reason }).strict(),
    roles: ANY_ROLE,
  },
  'deployment.version.recorded': {
    payload: z.object({ ...deploymentId, terminalId: idText, version: versionText }).strict(),
    roles: FIELD_ROLES,
  },
  'deployment.smoke.recorded': {
    payload: z.object({ ...deploymentId, runId: idText, isPassed: z.boolean() }).strict(),
    roles: FIELD_ROLES,
  },
  'deployment.release.staged': {
    payload: z.object({ ...deploymentId, terminalId: idText }).strict(),
    roles: FIELD_ROLES,
  },
  'deployment.slots.switched': { payload: simple, roles: FIELD_ROLES },
  'deployment.slots.switched_back': { payload: simple, roles: FIELD_ROLES },
  'deployment.resumed': { payload: simple, roles: ANY_ROLE },
} as const satisfies Record<string, EventTypeSpec>;

export type DeploymentEventType = keyof typeof DEPLOYMENT_EVENT_TYPES;

/** The part of a journal event the fold reads. */
export type DeploymentEvent = {
  type: string;
  at: string;
  actor: AuditActor;
  storeId: string;
  payload: Record<string, unknown>;
};

/** The event that plans a deployment. */
export function plannedEvent(plan: DeploymentPlan): {
  type: typeof DEPLOYMENT_PLANNED;
  storeId: string;
  payload: z.infer<typeof plannedPayload>;
} {
  const { storeId, ...rest } = plan;
  return { type: DEPLOYMENT_PLANNED, storeId, payload: rest };
}

/** The event an accepted action is journaled as: the action without its time and actor, which the event envelope carries. */
export function eventOfAction(
  deploymentIdValue: string,
  action: DeploymentAction,
): { type: DeploymentEventType; payload: Record<string, unknown> } {
  const { at: _at, actor: _actor, type, ...fields } = action;
  return {
    type: DEPLOYMENT_EVENT_OF_ACTION[type],
    payload: { deploymentId: deploymentIdValue, ...fields },
  };
}

const ACTION_OF_EVENT = new Map<string, DeploymentActionType>(
  Object.entries(DEPLOYMENT_EVENT_OF_ACTION).map(([action, event]) => [
    event,
    action as DeploymentActionType,
  ]),
);

/** The action a journaled deployment event records (the fold and the console's live path both use it). */
export function actionOfEvent(event: DeploymentEvent): DeploymentAction {
  const type = ACTION_OF_EVENT.get(event.type);
  if (type === undefined) throw new Error(`${event.type} is not a deployment action event`);
  const spec = DEPLOYMENT_EVENT_TYPES[event.type as DeploymentEventType];
  const { deploymentId: _id, ...fields } = spec.payload.parse(event.payload) as Record<
    string,
    unknown
  >;
  const at = Date.parse(event.at);
  if (!Number.isSafeInteger(at)) throw new Error(`event time ${event.at} is not a time`);
  return { ...fields, type, at, actor: event.actor } as DeploymentAction;
}

/** The state a `deployment.planned` event starts. */
export function stateOfPlannedEvent(event: DeploymentEvent): DeploymentState {
  if (event.type !== DEPLOYMENT_PLANNED)
    throw new Error(`${event.type} does not plan a deployment`);
  return planDeployment({ ...plannedPayload.parse(event.payload), storeId: event.storeId });
}

/** The deployment an event belongs to. */
export function deploymentIdOf(event: { payload: Record<string, unknown> }): string {
  const id = event.payload['deploymentId'];
  if (typeof id !== 'string') throw new Error('a deployment event names its deployment');
  return id;
}

/**
 * Rebuilds a deployment's state from its events, oldest first: the planned
 * event, then one event per accepted action. An event the machine refuses
 * means the journal does not match the rules, and is reported, not skipped.
 */
export function foldDeploymentEvents(events: readonly DeploymentEvent[]): DeploymentState {
  const [first, ...rest] = events;
  if (first?.type !== DEPLOYMENT_PLANNED)
    throw new Error("a deployment's events start with deployment.planned");
  let state = stateOfPlannedEvent(first);
  for (const event of rest) {
    const action = actionOfEvent(event);
    const next = applyAction(state, action);
    if (!next.ok)
      throw new Error(
        `event ${event.type} at ${event.at} is refused by the rules: ${next.refusal.code}`,
      );
    state = next.state;
  }
  return state;
}

const deviation = z.discriminatedUnion('kind', [
  z
    .object({
      kind: z.literal('deploy_outside_window'),
      storeId: idText,
      releaseId: idText,
      from: z.number().int().min(0),
      to: z.number().int().min(0),
    })
    .strict(),
  z
    .object({
      kind: z.literal('skip_mandatory_step'),
      storeId: idText,
      releaseId: idText,
      deploymentId: idText,
      stepId: idText,
    })
    .strict(),
  z
    .object({
      kind: z.literal('release_not_approved_for_ring'),
      storeId: idText,
      releaseId: idText,
    })
    .strict(),
  z
    .object({
      kind: z.literal('feature_flag_change'),
      storeId: idText,
      releaseId: idText,
      flagKey: z.string().min(1).max(64),
      value: z.boolean(),
    })
    .strict(),
]);

const changeRequestRequested = z
  .object({
    changeRequestId: idText,
    deviation,
    impactNote: z.string().min(10).max(4_000),
    risk: z.enum(RISK_LEVELS),
  })
  .strict();
const changeRequestDecided = z
  .object({ changeRequestId: idText, note: z.string().max(2_000) })
  .strict();

/** Change request events: requested by field staff, decided by a different person (rules in changeRequests.ts). */
export const CHANGE_REQUEST_EVENT_TYPES = {
  'change_request.requested': { payload: changeRequestRequested, roles: REQUESTER_ROLES },
  'change_request.approved': { payload: changeRequestDecided, roles: ['manager', 'admin'] },
  'change_request.rejected': { payload: changeRequestDecided, roles: ['manager', 'admin'] },
} as const satisfies Record<string, EventTypeSpec>;

/** Rebuilds the change requests from their events, oldest first, through the same rules that accepted them. */
export function foldChangeRequests(events: readonly DeploymentEvent[]): ChangeRequest[] {
  const byId = new Map<string, ChangeRequest>();
  for (const event of events) {
    const at = Date.parse(event.at);
    if (event.type === 'change_request.requested') {
      const p = changeRequestRequested.parse(event.payload);
      const outcome = requestChange({
        id: p.changeRequestId,
        deviation: p.deviation,
        impactNote: p.impactNote,
        risk: p.risk,
        actor: event.actor,
        at,
      });
      if (!outcome.ok)
        throw new Error(
          `change request ${p.changeRequestId} is refused by the rules: ${outcome.refusal.code}`,
        );
      byId.set(p.changeRequestId, outcome.changeRequest);
    } else if (
      event.type === 'change_request.approved' ||
      event.type === 'change_request.rejected'
    ) {
      const p = changeRequestDecided.parse(event.payload);
      const request = byId.get(p.changeRequestId);
      if (request === undefined)
        throw new Error(`change request ${p.changeRequestId} is decided before it was requested`);
      const outcome = decideChangeRequest(request, {
        isApproved: event.type === 'change_request.approved',
        actor: event.actor,
        at,
        note: p.note,
      });
      if (!outcome.ok)
        throw new Error(
          `decision on change request ${p.changeRequestId} is refused by the rules: ${outcome.refusal.code}`,
        );
      byId.set(p.changeRequestId, outcome.changeRequest);
    }
  }
  return [...byId.values()];
}
