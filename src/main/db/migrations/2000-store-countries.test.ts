import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createMigrationTestDb, type MigrationTestDb } from '../testing/migrationDb.ts';

let migrationDb: MigrationTestDb;
beforeEach(() => {
  migrationDb = createMigrationTestDb();
});
afterEach(async () => {
  await migrationDb.destroy();
});

describe('migration 2000-store-countries', () => {
  it('gives stores an optional country and lets rules name a region or a country, keeping the rules it had', async () => {
    await migrationDb.migrateTo('1500-risks-and-store-notes');
    const { sqlite } = migrationDb;
    sqlite
      .prepare(
        "INSERT INTO stores (id, name, region, ring, timezone) VALUES ('st-1', 'Lille', 'Europe', 'pilot', 'Europe/Paris')",
      )
      .run();
    sqlite
      .prepare(
        "INSERT INTO compliance_rules (id, region, data) VALUES ('eu-fiscal', 'Europe', '{}')",
      )
      .run();
    await migrationDb.migrateTo('2000-store-countries');
    expect(sqlite.prepare('SELECT id, country FROM stores').all()).toEqual([
      { id: 'st-1', country: null },
    ]);
    expect(sqlite.prepare('SELECT id, region, country, data FROM compliance_rules').all()).toEqual([
      { id: 'eu-fiscal', region: 'Europe', country: null, data: '{}' },
    ]);
    sqlite
      .prepare(
        "INSERT INTO compliance_rules (id, region, country, data) VALUES ('fr', NULL, 'FR', '{}')",
      )
      .run();
    // Exactly one of region and country.
    const put = sqlite.prepare(
      'INSERT INTO compliance_rules (id, region, country, data) VALUES (?, ?, ?, ?)',
    );
    expect(() => put.run('both', 'Europe', 'FR', '{}')).toThrow(/CHECK/);
    expect(() => put.run('neither', null, null, '{}')).toThrow(/CHECK/);
    expect(
      sqlite
        .prepare(
          "SELECT id FROM compliance_rules WHERE region = 'Europe' OR country = 'FR' ORDER BY id",
        )
        .pluck()
        .all(),
    ).toEqual(['eu-fiscal', 'fr']);
  });
});
