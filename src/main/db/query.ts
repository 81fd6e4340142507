/**
 * Kysely queries run synchronously on the console's connection: the query is
 * built and typed by Kysely over `Schema` (schema.ts), compiled to SQL, and
 * run as a better-sqlite3 statement prepared once per connection and SQL
 * text. The one way to read the console's database without a cast.
 */
import type Database from 'better-sqlite3';
import type { Compilable } from 'kysely';
import type { Db } from './handle.ts';

const statements = new WeakMap<Database.Database, Map<string, Database.Statement>>();

function statement(sqlite: Database.Database, text: string): Database.Statement {
  let cache = statements.get(sqlite);
  if (!cache) {
    cache = new Map();
    statements.set(sqlite, cache);
  }
  let prepared = cache.get(text);
  if (!prepared) {
    prepared = sqlite.prepare(text);
    cache.set(text, prepared);
  }
  return prepared;
}

/** Every row the query returns, typed as Kysely infers it. */
export function selectRows<Row>(db: Pick<Db, 'sqlite'>, query: Compilable<Row>): Row[] {
  const { sql, parameters } = query.compile();
  return statement(db.sqlite, sql).all(...parameters) as Row[];
}

/** The first row the query returns, or undefined. */
export function selectRow<Row>(db: Pick<Db, 'sqlite'>, query: Compilable<Row>): Row | undefined {
  const { sql, parameters } = query.compile();
  return statement(db.sqlite, sql).get(...parameters) as Row | undefined;
}
