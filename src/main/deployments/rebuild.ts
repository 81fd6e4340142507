/**
 * Rebuilds the deployments projection from the journal alone: every
 * deployment's events folded through the state machine, every change request
 * through its rules — the same code the live path runs, so the tables after a
 * rebuild equal the tables the console wrote.
 */
import type { DeploymentEvent } from '../../shared/deployments/events.ts';
import {
  actionOfEvent,
  deploymentIdOf,
  DEPLOYMENT_PLANNED,
  foldChangeRequests,
  stateOfPlannedEvent,
} from '../../shared/deployments/events.ts';
import { applyAction, type DeploymentState } from '../../shared/deployments/stateMachine.ts';
import type { Db } from '../db/open.ts';
import { recordDeploymentActor, writeChangeRequest, writeDeployment } from './repository.ts';

type JournalRow = { seq: number; body: string };

function readEvents(db: Db, like: string): Array<DeploymentEvent & { seq: number }> {
  const rows = db.sqlite
    .prepare('SELECT seq, body FROM journal WHERE type LIKE ? ORDER BY seq')
    .all(like) as JournalRow[];
  return rows.map((row) => ({ ...(JSON.parse(row.body) as DeploymentEvent), seq: row.seq }));
}

export function rebuildDeployments(db: Db): { deployments: number; changeRequests: number } {
  const run = db.sqlite.transaction(() => {
    db.sqlite.exec(
      'DELETE FROM deployments; DELETE FROM change_requests; DELETE FROM deployment_actors;',
    );
    const states = new Map<string, DeploymentState>();
    for (const event of readEvents(db, 'deployment.%')) {
      const id = deploymentIdOf(event);
      let state: DeploymentState;
      if (event.type === DEPLOYMENT_PLANNED) {
        state = stateOfPlannedEvent(event);
      } else {
        const before = states.get(id);
        if (before === undefined)
          throw new Error(
            `journal event ${event.seq} acts on deployment ${id} before it was planned`,
          );
        const next = applyAction(before, actionOfEvent(event));
        if (!next.ok)
          throw new Error(
            `journal event ${event.seq} (${event.type}) is refused by the rules: ${next.refusal.code}`,
          );
        state = next.state;
      }
      states.set(id, state);
      writeDeployment(db, state, event);
      recordDeploymentActor(db, id, event.actor.userId);
    }
    const requests = foldChangeRequests(readEvents(db, 'change_request.%'));
    for (const request of requests) writeChangeRequest(db, request);
    return { deployments: states.size, changeRequests: requests.length };
  });
  return run.immediate();
}
