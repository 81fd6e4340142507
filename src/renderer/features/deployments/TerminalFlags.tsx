/**
 * The feature flags on the terminal detail (fleet screen): the store's values
 * for the release the terminal runs. Loaded lazily by the fleet's drawer, so
 * the fleet screen's start-up carries none of this code.
 */
import { useQuery } from '@tanstack/react-query';
import { useApi } from '../../api/ApiContext.tsx';
import { ErrorState, LoadingRows } from '../../components/QueryState.tsx';
import { deploymentKeys } from './queries.ts';
import { FlagsPanel } from './timeline/FlagsPanel.tsx';

export function TerminalFlags({ storeId, releaseId }: { storeId: string; releaseId: string }) {
  const api = useApi();
  const flags = useQuery({
    queryKey: deploymentKeys.flags(storeId, releaseId),
    queryFn: () => api['deployments:flags']({ storeId, releaseId }),
  });
  if (flags.isPending) return <LoadingRows rows={2} />;
  if (flags.isError) return <ErrorState error={flags.error} onRetry={() => void flags.refetch()} />;
  // The fleet's drawer is narrow: the compact layout keeps every action inside it.
  return <FlagsPanel storeId={storeId} releaseId={releaseId} flags={flags.data} isCompact />;
}
