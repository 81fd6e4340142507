/**
 * Query keys and hooks of the change request screen and modal. Keys start
 * with `changeRequests`; their table is not in queryKeys' word list, so a
 * `db:changed` on it invalidates everything (stale is worse), and a
 * decision here refreshes the deployments that wait on it at once.
 */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { Deviation } from '#shared/deployments/changeRequests.ts';
import { useApi } from '../../api/ApiContext.tsx';
import { queryKeys } from '../../api/queryKeys.ts';
import { useStores } from '../checklists/queries.ts';
import type { DeviationNames } from './deviationText.ts';

const changeRequestKeys = {
  list: (storeId: string) => ['changeRequests', 'list', storeId] as const,
};

export function useChangeRequests(storeId: string | null) {
  const api = useApi();
  return useQuery({
    queryKey: changeRequestKeys.list(storeId ?? ''),
    queryFn: () => api['changeRequests:list']({ storeId: storeId! }),
    enabled: storeId !== null,
  });
}

function useRefreshAfterChange() {
  const queryClient = useQueryClient();
  return () =>
    Promise.all(
      (['changeRequests', 'deployments'] as const).map((domain) =>
        queryClient.invalidateQueries({ queryKey: [domain] }),
      ),
    );
}

export function useRequestChange() {
  const api = useApi();
  const refresh = useRefreshAfterChange();
  return useMutation({
    mutationFn: api['changeRequests:request'],
    onSuccess: () => void refresh(),
  });
}

export function useDecideChangeRequest() {
  const api = useApi();
  const refresh = useRefreshAfterChange();
  return useMutation({ mutationFn: api['changeRequests:decide'], onSuccess: () => void refresh() });
}

export function useReleaseList() {
  const api = useApi();
  return useQuery({ queryKey: queryKeys.releases(), queryFn: () => api['releases:list']({}) });
}

/** Store names, time zones and release versions for the plain-words text; ids until they are loaded. */
export function useDeviationNamer(): (deviation: Deviation) => DeviationNames {
  const stores = useStores();
  const releases = useReleaseList();
  return (deviation) => {
    const store = stores.data?.find((s) => s.id === deviation.storeId);
    const release = releases.data?.find((r) => r.id === deviation.releaseId);
    return {
      ...(store ? { store: { name: store.name, timezone: store.timezone } } : {}),
      ...(release ? { releaseVersion: release.version } : {}),
    };
  };
}
