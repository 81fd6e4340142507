import { sql, type Kysely } from 'kysely';

/**
 * The scope feed on the console (src/main/sync/feed.ts): the other devices'
 * accepted events of this console's store, as the central log served them.
 *
 * `foreign_events` keeps each one with its log index (the central order the
 * conflict rule reads), who recorded it on which device (provenance), and what
 * applying it did: `applied`, `superseded` (an earlier entry in the central
 * log had already decided the same thing; `superseded_by` names it),
 * `skipped` (nothing of this console's state to change, e.g. a terminal not in
 * its catalog) or `withheld` (quarantined by the server: only its place in
 * the device's chain is known, so `body` is null). (device_id, seq) is unique:
 * it is how a gap in a device's chain is seen.
 *
 * `feed_state` holds the cursor (the last log index read; null: from the
 * start) and the last refused page's reason, shown on the Sync screen.
 *
 * `journal_log_ranges` remembers where the central log put this console's own
 * events (each push appends its new events contiguously: the ack says the
 * first and last seq and index), so own and foreign events can be put in the
 * central log's order. `superseded_events` lists this console's own events
 * that the conflict rule set aside (an earlier entry in the central log
 * decided the same thing), with the id of that entry.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`CREATE TABLE foreign_events (
    log_index INTEGER PRIMARY KEY,
    event_id TEXT,
    device_id TEXT NOT NULL,
    seq INTEGER NOT NULL,
    store_id TEXT NOT NULL,
    type TEXT,
    at TEXT,
    actor_user_id TEXT,
    actor_role TEXT,
    body TEXT,
    hash TEXT NOT NULL,
    outcome TEXT NOT NULL CHECK (outcome IN ('applied', 'superseded', 'skipped', 'withheld')),
    reason TEXT,
    superseded_by TEXT,
    received_at TEXT NOT NULL
  ) STRICT`.execute(db);
  await sql`CREATE UNIQUE INDEX foreign_events_by_device_id_seq ON foreign_events (device_id, seq)`.execute(
    db,
  );
  await sql`CREATE UNIQUE INDEX foreign_events_by_event_id ON foreign_events (event_id) WHERE event_id IS NOT NULL`.execute(
    db,
  );
  await sql`CREATE TABLE feed_state (
    singleton INTEGER PRIMARY KEY CHECK (singleton = 1),
    after_index INTEGER,
    last_refusal TEXT,
    last_refusal_code TEXT,
    last_refused_at TEXT
  ) STRICT`.execute(db);
  await sql`INSERT INTO feed_state (singleton) VALUES (1)`.execute(db);
  await sql`CREATE TABLE journal_log_ranges (
    first_seq INTEGER PRIMARY KEY,
    last_seq INTEGER NOT NULL,
    first_index INTEGER NOT NULL
  ) STRICT`.execute(db);
  await sql`CREATE TABLE superseded_events (
    event_id TEXT PRIMARY KEY,
    superseded_by TEXT NOT NULL,
    reason TEXT NOT NULL
  ) STRICT`.execute(db);
}
