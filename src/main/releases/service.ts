/**
 * The release catalog: list, one release, and the accumulated notes a store
 * will receive between where it is and its ring's target.
 */
import type { TestResultsSummary } from '../../shared/releases/testResults.ts';
import { readTestResults } from './extrasCatalog.ts';
import type { Release, ReleaseNotesBetween, ReleaseSummary } from '../../shared/contract/index.ts';
import { AppError } from '../../shared/errors.ts';
import { changelogMarkdown } from '../../shared/releases/changelog.ts';
import type { Db } from '../db/open.ts';
import { readReleaseBlocks } from './catalogParts.ts';
import type { ReleaseBlockView } from '../../shared/releases/catalogParts.ts';
import { getStore } from '../fleet/repository.ts';
import {
  getRelease,
  listReleases,
  listReleaseSummaries,
  lowestInstalledRank,
  ringTargets,
} from './repository.ts';

export type ReleasesService = {
  list(): ReleaseSummary[];
  get(releaseId: string): Release;
  /**
   * Notes of every release after the store's current release up to and
   * including its ring's target, oldest first (SemVer order).
   *
   * "Current" is the LOWEST release among the store's terminals, not the most
   * common one: the notes must cover everything the least-updated terminal
   * will go through, or a technician would miss a step (e.g. a data
   * migration) that only the lagging lane still needs. Withdrawn releases are
   * left out: no terminal will ever be updated to them.
   */
  notesBetween(storeId: string): ReleaseNotesBetween;
  /** The release's automated test results summary; null while none were imported. */
  testResults(releaseId: string): TestResultsSummary | null;
  /** The changelog of every release not withdrawn, newest first. */
  changelog(): { fileName: string; markdown: string };
  /** Blocked releases of the catalog, newest block first. */
  blocks(): ReleaseBlockView[];
};

export function createReleasesService(options: { db: Db }): ReleasesService {
  const { db } = options;
  return {
    list: () => listReleaseSummaries(db),
    changelog: () => ({
      fileName: 'CHANGELOG-dearpos.md',
      markdown: changelogMarkdown(listReleases(db).filter((r) => r.status !== 'withdrawn')),
    }),
    blocks() {
      const releases = new Map(listReleases(db).map((r) => [r.id, r]));
      return readReleaseBlocks(db)
        .flatMap((b) => {
          const r = releases.get(b.releaseId);
          return r ? [{ ...b, version: r.version, title: r.title }] : [];
        })
        .sort((a, b) => b.blockedAt.localeCompare(a.blockedAt));
    },
    get(releaseId) {
      const release = getRelease(db, releaseId);
      if (!release)
        throw new AppError(
          'not_found',
          'This release is not in the catalog. Refresh the releases list.',
        );
      return release;
    },
    testResults(releaseId) {
      if (!getRelease(db, releaseId))
        throw new AppError(
          'not_found',
          'This release is not in the catalog. Refresh the releases list.',
        );
      return readTestResults(db, releaseId);
    },
    notesBetween(storeId) {
      const store = getStore(db, storeId);
      if (!store)
        throw new AppError(
          'not_found',
          'This store is not in the catalog. Refresh the fleet list.',
        );
      const releases = listReleases(db);
      const targetId = ringTargets(db).get(store.ring) ?? null;
      const target = releases.find((r) => r.id === targetId) ?? null;
      const currentRank = lowestInstalledRank(db, storeId);
      const current =
        currentRank === null ? null : (releases.find((r) => r.rank === currentRank) ?? null);
      const between =
        target === null
          ? []
          : releases.filter(
              (r) =>
                r.rank > (currentRank ?? -1) && r.rank <= target.rank && r.status !== 'withdrawn',
            );
      return {
        store,
        currentVersion: current?.version ?? null,
        targetVersion: target?.version ?? null,
        releases: between.map((r) => ({
          id: r.id,
          version: r.version,
          type: r.type,
          title: r.title,
          notesMarkdown: r.notesMarkdown,
          actualAt: r.actualAt,
          plannedAt: r.plannedAt,
        })),
      };
    },
  };
}
