/**
 * Applies the other devices' events of a checked feed page to the console's
 * state tables, with the existing per-feature apply functions (the fleet's
 * version observation, the checklist projection, the deployment state machine
 * and change request rules).
 *
 * The conflict rule — EARLIER IN THE CENTRAL LOG WINS (docs/conflicts.md):
 * when two devices acted on the same thing offline (two claims of one
 * intervention, two decisions on one change request, an approval after a
 * cancellation), the entity is folded again from all its events, this
 * console's and the others', in central log order (this console's events not
 * yet in the log come last, in journal order). An event the rules refuse at
 * its place in that order is SUPERSEDED: it stays in its journal (nothing is
 * ever dropped), is marked with the id of the event that decided the matter
 * before it, and is counted. `supersededByEarlierEntry` is the rule's name in
 * code.
 */
import type { AuditEventBody } from '../../shared/audit/event.ts';
import type { ConsoleTable } from '../../shared/contract/tables.ts';
import { EVENT_TYPES, type EventPayload } from '../../shared/audit/eventTypes.ts';
import {
  decideChangeRequest,
  requestChange,
  type ChangeRequest,
} from '../../shared/deployments/changeRequests.ts';
import {
  actionOfEvent,
  CHANGE_REQUEST_EVENT_TYPES,
  DEPLOYMENT_PLANNED,
  stateOfPlannedEvent,
  type DeploymentEvent,
} from '../../shared/deployments/events.ts';
import { applyAction, type DeploymentState } from '../../shared/deployments/stateMachine.ts';
import {
  CHECKLIST_EVENT_TYPE_NAMES,
  CHECKLIST_PROJECTION_TABLES,
  type ChecklistEventType,
} from '../checklists/projection.ts';
import { compilePayloadFastPath } from '../audit/payloadFastPath.ts';
import type Database from 'better-sqlite3';
import type { Db } from '../db/open.ts';
import { projectOnConsole } from '../projection/apply.ts';
import { isTriageEntry } from '../../shared/feedback/triage.ts';
import {
  DEPLOYMENT_TABLES,
  recordDeploymentActor,
  writeChangeRequest,
  writeDeployment,
} from '../deployments/repository.ts';
import { applyDeploymentVersion, DEPLOYMENT_VERSION_RECORDED } from '../fleet/deployments.ts';
import { applyVersionObservation } from '../fleet/repository.ts';
import { FLEET_TABLES } from '../fleet/service.ts';
import type { CheckedFeedEntry } from './feed.ts';

export type FeedApplied = {
  /** New entries stored (withheld ones included). */
  received: number;
  applied: number;
  superseded: number;
  /** State tables changed, for the renderer's `db:changed`. */
  tables: ConsoleTable[];
};

const CHECKLIST_TYPES = new Set<string>(CHECKLIST_EVENT_TYPE_NAMES);
/** What a triage entry may change on the console. */
const TRIAGE_TABLES = [
  'bug_reports',
  'feature_requests',
  'feature_request_votes',
  'feedback_comments',
] as const satisfies readonly ConsoleTable[];
const VERSION_TYPES = new Set(['fleet.version.recorded', DEPLOYMENT_VERSION_RECORDED]);

type Outcome = 'applied' | 'superseded' | 'skipped';

