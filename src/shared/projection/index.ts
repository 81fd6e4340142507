/**
 * One projection, two places: the pure reducers that turn
 * accepted events into state rows. The console applies their changes to its
 * SQLite state tables (src/main/projection… adapters in each feature), the
 * server to its read models (src/server/readModels). Same events in the same
 * order give the same rows on both sides (src/shared/projection/dump.ts).
 *
 * Conflicts are decided by the log (`EARLIER_ENTRY_WINS`):
 * reducers run in log order, so when two devices act on the same thing the
 * earlier entry changes the state first and the later one, refused by the
 * rules against that state, is reported as superseded and changes nothing.
 */
import {
  CHECKLIST_PROJECTED_TYPES,
  checklistNeeds,
  DECISION_PROJECTED_TYPES,
  FEEDBACK_PROJECTED_TYPES,
  reduceChecklistEvent,
} from './checklists.ts';
import {
  changeRequestNeeds,
  deploymentNeeds,
  isChangeRequestEventType,
  isDeploymentEventType,
  reduceChangeRequestEvent,
  reduceDeploymentEvent,
} from './deployments.ts';
import { feedbackNeeds, isFeedbackStoreEventType, reduceFeedbackEvent } from './feedback.ts';
import { fleetNeeds, reduceFleetEvent } from './fleet.ts';
import {
  isTriageEntry,
  reduceTriageEntry,
  TRIAGE_ACTIONS,
  triageNeeds,
} from '../feedback/triage.ts';
import type { RowChange } from './tables.ts';
import type { Need, ProjectedEvent, Projection, ProjectionView } from './view.ts';

export * from './tables.ts';
export type * from './view.ts';

const CHECKLIST_LIKE = new Set<string>([
  ...CHECKLIST_PROJECTED_TYPES,
  ...FEEDBACK_PROJECTED_TYPES,
  ...DECISION_PROJECTED_TYPES,
]);
const FLEET = new Set<string>(['fleet.version.recorded', 'deployment.version.recorded']);
/** The support desk's server entries (only the server's own count: see isTriageEntry). */
const TRIAGE = new Set<string>(Object.keys(TRIAGE_ACTIONS));

/** Whether any reducer reads this event type (sessions, for one, change no state). */
export function isProjectedType(type: string): boolean {
  return (
    CHECKLIST_LIKE.has(type) ||
    FLEET.has(type) ||
    isDeploymentEventType(type) ||
    isChangeRequestEventType(type) ||
    isFeedbackStoreEventType(type) ||
    TRIAGE.has(type)
  );
}

export function needsOf(event: ProjectedEvent): Need[] {
  const needs: Need[] = [];
  if (CHECKLIST_LIKE.has(event.type)) needs.push(...checklistNeeds(event));
  if (isDeploymentEventType(event.type)) needs.push(...deploymentNeeds(event));
  if (isChangeRequestEventType(event.type)) needs.push(...changeRequestNeeds(event));
  if (FLEET.has(event.type)) needs.push(...fleetNeeds(event));
  if (isFeedbackStoreEventType(event.type)) needs.push(...feedbackNeeds(event));
  if (isTriageEntry(event)) needs.push(...triageNeeds(event));
  return needs;
}

/**
 * Every change one event makes, in the order they apply. A deployment's
 * version capture is a deployment step and a fleet observation: when the
 * deployment refuses it (superseded), the fleet does not see it either.
 */
export function reduceEvent(event: ProjectedEvent, view: ProjectionView): Projection {
  if (CHECKLIST_LIKE.has(event.type))
    return { changes: reduceChecklistEvent(event, view), superseded: null };
  if (isChangeRequestEventType(event.type)) return reduceChangeRequestEvent(event, view);
  if (isDeploymentEventType(event.type)) {
    const outcome = reduceDeploymentEvent(event, view);
    if (outcome.superseded !== null || !FLEET.has(event.type)) return outcome;
    const fleet: RowChange[] = reduceFleetEvent(event, view);
    return { changes: [...outcome.changes, ...fleet], superseded: null };
  }
  if (FLEET.has(event.type)) return { changes: reduceFleetEvent(event, view), superseded: null };
  if (isFeedbackStoreEventType(event.type)) return reduceFeedbackEvent(event, view);
  if (isTriageEntry(event)) return reduceTriageEntry(event, view);
  return { changes: [], superseded: null };
}

export { reduceChecklistEvent } from './checklists.ts';
export { reduceFleetEvent } from './fleet.ts';
export { reduceChangeRequestEvent, reduceDeploymentEvent } from './deployments.ts';
