/** The fleet feature's types: stores, terminals, the store × release matrix, filters. */
import type { Ring } from '../domain/releases.ts';

export type Store = {
  id: string;
  name: string;
  region: string;
  ring: Ring;
  timezone: string;
  /** ISO 3166-1 alpha-2; null when the catalog names none (region compliance rules only). */
  country: string | null;
};

export type FleetFilter = {
  region?: string | undefined;
  ring?: Ring | undefined;
  model?: string | undefined;
  releaseId?: string | undefined;
  storeId?: string | undefined;
  search?: string | undefined;
  driftOnly?: boolean | undefined;
};

/**
 * Drift: a terminal whose current release is not its store ring's target
 * release (a never-observed terminal drifts too); none when the ring has no target.
 */
export type MatrixCell = {
  storeId: string;
  releaseId: string | null;
  count: number;
  driftCount: number;
};

/** Store × release counts computed in SQL; `releaseId: null` is "unknown version". */
export type FleetMatrix = {
  stores: Array<
    Store & { terminalCount: number; driftCount: number; targetReleaseId: string | null }
  >;
  releases: Array<{ id: string | null; version: string; terminalCount: number }>;
  cells: MatrixCell[];
  totals: { terminals: number; drift: number; stores: number };
};

export type FleetFilterOptions = {
  regions: string[];
  /** The stores' countries (ISO 3166-1 alpha-2), for the compliance report's picker. */
  countries: string[];
  rings: Ring[];
  models: string[];
  releases: Array<{ id: string; version: string }>;
};

export const TERMINAL_SORT_KEYS = [
  'store',
  'terminal',
  'model',
  'serial',
  'version',
  'since',
  'lastSeen',
  'drift',
] as const;
export type TerminalSortKey = (typeof TERMINAL_SORT_KEYS)[number];

export type TerminalRow = {
  id: string;
  storeId: string;
  storeName: string;
  name: string;
  model: string;
  serial: string;
  releaseId: string | null;
  version: string | null;
  since: string | null;
  lastSeen: string | null;
  targetVersion: string | null;
  /** Not on its store ring's target release (see MatrixCell). */
  isDrift: boolean;
};

export type TerminalPage = { rows: TerminalRow[]; total: number; offset: number };

export type VersionHistoryEntry = {
  eventId: string | null;
  version: string;
  releaseId: string | null;
  observedAt: string;
  recordedBy: string | null;
  source: 'catalog' | 'typed' | 'scanned';
};

export type TerminalDetail = {
  terminal: TerminalRow;
  store: Store;
  history: VersionHistoryEntry[];
};

export type RecordVersionResult = { terminal: TerminalRow; eventId: string; seq: number };