/** Stores and applies a checked page's new entries (inside the caller's transaction). */
export function applyFeedEntries(
  db: Db,
  entries: readonly CheckedFeedEntry[],
  now: () => Date,
): FeedApplied {
  const insert = new RowBatch(
    db,
    'INSERT INTO foreign_events (log_index, event_id, device_id, seq, store_id, type, at, actor_user_id, actor_role, body, hash, outcome, reason, received_at) VALUES',
    14,
  );
  const setOutcome = db.sqlite.prepare(
    'UPDATE foreign_events SET outcome = ?, reason = ?, superseded_by = ? WHERE log_index = ?',
  );
  const receivedAt = now().toISOString();
  const result: FeedApplied = { received: 0, applied: 0, superseded: 0, tables: [] };
  const tables = new Set<ConsoleTable>(['foreign_events']);
  const deployments = new Set<string>();
  const changeRequests = new Set<string>();
  const versions = new Versions(db);
  const fleetItems: VersionItem[] = [];
  const skippedVersions: number[] = [];
  for (const entry of entries) {
    if (entry.isHeld) continue;
    result.received += 1;
    if (entry.kind === 'withheld') {
      insert.add(
        entry.index,
        null,
        entry.deviceId,
        entry.seq,
        '',
        null,
        null,
        null,
        null,
        null,
        entry.hash,
        'withheld',
        entry.reason,
        receivedAt,
      );
      continue;
    }
    const e = entry.event;
    insert.add(
      entry.index,
      e.id,
      e.deviceId,
      e.seq,
      e.storeId,
      e.type,
      e.at,
      e.actor.userId,
      e.actor.role,
      entry.body,
      e.hash,
      'applied',
      null,
      receivedAt,
    );
    // Only version observations stay buffered: every other type may read or mark its own row.
    if (e.type !== 'fleet.version.recorded') insert.flush();
    let outcome: Outcome = 'skipped';
    let reason: string | null = null;
    let supersededBy: string | null = null;
    if (e.type === 'fleet.version.recorded') {
      // Applied together after the loop (Versions.applyPage); counted as applied unless skipped there.
      fleetItems.push({ index: entry.index, event: e });
      outcome = 'applied';
    } else if (e.type === DEPLOYMENT_VERSION_RECORDED) {
      // In log order: the observations before it first.
      skippedVersions.push(...versions.applyPage(fleetItems));
      fleetItems.length = 0;
      outcome = versions.applyDeploymentVersion(e);
    }
    if (VERSION_TYPES.has(e.type)) for (const t of FLEET_TABLES) tables.add(t);
    if (e.type.startsWith('deployment.')) {
      const id = e.payload['deploymentId'];
      if (typeof id === 'string') deployments.add(id);
      outcome = 'applied';
    } else if (e.type in CHANGE_REQUEST_EVENT_TYPES) {
      const id = e.payload['changeRequestId'];
      if (typeof id === 'string') changeRequests.add(id);
      outcome = 'applied';
    } else if (isTriageEntry(e)) {
      // The support desk's triage of this store's reports and requests (a server entry).
      projectOnConsole(db, e);
      outcome = 'applied';
      for (const t of TRIAGE_TABLES) tables.add(t);
    } else if (CHECKLIST_TYPES.has(e.type)) {
      const spec = EVENT_TYPES[e.type as ChecklistEventType];
      // Through the shared reducers: a record the rules set aside comes back superseded.
      const savepoint = db.sqlite.transaction(() =>
        projectOnConsole(db, {
          ...e,
          payload: spec.payload.parse(e.payload),
        }),
      );
      try {
        const projection = savepoint();
        if (projection.superseded) {
          outcome = 'superseded';
          reason = projection.superseded.reason;
          supersededBy = projection.superseded.wonBy;
        } else {
          outcome = 'applied';
          for (const t of CHECKLIST_PROJECTION_TABLES) tables.add(t);
        }
      } catch (error) {
        // The same record already exists here (e.g. a second decision with one id): the earlier one stands.
        outcome = 'superseded';
        reason = error instanceof Error ? error.message : String(error);
      }
    }
    if (outcome !== 'applied') setOutcome.run(outcome, reason, supersededBy, entry.index);
    if (outcome === 'applied') result.applied += 1;
    if (outcome === 'superseded') result.superseded += 1;
  }
  insert.flush();
  skippedVersions.push(...versions.applyPage(fleetItems));
  for (const index of skippedVersions) {
    setOutcome.run('skipped', null, null, index);
    result.applied -= 1;
  }
  for (const id of deployments) {
    result.superseded += refoldDeployment(db, id);
    for (const t of DEPLOYMENT_TABLES) tables.add(t);
  }
  for (const id of changeRequests) {
    result.superseded += refoldChangeRequest(db, id);
    for (const t of DEPLOYMENT_TABLES) tables.add(t);
  }
  if (deployments.size + changeRequests.size > 0) tables.add('superseded_events');
  result.tables = [...tables];
  return result;
}

