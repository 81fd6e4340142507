import { mkdirSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { Kysely } from 'kysely';
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

export function pendingMigrations(db: Db): string[] {
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
 * Runs every pending migration in one transaction, after an online backup.
 * A database that holds migrations this version does not know was written by
 * a newer console: it is refused, never downgraded.
 */
export async function migrateToLatest(
  db: Db,
  options: { log: Logger; backupDir: string; isNew: boolean },
): Promise<void> {
  const pending = pendingMigrations(db);
  if (pending.length === 0) return;
  const unknown = unknownMigrations(db);
  if (unknown.length > 0) throw newerDatabase(db.file, unknown);
  if (!options.isNew) {
    mkdirSync(options.backupDir, { recursive: true });
    const stamp = new Date().toISOString().replace(/[:.]/g, '-');
    const target = join(
      options.backupDir,
      `${basename(db.file)}.${stamp}.before-${pending[0]}.bak`,
    );
    await db.sqlite.backup(target);
    options.log.info({ target, pending }, 'backed up before migrating');
  }
  const migrator = new Migrator({ db: db.kysely, provider: new StaticMigrationProvider() });
  const { error, results } = await migrator.migrateToLatest();
  if (error) {
    const message = error instanceof Error ? error.message : JSON.stringify(error);
    if (message.includes('is missing')) throw newerDatabase(db.file, unknownMigrations(db));
    throw new AppError(
      'internal',
      `Updating the console's database failed and nothing was changed: ${message}`,
    );
  }
  options.log.info({ applied: results?.map((r) => r.migrationName) }, 'database migrated');
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

function unknownMigrations(db: Db): string[] {
  const hasTable = db.sqlite
    .prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'kysely_migration'")
    .get();
  if (!hasTable) return [];
  const names = (
    db.sqlite.prepare('SELECT name FROM kysely_migration').all() as Array<{ name: string }>
  ).map((r) => r.name);
  return names.filter((n) => !Object.hasOwn(migrations, n));
}

function newerDatabase(file: string, unknown: string[]): AppError {
  return new AppError(
    'database_newer',
    `The database at ${file} was written by a newer version of the console (it has ${unknown.join(', ')}). ` +
      'Install the newer console, or open a different data folder.',
  );
}
