import type { Role } from '../domain/roles.ts';
import type { ReleaseStatus, ReleaseType, Ring } from '../domain/releases.ts';
import type { QuarantineReason } from '../audit/actorRule.ts';

export type UserSummary = { id: string; name: string; role: Role };

export type Session = { user: UserSummary; deviceId: string; signedInAt: string };

export type SessionStatus = {
  session: Session | null;
  /** No catalog yet: the first-run screen offers the demo fleet. */
  hasCatalog: boolean;
  /**
   * The catalog is the demo fleet ("Try the demo fleet"): what is recorded on
   * it stays on this computer and is never sent to a central server. Always
   * set by the console's back end; optional so a status built elsewhere (a
   * test double, an older back end) reads as "not the demo fleet".
   */
  isDemoFleet?: boolean;
  isEnrolled: boolean;
  deviceId: string;
};

export type Store = { id: string; name: string; region: string; ring: Ring; timezone: string };

export type Release = {
  id: string;
  version: string;
  type: ReleaseType;
  ring: Ring;
  status: ReleaseStatus;
  plannedAt: string | null;
  actualAt: string | null;
  title: string;
  notesMarkdown: string;
};

export type ReleaseSummary = Omit<Release, 'notesMarkdown'> & {
  /** Terminals whose current release is this one. */
  terminalCount: number;
  /** Rings whose target this release is. */
  targetOfRings: Ring[];
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

export type ReleaseNotesBetween = {
  store: Store;
  /** The lowest release among the store's terminals: the notes cover what the least-updated lane goes through. */
  currentVersion: string | null;
  targetVersion: string | null;
  releases: Array<
    Pick<Release, 'id' | 'version' | 'type' | 'title' | 'notesMarkdown' | 'actualAt' | 'plannedAt'>
  >;
};

export type SyncStatus = {
  isEnrolled: boolean;
  isOnline: boolean;
  pendingEvents: number;
  lastSuccessAt: string | null;
  lastError: string | null;
  serverUrl: string | null;
  treeHead: { size: number; root: string; at: string; verifiedAt?: string } | null;
  /**
   * Set when the central server's history failed a consistency check against
   * the last verified tree head ("central history was rewritten"). It stays
   * until a manager reconnects the console; sync is halted meanwhile.
   */
  alarm?: string | null;
  /** A sync cycle is running right now. */
  isSyncing?: boolean;
  /**
   * How many of this console's events the central server appended but
   * quarantined (they broke the actor rule); `sync:quarantined` lists them.
   */
  quarantinedEvents?: number;
};

/** One event of this console that the central server quarantined, with the reason. */
export type QuarantinedEvent = {
  seq: number;
  id: string;
  at: string;
  type: string;
  userId: string;
  /** Machine-readable (src/shared/audit/actorRule.ts QUARANTINE_REASONS). */
  reason: QuarantineReason;
  /** The reason in plain words, and what the person can do about it. */
  explanation: string;
  /** When the server's answer told this console. */
  notedAt: string;
};

export type QuarantinedEventPage = {
  /** Newest first. */
  events: QuarantinedEvent[];
  /** Pass as `beforeSeq` for the next page; null on the last. */
  nextBeforeSeq: number | null;
  total: number;
};

export type JournalVerification =
  | { ok: true; count: number; head: string }
  | { ok: false; seq: number; id: string | null; reason: string };
