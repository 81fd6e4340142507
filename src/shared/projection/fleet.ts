/**
 * Reducer of the fleet: the installed version per terminal and its history,
 * from `fleet.version.recorded` and `deployment.version.recorded`. The rules
 * are the console's (src/main/fleet/repository.ts, applyVersionObservation):
 * an observation older than the catalog's baseline goes to the history only;
 * `since` moves only when the release changes; an observation of a terminal
 * or release the catalog does not know changes nothing.
 */
import type { EventPayload } from '../audit/eventTypes.ts';
import type { RowChange } from './tables.ts';
import type { Need, ProjectedEvent, ProjectionView } from './view.ts';

export function fleetNeeds(event: ProjectedEvent): Need[] {
  const terminalId = String(event.payload['terminalId']);
  return [
    { kind: 'releases' },
    { kind: 'terminalBaseline', terminalId },
    { kind: 'row', table: 'terminal_current', key: { terminal_id: terminalId } },
  ];
}

type Observation = {
  terminalId: string;
  releaseId: string;
  version: string;
  source: 'typed' | 'scanned';
};

function observe(event: ProjectedEvent, o: Observation, view: ProjectionView): RowChange[] {
  const baseline = view.terminalBaseline(o.terminalId);
  if (baseline === null) return [];
  const isCurrent =
    baseline.installedSince === null || Date.parse(event.at) >= Date.parse(baseline.installedSince);
  const changes: RowChange[] = [];
  if (isCurrent) {
    const current = view.get('terminal_current', { terminal_id: o.terminalId });
    if (current === null) return [];
    changes.push({
      op: 'patch',
      table: 'terminal_current',
      key: { terminal_id: o.terminalId },
      set: {
        release_id: o.releaseId,
        version: o.version,
        since: current['release_id'] === o.releaseId ? current['since']! : event.at,
        last_seen: event.at,
      },
    });
  }
  changes.push({
    op: 'append',
    table: 'terminal_versions',
    row: {
      event_id: event.id,
      terminal_id: o.terminalId,
      version: o.version,
      release_id: o.releaseId,
      observed_at: event.at,
      recorded_by: event.actor.userId,
      source: o.source,
    },
  });
  return changes;
}

export function reduceFleetEvent(event: ProjectedEvent, view: ProjectionView): RowChange[] {
  if (event.type === 'fleet.version.recorded') {
    const p = event.payload as EventPayload<'fleet.version.recorded'>;
    // A version that is not the catalog's version of the named release was never applicable.
    if (view.releaseVersion(p.releaseId) !== p.version) return [];
    return observe(
      event,
      { terminalId: p.terminalId, releaseId: p.releaseId, version: p.version, source: p.source },
      view,
    );
  }
  if (event.type === 'deployment.version.recorded') {
    const p = event.payload as EventPayload<'deployment.version.recorded'>;
    const releaseId = view.releaseIdOfVersion(p.version);
    if (releaseId === null) return [];
    // The capture step is typed into the console (a scanner types too); the event id links the deployment.
    return observe(
      event,
      { terminalId: p.terminalId, releaseId, version: p.version, source: 'typed' },
      view,
    );
  }
  throw new Error(`not a fleet event: ${event.type}`);
}
