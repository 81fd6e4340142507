import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createMigrationTestDb, type MigrationTestDb } from '../testing/migrationDb.ts';

let migrationDb: MigrationTestDb;
beforeEach(() => {
  migrationDb = createMigrationTestDb();
});
afterEach(async () => {
  await migrationDb.destroy();
});

describe('migration 1000-evidence-upload-refusals', () => {
  it('adds an empty, strict table of refused files keyed by sha256, leaving confirmed uploads as they were', async () => {
    await migrationDb.migrateTo('0900-audit-inclusion');
    const { sqlite } = migrationDb;
    sqlite
      .prepare("INSERT INTO evidence_uploads VALUES (?, '2026-12-07T10:00:00.000Z')")
      .run('a'.repeat(64));
    const sqlOf = () =>
      sqlite
        .prepare("SELECT sql FROM sqlite_master WHERE name = 'evidence_upload_refusals'")
        .pluck()
        .get();
    expect(sqlOf()).toBeUndefined();
    await migrationDb.migrateTo('1000-evidence-upload-refusals');
    expect(sqlOf()).toMatch(/STRICT$/);
    expect(sqlite.prepare('SELECT count(*) FROM evidence_upload_refusals').pluck().get()).toBe(0);
    expect(sqlite.prepare('SELECT count(*) FROM evidence_uploads').pluck().get()).toBe(1);
    const insert = sqlite.prepare(
      "INSERT INTO evidence_upload_refusals VALUES (?, 'unsupported_media_type', 'no', '2026-12-07T10:00:00.000Z')",
    );
    insert.run('b'.repeat(64));
    expect(() => insert.run('b'.repeat(64))).toThrow(/UNIQUE/);
  });
});
