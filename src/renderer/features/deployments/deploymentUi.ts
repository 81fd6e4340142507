/** Colours and small words shared by the deployment screens. */
import type { DeploymentStatus, TerminalProgress } from '#shared/deployments/stateMachine.ts';
import { assertNever } from '#shared/errors.ts';
import { isApiError } from '../../api/client.ts';
import type { StepStanding } from './stepGuide.ts';
import type { DeploymentState } from '#shared/deployments/stateMachine.ts';
import { t } from '../../i18n/index.ts';

export function deploymentStatusColor(status: DeploymentStatus): string {
  switch (status) {
    case 'planned':
      return 'gray';
    case 'in_progress':
    case 'verifying':
      return 'blue';
    case 'paused_at_intervention':
      return 'yellow';
    case 'completed':
      return 'teal';
    case 'rolled_back':
      return 'orange';
    case 'failed':
    case 'aborted':
      return 'red';
    default:
      return assertNever(status, 'deployment status');
  }
}

export function standingColor(standing: StepStanding): string {
  switch (standing) {
    case 'done':
      return 'teal';
    case 'current':
      return 'blue';
    case 'failed':
      return 'red';
    case 'skipped':
      return 'orange';
    case 'pending':
      return 'gray';
    default:
      return assertNever(standing, 'step standing');
  }
}

export function progressColor(progress: TerminalProgress): string {
  switch (progress) {
    case 'old':
      return 'gray';
    case 'new':
      return 'teal';
    case 'excluded':
      return 'dark';
    case 'rolled_back':
      return 'orange';
    default:
      return assertNever(progress, 'terminal progress');
  }
}

/** The state machine's refusal code of a back-end error, when it carries one. */
export function refusalCode(error: unknown): string | null {
  if (!isApiError(error)) return null;
  const details = error.details as { refusal?: unknown } | undefined;
  return typeof details?.refusal === 'string' ? details.refusal : null;
}

/**
 * Where a deployment stands, in the console's language: while the rollback
 * runbook is walked it is rolling back, whatever the kind of its current step,
 * so nobody mistakes it for the forward run.
 */
export function deploymentStatusWords(state: Pick<DeploymentState, 'status' | 'phase'>): string {
  if (state.phase === 'rollback') {
    switch (state.status) {
      case 'in_progress':
      case 'verifying':
      case 'paused_at_intervention':
      case 'failed':
        return t(`domain:rollbackStatus.${state.status}`);
      case 'planned':
      case 'completed':
      case 'rolled_back':
      case 'aborted':
        break;
      default:
        return assertNever(state.status, 'deployment status');
    }
  }
  return t(`domain:deploymentStatus.${state.status}`);
}