const VERSION_FAST_PATH = compilePayloadFastPath(EVENT_TYPES['fleet.version.recorded'].payload);

type VersionItem = { index: number; event: AuditEventBody & { hash: string } };

/**
 * Version observations in central log order. A foreign observation moves a
 * terminal's current release only if this console has no own observation of
 * that terminal later in the log (or not yet in it); otherwise it goes into
 * the terminal's history only.
 *
 * A page's observations are applied per terminal, in order. Only three of a
 * terminal's can change what its current row ends as (the last one, and the
 * first of the final run of one release with the one before it, which decide
 * `since`); the others go into the history only, through the same row. The
 * result is the row the one-by-one application gives, at a fraction of the
 * writes: the bench feed.catchup100k spent most of its time in
 * 100,000 current-row updates and their count triggers.
 */
class Versions {
  private readonly ownLatest: { get(terminalId: string): number | null };
  private readonly history: RowBatch;
  private readonly releaseVersion: { get(releaseId: string): string | undefined };
  private readonly baseline;
  private readonly ownIndex: OwnLogIndex;
  private readonly db: Db;
  constructor(db: Db) {
    this.db = db;
    // Per terminal, once per page: the journal has no index on the terminal, and
    // this console's own observations do not change while a page is applied.
    const query = db.sqlite
      .prepare(
        `SELECT max(seq) FROM journal WHERE type IN ('fleet.version.recorded', '${DEPLOYMENT_VERSION_RECORDED}')
           AND json_extract(body, '$.payload.terminalId') = ?`,
      )
      .pluck();
    const cache = new Map<string, number | null>();
    this.ownLatest = {
      get(terminalId: string): number | null {
        if (!cache.has(terminalId)) cache.set(terminalId, query.get(terminalId) as number | null);
        return cache.get(terminalId)!;
      },
    };
    this.history = new RowBatch(
      db,
      'INSERT INTO terminal_versions (terminal_id, version, release_id, observed_at, event_id, recorded_by, source) VALUES',
      7,
    );
    // The catalog does not change while a page is applied: one read per release, not per event.
    const release = db.sqlite.prepare('SELECT version FROM releases WHERE id = ?').pluck();
    const versionOf = new Map<string, string | undefined>();
    this.releaseVersion = {
      get(releaseId: string): string | undefined {
        if (!versionOf.has(releaseId))
          versionOf.set(releaseId, release.get(releaseId) as string | undefined);
        return versionOf.get(releaseId);
      },
    };
    this.baseline = db.sqlite.prepare('SELECT installed_since FROM terminals WHERE id = ?');
    this.ownIndex = new OwnLogIndex(db);
  }

  /** A deployment's version capture (rare): applied on its own. */
  applyDeploymentVersion(e: AuditEventBody & { hash: string }): Outcome {
    return applyDeploymentVersion(this.db, e) === 'skipped' ? 'skipped' : 'applied';
  }

