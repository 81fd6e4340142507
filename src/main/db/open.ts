/**
 * Opens the console's SQLite database: one writer connection, WAL, FULL sync
 * (the journal and outbox must survive power loss), foreign keys on; checks
 * integrity, backs up, migrates. Every failure is an AppError a person can act on.
 */
import Database from 'better-sqlite3';
import { existsSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { Kysely, SqliteAdapter, SqliteDialect, type DialectAdapter } from 'kysely';
import { AppError } from '../../shared/errors.ts';
import type { Logger } from '../log.ts';
import { migrateToLatest } from './migrate.ts';
import type { Schema } from './schema.ts';

export type Db = {
  /** The raw connection: synchronous transactions and prepared statements. */
  sqlite: Database.Database;
  /** Typed query builder over the same connection (compile, then run sync). */
  kysely: Kysely<Schema>;
  file: string;
  close(): void;
};

/**
 * Kysely's SQLite adapter says SQLite has no transactional DDL, so its
 * Migrator would run migrations one by one. SQLite does have it: this turns it
 * on so all pending migrations commit or roll back together.
 */
class TransactionalSqliteAdapter extends SqliteAdapter {
  override get supportsTransactionalDdl(): boolean {
    return true;
  }
}
class TransactionalSqliteDialect extends SqliteDialect {
  override createAdapter(): DialectAdapter {
    return new TransactionalSqliteAdapter();
  }
}

export function applyPragmas(sqlite: Database.Database): void {
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = FULL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
}

export async function openDatabase(
  file: string,
  options: { log: Logger; backupDir?: string },
): Promise<Db> {
  const { log } = options;
  mkdirSync(dirname(file), { recursive: true });
  const isNew = !existsSync(file);
  let sqlite: Database.Database;
  try {
    sqlite = new Database(file);
    applyPragmas(sqlite);
  } catch (error) {
    throw new AppError(
      'database_corrupt',
      `The console's database at ${file} cannot be opened (${(error as Error).message}). ` +
        'Move it aside to start fresh, or restore the latest file from the backups folder beside it.',
    );
  }
  if (!isNew) {
    const check = sqlite.pragma('quick_check', { simple: true }) as string;
    if (check !== 'ok') {
      sqlite.close();
      throw new AppError(
        'database_corrupt',
        `The console's database at ${file} failed its integrity check (${check}). ` +
          'Restore the latest file from the backups folder beside it; events already synced are safe on the central server.',
      );
    }
  }
  const kysely = new Kysely<Schema>({ dialect: new TransactionalSqliteDialect({ database: sqlite }) });
  const db: Db = {
    sqlite,
    kysely,
    file,
    close() {
      sqlite.close();
    },
  };
  try {
    await migrateToLatest(db, { log, backupDir: options.backupDir ?? join(dirname(file), 'backups'), isNew });
  } catch (error) {
    sqlite.close();
    throw error;
  }
  return db;
}
