/**
 * The deployments projection: each deployment's state as the state machine
 * produced it, and each change request. Written only inside a journal
 * transaction (service.ts) or by the rebuild from the journal (rebuild.ts).
 */
import canonicalize from 'canonicalize';
import type { ChangeRequest } from '../../shared/deployments/changeRequests.ts';
import type {
  DeploymentState,
  DeploymentStatus,
  Phase,
} from '../../shared/deployments/stateMachine.ts';
import type { Db } from '../db/open.ts';

export const DEPLOYMENT_TABLES = ['deployments', 'change_requests', 'deployment_actors'] as const;

/** Canonical JSON (RFC 8785): the live path and the rebuild write byte-identical rows. */
function canonicalJson(value: unknown): string {
  const text = canonicalize(value);
  if (text === undefined) throw new Error('cannot store a value that has no JSON form');
  return text;
}

export type DeploymentRow = {
  id: string;
  storeId: string;
  releaseId: string;
  status: DeploymentStatus;
  /** Forward or rollback: "in progress" during a rollback reads "Rolling back". */
  phase: Phase;
  plannedAt: string;
  updatedAt: string;
  lastSeq: number;
};

/** Stores the state after the journal event `event`; the first event of a deployment also sets when it was planned. */
export function writeDeployment(
  db: Db,
  state: DeploymentState,
  event: { at: string; seq: number },
): void {
  db.sqlite
    .prepare(
      `INSERT INTO deployments (id, store_id, release_id, status, planned_at, updated_at, last_seq, state)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (id) DO UPDATE SET status = excluded.status, updated_at = excluded.updated_at, last_seq = excluded.last_seq, state = excluded.state`,
    )
    .run(
      state.plan.deploymentId,
      state.plan.storeId,
      state.plan.releaseId,
      state.status,
      event.at,
      event.at,
      event.seq,
      canonicalJson(state),
    );
}

export function readDeployment(db: Db, deploymentId: string): DeploymentState | null {
  const text = db.sqlite
    .prepare('SELECT state FROM deployments WHERE id = ?')
    .pluck()
    .get(deploymentId) as string | undefined;
  return text === undefined ? null : (JSON.parse(text) as DeploymentState);
}

/** The hot reads, named so the query-plan test checks exactly what runs. */
export const DEPLOYMENTS_OF_STORE_SQL =
  "SELECT id, store_id, release_id, status, json_extract(state, '$.phase') AS phase, planned_at, updated_at, last_seq FROM deployments WHERE store_id = ? ORDER BY planned_at DESC, id DESC";
export const CHANGE_REQUESTS_OF_STORE_SQL =
  'SELECT data FROM change_requests WHERE store_id = ? ORDER BY requested_at, id';

export function listDeploymentRows(db: Db, filter: { storeId?: string }): DeploymentRow[] {
  const rows = (
    filter.storeId === undefined
      ? db.sqlite
          .prepare(
            "SELECT id, store_id, release_id, status, json_extract(state, '$.phase') AS phase, planned_at, updated_at, last_seq FROM deployments ORDER BY planned_at DESC, id DESC",
          )
          .all()
      : db.sqlite.prepare(DEPLOYMENTS_OF_STORE_SQL).all(filter.storeId)
  ) as Array<{
    id: string;
    store_id: string;
    release_id: string;
    status: DeploymentStatus;
    phase: Phase;
    planned_at: string;
    updated_at: string;
    last_seq: number;
  }>;
  return rows.map((r) => ({
    id: r.id,
    storeId: r.store_id,
    releaseId: r.release_id,
    status: r.status,
    phase: r.phase,
    plannedAt: r.planned_at,
    updatedAt: r.updated_at,
    lastSeq: r.last_seq,
  }));
}

export function writeChangeRequest(db: Db, request: ChangeRequest): void {
  db.sqlite
    .prepare(
      `INSERT INTO change_requests (id, store_id, release_id, kind, status, requested_at, data) VALUES (?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (id) DO UPDATE SET status = excluded.status, data = excluded.data`,
    )
    .run(
      request.id,
      request.deviation.storeId,
      request.deviation.releaseId,
      request.deviation.kind,
      request.status,
      new Date(request.requestedAt).toISOString(),
      canonicalJson(request),
    );
}

export function readChangeRequest(db: Db, id: string): ChangeRequest | null {
  const text = db.sqlite
    .prepare('SELECT data FROM change_requests WHERE id = ?')
    .pluck()
    .get(id) as string | undefined;
  return text === undefined ? null : (JSON.parse(text) as ChangeRequest);
}

export function listChangeRequests(db: Db, storeId: string): ChangeRequest[] {
  const rows = db.sqlite.prepare(CHANGE_REQUESTS_OF_STORE_SQL).pluck().all(storeId) as string[];
  return rows.map((t) => JSON.parse(t) as ChangeRequest);
}

/** Notes that `userId` journaled an event of this deployment (idempotent). */
export function recordDeploymentActor(db: Db, deploymentId: string, userId: string): void {
  db.sqlite
    .prepare('INSERT OR IGNORE INTO deployment_actors (deployment_id, user_id) VALUES (?, ?)')
    .run(deploymentId, userId);
}

/** Everyone who acted on a deployment of this release at this store (the go / no-go's deployers), sorted. */
export const DEPLOYMENT_ACTORS_SQL = `SELECT DISTINCT a.user_id FROM deployments d JOIN deployment_actors a ON a.deployment_id = d.id
  WHERE d.store_id = ? AND d.release_id = ? ORDER BY a.user_id`;

export function deploymentActorsOf(db: Db, releaseId: string, storeId: string): string[] {
  return db.sqlite.prepare(DEPLOYMENT_ACTORS_SQL).pluck().all(storeId, releaseId) as string[];
}