  /** Applies a page's `fleet.version.recorded` events; returns the log indices skipped. */
  applyPage(items: readonly VersionItem[]): number[] {
    const skipped: number[] = [];
    const byTerminal = new Map<
      string,
      Array<VersionItem & { payload: EventPayload<'fleet.version.recorded'> }>
    >();
    for (const item of items) {
      const payload = (VERSION_FAST_PATH?.(item.event.payload) ??
        EVENT_TYPES['fleet.version.recorded'].payload.parse(
          item.event.payload,
        )) as EventPayload<'fleet.version.recorded'>;
      if (this.releaseVersion.get(payload.releaseId) !== payload.version) {
        skipped.push(item.index);
        continue;
      }
      const list = byTerminal.get(payload.terminalId) ?? [];
      list.push({ ...item, payload });
      byTerminal.set(payload.terminalId, list);
    }
    const decisive = new Set<VersionItem>();
    const ordered: Array<VersionItem & { payload: EventPayload<'fleet.version.recorded'> }> = [];
    for (const [terminalId, list] of byTerminal) {
      const base = this.baseline.get(terminalId) as { installed_since: string | null } | undefined;
      if (!base) {
        for (const item of list) skipped.push(item.index);
        continue;
      }
      ordered.push(...list);
      const own = this.ownLatest.get(terminalId);
      const ownIndex = own === null ? -1 : this.ownIndex.of(own);
      const since = base.installed_since === null ? null : Date.parse(base.installed_since);
      const current = list.filter(
        (item) => ownIndex < item.index && (since === null || Date.parse(item.event.at) >= since),
      );
      if (current.length > 0) {
        let runStart = current.length - 1;
        const release = current[runStart]!.payload.releaseId;
        while (runStart > 0 && current[runStart - 1]!.payload.releaseId === release) runStart--;
        if (runStart > 0) decisive.add(current[runStart - 1]!);
        decisive.add(current[runStart]!);
        decisive.add(current[current.length - 1]!);
      }
    }
    // In log order, so the terminals' history rows come out as one by one.
    ordered.sort((x, y) => x.index - y.index);
    for (const item of ordered) {
      const { event: e, payload: p } = item;
      if (decisive.has(item)) {
        // History rows in log order: the buffered ones go in first.
        this.history.flush();
        applyVersionObservation(this.db, {
          terminalId: p.terminalId,
          releaseId: p.releaseId,
          version: p.version,
          at: e.at,
          eventId: e.id,
          recordedBy: e.actor.userId,
          source: p.source,
        });
      } else {
        this.history.add(
          p.terminalId,
          p.version,
          p.releaseId,
          e.at,
          e.id,
          e.actor.userId,
          p.source,
        );
      }
    }
    this.history.flush();
    return skipped;
  }
}

/**
 * Rows of one INSERT buffered and written CHUNK at a time with a many-row
 * VALUES list: one call into SQLite per chunk instead of per row. `flush`
 * writes what is buffered; rows go in in the order they were added.
 */
class RowBatch {
  static readonly CHUNK = 100;
  private readonly db: Db;
  private readonly head: string;
  private readonly columns: number;
  private readonly statements = new Map<number, Database.Statement>();
  private values: unknown[] = [];
  constructor(db: Db, head: string, columns: number) {
    this.db = db;
    this.head = head;
    this.columns = columns;
  }
  add(...row: unknown[]): void {
    if (row.length !== this.columns)
      throw new Error(`RowBatch: ${row.length} of ${this.columns} values`);
    for (const v of row) this.values.push(v);
    if (this.values.length === RowBatch.CHUNK * this.columns) this.flush();
  }
  flush(): void {
    const rows = this.values.length / this.columns;
    if (rows === 0) return;
    const values = this.values;
    this.values = [];
    this.statement(rows).run(values);
  }
  private statement(rows: number): Database.Statement {
    let statement = this.statements.get(rows);
    if (!statement) {
      const tuple = `(${Array.from({ length: this.columns }, () => '?').join(', ')})`;
      statement = this.db.sqlite.prepare(
        `${this.head} ${Array.from({ length: rows }, () => tuple).join(', ')}`,
      );
      this.statements.set(rows, statement);
    }
    return statement;
  }
}

/** Where the central log put this console's own events (journal_log_ranges); Infinity while not yet there. */
class OwnLogIndex {
  private readonly range;
  constructor(db: Db) {
    this.range = db.sqlite.prepare(
      'SELECT first_seq, last_seq, first_index FROM journal_log_ranges WHERE first_seq <= ? ORDER BY first_seq DESC LIMIT 1',
    );
  }
  of(seq: number): number {
    const r = this.range.get(seq) as
      { first_seq: number; last_seq: number; first_index: number } | undefined;
    if (!r || seq > r.last_seq) return Number.POSITIVE_INFINITY;
    return r.first_index + (seq - r.first_seq);
  }
}

/** Remembers where a push's newly appended events landed in the central log (the ack's `appended`). */
export function recordAppendedRange(
  db: Db,
  appended: { firstSeq: number; lastSeq: number; firstIndex: number },
): void {
  db.sqlite
    .prepare(
      'INSERT OR REPLACE INTO journal_log_ranges (first_seq, last_seq, first_index) VALUES (?, ?, ?)',
    )
    .run(appended.firstSeq, appended.lastSeq, appended.firstIndex);
}

