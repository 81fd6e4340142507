/**
 * Release catalog reads. Releases are few (tens), so they are read whole;
 * terminal counts come from the fleet projection's GROUP BY.
 */
import type { Release, ReleaseSummary } from '../../shared/contract/index.ts';
import type { ReleaseStatus, ReleaseType, Ring } from '../../shared/domain/releases.ts';
import type { Db } from '../db/open.ts';
import { getReleaseSummary } from '../fleet/repository.ts';

type ReleaseRow = {
  id: string;
  version: string;
  version_rank: number;
  type: ReleaseType;
  ring: Ring;
  status: ReleaseStatus;
  planned_at: string | null;
  actual_at: string | null;
  title: string;
  notes_markdown: string;
};

function toRelease(row: ReleaseRow): Release {
  return {
    id: row.id,
    version: row.version,
    type: row.type,
    ring: row.ring,
    status: row.status,
    plannedAt: row.planned_at,
    actualAt: row.actual_at,
    title: row.title,
    notesMarkdown: row.notes_markdown,
  };
}

/** Every release in SemVer order (ranked when the catalog was loaded), oldest first. */
export function listReleases(db: Db): Array<Release & { rank: number }> {
  const rows = db.sqlite
    .prepare('SELECT * FROM releases ORDER BY version_rank')
    .all() as ReleaseRow[];
  return rows.map((r) => ({ ...toRelease(r), rank: r.version_rank }));
}

export function getRelease(db: Db, releaseId: string): Release | null {
  const row = db.sqlite.prepare('SELECT * FROM releases WHERE id = ?').get(releaseId) as
    ReleaseRow | undefined;
  return row ? toRelease(row) : null;
}

export function ringTargets(db: Db): Map<Ring, string> {
  const rows = db.sqlite.prepare('SELECT ring, release_id FROM ring_targets').all() as Array<{
    ring: Ring;
    release_id: string;
  }>;
  return new Map(rows.map((r) => [r.ring, r.release_id]));
}

/** Newest first, as the releases screen shows them. */
export function listReleaseSummaries(db: Db): ReleaseSummary[] {
  const counts = new Map(getReleaseSummary(db).map((s) => [s.releaseId, s.count]));
  const targets = ringTargets(db);
  return listReleases(db)
    .reverse()
    .map(({ notesMarkdown: _notes, rank: _rank, ...release }) => ({
      ...release,
      terminalCount: counts.get(release.id) ?? 0,
      targetOfRings: [...targets].filter(([, id]) => id === release.id).map(([ring]) => ring),
    }));
}

/** The lowest installed release rank among a store's terminals, or null when none is known. */
export function lowestInstalledRank(db: Db, storeId: string): number | null {
  const row = db.sqlite
    .prepare(
      'SELECT min(version_rank) AS rank FROM terminal_current WHERE store_id = ? AND version_rank IS NOT NULL',
    )
    .get(storeId) as { rank: number | null };
  return row.rank;
}
