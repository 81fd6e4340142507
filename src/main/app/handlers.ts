/**
 * The handler map: one function per channel of the contract. The `Handlers`
 * type (dispatcher.ts) makes a missing channel a type error. Input is already
 * parsed and access checked when a handler runs.
 */
import {
  CHANNELS,
  type Channel,
  type SessionStatus,
  type SyncStatus,
} from '../../shared/contract/index.ts';
import { AppError } from '../../shared/errors.ts';
import type { Journal } from '../audit/journal.ts';
import type { AuthService } from '../auth/service.ts';
import type { Db } from '../db/open.ts';
import { DEMO_CATALOG_SOURCE } from '../demo/service.ts';
import { catalogSource } from '../fleet/catalog.ts';
import type { FleetService } from '../fleet/service.ts';
import type { ReleasesService } from '../releases/service.ts';
import type { ChecklistsChannel } from '../checklists/handlers.ts';
import type { DeploymentsChannel } from '../deployments/handlers.ts';
import type { DeskChannel } from '../desk/handlers.ts';
import type { ExportsChannel } from '../exports/handlers.ts';
import type { CallContext, Handlers } from './dispatcher.ts';

/** The sync engineer's seam: every `sync:*` channel (status, connect, now…). */
export type SyncChannel = Extract<Channel, `sync:${string}`>;
export type SyncHandlers = Pick<Handlers, SyncChannel>;
/** Checklists, decisions, bug reports and reports are built by src/main/checklists/handlers.ts; deployments by src/main/deployments/handlers.ts. */
export type CoreHandlers = Omit<
  Handlers,
  SyncChannel | ChecklistsChannel | DeploymentsChannel | DeskChannel | ExportsChannel
>;

export type HandlerDeps = {
  db: Db;
  journal: Journal;
  auth: AuthService;
  fleet: FleetService;
  releases: ReleasesService;
  hasCatalog: () => boolean;
  isEnrolled: () => boolean;
  loadDemo: () => void;
};

export function createCoreHandlers(deps: HandlerDeps): CoreHandlers {
  const { auth, fleet, releases, journal } = deps;
  const status = (): SessionStatus => ({
    session: auth.current(),
    hasCatalog: deps.hasCatalog(),
    isDemoFleet: catalogSource(deps.db) === DEMO_CATALOG_SOURCE,
    isEnrolled: deps.isEnrolled(),
    deviceId: journal.deviceId,
  });
  return {
    'session:status': () => status(),
    'session:listUsers': () => auth.listUsers(),
    'session:signIn': async (input) => {
      await auth.signIn(input.userId, input.pin);
      return status();
    },
    'session:signOut': () => {
      auth.signOut();
      return status();
    },
    'demo:load': () => {
      deps.loadDemo();
      return status();
    },
    'fleet:matrix': (input) => fleet.matrix(input),
    'fleet:filterOptions': () => fleet.filterOptions(),
    'fleet:listTerminals': (input) => fleet.listTerminals(input),
    'fleet:getTerminal': (input) => fleet.getTerminal(input.terminalId),
    'fleet:recordVersion': (input, ctx) => {
      const session = requireSession(ctx);
      const storeIds = auth.getUser(session.user.id)?.storeIds ?? [];
      return fleet.recordVersion(input, session, storeIds);
    },
    'releases:list': () => releases.list(),
    'releases:get': (input) => releases.get(input.releaseId),
    'releases:notesBetween': (input) => releases.notesBetween(input.storeId),
    'audit:verifyJournal': () => {
      const result = journal.verify();
      if (result.ok) return { ok: true, count: result.count, head: result.head };
      return { ok: false, seq: result.seq, id: result.id ?? null, reason: result.reason };
    },
  };
}

function requireSession(ctx: CallContext) {
  if (!ctx.session) throw new AppError('not_signed_in', 'Sign in to do this.');
  return ctx.session;
}

/** Events not yet acknowledged by the central server (all of them before enrollment). */
export function pendingEventCount(db: Db): number {
  const hasSyncState = db.sqlite
    .prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'sync_state'")
    .get();
  const acked = hasSyncState
    ? ((db.sqlite.prepare('SELECT acked_seq FROM sync_state WHERE singleton = 1').pluck().get() as
        number | undefined) ?? 0)
    : 0;
  return (
    (db.sqlite
      .prepare('SELECT count(*) FROM journal WHERE seq > ?')
      .pluck()
      .get(acked) as number) ?? 0
  );
}

export function notEnrolledStatus(db: Db): SyncStatus {
  return {
    isEnrolled: false,
    isOnline: false,
    pendingEvents: pendingEventCount(db),
    lastSuccessAt: null,
    lastError: null,
    serverUrl: null,
    treeHead: null,
  };
}

/**
 * Sync handlers used until a sync implementation is plugged in through
 * `createApp({ sync })`: status says "not enrolled"; every other sync call
 * answers `unavailable` with a clear message.
 */
export function notEnrolledSyncHandlers(db: Db): SyncHandlers {
  const handlers: Record<string, () => unknown> = {};
  for (const channel of CHANNELS) {
    if (!channel.startsWith('sync:')) continue;
    handlers[channel] = () => {
      throw new AppError(
        'unavailable',
        'Connecting to a central server is not available in this build yet. Everything is kept on this console.',
      );
    };
  }
  handlers['sync:status'] = () => notEnrolledStatus(db);
  return handlers as unknown as SyncHandlers;
}
