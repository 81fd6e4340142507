import Database from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createJournal } from '../audit/journal.ts';
import { migrateTo, recordedConsoleVersions } from '../db/migrate.ts';
import { migrations } from '../db/migrations/index.ts';
import { applyPragmas, openDatabase } from '../db/open.ts';
import { createLogger } from '../log.ts';
import { downgradeDatabase } from './downgrade.ts';

const log = createLogger({ level: 'silent' });
const now = () => new Date('2026-12-07T10:00:00.000Z');
let dir: string;
let file: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'dearpos-downgrade-'));
  file = join(dir, 'console.sqlite');
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const actor = { userId: 'u-tech', role: 'technician' } as const;
function versionChange(n: number) {
  return {
    type: 'fleet.version.recorded' as const,
    storeId: 's1',
    actor,
    payload: {
      terminalId: 't1',
      version: `1.${n}.0`,
      releaseId: 'r1',
      previousVersion: null,
      source: 'typed' as const,
    },
    tables: ['terminal_current'] as const,
    apply: () => n,
  };
}

/** A console 0.1.0 database from before 0130 with two journal events, then opened (and so backed up and migrated) by console 0.2.0. */
async function updatedFromOlderConsole(): Promise<void> {
  const sqlite = new Database(file);
  applyPragmas(sqlite);
  const kysely = new Kysely<unknown>({ dialect: new SqliteDialect({ database: sqlite }) });
  await migrateTo(kysely, '0080-deployment-actors');
  await kysely.destroy();
  const older = await openDatabase(file, { log, appVersion: '0.1.0', backupDir: join(dir, 'b0') });
  const journal = createJournal(older, { now });
  journal.record(versionChange(1));
  journal.record(versionChange(2));
  older.close();
  // Forget 0.1.0's own row: the backup below must be one taken before 0130 existed. The
  // migrations from 0130 on go too, with whatever they created, or 0130 would run out of
  // order: the schema is cut back to a reference database migrated only that far.
  const names = Object.keys(migrations);
  const before = await schemaAt(names[names.indexOf('0130-app-version') - 1]!);
  const raw = new Database(file);
  cutSchemaBackTo(raw, before);
  raw.prepare("DELETE FROM kysely_migration WHERE name >= '0130'").run();
  raw.close();
  (await openDatabase(file, { log, appVersion: '0.2.0' })).close();
}

type SchemaShape = { objects: Set<string>; columns: Map<string, Set<string>> };

function shapeOf(sqlite: Database.Database): SchemaShape {
  const rows = sqlite
    .prepare("SELECT type, name FROM sqlite_master WHERE name NOT LIKE 'sqlite_%'")
    .all() as Array<{ type: string; name: string }>;
  const columns = new Map<string, Set<string>>();
  for (const r of rows.filter((x) => x.type === 'table'))
    columns.set(
      r.name,
      new Set(
        (sqlite.prepare(`PRAGMA table_info("${r.name}")`).all() as Array<{ name: string }>).map(
          (c) => c.name,
        ),
      ),
    );
  return { objects: new Set(rows.map((r) => `${r.type}:${r.name}`)), columns };
}

/** The schema of a fresh database migrated up to and including `name`. */
async function schemaAt(name: string): Promise<SchemaShape> {
  const sqlite = new Database(':memory:');
  const kysely = new Kysely<unknown>({ dialect: new SqliteDialect({ database: sqlite }) });
  await migrateTo(kysely, name);
  const shape = shapeOf(sqlite);
  await kysely.destroy();
  return shape;
}

/** Drops what later migrations added (triggers, indexes, tables, columns), generically. */
function cutSchemaBackTo(sqlite: Database.Database, target: SchemaShape): void {
  const now = shapeOf(sqlite);
  const extra = [...now.objects].filter((o) => !target.objects.has(o));
  for (const kind of ['trigger', 'index', 'view']) {
    for (const o of extra.filter((x) => x.startsWith(`${kind}:`)))
      sqlite.exec(`DROP ${kind.toUpperCase()} IF EXISTS "${o.slice(kind.length + 1)}"`);
  }
  // Virtual tables first: dropping one drops its shadow tables with it.
  const tables = extra.filter((x) => x.startsWith('table:')).map((x) => x.slice('table:'.length));
  const isVirtual = (t: string) =>
    (
      sqlite.prepare('SELECT sql FROM sqlite_master WHERE name = ?').get(t) as
        { sql: string } | undefined
    )?.sql.startsWith('CREATE VIRTUAL') ?? false;
  for (const t of [...tables.filter(isVirtual), ...tables])
    sqlite.exec(`DROP TABLE IF EXISTS "${t}"`);
  for (const [table, cols] of target.columns) {
    for (const col of now.columns.get(table) ?? [])
      if (!cols.has(col)) sqlite.exec(`ALTER TABLE "${table}" DROP COLUMN "${col}"`);
  }
}

