/**
 * Query keys start with the feature's name, so a `db:changed` event naming
 * the tables a transaction touched invalidates exactly the features that read
 * them (Bruno's invalidation by table).
 */
import type { FleetFilter, TerminalSortKey } from '../../shared/contract/index.ts';

export const QUERY_DOMAINS = [
  'session',
  'fleet',
  'releases',
  'sync',
  'checklists',
  'decisions',
  'feedback',
] as const;
export type QueryDomain = (typeof QUERY_DOMAINS)[number];

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
  syncStatus: () => ['sync', 'status'] as const,
};

/**
 * Which features read a table. Table names belong to the back end, so this
 * goes by the words in the name; a table it does not recognise invalidates
 * everything, because a stale screen is worse than one extra fetch.
 */
export function domainsForTables(tables: readonly string[]): QueryDomain[] {
  const domains = new Set<QueryDomain>();
  for (const raw of tables) {
    const table = raw.toLowerCase();
    let isKnown = false;
    if (/journal|outbox|sync|tree_head|device/.test(table)) {
      domains.add('sync');
      isKnown = true;
    }
    // Terminal counts per release and a store's notes depend on the fleet too.
    if (/terminal|install|store|version|fleet/.test(table)) {
      domains.add('fleet');
      domains.add('releases');
      isKnown = true;
    }
    if (/release|ring|catalog|note/.test(table)) {
      domains.add('releases');
      domains.add('fleet');
      isKnown = true;
    }
    // The go / no-go verdict reads runs, results, waivers, evidence and bug reports alike.
    if (/checklist|evidence|decision|bug_report|feedback/.test(table)) {
      domains.add('checklists');
      domains.add('decisions');
      domains.add('feedback');
      isKnown = true;
    }
    if (/user|session|lockout/.test(table)) {
      domains.add('session');
      isKnown = true;
    }
    if (!isKnown) return [...QUERY_DOMAINS];
  }
  // Every change appends to the journal, so the pending count moves with it.
  if (domains.size > 0) domains.add('sync');
  return QUERY_DOMAINS.filter((d) => domains.has(d));
}
