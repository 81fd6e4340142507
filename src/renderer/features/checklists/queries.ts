/**
 * Query keys and hooks of the checklist, decision and bug report screens.
 * Keys start with the feature's domain so `db:changed` on their tables
 * refreshes them (src/renderer/api/queryKeys.ts).
 */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { ChecklistRunView } from '#shared/checklists/types.ts';
import { useApi } from '../../api/ApiContext.tsx';

export const checklistKeys = {
  templates: (releaseId: string | null) => ['checklists', 'templates', releaseId] as const,
  runs: (storeId: string | null, releaseId: string | null) =>
    ['checklists', 'runs', storeId, releaseId] as const,
  run: (runId: string) => ['checklists', 'run', runId] as const,
  evidence: (sha256: string) => ['checklists', 'evidence', sha256] as const,
  runReport: (runId: string) => ['checklists', 'runReport', runId] as const,
  verdict: (storeId: string | null, releaseId: string | null) =>
    ['decisions', 'verdict', storeId, releaseId] as const,
  decisions: (storeId: string | null, releaseId: string | null) =>
    ['decisions', 'list', storeId, releaseId] as const,
  decisionReport: (decisionId: string) => ['decisions', 'report', decisionId] as const,
  bugReports: (runId: string | null) => ['feedback', 'bugReports', runId] as const,
  stores: () => ['fleet', 'matrix', 'stores'] as const,
  storeTerminals: (storeId: string) => ['fleet', 'storeTerminals', storeId] as const,
};

export function useStores() {
  const api = useApi();
  return useQuery({
    queryKey: checklistKeys.stores(),
    queryFn: async () => (await api['fleet:matrix']({})).stores,
  });
}

/** A store has 3–6 terminals; 200 is far above any real store. */
export function useStoreTerminals(storeId: string | null) {
  const api = useApi();
  return useQuery({
    queryKey: checklistKeys.storeTerminals(storeId ?? ''),
    queryFn: async () =>
      (
        await api['fleet:listTerminals']({
          filter: { storeId: storeId! },
          sort: { key: 'terminal', desc: false },
          offset: 0,
          limit: 200,
        })
      ).rows,
    enabled: storeId !== null,
  });
}

export function useTemplates(releaseId: string | null) {
  const api = useApi();
  return useQuery({
    queryKey: checklistKeys.templates(releaseId),
    queryFn: () => api['checklists:templates'](releaseId ? { releaseId } : {}),
  });
}

export function useRuns(storeId: string | null, releaseId: string | null) {
  const api = useApi();
  return useQuery({
    queryKey: checklistKeys.runs(storeId, releaseId),
    queryFn: () =>
      api['checklists:listRuns']({
        ...(storeId ? { storeId } : {}),
        ...(releaseId ? { releaseId } : {}),
      }),
  });
}

export function useRun(runId: string) {
  const api = useApi();
  return useQuery({
    queryKey: checklistKeys.run(runId),
    queryFn: () => api['checklists:getRun']({ runId }),
  });
}

/** Evidence files never change (content-addressed): fetched once, kept. */
export function useEvidence(sha256: string | null) {
  const api = useApi();
  return useQuery({
    queryKey: checklistKeys.evidence(sha256 ?? ''),
    queryFn: () => api['checklists:getEvidence']({ sha256: sha256! }),
    enabled: sha256 !== null,
    staleTime: Infinity,
  });
}

/**
 * After any change made from these screens: refresh them at once rather than
 * wait for the `db:changed` round trip (which refreshes them again, cheaply).
 */
function useRefreshChecklists() {
  const queryClient = useQueryClient();
  return () =>
    Promise.all(
      (['checklists', 'decisions', 'feedback'] as const).map((domain) =>
        queryClient.invalidateQueries({ queryKey: [domain] }),
      ),
    );
}

export function useChecklistMutation<I, O>(call: (input: I) => Promise<O>) {
  const refresh = useRefreshChecklists();
  return useMutation({ mutationFn: call, onSuccess: () => void refresh() });
}

/**
 * Recording an answer returns the run and the terminal as they now are: put
 * them in the cache so the row updates at once. No refetch of the whole run
 * per answer; `db:changed` still refreshes the verdict, lists and this run.
 */
export function useRecordResult() {
  const api = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: api['checklists:recordResult'],
    onSuccess: (outcome) => {
      queryClient.setQueryData<ChecklistRunView>(checklistKeys.run(outcome.run.id), (view) =>
        view
          ? {
              ...view,
              run: outcome.run,
              terminals: view.terminals.map((t) =>
                t.terminalId === outcome.terminal.terminalId ? outcome.terminal : t,
              ),
            }
          : view,
      );
    },
  });
}
