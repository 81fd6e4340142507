import { useQuery } from '@tanstack/react-query';
import type { Session } from '../../shared/contract/index.ts';
import { useApi } from '../api/ApiContext.tsx';
import { queryKeys } from '../api/queryKeys.ts';

export function useSessionStatus() {
  const api = useApi();
  return useQuery({
    queryKey: queryKeys.sessionStatus(),
    queryFn: () => api['session:status']({}),
  });
}

export function useSession(): Session | null {
  return useSessionStatus().data?.session ?? null;
}
