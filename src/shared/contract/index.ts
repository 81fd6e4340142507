/**
 * Every call the renderer can make, declared once: channel (`domain:verb`),
 * strict zod input, output type, and who may call it. Main implements it
 * (one handler map per feature in src/main/<feature>/handlers.ts,
 * combined in src/main/app/handlers.ts), Electron IPC and the browser-mode HTTP
 * transport carry it, the renderer calls it through `window.api`.
 */
import type { ConsoleTable } from './tables.ts';
import type { Result } from '../errors.ts';
import type { SyncStatus } from '../sync/status.ts';
import type { InputOf, OutputOf } from './define.ts';
import { auditContract } from './audit.ts';
import { changeRequestsContract } from './changeRequests.ts';
import { complianceContract } from './compliance.ts';
import { checklistsContract } from './checklists.ts';
import { decisionsContract } from './decisions.ts';
import { demoContract } from './demo.ts';
import { deploymentsContract } from './deployments.ts';
import { deskContract } from './desk.ts';
import { supportDeskContract } from './supportDesk.ts';
import { releaseDeskContract } from './releaseDesk.ts';
import { exportsContract } from './exports.ts';
import { feedbackContract } from './feedback.ts';
import { fleetContract } from './fleet.ts';
import { healthContract } from './health.ts';
import { noticesContract } from './notices.ts';
import { releasesContract } from './releases.ts';
import { reportsContract } from './reports.ts';
import { sessionContract } from './session.ts';
import { shellContract } from './shell.ts';
import { syncContract } from './sync.ts';
import { updatesContract } from './updates.ts';
import { revisionsContract } from './revisions.ts';

export type * from '../session/types.ts';
export * from '../fleet/types.ts';
export type * from '../releases/types.ts';
export type * from '../sync/status.ts';
export type * from '../audit/journalVerification.ts';
export * from './define.ts';

/**
 * One contract file per feature, each declaring only `<feature>:*` channels
 * (contract.test.ts holds every file to its prefix, and every handler map
 * in src/main/<feature>/handlers.ts to the same feature).
 */
export const FEATURE_CONTRACTS = {
  session: sessionContract,
  demo: demoContract,
  fleet: fleetContract,
  releases: releasesContract,
  sync: syncContract,
  checklists: checklistsContract,
  feedback: feedbackContract,
  decisions: decisionsContract,
  reports: reportsContract,
  deployments: deploymentsContract,
  changeRequests: changeRequestsContract,
  desk: deskContract,
  supportDesk: supportDeskContract,
  health: healthContract,
  notices: noticesContract,
  releaseDesk: releaseDeskContract,
  audit: auditContract,
  updates: updatesContract,
  shell: shellContract,
  exports: exportsContract,
  compliance: complianceContract,
  revisions: revisionsContract,
} as const;
export type FeatureContracts = typeof FEATURE_CONTRACTS;
export type Feature = keyof FeatureContracts;

export const contract = {
  ...sessionContract,
  ...demoContract,
  ...fleetContract,
  ...releasesContract,
  ...syncContract,
  ...checklistsContract,
  ...feedbackContract,
  ...decisionsContract,
  ...reportsContract,
  ...deploymentsContract,
  ...changeRequestsContract,
  ...deskContract,
  ...supportDeskContract,
  ...healthContract,
  ...noticesContract,
  ...releaseDeskContract,
  ...auditContract,
  ...updatesContract,
  ...shellContract,
  ...exportsContract,
  ...complianceContract,
  ...revisionsContract,
} as const;

export type Contract = typeof contract;
export type Channel = keyof Contract;
export const CHANNELS = Object.keys(contract) as Channel[];

/** Back end → UI events. `db:changed` names the tables a transaction wrote (their readers: tables.ts). */
export type EventMap = {
  'db:changed': { tables: ConsoleTable[] };
  'sync:statusChanged': SyncStatus;
  /** The desktop menu's "Report a problem…": the renderer opens the report form. */
  'shell:reportProblem': Record<string, never>;
  /** The desktop menu's "Request a feature…": the renderer opens the feature request form. */
  'shell:requestFeature': Record<string, never>;
};
export type EventName = keyof EventMap;
export const EVENT_NAMES = [
  'db:changed',
  'sync:statusChanged',
  'shell:reportProblem',
  'shell:requestFeature',
] as const satisfies readonly EventName[];

/** The fully typed API the renderer sees as `window.api`: one function per channel. */
export type Api = {
  [C in Channel]: (input: InputOf<Contract[C]>) => Promise<Result<OutputOf<Contract[C]>>>;
};

/** `window.apiEvents`: subscribe to back-end events; returns the unsubscribe function. */
export type ApiEvents = {
  on<E extends EventName>(name: E, listener: (payload: EventMap[E]) => void): () => void;
};
