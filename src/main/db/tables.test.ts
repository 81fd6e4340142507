import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { CONSOLE_TABLE_READERS, QUERY_DOMAINS } from '../../shared/contract/tables.ts';
import { createLogger } from '../log.ts';
import { openDatabase } from './open.ts';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('every console table declares the screens that read it', () => {
  it('the migrated schema and CONSOLE_TABLE_READERS name the same tables', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'dearpos-tables-'));
    dirs.push(dir);
    const db = await openDatabase(join(dir, 'console.sqlite'), {
      log: createLogger({ level: 'silent' }),
    });
    try {
      const rows = db.sqlite
        .prepare(
          `SELECT name FROM sqlite_master WHERE type = 'table'
             AND name NOT LIKE 'sqlite_%' AND name NOT LIKE 'kysely_%' ORDER BY name`,
        )
        .all() as { name: string }[];
      // Full-text indexes (the virtual table and SQLite's shadow tables) belong to their source table.
      const virtual = db.sqlite
        .prepare(`SELECT name FROM sqlite_master WHERE sql LIKE 'CREATE VIRTUAL TABLE%'`)
        .pluck()
        .all() as string[];
      const inSchema = rows
        .map((r) => r.name)
        .filter((t) => !virtual.some((v) => t === v || t.startsWith(`${v}_`)));
      const declared = Object.keys(CONSOLE_TABLE_READERS).sort();
      // A table here but not declared: add it to shared/contract/tables.ts with its readers.
      expect(inSchema.filter((t) => !declared.includes(t))).toEqual([]);
      // Declared but gone from the schema: remove the stale entry.
      expect(declared.filter((t) => !inSchema.includes(t))).toEqual([]);
    } finally {
      db.close();
    }
  });

  it('every table has at least one reader, and every domain reads something', () => {
    const readers = Object.values(CONSOLE_TABLE_READERS) as readonly (readonly string[])[];
    for (const list of readers) expect(list.length).toBeGreaterThan(0);
    const read = new Set(readers.flat());
    expect(QUERY_DOMAINS.filter((d) => !read.has(d))).toEqual([]);
  });
});
