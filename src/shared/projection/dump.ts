/**
 * A canonical dump of projected state: for each shared table, its shared
 * columns only, rows sorted by key. The console's state tables and the
 * server's read models, after the same events, dump to equal values (the
 * test of "one projection, two places").
 */
import {
  keyText,
  PROJECTION_TABLE_NAMES,
  PROJECTION_TABLES,
  type ProjectionTable,
  type Row,
} from './tables.ts';

export type ProjectionDump = Record<ProjectionTable, Row[]>;

export function canonicalRows(table: ProjectionTable, rows: readonly Row[]): Row[] {
  const columns: readonly string[] = PROJECTION_TABLES[table].columns;
  return rows
    .map((row) => {
      const out: Row = {};
      // PostgreSQL and SQLite both hand integers back as numbers here; text stays text.
      for (const c of columns) out[c] = row[c] ?? null;
      return out;
    })
    .sort((a, b) => {
      const ka = keyText(table, a);
      const kb = keyText(table, b);
      return ka < kb ? -1 : ka > kb ? 1 : 0;
    });
}

export function canonicalDump(read: (table: ProjectionTable) => readonly Row[]): ProjectionDump {
  const dump = {} as ProjectionDump;
  for (const table of PROJECTION_TABLE_NAMES) dump[table] = canonicalRows(table, read(table));
  return dump;
}
