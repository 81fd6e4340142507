import { sql, type Kysely } from 'kysely';

/**
 * The catalog's compliance rules (src/shared/compliance/rules.ts): the go /
 * no-go rule reads those of the store's region, so they are keyed by region.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`CREATE TABLE compliance_rules (
    id TEXT PRIMARY KEY,
    region TEXT NOT NULL,
    data TEXT NOT NULL
  ) STRICT`.execute(db);
  await sql`CREATE INDEX compliance_rules_by_region ON compliance_rules (region, id)`.execute(db);
}
