/** The console's database handle, in a module of its own so that the migrator and the opener do not import each other. */
import type Database from 'better-sqlite3';
import type { Kysely } from 'kysely';
import type { Sealer } from './sealer.ts';
import type { Schema } from './schema.ts';
import type { WalCheckpointer } from './walCheckpointer.ts';

export type Db = {
  /** The raw connection: synchronous transactions and prepared statements. */
  sqlite: Database.Database;
  /** Typed query builder over the same connection (compile, then run sync). */
  kysely: Kysely<Schema>;
  file: string;
  /** Keeps the WAL bounded off the main thread; writers call `afterCommit()` after a commit. */
  checkpointer: WalCheckpointer;
  /** Seals and opens the secrets kept in the database (PIN hashes, device token): sealer.ts. */
  sealer: Sealer;
  close(): void;
};