type OrderedEvent = {
  event: DeploymentEvent & { id: string; seq: number };
  order: number;
  /** Own journal seq, or null for a foreign event (then `logIndex` is set). */
  seq: number | null;
  logIndex: number | null;
};

/** The events of one entity, this console's and the others', in central log order. */
function eventsInLogOrder(db: Db, typeLike: string, idField: string, id: string): OrderedEvent[] {
  const ownIndex = new OwnLogIndex(db);
  const own = db.sqlite
    .prepare(
      `SELECT seq, body FROM journal WHERE type LIKE ? AND json_extract(body, '$.payload.${idField}') = ? ORDER BY seq`,
    )
    .all(typeLike, id) as Array<{ seq: number; body: string }>;
  const foreign = db.sqlite
    .prepare(
      `SELECT log_index, body FROM foreign_events WHERE body IS NOT NULL AND type LIKE ? AND json_extract(body, '$.payload.${idField}') = ? ORDER BY log_index`,
    )
    .all(typeLike, id) as Array<{ log_index: number; body: string }>;
  const out: OrderedEvent[] = [
    ...own.map((r) => {
      const index = ownIndex.of(r.seq);
      return {
        event: JSON.parse(r.body) as OrderedEvent['event'],
        // Not yet in the log: after everything that is, in journal order.
        order: Number.isFinite(index) ? index : Number.MAX_SAFE_INTEGER / 2 + r.seq,
        seq: r.seq,
        logIndex: null,
      };
    }),
    ...foreign.map((r) => ({
      event: JSON.parse(r.body) as OrderedEvent['event'],
      order: r.log_index,
      seq: null,
      logIndex: r.log_index,
    })),
  ];
  return out.sort((a, b) => a.order - b.order);
}

/**
 * Marks `superseded` as set aside by `winner` (the conflict rule), or clears
 * the mark of an event that now stands. Returns 1 for a newly superseded event.
 */
function supersededByEarlierEntry(
  db: Db,
  e: OrderedEvent,
  winner: { id: string; reason: string } | null,
): number {
  if (e.logIndex !== null) {
    const before = db.sqlite
      .prepare('SELECT outcome FROM foreign_events WHERE log_index = ?')
      .pluck()
      .get(e.logIndex) as string | undefined;
    db.sqlite
      .prepare(
        'UPDATE foreign_events SET outcome = ?, superseded_by = ?, reason = ? WHERE log_index = ?',
      )
      .run(
        winner ? 'superseded' : 'applied',
        winner?.id ?? null,
        winner?.reason ?? null,
        e.logIndex,
      );
    return winner && before !== 'superseded' ? 1 : 0;
  }
  if (!winner) {
    db.sqlite.prepare('DELETE FROM superseded_events WHERE event_id = ?').run(e.event.id);
    return 0;
  }
  const changes = db.sqlite
    .prepare(
      `INSERT INTO superseded_events (event_id, superseded_by, reason) VALUES (?, ?, ?)
       ON CONFLICT (event_id) DO UPDATE SET superseded_by = excluded.superseded_by, reason = excluded.reason
       WHERE superseded_by IS NOT excluded.superseded_by`,
    )
    .run(e.event.id, winner.id, winner.reason).changes;
  return changes;
}

