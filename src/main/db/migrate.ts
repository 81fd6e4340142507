import { mkdirSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { Kysely } from 'kysely';
import { gt, rsort, valid } from 'semver';
import { Migrator, type Migration, type MigrationProvider } from 'kysely/migration';
import { AppError } from '../../shared/errors.ts';
import type { Logger } from '../log.ts';
import type { Db } from './handle.ts';
import { migrations } from './migrations/index.ts';

/** Migrations are bundled in (no folder read at run time), keyed by ordered name. */
class StaticMigrationProvider implements MigrationProvider {
  getMigrations(): Promise<Record<string, Migration>> {
    return Promise.resolve(migrations);
  }
}

function pendingMigrations(db: Db): string[] {
  const hasTable = db.sqlite
    .prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'kysely_migration'")
    .get();
  const done = new Set(
    hasTable
      ? (
          db.sqlite.prepare('SELECT name FROM kysely_migration').all() as Array<{ name: string }>
        ).map((r) => r.name)
      : [],
  );
  return Object.keys(migrations)
    .filter((name) => !done.has(name))
    .sort();
}

/**
 * Refuses a database written by a newer console, then runs every pending
 * migration in one transaction after an online backup, then records
 * `appVersion` as having opened it. "Newer" means either migrations this
 * build does not know, or a newer console version recorded in
 * `console_versions`: both are checked on every open, pending migrations or
 * not, because an older console writing into a newer database can corrupt
 * what the newer one reads back.
 */
export async function migrateToLatest(
  db: Db,
  options: {
    log: Logger;
    backupDir: string;
    isNew: boolean;
    /** This console's version (package.json); recorded on each successful open. */
    appVersion?: string;
    now?: () => Date;
  },
): Promise<void> {
  const newer = newerDatabaseCheck(db, options.appVersion);
  if (newer) throw newer;
  const pending = pendingMigrations(db);
  if (pending.length > 0) {
    if (!options.isNew) {
      mkdirSync(options.backupDir, { recursive: true });
      const stamp = new Date().toISOString().replace(/[:.]/g, '-');
      const target = join(options.backupDir, backupFileName(db.file, stamp, pending[0] ?? ''));
      await db.sqlite.backup(target);
      options.log.info({ target, pending }, 'backed up before migrating');
    }
    const migrator = new Migrator({ db: db.kysely, provider: new StaticMigrationProvider() });
    const { error, results } = await migrator.migrateToLatest();
    if (error) {
      const message = error instanceof Error ? error.message : JSON.stringify(error);
      if (message.includes('is missing')) {
        throw newerDatabaseCheck(db, options.appVersion) ?? newerDatabase(db.file, [], null);
      }
      throw new AppError(
        'internal',
        `Updating the console's database failed and nothing was changed: ${message}`,
      );
    }
    options.log.info({ applied: results?.map((r) => r.migrationName) }, 'database migrated');
  }
  if (options.appVersion) {
    const at = (options.now?.() ?? new Date()).toISOString();
    db.sqlite
      .prepare(
        `INSERT INTO console_versions (version, first_opened_at, last_opened_at) VALUES (?, ?, ?)
           ON CONFLICT (version) DO UPDATE SET last_opened_at = excluded.last_opened_at`,
      )
      .run(options.appVersion, at, at);
  }
}

/**
 * The backup taken before `firstPending` ran: a controlled downgrade looks
 * for it by this name (src/main/updates/downgrade.ts).
 */
function backupFileName(file: string, stamp: string, firstPending: string): string {
  return `${basename(file)}.${stamp}.before-${firstPending}.bak`;
}

/** Console versions recorded in the database, newest (by semver) first; empty before 0130. */
export function recordedConsoleVersions(sqlite: Db['sqlite']): string[] {
  const hasTable = sqlite
    .prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'console_versions'")
    .get();
  if (!hasTable) return [];
  const versions = (
    sqlite.prepare('SELECT version FROM console_versions').all() as Array<{ version: string }>
  )
    .map((r) => r.version)
    .filter((v) => valid(v) !== null);
  return rsort(versions);
}

/**
 * Null when this console may open the database; otherwise the `database_newer`
 * error naming the version that wrote it and what to do.
 */
export function newerDatabaseCheck(
  db: Pick<Db, 'sqlite' | 'file'>,
  appVersion: string | undefined,
): AppError | null {
  const unknown = unknownMigrations(db);
  const newest = recordedConsoleVersions(db.sqlite)[0] ?? null;
  const isNewerVersion =
    appVersion !== undefined &&
    valid(appVersion) !== null &&
    newest !== null &&
    gt(newest, appVersion);
  if (unknown.length === 0 && !isNewerVersion) return null;
  return newerDatabase(db.file, unknown, newest, appVersion);
}

/**
 * Runs the migrations up to and including `name`, in order, on any Kysely
 * handle. Migration tests build "the schema before" with it, so each test
 * keeps working however many migrations come later.
 */
export async function migrateTo(kysely: Kysely<unknown>, name: string): Promise<void> {
  if (!Object.hasOwn(migrations, name)) throw new Error(`No migration named ${name}.`);
  const migrator = new Migrator({ db: kysely, provider: new StaticMigrationProvider() });
  const { error } = await migrator.migrateTo(name);
  if (error) throw error instanceof Error ? error : new Error(JSON.stringify(error));
}

export function unknownMigrations(db: Pick<Db, 'sqlite'>): string[] {
  const hasTable = db.sqlite
    .prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'kysely_migration'")
    .get();
  if (!hasTable) return [];
  const names = (
    db.sqlite.prepare('SELECT name FROM kysely_migration').all() as Array<{ name: string }>
  ).map((r) => r.name);
  return names.filter((n) => !Object.hasOwn(migrations, n));
}

function newerDatabase(
  file: string,
  unknown: string[],
  writtenBy: string | null,
  appVersion?: string,
): AppError {
  const who = writtenBy ? `console ${writtenBy}` : 'a newer version of the console';
  const mine = appVersion ? ` This is console ${appVersion}.` : '';
  const schema = unknown.length > 0 ? ` (it has ${unknown.join(', ')})` : '';
  return new AppError(
    'database_newer',
    `The database at ${file} was written by ${who}${schema}.${mine} ` +
      `Install ${writtenBy ? `console ${writtenBy} or later` : 'the newer console'} again, or open a different data folder; ` +
      'to go back to this version, use the controlled downgrade, which restores the backup taken before the newer version or exports the unsynced journal first.',
    { writtenBy, unknownMigrations: unknown, appVersion: appVersion ?? null },
  );
}
