/**
 * Opened on the release desk (a bookmarked or reloaded #/release-desk), the
 * console asks for the desk connection and the release list at start-up
 * (src/renderer/app/startupCalls.ts), with the keys the progression screen
 * uses, and, once the list is in, the newest release's first page of the
 * progression: the screen's first render finds it in the cache, instead of
 * sending three round trips one after the other once its lazy code has
 * loaded and rendered (bench/webProgression.ts, 5,000 stores).
 */
import type { Client } from '../../api/client.ts';
import type { StartupQuery } from '../../app/startupCalls.ts';
import type { ProgressionState } from '#shared/desk/progression.ts';
import type { Ring } from '#shared/domain/releases.ts';

/** The keys the progression screen reads them under. */
export const DESK_CONNECTION_KEY = ['desk', 'connection'] as const;
export const RELEASE_LIST_KEY = ['releases', 'list'] as const;

/** Stores per page of the progression list; the first page comes with the counts. */
export const PROGRESSION_PAGE = 200;

type Filters = { ring?: Ring; state?: ProgressionState; search?: string };

/** The progression's first page under the filters, as the screen caches it. */
export function progressionHeadKey(releaseId: string | null, filters: Filters) {
  return ['desk', 'progression', JSON.stringify([releaseId, filters])] as const;
}

export function isReleaseDeskLanding(hash: string): boolean {
  return hash.startsWith('#/release-desk');
}

export function releaseDeskStartupQueries(api: Client): StartupQuery[] {
  return [
    { queryKey: DESK_CONNECTION_KEY, queryFn: () => api['desk:connection']({}) },
    {
      queryKey: RELEASE_LIST_KEY,
      queryFn: () => api['releases:list']({}),
      next: (releases) => {
        const newest = (releases as Array<{ id: string }>)[0]?.id;
        if (newest === undefined) return [];
        return [
          {
            queryKey: progressionHeadKey(newest, {}),
            queryFn: () =>
              api['releaseDesk:progression']({
                releaseId: newest,
                offset: 0,
                limit: PROGRESSION_PAGE,
              }),
          },
        ];
      },
    },
  ];
}
