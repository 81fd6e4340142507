/**
 * Guided deployment channels. Spread into `contract` (index.ts). Every accepted action is one journal event; a refusal comes
 * back as `{code, message, details: {refusal}}` with the state machine's
 * stable refusal code, and records nothing.
 */
import { z } from 'zod';
import type { DecisionGate } from '../deployments/decisionGate.ts';
import type { FlagValue } from '../deployments/runbook.ts';
import { STRATEGIES } from '../deployments/runbook.ts';
import type { DeploymentState, DeploymentStatus, Phase } from '../deployments/stateMachine.ts';
import type { DeploymentMetrics, TimelineStep } from '../deployments/timeline.ts';
import { CHANNEL_ACCESS } from './access.ts';
import { call } from './define.ts';
import { id, version } from './schemas.ts';

const reason = z.string().max(2_000);
const notes = z.string().max(2_000);

/** One deployment action, as the console's screens ask for it; time and actor come from the session. */
export const deploymentActionInput = z.discriminatedUnion('type', [
  z
    .object({
      type: z.literal('start'),
      strategy: z.enum(STRATEGIES),
      canaryTerminalId: id.nullable(),
      /** A store manager's reason to start during trading hours; null otherwise. */
      overrideReason: reason.nullable(),
      /** A store manager's reason to start a release the release desk blocked (emergency bypass). */
      blockBypassReason: reason.nullable().optional(),
    })
    .strict(),
  z.object({ type: z.literal('complete_step') }).strict(),
  z.object({ type: z.literal('fail_step'), reason }).strict(),
  z.object({ type: z.literal('retry_step') }).strict(),
  z.object({ type: z.literal('skip_step'), reason, changeRequestId: id.nullable() }).strict(),
  z.object({ type: z.literal('exclude_terminal'), terminalId: id, reason }).strict(),
  z.object({ type: z.literal('roll_back'), reason }).strict(),
  z.object({ type: z.literal('abort'), isConfirmed: z.boolean(), reason }).strict(),
  z.object({ type: z.literal('claim_intervention') }).strict(),
  z.object({ type: z.literal('release_intervention') }).strict(),
  z.object({ type: z.literal('proceed_intervention'), notes }).strict(),
  z.object({ type: z.literal('abort_intervention'), notes }).strict(),
  z.object({ type: z.literal('record_version'), terminalId: id, version }).strict(),
  /** Pass or fail is read from the checklist run itself: it must be this step's checklist, for this store and release, cover the step's terminals, and be finished. */
  z.object({ type: z.literal('record_smoke_result'), runId: id }).strict(),
  z.object({ type: z.literal('stage_release'), terminalId: id }).strict(),
  z.object({ type: z.literal('switch_slots') }).strict(),
  z.object({ type: z.literal('switch_back') }).strict(),
  z.object({ type: z.literal('resume') }).strict(),
]);

export type DeploymentSummary = {
  id: string;
  storeId: string;
  releaseId: string;
  status: DeploymentStatus;
  /** 'rollback' while the rollback runbook is walked. */
  phase: Phase;
  plannedAt: string;
  updatedAt: string;
};

/** Everything the deployment screen shows: the state, its timeline and metrics, and the store's flag values for the release. */
export type DeploymentView = {
  state: DeploymentState;
  timeline: TimelineStep[];
  metrics: DeploymentMetrics;
  flags: FlagValue[];
  /** At a decision step: whether a go decision opens it, or why it waits; null at any other step. */
  gate: DecisionGate | null;
};

export const deploymentsContract = {
  /** Deployments of one store (or of every store the user works in), newest first. */
  'deployments:list': call<DeploymentSummary[]>()({
    input: z.object({ storeId: id.optional() }).strict(),
    access: 'signedIn',
  }),
  'deployments:get': call<DeploymentView>()({
    input: z.object({ deploymentId: id }).strict(),
    access: 'signedIn',
  }),
  /** Plans a deployment of a release to a store (all its terminals, or those named) from the release's runbook. */
  'deployments:plan': call<DeploymentView>()({
    input: z
      .object({ releaseId: id, storeId: id, terminalIds: z.array(id).min(1).max(64).optional() })
      .strict(),
    access: CHANNEL_ACCESS['deployments:plan'],
  }),
  /**
   * Applies one action through the state machine. Signed-in rather than a
   * role list: an intervention may name any role; the state machine checks
   * every role rule (skip and override need the manager, and so on).
   */
  'deployments:act': call<DeploymentView>()({
    input: z.object({ deploymentId: id, action: deploymentActionInput }).strict(),
    access: CHANNEL_ACCESS['deployments:act'],
  }),
  /** A store's feature flag values for a release (the terminal detail shows those of the release it runs). */
  'deployments:flags': call<FlagValue[]>()({
    input: z.object({ storeId: id, releaseId: id }).strict(),
    access: 'signedIn',
  }),
} as const;
