/**
 * Reducer of deployments (runs, steps, interventions and their claims,
 * through the state machine), their actors, and change requests with their
 * approvals (through the change request rules). An action the rules refuse
 * against the state the log has built so far lost a conflict decided by the
 * log (EARLIER_ENTRY_WINS): it changes nothing and is reported as superseded.
 */
import type { ChangeRequest } from '../deployments/changeRequests.ts';
import { decideChangeRequest, requestChange } from '../deployments/changeRequests.ts';
import {
  actionOfEvent,
  DEPLOYMENT_PLANNED,
  stateOfPlannedEvent,
  type DeploymentEvent,
} from '../deployments/events.ts';
import { applyAction, type DeploymentState } from '../deployments/stateMachine.ts';
import { canonicalJson } from './json.ts';
import type { Row, RowChange } from './tables.ts';
import type { Need, ProjectedEvent, ProjectionView, Superseded } from './view.ts';

export function isDeploymentEventType(type: string): boolean {
  return type.startsWith('deployment.');
}
export function isChangeRequestEventType(type: string): boolean {
  return type.startsWith('change_request.');
}

export function deploymentNeeds(event: ProjectedEvent): Need[] {
  const id = String(event.payload['deploymentId']);
  return [
    { kind: 'row', table: 'deployments', key: { id } },
    {
      kind: 'row',
      table: 'deployment_actors',
      key: { deployment_id: id, user_id: event.actor.userId },
    },
  ];
}

export function changeRequestNeeds(event: ProjectedEvent): Need[] {
  return [
    {
      kind: 'row',
      table: 'change_requests',
      key: { id: String(event.payload['changeRequestId']) },
    },
  ];
}

type Outcome = { changes: RowChange[]; superseded: Superseded | null };

function lost(reason: string, wonBy: string | null = null): Outcome {
  return { changes: [], superseded: { reason, wonBy } };
}

function deploymentRow(
  state: DeploymentState,
  event: ProjectedEvent,
  plannedAt: string,
): RowChange[] {
  const row: Row = {
    id: state.plan.deploymentId,
    store_id: state.plan.storeId,
    release_id: state.plan.releaseId,
    status: state.status,
    planned_at: plannedAt,
    updated_at: event.at,
    last_seq: event.seq,
    state: canonicalJson(state),
  };
  return [
    { op: 'put', table: 'deployments', row },
    {
      op: 'putIfAbsent',
      table: 'deployment_actors',
      row: { deployment_id: state.plan.deploymentId, user_id: event.actor.userId },
    },
  ];
}

export function reduceDeploymentEvent(event: ProjectedEvent, view: ProjectionView): Outcome {
  const id = String(event.payload['deploymentId']);
  const before = view.get('deployments', { id });
  const asDeploymentEvent = event as unknown as DeploymentEvent;
  if (event.type === DEPLOYMENT_PLANNED) {
    if (before !== null) return lost('deployment_already_planned');
    return {
      changes: deploymentRow(stateOfPlannedEvent(asDeploymentEvent), event, event.at),
      superseded: null,
    };
  }
  if (before === null) return lost('deployment_unknown');
  const state = JSON.parse(String(before['state'])) as DeploymentState;
  const next = applyAction(state, actionOfEvent(asDeploymentEvent));
  if (!next.ok) return lost(next.refusal.code);
  return {
    changes: deploymentRow(next.state, event, String(before['planned_at'])),
    superseded: null,
  };
}

function changeRequestRow(request: ChangeRequest): RowChange {
  return {
    op: 'put',
    table: 'change_requests',
    row: {
      id: request.id,
      store_id: request.deviation.storeId,
      release_id: request.deviation.releaseId,
      kind: request.deviation.kind,
      status: request.status,
      requested_at: new Date(request.requestedAt).toISOString(),
      data: canonicalJson(request),
    },
  };
}

export function reduceChangeRequestEvent(event: ProjectedEvent, view: ProjectionView): Outcome {
  const p = event.payload as {
    changeRequestId: string;
    note?: string;
    deviation?: ChangeRequest['deviation'];
    impactNote?: string;
    risk?: ChangeRequest['risk'];
  };
  const before = view.get('change_requests', { id: p.changeRequestId });
  const at = Date.parse(event.at);
  if (event.type === 'change_request.requested') {
    if (before !== null) return lost('change_request_already_requested');
    const outcome = requestChange({
      id: p.changeRequestId,
      deviation: p.deviation!,
      impactNote: p.impactNote!,
      risk: p.risk!,
      actor: event.actor,
      at,
    });
    if (!outcome.ok) return lost(outcome.refusal.code);
    return { changes: [changeRequestRow(outcome.changeRequest)], superseded: null };
  }
  if (before === null) return lost('change_request_unknown');
  const request = JSON.parse(String(before['data'])) as ChangeRequest;
  const outcome = decideChangeRequest(request, {
    isApproved: event.type === 'change_request.approved',
    actor: event.actor,
    at,
    note: p.note ?? '',
  });
  if (!outcome.ok) return lost(outcome.refusal.code);
  return { changes: [changeRequestRow(outcome.changeRequest)], superseded: null };
}
