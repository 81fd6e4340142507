import { sql, type Kysely } from 'kysely';

/**
 * Countries: a store's ISO 3166-1 alpha-2 country (null for catalogs from
 * before countries: such a store is bound by region rules only), and
 * compliance rules that name a country instead of a region. The rules table
 * is rebuilt because its region was NOT NULL; its rows are kept.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE stores ADD COLUMN country TEXT`.execute(db);
  await sql`CREATE TABLE compliance_rules_next (
    id TEXT PRIMARY KEY,
    region TEXT,
    country TEXT,
    data TEXT NOT NULL,
    CHECK ((region IS NULL) <> (country IS NULL))
  ) STRICT`.execute(db);
  await sql`INSERT INTO compliance_rules_next (id, region, country, data)
    SELECT id, region, NULL, data FROM compliance_rules`.execute(db);
  await sql`DROP TABLE compliance_rules`.execute(db);
  await sql`ALTER TABLE compliance_rules_next RENAME TO compliance_rules`.execute(db);
  await sql`CREATE INDEX compliance_rules_by_region ON compliance_rules (region, id)`.execute(db);
  await sql`CREATE INDEX compliance_rules_by_country ON compliance_rules (country, id)`.execute(db);
}
