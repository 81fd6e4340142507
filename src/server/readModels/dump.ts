/** The server's read models as a canonical dump (src/shared/projection/dump.ts), optionally one store's terminals only. */
import { sql, type Kysely } from 'kysely';
import { canonicalRows, type ProjectionDump } from '../../shared/projection/dump.ts';
import { PROJECTION_TABLE_NAMES, type Row } from '../../shared/projection/index.ts';
import type { ServerSchema } from '../db/schema.ts';
import { SERVER_TABLE } from './project.ts';

export async function dumpReadModels(
  db: Kysely<ServerSchema>,
  options: { storeId?: string } = {},
): Promise<ProjectionDump> {
  const dump = {} as ProjectionDump;
  for (const table of PROJECTION_TABLE_NAMES) {
    // A console holds only its store's terminals; every other table holds what was pushed.
    const where =
      table === 'terminal_current' && options.storeId !== undefined
        ? sql` WHERE store_id = ${options.storeId}`
        : sql``;
    const { rows } =
      await sql<Row>`SELECT * FROM ${sql.table(SERVER_TABLE[table])}${where}`.execute(db);
    dump[table] = canonicalRows(table, rows);
  }
  return dump;
}
