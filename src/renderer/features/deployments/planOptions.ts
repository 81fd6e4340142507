/**
 * What the plan dialog and the start form offer by default: pure, so the
 * choices are tested without a browser (the back end refuses the rest anyway).
 */
import type { ReleaseStatus } from '#shared/domain/releases.ts';
import type { DeploymentState } from '#shared/deployments/stateMachine.ts';

/** Releases a deployment may be planned for: a withdrawn release must never be installed again. */
export function plannableReleases<R extends { status: ReleaseStatus }>(
  releases: readonly R[],
): R[] {
  return releases.filter((r) => r.status !== 'withdrawn');
}

/**
 * The canary proposed at the start: the first terminal not already on the
 * target release (a canary that already runs it tests nothing), else the
 * first terminal.
 */
export function defaultCanaryId(state: DeploymentState): string | null {
  const behind = state.terminals.find((t) => t.fromVersion !== state.plan.targetVersion);
  return (behind ?? state.terminals[0])?.terminalId ?? null;
}
