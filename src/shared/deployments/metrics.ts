/**
 * Deployment metrics from the journal alone (issue 5, acceptance 6): time to
 * deploy (manual waiting included), success, rollback — computed from the
 * journaled events, with no console database, so an auditor's script, the
 * central KPIs and the console's own timeline agree. The events are folded
 * through the same state machine the console ran (events.ts), then measured
 * by timeline.ts.
 */
import type { AuditActor } from '../audit/event.ts';
import {
  DEPLOYMENT_EVENT_TYPES,
  deploymentIdOf,
  foldDeploymentEvents,
  type DeploymentEvent,
} from './events.ts';
import type { DeploymentState } from './stateMachine.ts';
import { deploymentMetrics, type DeploymentMetrics } from './timeline.ts';

/** The fields of a journal event (console journal or central log entry) the fold reads; anything else is ignored. */
export type JournalEventLike = {
  type: string;
  at: string;
  actor: AuditActor;
  storeId: string;
  payload: unknown;
};

const DEPLOYMENT_TYPES: ReadonlySet<string> = new Set(Object.keys(DEPLOYMENT_EVENT_TYPES));

/** Whether an event belongs to a deployment (change requests and every other feature's events do not). */
function isDeploymentEvent(event: Pick<JournalEventLike, 'type'>): boolean {
  return DEPLOYMENT_TYPES.has(event.type);
}

/**
 * Every deployment's state, folded from its events. `events` are in journal
 * order (one console's seq order); other events are skipped. A journal the
 * rules refuse throws: metrics from a journal that does not fold would lie.
 */
export function deploymentsFromJournal(
  events: readonly JournalEventLike[],
): Map<string, DeploymentState> {
  const byDeployment = new Map<string, DeploymentEvent[]>();
  for (const event of events) {
    if (!isDeploymentEvent(event)) continue;
    const asEvent: DeploymentEvent = {
      type: event.type,
      at: event.at,
      actor: event.actor,
      storeId: event.storeId,
      payload: event.payload as Record<string, unknown>,
    };
    const id = deploymentIdOf(asEvent);
    const list = byDeployment.get(id) ?? [];
    list.push(asEvent);
    byDeployment.set(id, list);
  }
  return new Map([...byDeployment].map(([id, list]) => [id, foldDeploymentEvents(list)]));
}

/** Each deployment's metrics, by deployment id, from the journal alone. */
export function metricsFromJournal(
  events: readonly JournalEventLike[],
): Map<string, DeploymentMetrics> {
  return new Map(
    [...deploymentsFromJournal(events)].map(([id, state]) => [id, deploymentMetrics(state)]),
  );
}
