/**
 * Rebuilds the fleet projection (`terminal_current`, `terminal_versions`) as a
 * pure function of the catalog baseline and the journal: the baseline rows
 * first, then every `fleet.version.recorded` and `deployment.version.recorded`
 * event in seq order through the shared fleet reducer
 * (src/shared/projection/fleet.ts, the live path's rules, also run by the
 * server's read models). Events that name a
 * terminal or release no longer in the catalog are skipped, as they were never
 * applicable to this catalog.
 */
import { reduceFleetEvent, type ProjectedEvent } from '../../shared/projection/index.ts';
import type { Db } from '../db/open.ts';
import { applyChangesToConsole, consoleView } from '../projection/apply.ts';

export function rebuildFleetProjection(db: Db): {
  baseline: number;
  replayed: number;
  skipped: number;
} {
  const run = db.sqlite.transaction(() => {
    db.sqlite.exec('DELETE FROM terminal_versions; DELETE FROM terminal_current;');
    const baseline = db.sqlite
      .prepare(
        `INSERT INTO terminal_current (terminal_id, store_id, store_name, region, ring, terminal_name, model, serial,
           release_id, version, version_rank, since, last_seen, target_release_id, is_drift)
         SELECT t.id, s.id, s.name, s.region, s.ring, t.name, t.model, t.serial,
           r.id, r.version, r.version_rank, t.installed_since, t.last_seen, rt.release_id,
           CASE WHEN rt.release_id IS NULL OR rt.release_id IS r.id THEN 0 ELSE 1 END
         FROM terminals t
         JOIN stores s ON s.id = t.store_id
         LEFT JOIN releases r ON r.id = t.installed_release_id
         LEFT JOIN ring_targets rt ON rt.ring = s.ring
         ORDER BY t.id`,
      )
      .run().changes;
    db.sqlite
      .prepare(
        `INSERT INTO terminal_versions (terminal_id, version, release_id, observed_at, event_id, recorded_by, source)
         SELECT t.id, r.version, r.id, coalesce(t.installed_since, t.last_seen, ''), NULL, NULL, 'catalog'
         FROM terminals t JOIN releases r ON r.id = t.installed_release_id
         ORDER BY t.id`,
      )
      .run();
    const view = consoleView(db);
    let replayed = 0;
    let skipped = 0;
    // Paged by seq: better-sqlite3 cannot write while an iterator is open on the connection.
    const page = db.sqlite.prepare(
      "SELECT seq, type, body, hash FROM journal WHERE type IN ('fleet.version.recorded', 'deployment.version.recorded') AND seq > ? ORDER BY seq LIMIT 5000",
    );
    let after = 0;
    for (;;) {
      const rows = page.all(after) as Array<{
        seq: number;
        type: string;
        body: string;
        hash: string;
      }>;
      if (rows.length === 0) break;
      after = rows[rows.length - 1]!.seq;
      for (const row of rows) {
        const event = { ...(JSON.parse(row.body) as ProjectedEvent), hash: row.hash };
        const changes = reduceFleetEvent(event, view);
        if (changes.length === 0) skipped++;
        else replayed++;
        applyChangesToConsole(db, changes);
      }
    }
    return { baseline, replayed, skipped };
  });
  return run.immediate();
}
