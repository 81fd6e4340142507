/**
 * The sync_state row (migration 0040-sync): repository functions, database
 * handle first. Every write is its own small transaction; `acked_seq` only
 * moves when the server said so.
 */
import type { Db } from '../db/open.ts';
import type { SyncStateTable } from '../db/schema.ts';
import type { SignedTreeHead } from '../../shared/sync/protocol.ts';

export type SyncState = SyncStateTable;

/** The row with its device token opened (it is stored sealed: db/sealer.ts). */
export function readSyncState(db: Db): SyncState | null {
  const row = db.sqlite.prepare('SELECT * FROM sync_state WHERE singleton = 1').get() as
    SyncState | undefined;
  if (!row) return null;
  return { ...row, device_token: db.sealer.open(row.device_token, 'sync_state.device_token') };
}

export type Enrollment = {
  serverUrl: string;
  deviceToken: string;
  storeId: string;
  logId: string;
  logPublicKey: string;
  devicePublicKey: string;
  enrolledAt: string;
  /** What the server already holds of this device's chain (re-enrollment). */
  ackedSeq: number;
};

/** A new enrollment replaces the old one whole: new server, new log, no inherited tree head or alarm. */
export function saveEnrollment(db: Db, e: Enrollment): void {
  db.sqlite
    .prepare(
      `INSERT OR REPLACE INTO sync_state
        (singleton, server_url, device_token, store_id, log_id, log_public_key, device_public_key, enrolled_at,
         acked_seq, catalog_cursor, tree_head, tree_head_signature, tree_head_verified_at, last_success_at, last_error, alarm)
       VALUES (1, ?, ?, ?, ?, ?, ?, ?, ?, NULL, NULL, NULL, NULL, NULL, NULL, NULL)`,
    )
    .run(
      e.serverUrl,
      db.sealer.seal(e.deviceToken, 'sync_state.device_token'),
      e.storeId,
      e.logId,
      e.logPublicKey,
      e.devicePublicKey,
      e.enrolledAt,
      e.ackedSeq,
    );
}

/** The rotated device token replaces the old one, which the server no longer accepts. */
export function setDeviceToken(db: Db, token: string): void {
  db.sqlite
    .prepare('UPDATE sync_state SET device_token = ? WHERE singleton = 1')
    .run(db.sealer.seal(token, 'sync_state.device_token'));
}

export function setAckedSeq(db: Db, seq: number): void {
  db.sqlite.prepare('UPDATE sync_state SET acked_seq = ? WHERE singleton = 1').run(seq);
}

export function setTreeHead(db: Db, head: SignedTreeHead, verifiedAt: string): void {
  db.sqlite
    .prepare(
      'UPDATE sync_state SET tree_head = ?, tree_head_signature = ?, tree_head_verified_at = ? WHERE singleton = 1',
    )
    .run(JSON.stringify(head.treeHead), head.signature, verifiedAt);
}

export function readTreeHead(state: SyncState): SignedTreeHead | null {
  if (state.tree_head === null || state.tree_head_signature === null) return null;
  return {
    treeHead: JSON.parse(state.tree_head) as SignedTreeHead['treeHead'],
    signature: state.tree_head_signature,
  };
}

export function setCatalogCursor(db: Db, cursor: string): void {
  db.sqlite.prepare('UPDATE sync_state SET catalog_cursor = ? WHERE singleton = 1').run(cursor);
}

export function setOutcome(
  db: Db,
  outcome: { lastSuccessAt?: string; lastError: string | null },
): void {
  if (outcome.lastSuccessAt !== undefined) {
    db.sqlite
      .prepare('UPDATE sync_state SET last_success_at = ?, last_error = ? WHERE singleton = 1')
      .run(outcome.lastSuccessAt, outcome.lastError);
  } else {
    db.sqlite
      .prepare('UPDATE sync_state SET last_error = ? WHERE singleton = 1')
      .run(outcome.lastError);
  }
}

export function raiseAlarm(db: Db, alarm: string): void {
  // The first alarm is kept: it names the sync that found the rewrite.
  db.sqlite
    .prepare('UPDATE sync_state SET alarm = COALESCE(alarm, ?) WHERE singleton = 1')
    .run(alarm);
}
