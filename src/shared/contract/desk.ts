/**
 * Desk channels (console side): a console enrolled as a desk
 * (support, release or auditor, for a region or every store) reads the
 * central read models, keeps what it showed for offline viewing, and says
 * how old it is. The Stores screen reads windows of the cached list (it is
 * virtualized: 5,000 stores never cross the boundary at once).
 */
import { CHANNEL_ACCESS } from './access.ts';
import { z } from 'zod';
import { call } from './define.ts';
import type { EffectiveFlagValue } from '../releases/flags.ts';
import type { TestResultsSummary } from '../releases/testResults.ts';
import { CENTRAL_ACTION_TYPES } from '../audit/centralActions.ts';
import type { CentralActionsPage } from '../desk/centralActions.ts';
import { id, pageWindow, shortText } from './schemas.ts';
import { enrollmentCode, serverUrl } from './sync.ts';

export type DeskConnection = {
  isConnected: boolean;
  serverUrl: string | null;
  deskId: string | null;
  scope: string | null;
  role: string | null;
};

export type DeskStoreRow = {
  storeId: string;
  name: string;
  region: string;
  ring: string;
  terminals: number;
  installed: number;
  drifting: number;
  latestDecision: { decision: string; verdict: string; signedBy: string; signedAt: string } | null;
  openDeployments: number;
  /** Records of the store superseded by an earlier entry in the central log. */
  superseded: number;
  consoles: Array<{ deviceId: string; name: string | null; lastSyncAt: string }>;
};

export type DeskStoresWindow = {
  releaseId: string;
  rows: DeskStoreRow[];
  /** Rows matching the filter in the cache (the virtualized list's height). */
  total: number;
  /** When the cached list was fetched from the central server (null: never). */
  fetchedAt: string | null;
  regions: string[];
};

export type DeskRefreshOutcome = {
  ok: boolean;
  stores: number;
  fetchedAt: string | null;
  /** Why the refresh failed (offline, refused); the cached list stays. */
  error: string | null;
};

export type DeskStoreDetail = {
  storeId: string;
  terminals: Array<{
    terminalId: string;
    releaseId: string | null;
    version: string | null;
    since: string | null;
    lastSeen: string | null;
  }>;
  records: Array<{
    kind: string;
    id: string;
    releaseId: string;
    status: string;
    by: string | null;
    at: string;
  }>;
  /** The feature flags the store runs for the release (catalog values and approved change requests). */
  flags: EffectiveFlagValue[];
  fetchedAt: string | null;
  /** True when the server could not be reached and this is the cached copy. */
  isCached: boolean;
  error: string | null;
};

export const deskContract = {
  'desk:connection': call<DeskConnection>()({
    input: z.object({}).strict(),
    access: CHANNEL_ACCESS['desk:connection'],
  }),
  /** Enrolls this console as a desk with a desk enrollment code. */
  'desk:connect': call<DeskConnection>()({
    input: z.object({ serverUrl, enrollmentCode }).strict(),
    access: CHANNEL_ACCESS['desk:connect'],
  }),
  /** Fetches every page of "stores in scope with their state for release R" and caches it. */
  'desk:refreshStores': call<DeskRefreshOutcome>()({
    input: z.object({ releaseId: id }).strict(),
    access: CHANNEL_ACCESS['desk:refreshStores'],
  }),
  /** A window of the cached list, filtered and searched in SQL. */
  'desk:stores': call<DeskStoresWindow>()({
    input: z
      .object({
        releaseId: id,
        region: shortText.optional(),
        search: shortText.optional(),
        driftOnly: z.boolean().optional(),
        ...pageWindow,
      })
      .strict(),
    access: CHANNEL_ACCESS['desk:stores'],
  }),
  /** A store's terminals and latest records, fetched (and cached), or the cached copy offline. */
  'desk:storeDetail': call<DeskStoreDetail>()({
    input: z.object({ storeId: id, releaseId: id }).strict(),
    access: CHANNEL_ACCESS['desk:storeDetail'],
  }),
  /**
   * Assigns a checklist template to stores with a due date (a release desk;
   * the signed-in administrator is named as the one who acted).
   */
  'desk:assignChecklist': call<{ assignmentIds: string[]; storeIds: string[] }>()({
    input: z
      .object({
        templateId: id,
        releaseId: id.nullable(),
        storeIds: z.array(id).min(1).max(5_000),
        dueAt: z.iso.datetime({ offset: false }),
        note: z.string().trim().max(500),
      })
      .strict(),
    access: CHANNEL_ACCESS['desk:assignChecklist'],
  }),
  /**
   * Central actions in the desk's scope (who changed what in the catalog, and
   * when), newest first, read from the central server; `before` pages by log index.
   */
  'desk:centralActions': call<CentralActionsPage>()({
    input: z
      .object({
        before: z.number().int().min(0).optional(),
        type: z.enum(CENTRAL_ACTION_TYPES).optional(),
        adminId: id.optional(),
      })
      .strict(),
    access: CHANNEL_ACCESS['desk:centralActions'],
  }),
  /** A release's automated test results summary from the central server; null while none were imported. */
  'desk:testResults': call<TestResultsSummary | null>()({
    input: z.object({ releaseId: id }).strict(),
    access: CHANNEL_ACCESS['desk:testResults'],
  }),
} as const;
