/**
 * Opens the server database: SQLite (better-sqlite3, WAL, synchronous=FULL)
 * by default, PostgreSQL when a DATABASE_URL is given. Both run their own
 * ordered migrations through Kysely's Migrator with a static provider.
 */
import Database from 'better-sqlite3';
import { chmodSync, closeSync, existsSync, mkdirSync, openSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { Kysely, PostgresDialect, SqliteDialect } from 'kysely';
import { Migrator, type Migration } from 'kysely/migration';
import pg from 'pg';
import { withStatementCache } from '../../shared/db/statementCache.ts';
import { startCheckpointer } from './checkpointer.ts';
import { startWalSync } from './walSync.ts';
import { POSTGRES_MIGRATIONS } from './migrations/postgres.ts';
import { SQLITE_MIGRATIONS } from './migrations/sqlite.ts';
import type { ServerSchema } from './schema.ts';
import { createServerLogger, type ServerLogger } from '../log.ts';

export const SERVER_DB_KINDS = ['sqlite', 'postgres'] as const;
export type ServerDbKind = (typeof SERVER_DB_KINDS)[number];

export type ServerDb = {
  kind: ServerDbKind;
  db: Kysely<ServerSchema>;
  /** SQLite only: the file. */
  file: string | null;
  /** SQLite only: the connection Kysely uses, for prepared statements on the hot path. */
  sqlite: Database.Database | null;
  /**
   * Resolves once every commit made so far is on disk. Immediate on PostgreSQL
   * and with `deferredSync` off (COMMIT itself waited for the disk); with it
   * on, an fsync of the WAL shared by concurrent callers (walSync.ts).
   */
  durable(): Promise<void>;
  close(): Promise<void>;
};

export type ServerDbOptions = {
  dataDir: string;
  databaseUrl?: string | undefined;
  /**
   * SQLite: COMMIT does not fsync; `durable()` does, off the event loop. Only
   * for a caller that awaits `durable()` before it reports any write as done
   * (the HTTP server does, before every answer); the admin commands keep the
   * fsync inside COMMIT.
   */
  deferredSync?: boolean;
  /** Where a loose data folder is reported (default: the server's own logger). */
  log?: Pick<ServerLogger, 'warn' | 'info'>;
};

// PostgreSQL returns int8 as strings; every bigint here (sizes, indexes, seqs, cursors) is below 2^53.
pg.types.setTypeParser(20, (v: string) => Number(v));

export const SERVER_DB_FILE = 'server.sqlite';

/** Thrown when the data folder lets other users write into it: they could replace the log or its key. */
export class DataDirRefused extends Error {
  readonly code = 'data_dir_insecure';
  constructor(message: string) {
    super(message);
    this.name = 'DataDirRefused';
  }
}

/**
 * Creates the data folder 0700, or checks the one that exists. A folder that
 * group or other users can write to is refused (they could swap the database
 * or the log key); one they can only read or list is used with a warning,
 * since the files in it are 0600 anyway. Returns the folder's mode.
 */
function prepareDataDir(dir: string, log: Pick<ServerLogger, 'warn'>): number {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const mode = statSync(dir).mode & 0o777;
  const octal = mode.toString(8).padStart(3, '0');
  if ((mode & 0o022) !== 0) {
    throw new DataDirRefused(
      `The server's data folder ${dir} is writable by other users (mode ${octal}); they could replace the log or its key. ` +
        `Run: chmod 700 ${dir}`,
    );
  }
  if ((mode & 0o077) !== 0) {
    log.warn(
      { dataDir: dir, mode: octal },
      `the data folder is readable by other users; run: chmod 700 ${dir}`,
    );
  }
  return mode;
}

/**
 * The database and its -wal and -shm files are 0600. SQLite creates -wal and
 * -shm with the database file's mode, so creating that file 0600 first is
 * enough for new files; files left 0644 by an older server are tightened.
 */
function restrictDbFiles(file: string, log: Pick<ServerLogger, 'info'>): void {
  if (!existsSync(file)) closeSync(openSync(file, 'a', 0o600));
  for (const path of [file, `${file}-wal`, `${file}-shm`]) {
    if (!existsSync(path)) continue;
    const mode = statSync(path).mode & 0o777;
    if (mode !== 0o600) {
      chmodSync(path, 0o600);
      log.info({ file: path, was: mode.toString(8) }, 'server data file made 0600');
    }
  }
}

export async function openServerDb(options: ServerDbOptions): Promise<ServerDb> {
  let out: ServerDb;
  if (options.databaseUrl) {
    const pool = new pg.Pool({ connectionString: options.databaseUrl, max: 10 });
    const db = new Kysely<ServerSchema>({ dialect: new PostgresDialect({ pool }) });
    out = {
      kind: 'postgres',
      db,
      file: null,
      sqlite: null,
      durable: () => Promise.resolve(),
      close: () => db.destroy(),
    };
    await migrate(db, POSTGRES_MIGRATIONS);
  } else {
    const log = options.log ?? createServerLogger();
    prepareDataDir(options.dataDir, log);
    const file = join(options.dataDir, SERVER_DB_FILE);
    restrictDbFiles(file, log);
    const sqlite = new Database(file);
    sqlite.pragma('journal_mode = WAL');
    // An ack promises durability: FULL sync makes a committed push survive power loss.
    sqlite.pragma('synchronous = FULL');
    sqlite.pragma('busy_timeout = 10000');
    // Checkpoints run on their own thread (checkpointer.ts); the writer's own
    // automatic checkpoint is only a backstop (16,384 pages, 64 MB of WAL).
    sqlite.pragma('wal_autocheckpoint = 16384');
    const db = new Kysely<ServerSchema>({
      dialect: new SqliteDialect({ database: withStatementCache(sqlite) }),
    });
    await migrate(db, SQLITE_MIGRATIONS);
    const checkpointer = startCheckpointer(file);
    const walSync = options.deferredSync ? startWalSync(sqlite, `${file}-wal`) : null;
    out = {
      kind: 'sqlite',
      db,
      file,
      sqlite,
      durable: () => walSync?.durable() ?? Promise.resolve(),
      async close() {
        await walSync?.close();
        await checkpointer.stop();
        await db.destroy();
      },
    };
  }
  return out;
}

async function migrate(
  db: Kysely<ServerSchema>,
  migrations: Record<string, Migration>,
): Promise<void> {
  const migrator = new Migrator({
    db,
    provider: { getMigrations: () => Promise.resolve(migrations) },
    migrationTableName: 'server_migrations',
    migrationLockTableName: 'server_migrations_lock',
  });
  const { error, results } = await migrator.migrateToLatest();
  if (error) {
    const failed = results?.find((r) => r.status === 'Error')?.migrationName;
    throw new Error(
      `The server database could not be migrated${failed ? ` (${failed})` : ''}: ${(error as Error).message}. ` +
        'If it was written by a newer server version, run that version; otherwise restore the last backup.',
    );
  }
}
