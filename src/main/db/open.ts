/**
 * Opens the console's SQLite database: one writer connection, WAL, FULL sync
 * (the journal and outbox must survive power loss), foreign keys on; checks
 * integrity, backs up, migrates. Every failure is an AppError a person can act on.
 * The data folder is 0700 and the database files 0600 (the journal, the
 * catalog and the evidence are the store's business only); the secrets inside
 * the file are sealed with a key from the OS keychain (sealer.ts).
 */
import Database from 'better-sqlite3';
import {
  chmodSync,
  closeSync,
  existsSync,
  mkdirSync,
  openSync,
  readdirSync,
  statSync,
} from 'node:fs';
import { dirname, join } from 'node:path';
import { Kysely, SqliteAdapter, SqliteDialect, type DialectAdapter } from 'kysely';
import { withStatementCache } from '../../shared/db/statementCache.ts';
import { AppError } from '../../shared/errors.ts';
import type { Logger } from '../log.ts';
import { createFileSecretStore, type SecretStore } from '../sync/secretStore.ts';
import { createSealer } from './sealer.ts';
import { migrateToLatest } from './migrate.ts';
import { startWalCheckpointer } from './walCheckpointer.ts';
import type { Db } from './handle.ts';
import type { Schema } from './schema.ts';

export type { Db } from './handle.ts';

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

/**
 * 16 KB pages for new databases: the journal's rows are ~600 bytes, so bigger
 * pages mean a quarter of the page writes, WAL frame headers and B-tree
 * splits on the append path (measured: a 100,000-event append ~200 ms faster).
 * The price: a one-event commit writes a 16 KB WAL frame instead of 4 KB, and
 * measured ~10–30% slower (about 0.6 → 0.75 ms, still one fsync). Change this
 * constant to trade back. SQLite applies it only before the first write, so an
 * existing database keeps its page size: changing that needs a VACUUM, which
 * is never run on a user's database behind their back.
 */
export const NEW_DATABASE_PAGE_SIZE = 16384;

export function applyPragmas(sqlite: Database.Database): void {
  // Before journal_mode: switching to WAL writes the database header, after which the page size is fixed.
  sqlite.pragma(`page_size = ${NEW_DATABASE_PAGE_SIZE}`);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = FULL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
}

export async function openDatabase(
  file: string,
  options: {
    log: Logger;
    backupDir?: string;
    /** WAL size that wakes the background checkpoint (tests use a small one). */
    checkpointAtBytes?: number;
    /** This console's version: a database last opened by a newer one is refused; recorded on success. */
    appVersion?: string;
    /** Holds the key that seals secrets in the database. Default: 0600 key files in `<folder>/keys`. */
    secrets?: SecretStore;
  },
): Promise<Db> {
  const { log } = options;
  restrictDataFolder(dirname(file), log);
  const isNew = !existsSync(file);
  restrictDbFiles(file);
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
  const kysely = new Kysely<Schema>({
    dialect: new TransactionalSqliteDialect({ database: withStatementCache(sqlite) }),
  });
  const checkpointer = startWalCheckpointer(sqlite, file, {
    log: log.child({ scope: 'wal' }),
    checkpointAtBytes: options.checkpointAtBytes,
  });
  const db: Db = {
    sqlite,
    kysely,
    file,
    checkpointer,
    sealer: createSealer(options.secrets ?? createFileSecretStore(join(dirname(file), 'keys'))),
    close() {
      // The background connection goes first, so this one is the last: SQLite then
      // checkpoints what is left and removes the WAL.
      checkpointer.close();
      sqlite.close();
    },
  };
  try {
    await migrateToLatest(db, {
      log,
      backupDir: options.backupDir ?? join(dirname(file), 'backups'),
      isNew,
      appVersion: options.appVersion,
    });
  } catch (error) {
    db.close();
    throw error;
  }
  try {
    sealPlaintextSecrets(db, log);
  } catch (error) {
    db.close();
    throw error;
  }
  checkpointer.afterCommit();
  return db;
}

/**
 * The console's folder is created 0700; one an older console (or an unzip)
 * left open to other users is closed to them, since it holds the journal,
 * the catalog and the evidence photos.
 */
function restrictDataFolder(dir: string, log: Logger): void {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  if (process.platform === 'win32') return; // ACLs, not mode bits, protect the folder there
  const mode = statSync(dir).mode & 0o777;
  if ((mode & 0o077) === 0) return;
  // Only a folder that is clearly the console's own (empty, or holding its
  // database) is changed; `--data` pointed at a shared folder is only reported.
  const isOwnFolder = readdirSync(dir).length === 0 || existsSync(join(dir, 'console.sqlite'));
  if (isOwnFolder) {
    chmodSync(dir, 0o700);
    log.warn({ dir, was: mode.toString(8) }, 'data folder was open to other users; made 0700');
  } else {
    log.warn(
      { dir, mode: mode.toString(8) },
      `data folder is open to other users and holds other files; run: chmod 700 ${dir}`,
    );
  }
}

/** SQLite gives -wal and -shm the database file's mode: creating that 0600 first covers all three. */
function restrictDbFiles(file: string): void {
  if (process.platform === 'win32') return;
  if (!existsSync(file)) closeSync(openSync(file, 'a', 0o600));
  for (const path of [file, `${file}-wal`, `${file}-shm`]) {
    if (existsSync(path) && (statSync(path).mode & 0o077) !== 0) chmodSync(path, 0o600);
  }
}

/** Seals PIN hashes and the device token an older console stored in plain text. */
function sealPlaintextSecrets(db: Db, log: Logger): void {
  const users = db.sqlite
    .prepare("SELECT id, pin_hash FROM users WHERE pin_hash NOT LIKE 'sealed:%'")
    .all() as Array<{ id: string; pin_hash: string }>;
  const state = db.sqlite
    .prepare(
      "SELECT device_token FROM sync_state WHERE singleton = 1 AND device_token NOT LIKE 'sealed:%'",
    )
    .get() as { device_token: string } | undefined;
  if (users.length === 0 && !state) return;
  const setPin = db.sqlite.prepare('UPDATE users SET pin_hash = ? WHERE id = ?');
  db.sqlite
    .transaction(() => {
      for (const u of users) setPin.run(db.sealer.seal(u.pin_hash, 'users.pin_hash'), u.id);
      if (state) {
        db.sqlite
          .prepare('UPDATE sync_state SET device_token = ? WHERE singleton = 1')
          .run(db.sealer.seal(state.device_token, 'sync_state.device_token'));
      }
    })
    .immediate();
  log.info(
    { users: users.length, deviceToken: state !== undefined },
    'secrets stored in plain text by an older console are now sealed',
  );
}
