import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, expectTypeOf, it } from 'vitest';
import { migrations } from './migrations/index.ts';
import { CONSOLE_TABLES, type Schema } from './schema.ts';
import { createMigrationTestDb, type MigrationTestDb } from './testing/migrationDb.ts';

// Plain strings: the database may hold a type the description does not know yet.
type Described = Record<string, Record<string, string>>;

/** Every table the migrations made (Kysely's own bookkeeping aside), described as in schema.ts. */
function describeDatabase(sqlite: Database.Database): Described {
  const tables = sqlite
    .prepare(
      `SELECT name FROM sqlite_master WHERE type = 'table'
         AND name NOT LIKE 'sqlite_%' AND name NOT LIKE 'kysely_%' ORDER BY name`,
    )
    .all() as Array<{ name: string }>;
  // Full-text indexes are SQLite's own tables (the virtual one and its shadows), queried by
  // raw SQL only; their source table is described like any other.
  const virtual = sqlite
    .prepare(
      `SELECT name FROM sqlite_master WHERE type = 'table' AND sql LIKE 'CREATE VIRTUAL TABLE%'`,
    )
    .pluck()
    .all() as string[];
  const described: Described = {};
  for (const { name } of tables) {
    if (virtual.some((v) => name === v || name.startsWith(`${v}_`))) continue;
    const columns = sqlite.prepare('SELECT * FROM pragma_table_info(?)').all(name) as Array<{
      name: string;
      type: string;
      notnull: number;
      pk: number;
    }>;
    // An INTEGER PRIMARY KEY is the rowid: never NULL though not declared NOT NULL.
    described[name] = Object.fromEntries(
      columns.map((c) => [
        c.name,
        `${c.type.toLowerCase()}${c.notnull === 0 && c.pk === 0 ? '?' : ''}`,
      ]),
    );
  }
  return described;
}

/** The tables whose description differs, each with the entry schema.ts should have. */
function differences(described: Described, actual: Described): string[] {
  const names = [...new Set([...Object.keys(described), ...Object.keys(actual)])].sort();
  const out: string[] = [];
  for (const name of names) {
    const want = actual[name];
    const have = described[name];
    if (JSON.stringify(want) === JSON.stringify(have)) continue;
    out.push(
      want === undefined
        ? `${name}: in schema.ts but no migration makes it (remove it)`
        : `${name}: ${JSON.stringify(want).replaceAll('"', "'")}`,
    );
  }
  return out;
}

const LATEST = Object.keys(migrations).sort().at(-1)!;
let migrationDb: MigrationTestDb;

beforeAll(async () => {
  migrationDb = createMigrationTestDb();
  await migrationDb.migrateTo(LATEST);
});
afterAll(() => migrationDb.destroy());

describe('the Kysely schema describes the migrated console database', () => {
  it('names every table and column with its type and nullability, as the migrations leave them', () => {
    // On failure: paste the printed entries into CONSOLE_TABLES in schema.ts.
    expect(differences(CONSOLE_TABLES, describeDatabase(migrationDb.sqlite))).toEqual([]);
  });

  it('notices a column a migration adds that the schema lacks, and a table it drops', () => {
    // A copy of the migrated database, changed as a careless migration would.
    const sqlite = new Database(migrationDb.sqlite.serialize());
    try {
      expect(differences(CONSOLE_TABLES, describeDatabase(sqlite))).toEqual([]);
      sqlite.exec('ALTER TABLE journal ADD COLUMN extra TEXT');
      sqlite.exec('DROP TABLE store_windows');
      expect(differences(CONSOLE_TABLES, describeDatabase(sqlite))).toEqual([
        `journal: {'seq':'integer','id':'text','at':'text','type':'text','store_id':'text','actor_user_id':'text','body':'text','hash':'text','extra':'text?'}`,
        'store_windows: in schema.ts but no migration makes it (remove it)',
      ]);
    } finally {
      sqlite.close();
    }
  });

  it('derives each row type from the description', () => {
    expectTypeOf<Schema['journal']>().toEqualTypeOf<{
      seq: number;
      id: string;
      at: string;
      type: string;
      store_id: string;
      actor_user_id: string;
      body: string;
      hash: string;
    }>();
    expectTypeOf<Schema['feed_state']['after_index']>().toEqualTypeOf<number | null>();
    expectTypeOf<Schema['releases']['planned_at']>().toEqualTypeOf<string | null>();
  });
});
