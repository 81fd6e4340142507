/** Strings of the deployment timeline and the feature flag panel. */
import type { FlagSource } from '#shared/deployments/runbook.ts';
import type { Phase, Wave } from '#shared/deployments/stateMachine.ts';
import type { StepKind } from '#shared/deployments/runbook.ts';

export const PHASE_LABELS: Record<Phase, string> = { forward: 'Forward', rollback: 'Rollback' };
export const WAVE_LABELS: Record<Wave, string> = { canary: 'canary', fleet: 'all terminals' };

export const STEP_KIND_LABELS: Record<StepKind, string> = {
  instruction: 'Instruction',
  intervention: 'Manual intervention',
  version_capture: 'Version capture',
  checklist: 'Checklist',
  wait: 'Wait',
  stage: 'Stage on standby slot',
  switch: 'Slot switch',
  decision: 'Go decision',
};

export const FLAG_SOURCE_LABELS: Record<FlagSource, string> = {
  store: 'Store override',
  ring: 'Ring default',
  default: 'Release default',
};
