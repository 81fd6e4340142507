/**
 * The update manifests the server published (src/server/updates/service.ts):
 * one per update channel and version, stored as the exact JCS text that was
 * signed, so the signature is served byte for byte as it was made.
 */
import { sql, type Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';

function updateManifestsMigration(dialect: 'sqlite' | 'postgres'): Migration {
  const strict = dialect === 'sqlite' ? sql` STRICT` : sql``;
  return {
    async up(db: Kysely<unknown>) {
      await sql`CREATE TABLE update_manifests (channel TEXT NOT NULL, version TEXT NOT NULL,
        manifest TEXT NOT NULL, signature TEXT NOT NULL, published_at TEXT NOT NULL,
        PRIMARY KEY (channel, version))${strict}`.execute(db);
    },
  };
}

export const UPDATE_MANIFESTS_MIGRATION_SQLITE = updateManifestsMigration('sqlite');
export const UPDATE_MANIFESTS_MIGRATION_POSTGRES = updateManifestsMigration('postgres');

/**
 * The log index of each manifest's server entry (`console.update.published`),
 * so a console can name it and an auditor fetch its inclusion proof. Null for
 * manifests published before manifests were logged.
 */
function logIndexMigration(dialect: 'sqlite' | 'postgres'): Migration {
  // A STRICT SQLite table knows INTEGER (64-bit); PostgreSQL's INTEGER is 32-bit.
  const type = dialect === 'sqlite' ? sql`INTEGER` : sql`BIGINT`;
  return {
    async up(db: Kysely<unknown>) {
      await sql`ALTER TABLE update_manifests ADD COLUMN log_index ${type}`.execute(db);
    },
  };
}

export const UPDATE_MANIFEST_LOG_INDEX_MIGRATION_SQLITE = logIndexMigration('sqlite');
export const UPDATE_MANIFEST_LOG_INDEX_MIGRATION_POSTGRES = logIndexMigration('postgres');
