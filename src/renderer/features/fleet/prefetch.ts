/**
 * The fleet is the landing screen. Its first data is asked for at start-up,
 * in parallel with the session check, with exactly the keys the screen will
 * use, so the screen finds it in the cache instead of starting a second
 * round trip after the first render. Signed out, these calls fail with
 * not_signed_in and the screen asks again when it mounts.
 */
import type { QueryClient } from '@tanstack/react-query';
import type { Client } from '../../api/client.ts';
import { queryKeys } from '../../api/queryKeys.ts';
import { useAppStore } from '../../state/store.ts';
import { matrixFilterOf, tableFilterOf } from './fleetFilters.ts';
import { PAGE_SIZE } from './terminalWindows.ts';

export function isFleetLanding(hash: string): boolean {
  return hash === '' || hash === '#' || hash === '#/' || hash.startsWith('#/fleet');
}

export function prefetchFleet(queryClient: QueryClient, api: Client): void {
  const state = useAppStore.getState();
  const matrixFilter = matrixFilterOf(state.fleetFilter);
  const tableFilter = tableFilterOf(state.fleetFilter, state.cellSelection, state.terminalSearch);
  const sort = state.terminalSort;
  void queryClient.prefetchQuery({ queryKey: queryKeys.matrix(matrixFilter), queryFn: () => api['fleet:matrix'](matrixFilter) });
  void queryClient.prefetchQuery({
    queryKey: queryKeys.terminalPage(tableFilter, sort, 0),
    queryFn: () => api['fleet:listTerminals']({ filter: tableFilter, sort, offset: 0, limit: PAGE_SIZE }),
  });
  void queryClient.prefetchQuery({ queryKey: queryKeys.filterOptions(), queryFn: () => api['fleet:filterOptions']({}) });
  void queryClient.prefetchQuery({ queryKey: queryKeys.syncStatus(), queryFn: () => api['sync:status']({}) });
}
