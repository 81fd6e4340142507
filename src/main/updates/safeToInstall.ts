/**
 * Whether the console may install a downloaded update now (restart), and if
 * not, every reason why, each worded for the person at the counter. Pure:
 * the caller gathers the facts (src/main/updates/installFacts.ts reads them
 * from the database; the renderer reports what is open on screen).
 *
 * An install restarts the console: never in the middle of someone's work,
 * never with events or evidence that have not reached the central server
 * (an update that failed to start again would strand them), and never while
 * the store trades or is frozen, the same windows a deployment respects.
 */
import { assertNever } from '../../shared/errors.ts';
import { windowBlocks, type StoreWindows } from '../../shared/deployments/windows.ts';

export const NOT_NOW_REASONS = [
  'deployment_in_progress',
  'checklist_in_progress',
  'unsynced_events',
  'unsynced_evidence',
  'sign_off_open',
  'trading_hours',
  'freeze',
] as const;
export type NotNowReason = (typeof NOT_NOW_REASONS)[number];

export type InstallFacts = {
  now: number;
  /** Deployments that are started and not finished (in progress, paused at an intervention, verifying). */
  activeDeployments: ReadonlyArray<{ id: string; label: string }>;
  /** Checklist runs someone is answering right now (open on screen and not paused). */
  openChecklistRuns: ReadonlyArray<{ id: string; label: string }>;
  /** Journal events the central server has not acknowledged. */
  unsyncedEvents: number;
  /** Evidence files (photos, signatures) not uploaded yet. */
  unsyncedEvidence: number;
  /** A go / no-go sign-off dialog is open (the PIN is being typed). */
  isSignOffOpen: boolean;
  /** The console's store and its windows; null before enrollment or without a catalog. */
  store: { timezone: string; windows: StoreWindows | null } | null;
};

export type NotNow = { reason: NotNowReason; message: string; until?: number };

export type InstallVerdict = { isSafe: true } | { isSafe: false; reasons: NotNow[] };

export function safeToInstall(facts: InstallFacts): InstallVerdict {
  const reasons: NotNow[] = [];
  if (facts.activeDeployments.length > 0) {
    reasons.push({
      reason: 'deployment_in_progress',
      message: `A deployment is in progress (${names(facts.activeDeployments)}): the update installs when it is finished.`,
    });
  }
  if (facts.openChecklistRuns.length > 0) {
    reasons.push({
      reason: 'checklist_in_progress',
      message: `A checklist is being answered (${names(facts.openChecklistRuns)}): pause or finish it first.`,
    });
  }
  if (facts.unsyncedEvents > 0) {
    reasons.push({
      reason: 'unsynced_events',
      message: `${plural(facts.unsyncedEvents, 'recorded action is', 'recorded actions are')} not synced yet: the update installs after they reach the central server.`,
    });
  }
  if (facts.unsyncedEvidence > 0) {
    reasons.push({
      reason: 'unsynced_evidence',
      message: `${plural(facts.unsyncedEvidence, 'evidence file is', 'evidence files are')} not uploaded yet: the update installs once they are.`,
    });
  }
  if (facts.isSignOffOpen) {
    reasons.push({
      reason: 'sign_off_open',
      message: 'A sign-off is open: finish or cancel it first.',
    });
  }
  if (facts.store) {
    for (const block of windowBlocks(facts.now, facts.store, facts.store.windows)) {
      switch (block.kind) {
        case 'trading_hours':
          reasons.push({
            reason: 'trading_hours',
            message: block.message.replace('a deployment can start', 'the update can install'),
            until: block.until,
          });
          break;
        case 'freeze':
          reasons.push({ reason: 'freeze', message: block.message, until: block.until });
          break;
        default:
          assertNever(block, 'window block');
      }
    }
  }
  return reasons.length === 0 ? { isSafe: true } : { isSafe: false, reasons };
}

function names(items: ReadonlyArray<{ label: string }>): string {
  const shown = items.slice(0, 3).map((i) => i.label);
  return items.length > 3 ? `${shown.join(', ')} and ${items.length - 3} more` : shown.join(', ');
}

function plural(n: number, one: string, many: string): string {
  return `${n} ${n === 1 ? one : many}`;
}