/** Folds one deployment again from all its events in central log order; returns how many became superseded. */
function refoldDeployment(db: Db, deploymentId: string): number {
  const events = eventsInLogOrder(db, 'deployment.%', 'deploymentId', deploymentId);
  let state: DeploymentState | null = null;
  let last: OrderedEvent | null = null;
  let superseded = 0;
  const actors = new Set<string>();
  for (const e of events) {
    let refusal: string | null = null;
    if (e.event.type === DEPLOYMENT_PLANNED) {
      if (state === null) state = stateOfPlannedEvent(e.event);
      else refusal = 'already_planned';
    } else if (state === null) {
      refusal = 'not_planned';
    } else {
      const next = applyAction(state, actionOfEvent(e.event));
      if (next.ok) state = next.state;
      else refusal = next.refusal.code;
    }
    if (refusal !== null && last !== null) {
      superseded += supersededByEarlierEntry(db, e, { id: last.event.id, reason: refusal });
      continue;
    }
    if (refusal !== null) continue;
    supersededByEarlierEntry(db, e, null);
    actors.add(e.event.actor.userId);
    last = e;
  }
  if (state !== null && last !== null) {
    // The event's own device seq, as the shared reducer (and the server) writes it, whoever recorded it.
    writeDeployment(db, state, { at: last.event.at, seq: last.event.seq });
    // Who acted: only the events that stand (a superseded claim does not make its author a deployer).
    db.sqlite.prepare('DELETE FROM deployment_actors WHERE deployment_id = ?').run(deploymentId);
    for (const userId of actors) recordDeploymentActor(db, deploymentId, userId);
  }
  return superseded;
}

/** Folds one change request again from all its events in central log order; returns how many became superseded. */
function refoldChangeRequest(db: Db, changeRequestId: string): number {
  const events = eventsInLogOrder(db, 'change_request.%', 'changeRequestId', changeRequestId);
  let request: ChangeRequest | null = null;
  let last: OrderedEvent | null = null;
  let superseded = 0;
  for (const e of events) {
    const at = Date.parse(e.event.at);
    let refusal: string | null = null;
    if (e.event.type === 'change_request.requested') {
      const p = CHANGE_REQUEST_EVENT_TYPES['change_request.requested'].payload.parse(
        e.event.payload,
      );
      if (request !== null) refusal = 'already_requested';
      else {
        const outcome = requestChange({
          id: p.changeRequestId,
          deviation: p.deviation,
          impactNote: p.impactNote,
          risk: p.risk,
          actor: e.event.actor,
          at,
        });
        if (outcome.ok) request = outcome.changeRequest;
        else refusal = outcome.refusal.code;
      }
    } else if (request === null) {
      refusal = 'not_requested';
    } else {
      const p = CHANGE_REQUEST_EVENT_TYPES['change_request.approved'].payload.parse(
        e.event.payload,
      );
      const outcome = decideChangeRequest(request, {
        isApproved: e.event.type === 'change_request.approved',
        actor: e.event.actor,
        at,
        note: p.note,
      });
      if (outcome.ok) request = outcome.changeRequest;
      else refusal = outcome.refusal.code;
    }
    if (refusal !== null) {
      if (last !== null)
        superseded += supersededByEarlierEntry(db, e, { id: last.event.id, reason: refusal });
      continue;
    }
    supersededByEarlierEntry(db, e, null);
    last = e;
  }
  if (request !== null) writeChangeRequest(db, request);
  return superseded;
}

/**
 * After a catalog change the fleet projection is rebuilt from the catalog and
 * this console's journal; the other devices' version observations are applied
 * again on top, in central log order. Returns the tables touched.
 */
export function reapplyForeignVersions(db: Db): ConsoleTable[] {
  const rows = db.sqlite
    .prepare(
      `SELECT log_index, body, hash FROM foreign_events WHERE type IN ('fleet.version.recorded', '${DEPLOYMENT_VERSION_RECORDED}') AND outcome != 'withheld' ORDER BY log_index`,
    )
    .all() as Array<{ log_index: number; body: string; hash: string }>;
  if (rows.length === 0) return [];
  const run = db.sqlite.transaction(() => {
    const versions = new Versions(db);
    db.sqlite
      .prepare(
        `DELETE FROM terminal_versions WHERE event_id IN (SELECT event_id FROM foreign_events WHERE event_id IS NOT NULL)`,
      )
      .run();
    let page: VersionItem[] = [];
    for (const r of rows) {
      const e = { ...(JSON.parse(r.body) as AuditEventBody), hash: r.hash };
      if (e.type === DEPLOYMENT_VERSION_RECORDED) {
        versions.applyPage(page);
        page = [];
        versions.applyDeploymentVersion(e);
      } else page.push({ index: r.log_index, event: e });
    }
    versions.applyPage(page);
  });
  run.immediate();
  return [...FLEET_TABLES];
}
