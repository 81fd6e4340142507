/**
 * The go gate of a runbook's decision step: the step may be completed once the
 * store's latest go / no-go decision for the release says go (a go with
 * conditions counts: its conditions are the manager's to follow up). Which
 * console signed it does not matter: a decision received through the feed
 * opens the gate like one signed here. Pure: the console passes the decisions
 * its state holds for the store and release.
 */
import type { DeploymentState } from './stateMachine.ts';
import { currentStep } from './stateMachine.ts';

export const GATE_DECISIONS = ['go', 'no-go', 'go-with-conditions'] as const;
export type GateDecision = (typeof GATE_DECISIONS)[number];

export type GateDecisionRow = {
  id: string;
  decision: GateDecision;
  signedBy: string;
  /** ISO-8601 time of signing; the latest decision is the one in force. */
  signedAt: string;
};

export type DecisionGate =
  | { isOpen: true; decisionId: string; decision: GateDecision; signedBy: string; signedAt: string }
  | {
      isOpen: false;
      code: 'no_decision' | 'latest_is_no_go';
      message: string;
      /** What the message names, for the console to say it in its language. */
      params: { releaseVersion: string; storeName: string };
    };

/** The decision in force: the latest signed, ties broken by id so every console picks the same one. */
function decisionInForce(rows: readonly GateDecisionRow[]): GateDecisionRow | null {
  let latest: GateDecisionRow | null = null;
  for (const row of rows) {
    if (
      latest === null ||
      row.signedAt > latest.signedAt ||
      (row.signedAt === latest.signedAt && row.id > latest.id)
    )
      latest = row;
  }
  return latest;
}

/** Whether the decisions let a decision step be completed, with the reason in plain words when not. */
export function judgeDecisionGate(
  rows: readonly GateDecisionRow[],
  context: { releaseVersion: string; storeName: string },
): DecisionGate {
  const latest = decisionInForce(rows);
  if (latest === null) {
    return {
      isOpen: false,
      code: 'no_decision',
      params: context,
      message: `Waiting for the store manager's go decision on ${context.releaseVersion} at ${context.storeName}: none has been signed yet on any console of the store that has synced with this one.`,
    };
  }
  if (latest.decision === 'no-go') {
    return {
      isOpen: false,
      code: 'latest_is_no_go',
      params: context,
      message: `The latest decision on ${context.releaseVersion} at ${context.storeName} is NO-GO: the rollout waits until a manager signs a go.`,
    };
  }
  return {
    isOpen: true,
    decisionId: latest.id,
    decision: latest.decision,
    signedBy: latest.signedBy,
    signedAt: latest.signedAt,
  };
}

/** True when the deployment stands at a decision step, so its gate matters. */
export function isAtDecisionStep(state: DeploymentState): boolean {
  return state.status === 'in_progress' && currentStep(state)?.kind === 'decision';
}
