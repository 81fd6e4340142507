/**
 * Query keys and hooks of the deployment screens. Keys start with
 * `deployments`. The deployment tables are not in queryKeys' word list, so a
 * `db:changed` on them refreshes the fleet and the other screens; these
 * hooks refresh the deployments themselves after each action (and the
 * action's answer is put in the cache at once).
 */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { DeploymentView } from '#shared/contract/deployments.ts';
import { useApi } from '../../api/ApiContext.tsx';

export const deploymentKeys = {
  list: () => ['deployments', 'list'] as const,
  one: (deploymentId: string) => ['deployments', 'get', deploymentId] as const,
  releases: () => ['releases', 'list'] as const,
  flags: (storeId: string, releaseId: string) =>
    ['deployments', 'flags', storeId, releaseId] as const,
};

export function useDeployments() {
  const api = useApi();
  return useQuery({ queryKey: deploymentKeys.list(), queryFn: () => api['deployments:list']({}) });
}

export function useDeployment(deploymentId: string) {
  const api = useApi();
  return useQuery({
    queryKey: deploymentKeys.one(deploymentId),
    queryFn: () => api['deployments:get']({ deploymentId }),
  });
}

export function useReleases() {
  const api = useApi();
  return useQuery({ queryKey: deploymentKeys.releases(), queryFn: () => api['releases:list']({}) });
}

/** After an action: this deployment shows its answer at once; lists, fleet and checklists refresh. */
function useAfterChange() {
  const queryClient = useQueryClient();
  return (view: DeploymentView) => {
    queryClient.setQueryData(deploymentKeys.one(view.state.plan.deploymentId), view);
    for (const domain of ['deployments', 'fleet', 'releases', 'changeRequests', 'decisions']) {
      void queryClient.invalidateQueries({ queryKey: [domain] });
    }
  };
}

export function usePlanDeployment() {
  const api = useApi();
  const afterChange = useAfterChange();
  return useMutation({ mutationFn: api['deployments:plan'], onSuccess: afterChange });
}

export function useDeploymentAction() {
  const api = useApi();
  const afterChange = useAfterChange();
  return useMutation({ mutationFn: api['deployments:act'], onSuccess: afterChange });
}
