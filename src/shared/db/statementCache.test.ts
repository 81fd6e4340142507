/**
 * The statement cache under Kysely on a real better-sqlite3 database: the
 * same SQL is prepared once, the least recently used statement goes first,
 * a stream broken off leaves its statement whole, and a cached statement
 * sees a schema changed after it was prepared.
 */
import Database from 'better-sqlite3';
import { Kysely, SqliteDialect, type Generated } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { withStatementCache } from './statementCache.ts';

type Schema = { item: { id: Generated<number>; name: string; note?: string | null } };

let open: Database.Database[] = [];
afterEach(() => {
  for (const sqlite of open) sqlite.close();
  open = [];
});

/** A database in memory with three items, and every SQL text its connection prepared. */
function itemsDb(size?: number) {
  const sqlite = new Database(':memory:');
  open.push(sqlite);
  sqlite.exec(
    "create table item (id integer primary key, name text not null); insert into item (name) values ('a'), ('b'), ('c')",
  );
  const prepared: string[] = [];
  const counting = {
    close: () => undefined, // afterEach closes it
    prepare: (sql: string) => {
      prepared.push(sql);
      return sqlite.prepare(sql);
    },
  };
  const db = new Kysely<Schema>({
    dialect: new SqliteDialect({ database: withStatementCache(counting, size) }),
  });
  return { db, prepared, sqlite };
}

describe('withStatementCache', () => {
  it('prepares the same SQL once and gives the same answers from it', async () => {
    const { db, prepared } = itemsDb();
    for (const id of [1, 2, 3, 1])
      expect(await db.selectFrom('item').select('name').where('id', '=', id).execute()).toEqual([
        { name: 'abc'[id - 1] },
      ]);
    await db.insertInto('item').values({ name: 'd' }).execute();
    await db.insertInto('item').values({ name: 'e' }).execute();
    expect(await db.selectFrom('item').select('name').where('id', '=', 5).execute()).toEqual([
      { name: 'e' },
    ]);
    expect(prepared).toHaveLength(2);
  });

  it('keeps at most `size` statements, dropping the least recently used', async () => {
    const { db, prepared } = itemsDb(2);
    const byId = () => db.selectFrom('item').select('name').where('id', '=', 1).execute();
    const byName = () => db.selectFrom('item').select('id').where('name', '=', 'a').execute();
    const count = () =>
      db
        .selectFrom('item')
        .select((e) => e.fn.countAll().as('n'))
        .execute();
    await byId();
    await byName();
    await byId(); // byId is now the most recently used
    await count(); // evicts byName
    await byId();
    expect(prepared).toHaveLength(3);
    await byName();
    expect(prepared).toHaveLength(4);
  });

  it('answers in full from a statement whose stream was broken off', async () => {
    const { db, prepared } = itemsDb();
    const all = () => db.selectFrom('item').select('name').orderBy('id');
    for await (const row of all().stream()) {
      expect(row.name).toBe('a');
      break;
    }
    expect(await all().execute()).toEqual([{ name: 'a' }, { name: 'b' }, { name: 'c' }]);
    expect(prepared).toHaveLength(1);
  });

  it('answers from a cached statement with the schema a migration changed', async () => {
    const { db, sqlite } = itemsDb();
    const everything = () => db.selectFrom('item').selectAll().where('id', '=', 1).execute();
    expect(await everything()).toEqual([{ id: 1, name: 'a' }]);
    sqlite.exec("alter table item add column note text default 'n'");
    expect(await everything()).toEqual([{ id: 1, name: 'a', note: 'n' }]);
  });
});
