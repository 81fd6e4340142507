/**
 * Every call the renderer can make, declared once: channel (`domain:verb`),
 * strict zod input, output type, and who may call it. Main implements it
 * (src/main/app/handlers.ts), Electron IPC and the browser-mode HTTP
 * transport carry it, the renderer calls it through `window.api`.
 */
import type { ConsoleTable } from './tables.ts';
import { z } from 'zod';
import { CHANNEL_ACCESS } from './access.ts';
import { call, type InputOf, type OutputOf } from './define.ts';
import type { Result } from '../errors.ts';
import { empty, id, pageWindow, pin, ring, searchText, shortText, version } from './schemas.ts';
import { TERMINAL_SORT_KEYS } from './types.ts';
import { syncContract } from './sync.ts';
import { checklistsContract } from './checklists.ts';
import { deploymentsContract } from './deployments.ts';
import { deskContract } from './desk.ts';
import { exportsContract } from './exports.ts';
import type {
  FleetFilterOptions,
  FleetMatrix,
  JournalVerification,
  RecordVersionResult,
  Release,
  ReleaseNotesBetween,
  ReleaseSummary,
  SessionStatus,
  SyncStatus,
  TerminalDetail,
  TerminalPage,
  UserSummary,
} from './types.ts';

export * from './types.ts';
export * from './define.ts';

const fleetFilter = z
  .object({
    region: shortText.optional(),
    ring: ring.optional(),
    model: shortText.optional(),
    releaseId: id.optional(),
    storeId: id.optional(),
    search: searchText.optional(),
    driftOnly: z.boolean().optional(),
  })
  .strict();

export const contract = {
  /** Who is signed in, and whether there is a catalog to sign in against. */
  'session:status': call<SessionStatus>()({ input: empty, access: 'public' }),
  /** Users of the catalog, for the sign-in picker (no PIN hashes). */
  'session:listUsers': call<UserSummary[]>()({ input: empty, access: 'public' }),
  /** Offline sign-in with a PIN checked against the catalog's scrypt hash. */
  'session:signIn': call<SessionStatus>()({
    input: z.object({ userId: id, pin }).strict(),
    access: 'public',
  }),
  'session:signOut': call<SessionStatus>()({ input: empty, access: 'signedIn' }),

  /** First run only: loads the demo catalog from resources/ when there is no catalog. */
  'demo:load': call<SessionStatus>()({ input: empty, access: 'public' }),

  /** Store × release matrix, computed in SQL from the maintained current-release table. */
  'fleet:matrix': call<FleetMatrix>()({ input: fleetFilter, access: 'signedIn' }),
  'fleet:filterOptions': call<FleetFilterOptions>()({ input: empty, access: 'signedIn' }),
  /** One window of the terminal table: filtered, sorted, searched in SQL. */
  'fleet:listTerminals': call<TerminalPage>()({
    input: z
      .object({
        filter: fleetFilter,
        sort: z.object({ key: z.enum(TERMINAL_SORT_KEYS), desc: z.boolean() }).strict(),
        ...pageWindow,
      })
      .strict(),
    access: 'signedIn',
  }),
  'fleet:getTerminal': call<TerminalDetail>()({
    input: z.object({ terminalId: id }).strict(),
    access: 'signedIn',
  }),
  /** A technician records the version observed on a terminal (typed or scanned). */
  'fleet:recordVersion': call<RecordVersionResult>()({
    input: z.object({ terminalId: id, version, source: z.enum(['typed', 'scanned']) }).strict(),
    access: CHANNEL_ACCESS['fleet:recordVersion'],
  }),

  'releases:list': call<ReleaseSummary[]>()({ input: empty, access: 'signedIn' }),
  'releases:get': call<Release>()({
    input: z.object({ releaseId: id }).strict(),
    access: 'signedIn',
  }),
  /** Accumulated notes between a store's current release and its ring's target. */
  'releases:notesBetween': call<ReleaseNotesBetween>()({
    input: z.object({ storeId: id }).strict(),
    access: 'signedIn',
  }),

  'sync:status': call<SyncStatus>()({ input: empty, access: 'signedIn' }),
  ...syncContract,
  ...checklistsContract,
  ...deploymentsContract,
  ...deskContract,
  ...exportsContract,
  /** Re-verifies the local journal's hash chain. */
  'audit:verifyJournal': call<JournalVerification>()({ input: empty, access: 'signedIn' }),
} as const;

export type Contract = typeof contract;
export type Channel = keyof Contract;
export const CHANNELS = Object.keys(contract) as Channel[];

/** Back end → UI events. `db:changed` names the tables a transaction wrote (their readers: tables.ts). */
export type EventMap = {
  'db:changed': { tables: ConsoleTable[] };
  'sync:statusChanged': SyncStatus;
};
export type EventName = keyof EventMap;
export const EVENT_NAMES = [
  'db:changed',
  'sync:statusChanged',
] as const satisfies readonly EventName[];

/** The fully typed API the renderer sees as `window.api`: one function per channel. */
export type Api = {
  [C in Channel]: (input: InputOf<Contract[C]>) => Promise<Result<OutputOf<Contract[C]>>>;
};

/** `window.apiEvents`: subscribe to back-end events; returns the unsubscribe function. */
export type ApiEvents = {
  on<E extends EventName>(name: E, listener: (payload: EventMap[E]) => void): () => void;
};
