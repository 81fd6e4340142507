/**
 * Query keys start with their domain (a feature's name), so a `db:changed`
 * event naming the tables a transaction wrote invalidates exactly the
 * domains declared as their readers in shared/contract/tables.ts.
 */
import type { FleetFilter, TerminalSortKey } from '../../shared/contract/index.ts';

export { QUERY_DOMAINS, domainsForTables } from '../../shared/contract/tables.ts';

export const queryKeys = {
  sessionStatus: () => ['session', 'status'] as const,
  users: () => ['session', 'users'] as const,
  matrix: (filter: FleetFilter) => ['fleet', 'matrix', filter] as const,
  filterOptions: () => ['fleet', 'filterOptions'] as const,
  terminalPage: (
    filter: FleetFilter,
    sort: { key: TerminalSortKey; desc: boolean },
    page: number,
  ) => ['fleet', 'terminals', filter, sort, page] as const,
  terminal: (terminalId: string) => ['fleet', 'terminal', terminalId] as const,
  releases: () => ['releases', 'list'] as const,
  release: (releaseId: string) => ['releases', 'get', releaseId] as const,
  notesBetween: (storeId: string) => ['releases', 'notesBetween', storeId] as const,
  releaseBlocks: () => ['releases', 'blocks'] as const,
  syncStatus: () => ['sync', 'status'] as const,
};
