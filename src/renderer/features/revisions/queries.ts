/**
 * Query keys and hooks of the revisions screens. Keys start with the
 * `revisions` domain so a catalog pull (`document_revisions`) refreshes them;
 * the desk's come from the central server and refresh after an approval.
 */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { RevisionKind } from '#shared/revisions/revisions.ts';
import { useApi } from '../../api/ApiContext.tsx';
import { useCan } from '../../api/permissions.ts';

const revisionKeys = {
  documents: () => ['revisions', 'documents'] as const,
  history: (kind: RevisionKind, docId: string) => ['revisions', 'history', kind, docId] as const,
  deskDocuments: () => ['revisions', 'desk', 'documents'] as const,
  deskHistory: (kind: RevisionKind, docId: string) =>
    ['revisions', 'desk', 'history', kind, docId] as const,
  deskConnection: () => ['desk', 'connection'] as const,
};

/** Whether this console reads revisions from the central server: a desk, and someone allowed to. */
export function useIsRevisionDesk(): { isDesk: boolean; isPending: boolean } {
  const api = useApi();
  const can = useCan('revisions:deskDocuments');
  const connection = useQuery({
    queryKey: revisionKeys.deskConnection(),
    queryFn: () => api['desk:connection']({}),
    enabled: can.allowed,
  });
  if (!can.allowed) return { isDesk: false, isPending: false };
  return { isDesk: connection.data?.isConnected === true, isPending: connection.isPending };
}

/** The runbooks and templates this console holds, each with its start check. */
export function useRevisionDocuments() {
  const api = useApi();
  return useQuery({
    queryKey: revisionKeys.documents(),
    queryFn: () => api['revisions:documents']({}),
  });
}

export function useRevisionHistory(kind: RevisionKind, docId: string, isEnabled: boolean) {
  const api = useApi();
  return useQuery({
    queryKey: revisionKeys.history(kind, docId),
    queryFn: () => api['revisions:history']({ kind, docId }),
    enabled: isEnabled,
  });
}

export function useDeskRevisionDocuments(isEnabled: boolean) {
  const api = useApi();
  return useQuery({
    queryKey: revisionKeys.deskDocuments(),
    queryFn: () => api['revisions:deskDocuments']({}),
    enabled: isEnabled,
  });
}

export function useDeskRevisionHistory(kind: RevisionKind, docId: string, isEnabled: boolean) {
  const api = useApi();
  return useQuery({
    queryKey: revisionKeys.deskHistory(kind, docId),
    queryFn: () => api['revisions:deskHistory']({ kind, docId }),
    enabled: isEnabled,
  });
}

export function useApproveRevision(kind: RevisionKind, docId: string) {
  const api = useApi();
  const client = useQueryClient();
  return useMutation({
    mutationFn: (input: { number: number; contentHash: string }) =>
      api['revisions:approve']({ kind, docId, ...input }),
    onSuccess: (history) => {
      client.setQueryData(revisionKeys.deskHistory(kind, docId), history);
      void client.invalidateQueries({ queryKey: revisionKeys.deskDocuments() });
    },
  });
}
