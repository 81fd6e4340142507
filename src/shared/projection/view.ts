/**
 * What a reducer may read: state rows by key, one secondary lookup (the
 * current result of a checklist item) and the catalog facts the fleet rules
 * need. The console answers from its SQLite file as it goes; the server
 * fetches everything a push needs first (`needsOf`, one query per kind) and
 * answers from memory, so a reducer never waits on a database.
 */
import type { AuditActor } from '../audit/event.ts';
import type { ProjectionTable, Row, RowChange } from './tables.ts';

export type ProjectionView = {
  /** A state row by primary key, or null. */
  get(table: ProjectionTable, key: Row): Row | null;
  /** The `event_id` of the current result of one item on one terminal of a run, or null. */
  currentResult(runId: string, terminalId: string, itemId: string): string | null;
  /** The catalog's terminal: null when the catalog has no such terminal. */
  terminalBaseline(terminalId: string): { installedSince: string | null } | null;
  /** The catalog version of a release, or null when the catalog has no such release. */
  releaseVersion(releaseId: string): string | null;
  /** The catalog release with this version, or null. */
  releaseIdOfVersion(version: string): string | null;
};

/** What answering an event will read (the server prefetches these for a whole push). */
export type Need =
  | { kind: 'row'; table: ProjectionTable; key: Row }
  | { kind: 'currentResult'; runId: string; terminalId: string; itemId: string }
  | { kind: 'terminalBaseline'; terminalId: string }
  | { kind: 'releases' };

/** The part of an accepted event the reducers read. */
export type ProjectedEvent = {
  id: string;
  deviceId: string;
  seq: number;
  at: string;
  hash: string;
  storeId: string;
  actor: AuditActor;
  type: string;
  payload: Record<string, unknown>;
};

/**
 * An event that loses a conflict decided by the log (22.5, `EARLIER_ENTRY_WINS`):
 * it stays in the log and its author's journal, changes no state, and is kept
 * here with the rule's code and, where known, the event that won.
 */
export type Superseded = { reason: string; wonBy: string | null };

export type Projection = { changes: RowChange[]; superseded: Superseded | null };
