/**
 * The fleet is the landing screen. Its first data is asked for at start-up
 * (src/renderer/app/startupCalls.ts), in parallel with the session check and
 * before the rest of the renderer is even evaluated, with exactly the keys
 * the screen will use, so the screen finds it in the cache instead of
 * starting round trips after its first render. Signed out, these calls fail
 * with not_signed_in and the screen asks again when it mounts.
 */
import type { Client } from '../../api/client.ts';
import { queryKeys } from '../../api/queryKeys.ts';
import type { StartupQuery } from '../../app/startupCalls.ts';
import { useAppStore } from '../../state/store.ts';
import { matrixFilterOf, tableFilterOf } from './fleetFilters.ts';
import { PAGE_SIZE } from './terminalWindows.ts';

export function isFleetLanding(hash: string): boolean {
  return hash === '' || hash === '#' || hash === '#/' || hash.startsWith('#/fleet');
}

/** The matrix, the table's first page, the filter options and the sync status the status bar shows. */
export function fleetStartupQueries(api: Client): StartupQuery[] {
  const state = useAppStore.getState();
  const matrixFilter = matrixFilterOf(state.fleetFilter, state.terminalSearch);
  const tableFilter = tableFilterOf(state.fleetFilter, state.cellSelection, state.terminalSearch);
  const sort = state.terminalSort;
  return [
    { queryKey: queryKeys.matrix(matrixFilter), queryFn: () => api['fleet:matrix'](matrixFilter) },
    {
      queryKey: queryKeys.terminalPage(tableFilter, sort, 0),
      queryFn: () =>
        api['fleet:listTerminals']({ filter: tableFilter, sort, offset: 0, limit: PAGE_SIZE }),
    },
    { queryKey: queryKeys.filterOptions(), queryFn: () => api['fleet:filterOptions']({}) },
    { queryKey: queryKeys.syncStatus(), queryFn: () => api['sync:status']({}) },
  ];
}
