import { sql, type Kysely } from 'kysely';

/**
 * The store × release matrix, maintained: terminals and drifting terminals
 * per (store, release), so the full matrix reads ~4,000 rows instead of
 * grouping 50,000 terminals on every call.
 *
 * Triggers on `terminal_current` keep it exact in the same transaction as
 * every write to the projection — the live recording, the rebuild, the seed
 * and a catalog load all go through that table, and so does anything added
 * later. A group is deleted when its last terminal leaves it, so the table
 * always equals `GROUP BY store_id, release_id, region, ring` over
 * `terminal_current` (the fleet tests hold it to that).
 *
 * Region and ring are part of the key because the matrix filters on the
 * terminal rows' own copies of them; the terminal-level filters (model,
 * search) still group `terminal_current` (src/main/fleet/repository.ts).
 * `release_key` is the release id, or '' for terminals with no observed
 * release (a key column cannot be NULL; release ids are never empty).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`CREATE TABLE store_release_counts (
    store_id TEXT NOT NULL,
    release_key TEXT NOT NULL,
    region TEXT NOT NULL,
    ring TEXT NOT NULL,
    terminals INTEGER NOT NULL CHECK (terminals > 0),
    drifting INTEGER NOT NULL CHECK (drifting >= 0 AND drifting <= terminals),
    PRIMARY KEY (store_id, release_key, region, ring)
  ) STRICT, WITHOUT ROWID`.execute(db);

  await sql`CREATE TRIGGER store_release_counts_insert AFTER INSERT ON terminal_current
    BEGIN
      INSERT INTO store_release_counts (store_id, release_key, region, ring, terminals, drifting)
      VALUES (NEW.store_id, coalesce(NEW.release_id, ''), NEW.region, NEW.ring, 1, NEW.is_drift)
      ON CONFLICT DO UPDATE SET terminals = terminals + 1, drifting = drifting + excluded.drifting;
    END`.execute(db);

  // Leaving a group: the count goes down, and the group goes when it is empty
  // (deleted first when this was its last terminal, so the CHECK never sees 0).
  await sql`CREATE TRIGGER store_release_counts_delete AFTER DELETE ON terminal_current
    BEGIN
      DELETE FROM store_release_counts
        WHERE store_id = OLD.store_id AND release_key = coalesce(OLD.release_id, '') AND region = OLD.region AND ring = OLD.ring
          AND terminals = 1;
      UPDATE store_release_counts SET terminals = terminals - 1, drifting = drifting - OLD.is_drift
        WHERE store_id = OLD.store_id AND release_key = coalesce(OLD.release_id, '') AND region = OLD.region AND ring = OLD.ring;
    END`.execute(db);

  await sql`CREATE TRIGGER store_release_counts_update AFTER UPDATE OF store_id, release_id, region, ring, is_drift ON terminal_current
    WHEN OLD.store_id IS NOT NEW.store_id OR OLD.release_id IS NOT NEW.release_id OR OLD.region IS NOT NEW.region
      OR OLD.ring IS NOT NEW.ring OR OLD.is_drift IS NOT NEW.is_drift
    BEGIN
      DELETE FROM store_release_counts
        WHERE store_id = OLD.store_id AND release_key = coalesce(OLD.release_id, '') AND region = OLD.region AND ring = OLD.ring
          AND terminals = 1;
      UPDATE store_release_counts SET terminals = terminals - 1, drifting = drifting - OLD.is_drift
        WHERE store_id = OLD.store_id AND release_key = coalesce(OLD.release_id, '') AND region = OLD.region AND ring = OLD.ring;
      INSERT INTO store_release_counts (store_id, release_key, region, ring, terminals, drifting)
      VALUES (NEW.store_id, coalesce(NEW.release_id, ''), NEW.region, NEW.ring, 1, NEW.is_drift)
      ON CONFLICT DO UPDATE SET terminals = terminals + 1, drifting = drifting + excluded.drifting;
    END`.execute(db);

  // A console that already has a fleet gets its counts now.
  await sql`INSERT INTO store_release_counts (store_id, release_key, region, ring, terminals, drifting)
    SELECT store_id, coalesce(release_id, ''), region, ring, count(*), sum(is_drift)
    FROM terminal_current GROUP BY store_id, coalesce(release_id, ''), region, ring`.execute(db);
}
