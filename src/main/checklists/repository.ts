/**
 * Reads of the checklist projection (runs, results, waivers, evidence, bug
 * reports) and of the catalog names they show. Writes go through
 * projection.ts only.
 */
import type { Answer, Outcome } from '../../shared/checklists/answers.ts';
import { whereEquals } from '../db/whereEquals.ts';
import type { ChecklistTemplate } from '../../shared/checklists/template.ts';
import type { EvidenceRef, Person } from '../../shared/checklists/types.ts';
import type { Role } from '../../shared/domain/roles.ts';
import type Database from 'better-sqlite3';
import type { Db } from '../db/open.ts';
import { deploymentActorsOf } from '../deployments/repository.ts';

type Statement = Database.Statement<unknown[]>;
const statements = new WeakMap<Db['sqlite'], Map<string, Statement>>();

/** Prepared once per connection: a 300-item run reads hundreds of rows per view. */
function stmt(db: Db, sql: string): Statement {
  let map = statements.get(db.sqlite);
  if (!map) {
    map = new Map();
    statements.set(db.sqlite, map);
  }
  let statement = map.get(sql);
  if (!statement) {
    statement = db.sqlite.prepare(sql);
    map.set(sql, statement);
  }
  return statement;
}

export type RunRow = {
  id: string;
  template: ChecklistTemplate;
  releaseId: string;
  storeId: string;
  terminalIds: string[];
  isPaused: boolean;
  startedBy: string;
  startedRole: Role;
  startedAt: string;
  updatedAt: string;
  eventId: string;
};

export type ResultRow = {
  eventId: string;
  eventHash: string;
  runId: string;
  terminalId: string;
  itemId: string;
  answer: Answer;
  outcome: Outcome;
  note: string | null;
  evidence: string[];
  recordedBy: string;
  recordedRole: Role;
  recordedAt: string;
};

export type WaiverRow = {
  runId: string;
  terminalId: string;
  itemId: string;
  eventId: string;
  eventHash: string;
  reason: string;
  waivedBy: string;
  waivedRole: Role;
  waivedAt: string;
};

type RawRun = {
  id: string;
  template_data: string;
  release_id: string;
  store_id: string;
  terminal_ids: string;
  is_paused: number;
  started_by: string;
  started_role: string;
  started_at: string;
  updated_at: string;
  event_id: string;
};

const RUN_COLUMNS =
  'id, template_data, release_id, store_id, terminal_ids, is_paused, started_by, started_role, started_at, updated_at, event_id';

function toRun(r: RawRun): RunRow {
  return {
    id: r.id,
    template: JSON.parse(r.template_data) as ChecklistTemplate,
    releaseId: r.release_id,
    storeId: r.store_id,
    terminalIds: JSON.parse(r.terminal_ids) as string[],
    isPaused: r.is_paused === 1,
    startedBy: r.started_by,
    startedRole: r.started_role as Role,
    startedAt: r.started_at,
    updatedAt: r.updated_at,
    eventId: r.event_id,
  };
}

export function getRunRow(db: Db, runId: string): RunRow | null {
  const row = stmt(db, `SELECT ${RUN_COLUMNS} FROM checklist_runs WHERE id = ?`).get(runId) as
    RawRun | undefined;
  return row ? toRun(row) : null;
}

/** Newest first; at most `limit`. */
export function listRunRows(
  db: Db,
  filter: { releaseId?: string | undefined; storeId?: string | undefined },
  limit = 200,
): RunRow[] {
  const where = whereEquals({ release_id: filter.releaseId, store_id: filter.storeId });
  const sql = `SELECT ${RUN_COLUMNS} FROM checklist_runs ${where.sql} ORDER BY started_at DESC, id DESC LIMIT ${limit}`;
  return (stmt(db, sql).all(...where.args) as RawRun[]).map(toRun);
}

type RawResult = {
  event_id: string;
  event_hash: string;
  run_id: string;
  terminal_id: string;
  item_id: string;
  answer: string;
  outcome: string;
  note: string | null;
  evidence: string;
  recorded_by: string;
  recorded_role: string;
  recorded_at: string;
};

