/**
 * Gathers what safeToInstall decides on: the database's part (deployments in
 * progress, unsynced events and evidence, the store's windows) read here, the
 * screen's part (a checklist being answered, a sign-off open) reported by the
 * renderer and passed in.
 */
import { pendingEventCount } from '../sync/notEnrolled.ts';
import type { Db } from '../db/handle.ts';
import { readStoreWindows } from '../deployments/catalog.ts';
import { pendingEvidence } from '../sync/evidenceUpload.ts';
import type { ConsoleStore } from './cohort.ts';
import type { InstallFacts } from './safeToInstall.ts';

/** The deployment statuses between start and an outcome: a restart would interrupt someone mid-runbook. */
const ACTIVE_DEPLOYMENT_STATUSES = ['in_progress', 'paused_at_intervention', 'verifying'] as const;

export type OnScreen = Pick<InstallFacts, 'openChecklistRuns' | 'isSignOffOpen'>;

export function readInstallFacts(
  db: Db,
  options: { now: number; storeId: string | null; onScreen: OnScreen },
): InstallFacts {
  const activeDeployments = (
    db.sqlite
      .prepare(
        `SELECT d.id, coalesce(s.name, d.store_id) || ' → ' || coalesce(r.version, d.release_id) AS label
           FROM deployments d
           LEFT JOIN stores s ON s.id = d.store_id
           LEFT JOIN releases r ON r.id = d.release_id
          WHERE d.status IN (${ACTIVE_DEPLOYMENT_STATUSES.map(() => '?').join(', ')})
          ORDER BY d.updated_at`,
      )
      .all(...ACTIVE_DEPLOYMENT_STATUSES) as Array<{ id: string; label: string }>
  ).map((r) => ({ id: r.id, label: r.label }));
  const timezone = options.storeId
    ? (db.sqlite
        .prepare('SELECT timezone FROM stores WHERE id = ?')
        .pluck()
        .get(options.storeId) as string | undefined)
    : undefined;
  return {
    now: options.now,
    activeDeployments,
    openChecklistRuns: options.onScreen.openChecklistRuns,
    unsyncedEvents: pendingEventCount(db),
    unsyncedEvidence: pendingEvidence(db).length,
    isSignOffOpen: options.onScreen.isSignOffOpen,
    store:
      options.storeId && timezone
        ? { timezone, windows: readStoreWindows(db, options.storeId) }
        : null,
  };
}

/** The enrolled store and its ring (the update channel and cohort follow them); null before enrollment. */
export function readConsoleStore(db: Db): ConsoleStore | null {
  const row = db.sqlite
    .prepare(
      `SELECT s.id, s.ring FROM sync_state st JOIN stores s ON s.id = st.store_id WHERE st.singleton = 1`,
    )
    .get() as ConsoleStore | undefined;
  return row ?? null;
}
