/** Strings of the deployment timeline and the feature flag panel. */
import type { FlagSource } from '#shared/deployments/runbook.ts';
import type { Phase, Wave } from '#shared/deployments/stateMachine.ts';
import type { StepKind } from '#shared/deployments/runbook.ts';

export const TIMELINE_TEXT = {
  title: 'Timeline',
  storeClock: (zone: string) => `Times on the store’s clock (${zone}).`,
  empty: 'Nothing done yet',
  emptyHint: 'The timeline fills in as soon as the deployment starts.',
  columns: {
    n: '#',
    phase: 'Phase',
    step: 'Step',
    by: 'By',
    started: 'Started',
    finished: 'Finished',
    duration: 'Duration',
    waiting: 'Waited for a claim',
    outcome: 'Outcome',
  },
  notYet: 'still open',
  nobody: '—',
  failedBefore: (reasons: string) => `Failed first: ${reasons}`,
  flagsTitle: 'Feature flags at this store',
  flagsHint:
    'Values this store gets for the release. A change for one store is a change request, approved by an administrator.',
  flagsEmpty: 'This release defines no feature flag.',
  flagColumns: { key: 'Flag', value: 'Value', source: 'Comes from', change: '' },
  on: 'On',
  off: 'Off',
  requestFlag: (value: boolean) => `Request to turn ${value ? 'on' : 'off'}`,
};

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
};

export const FLAG_SOURCE_LABELS: Record<FlagSource, string> = {
  store: 'Store override',
  ring: 'Ring default',
  default: 'Release default',
};