function journalHashes(path: string): string[] {
  const sqlite = new Database(path, { readonly: true });
  try {
    return sqlite.prepare('SELECT hash FROM journal ORDER BY seq').pluck().all() as string[];
  } finally {
    sqlite.close();
  }
}

describe('controlled downgrade', () => {
  it('restores the backup taken before the newer version when nothing was recorded since; the older console then opens it', async () => {
    await updatedFromOlderConsole();
    const hashes = journalHashes(file);
    await expect(openDatabase(file, { log, appVersion: '0.1.0' })).rejects.toMatchObject({
      code: 'database_newer',
    });

    const result = downgradeDatabase({ file, appVersion: '0.1.0', now });
    expect(result).toMatchObject({ kind: 'restored', writtenBy: '0.2.0', unsyncedCount: 2 });
    expect(result.backup).toMatch(/before-0130-app-version\.bak$/);
    // Not enrolled, so both events are unsynced: exported before anything moved.
    const lines = readFileSync(result.exportFile ?? '', 'utf8')
      .trim()
      .split('\n');
    expect(lines.map((l) => (JSON.parse(l) as { hash?: string }).hash)).toEqual([
      undefined,
      ...hashes,
    ]);
    // The newer database is kept, intact, beside.
    expect(journalHashes(result.movedAside)).toEqual(hashes);

    const db = await openDatabase(file, { log, appVersion: '0.1.0' });
    expect(journalHashes(file)).toEqual(hashes);
    expect(recordedConsoleVersions(db.sqlite)).toEqual(['0.1.0']);
    db.close();
  });

  it('never loses an event recorded by the newer version: exported, the newer database moved aside, no backup restored', async () => {
    await updatedFromOlderConsole();
    const newer = await openDatabase(file, { log, appVersion: '0.2.0' });
    createJournal(newer, { now }).record(versionChange(3));
    newer.close();
    const hashes = journalHashes(file);
    expect(hashes).toHaveLength(3);

    const result = downgradeDatabase({ file, appVersion: '0.1.0', now });
    expect(result).toMatchObject({ kind: 'moved_aside', backup: null, unsyncedCount: 3 });
    const exported = readFileSync(result.exportFile ?? '', 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { hash?: string; seq?: number; kind?: string });
    expect(exported[0]).toMatchObject({ kind: 'unsynced-journal', writtenBy: '0.2.0', count: 3 });
    expect(exported.slice(1).map((e) => [e.seq, e.hash])).toEqual(hashes.map((h, i) => [i + 1, h]));
    expect(existsSync(file)).toBe(false);
    expect(journalHashes(result.movedAside)).toEqual(hashes);
    // The older console starts fresh; the newer one can still open the moved file and sync it.
    (await openDatabase(file, { log, appVersion: '0.1.0' })).close();
    (await openDatabase(result.movedAside, { log, appVersion: '0.2.0' })).close();
  });

  it('exports only what the server has not acknowledged', async () => {
    await updatedFromOlderConsole();
    const raw = new Database(file);
    raw
      .prepare(
        `INSERT INTO sync_state (singleton, server_url, device_token, store_id, log_id, log_public_key,
           device_public_key, enrolled_at, acked_seq) VALUES (1, 'https://c', 't', 's1', 'l', 'k', 'd', 'x', 1)`,
      )
      .run();
    raw.close();
    const result = downgradeDatabase({ file, appVersion: '0.1.0', now });
    expect(result.unsyncedCount).toBe(1);
    const lines = readFileSync(result.exportFile ?? '', 'utf8')
      .trim()
      .split('\n');
    expect(lines).toHaveLength(2);
  });

  it('refuses a database this console opens as it is, and changes nothing', async () => {
    (await openDatabase(file, { log, appVersion: '0.1.0' })).close();
    expect(() => downgradeDatabase({ file, appVersion: '0.1.0', now })).toThrow(
      expect.objectContaining({ code: 'conflict' }),
    );
    expect(existsSync(file)).toBe(true);
    expect(existsSync(join(dir, 'exports'))).toBe(false);
  });
});
