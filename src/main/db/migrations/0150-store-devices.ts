import { sql, type Kysely } from 'kysely';

/**
 * The names of the consoles enrolled in this console's store, as the central
 * server lists them (GET /v1/store/devices, pulled in the sync cycle), so a
 * record from another console shows that console's name, not its id.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`CREATE TABLE store_devices (
    device_id TEXT PRIMARY KEY,
    name TEXT
  ) STRICT`.execute(db);
}
