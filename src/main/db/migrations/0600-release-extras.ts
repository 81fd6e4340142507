import { sql, type Kysely } from 'kysely';

/**
 * Two catalog parts the release desk publishes: each release's automated
 * test results (the JUnit summary, shown on the release and bound by a go /
 * no-go decision) and the checklists assigned to this console's store with
 * their due dates (the checklists screen's "Due" section).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`CREATE TABLE release_test_results (
    release_id TEXT PRIMARY KEY,
    data TEXT NOT NULL
  ) STRICT`.execute(db);
  await sql`CREATE TABLE checklist_assignments (
    id TEXT PRIMARY KEY,
    store_id TEXT NOT NULL,
    template_id TEXT NOT NULL,
    due_at TEXT NOT NULL,
    data TEXT NOT NULL
  ) STRICT`.execute(db);
  await sql`CREATE INDEX checklist_assignments_by_store ON checklist_assignments (store_id, due_at, id)`.execute(
    db,
  );
}
