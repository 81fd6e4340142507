import Database from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AppError } from '../../shared/errors.ts';
import { createLogger } from '../log.ts';
import { migrateTo, recordedConsoleVersions } from './migrate.ts';
import { migrations } from './migrations/index.ts';
import { applyPragmas, openDatabase } from './open.ts';

const log = createLogger({ level: 'silent' });
let dir: string;
let file: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'dearpos-migrate-'));
  file = join(dir, 'console.sqlite');
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

async function open(appVersion: string) {
  return openDatabase(file, { log, appVersion });
}

async function refusal(appVersion: string): Promise<AppError> {
  const error = await open(appVersion).then(
    (db) => {
      db.close();
      return null;
    },
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AppError);
  return error as AppError;
}

describe('a database written by a newer console', () => {
  it('records the console version on each successful open', async () => {
    const db = await openDatabase(file, { log, appVersion: '0.1.0' });
    db.close();
    const again = await openDatabase(file, { log, appVersion: '0.2.0' });
    expect(recordedConsoleVersions(again.sqlite)).toEqual(['0.2.0', '0.1.0']);
    again.close();
  });

  it('is refused even when no migration is pending, naming the version that wrote it; nothing changes', async () => {
    (await open('0.3.0')).close();
    const bytes = readFileSync(file);
    const error = await refusal('0.2.0');
    expect(error.code).toBe('database_newer');
    expect(error.message).toContain('written by console 0.3.0');
    expect(error.message).toContain('This is console 0.2.0');
    expect(error.message).toContain('controlled downgrade');
    expect(error.details).toEqual({
      writtenBy: '0.3.0',
      unknownMigrations: [],
      appVersion: '0.2.0',
    });
    // Refused before any write: the newer version is still the newest recorded, the file unchanged.
    expect(readFileSync(file).equals(bytes)).toBe(true);
    const db = await open('0.3.0');
    expect(recordedConsoleVersions(db.sqlite)).toEqual(['0.3.0']);
    db.close();
  });

  it('is refused when it holds a migration this console does not know, with nothing pending', async () => {
    (await open('0.3.0')).close();
    // What a newer console leaves behind: a migration this build has never heard of.
    const raw = new Database(file);
    raw
      .prepare('INSERT INTO kysely_migration (name, timestamp) VALUES (?, ?)')
      .run('0990-future', '2027-01-01T00:00:00.000Z');
    raw.close();
    const error = await refusal('0.3.0');
    expect(error.code).toBe('database_newer');
    expect(error.message).toContain('(it has 0990-future)');
    expect(error.message).toContain('written by console 0.3.0');
  });

  it('an older database is migrated after a backup named for the first pending migration', async () => {
    const sqlite = new Database(file);
    applyPragmas(sqlite);
    const kysely = new Kysely<unknown>({ dialect: new SqliteDialect({ database: sqlite }) });
    // The schema just before 0130, whatever migrations come before it.
    const names = Object.keys(migrations);
    await migrateTo(kysely, names[names.indexOf('0130-app-version') - 1] ?? '');
    await kysely.destroy();
    const db = await open('0.2.0');
    expect(recordedConsoleVersions(db.sqlite)).toEqual(['0.2.0']);
    db.close();
    expect(readdirSync(join(dir, 'backups'))).toEqual([
      expect.stringMatching(/^console\.sqlite\..+\.before-0130-app-version\.bak$/),
    ]);
  });
});
