/**
 * The fleet follows guided deployments (issue 5): a version captured on a
 * terminal during a deployment (`deployment.version.recorded`) is an observed
 * version like `fleet.version.recorded`, applied to `terminal_current` (and so
 * to `store_release_counts`, kept by triggers) and to the terminal's history,
 * in the deployment event's own transaction. The fleet rebuild replays these
 * events through the same function, so live state and rebuild agree.
 *
 * Blue-green slot switches are not applied: the runbook rules require a
 * version capture after every switch (and after a switch back), and that
 * capture is what the terminal was seen running.
 */
import { EVENT_TYPES } from '../../shared/audit/eventTypes.ts';
import type { Db } from '../db/open.ts';
import { applyVersionObservation, findReleaseByVersion } from './repository.ts';

export const DEPLOYMENT_VERSION_RECORDED = 'deployment.version.recorded';

type JournaledVersionEvent = {
  id: string;
  at: string;
  actor: { userId: string };
  payload: unknown;
};

/**
 * Applies a journaled `deployment.version.recorded` event to the fleet.
 * 'skipped' (nothing written) when its version is no release of the catalog
 * or its terminal is no longer in the catalog: the deployment still records it.
 */
export function applyDeploymentVersion(
  db: Db,
  event: JournaledVersionEvent,
): 'applied' | 'history-only' | 'skipped' {
  const payload = EVENT_TYPES[DEPLOYMENT_VERSION_RECORDED].payload.parse(event.payload);
  const release = findReleaseByVersion(db, payload.version);
  if (release === null) return 'skipped';
  const outcome = applyVersionObservation(db, {
    terminalId: payload.terminalId,
    releaseId: release.id,
    version: release.version,
    at: event.at,
    eventId: event.id,
    recordedBy: event.actor.userId,
    // The capture step is typed into the console (a scanner types too); the event id links the deployment.
    source: 'typed',
  });
  return outcome === 'missing' ? 'skipped' : outcome;
}