function toResult(r: RawResult): ResultRow {
  return {
    eventId: r.event_id,
    eventHash: r.event_hash,
    runId: r.run_id,
    terminalId: r.terminal_id,
    itemId: r.item_id,
    answer: JSON.parse(r.answer) as Answer,
    outcome: r.outcome as Outcome,
    note: r.note,
    evidence: JSON.parse(r.evidence) as string[],
    recordedBy: r.recorded_by,
    recordedRole: r.recorded_role as Role,
    recordedAt: r.recorded_at,
  };
}

export function currentResults(db: Db, runId: string): ResultRow[] {
  return (
    stmt(db, 'SELECT * FROM checklist_results WHERE run_id = ? AND is_current = 1').all(
      runId,
    ) as RawResult[]
  ).map(toResult);
}

export function waiversOf(db: Db, runId: string): WaiverRow[] {
  const rows = stmt(db, 'SELECT * FROM checklist_waivers WHERE run_id = ?').all(runId) as Array<{
    run_id: string;
    terminal_id: string;
    item_id: string;
    event_id: string;
    event_hash: string;
    reason: string;
    waived_by: string;
    waived_role: string;
    waived_at: string;
  }>;
  return rows.map((r) => ({
    runId: r.run_id,
    terminalId: r.terminal_id,
    itemId: r.item_id,
    eventId: r.event_id,
    eventHash: r.event_hash,
    reason: r.reason,
    waivedBy: r.waived_by,
    waivedRole: r.waived_role as Role,
    waivedAt: r.waived_at,
  }));
}

export function bugReportPlaces(
  db: Db,
  runId: string,
): Array<{ id: string; terminalId: string; itemId: string }> {
  return stmt(
    db,
    'SELECT id, terminal_id AS terminalId, item_id AS itemId FROM bug_reports WHERE run_id = ? ORDER BY reported_at, id',
  ).all(runId) as Array<{
    id: string;
    terminalId: string;
    itemId: string;
  }>;
}

export function getEvidenceRef(db: Db, sha256: string): EvidenceRef | null {
  const row = stmt(
    db,
    'SELECT sha256, mime_type, byte_length, file_name FROM evidence_files WHERE sha256 = ?',
  ).get(sha256) as
    { sha256: string; mime_type: string; byte_length: number; file_name: string } | undefined;
  return row
    ? {
        sha256: row.sha256,
        mimeType: row.mime_type,
        byteLength: row.byte_length,
        fileName: row.file_name,
      }
    : null;
}

export function terminalNames(
  db: Db,
  ids: readonly string[],
): Map<string, { name: string; storeId: string }> {
  const get = stmt(db, 'SELECT name, store_id AS storeId FROM terminals WHERE id = ?');
  const out = new Map<string, { name: string; storeId: string }>();
  for (const id of ids) {
    const row = get.get(id) as { name: string; storeId: string } | undefined;
    if (row) out.set(id, row);
  }
  return out;
}

export function storeName(db: Db, storeId: string): string | null {
  return (
    (stmt(db, 'SELECT name FROM stores WHERE id = ?').pluck().get(storeId) as string | undefined) ??
    null
  );
}

export function releaseVersion(db: Db, releaseId: string): string | null {
  return (
    (stmt(db, 'SELECT version FROM releases WHERE id = ?').pluck().get(releaseId) as
      string | undefined) ?? null
  );
}

/** A user as shown beside what they did; someone no longer in the catalog keeps their id as name. */
export function personOf(db: Db, userId: string, role: Role): Person {
  const name = stmt(db, 'SELECT name FROM users WHERE id = ?').pluck().get(userId) as
    string | undefined;
  return { userId, name: name ?? userId, role };
}

/**
 * Who deployed this release at this store: everyone who acted on a deployment
 * of it there (issue 5: started it, completed steps, recorded versions…), and
 * the users who recorded a terminal of the store on this release by hand.
 */
export function deployersOf(db: Db, releaseId: string, storeId: string): string[] {
  const byHand = stmt(
    db,
    `SELECT DISTINCT v.recorded_by FROM terminal_versions v JOIN terminals t ON t.id = v.terminal_id
       WHERE v.release_id = ? AND t.store_id = ? AND v.recorded_by IS NOT NULL`,
  )
    .pluck()
    .all(releaseId, storeId) as string[];
  // A maintained projection (deployment_actors), not a scan of the journal's deployment events.
  const byDeployment = deploymentActorsOf(db, releaseId, storeId);
  return [...new Set([...byHand, ...byDeployment])].sort();
}
