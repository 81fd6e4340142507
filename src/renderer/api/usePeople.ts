import { useQuery } from '@tanstack/react-query';
import { useApi } from './ApiContext.tsx';
import { queryKeys } from './queryKeys.ts';

/**
 * A person's name from the catalog's users, for what the journal and the
 * catalog record by id (actors, authors, approvers); the id itself until the
 * list is loaded, or for someone the catalog does not know.
 */
export function usePeople(): (userId: string) => string {
  const api = useApi();
  const users = useQuery({
    queryKey: queryKeys.users(),
    queryFn: () => api['session:listUsers']({}),
    staleTime: 300_000,
  });
  return (userId) => users.data?.find((u) => u.id === userId)?.name ?? userId;
}
