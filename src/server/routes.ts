/**
 * The route table: every route the server serves, with who may call it and
 * the largest body it reads. Each feature plugin (`<feature>/routes.ts`)
 * declares its routes from these entries, and the authorization matrix test
 * is generated from this table, so a route cannot be added without saying
 * who may call it. A new feature adds its own table here and a plugin to
 * FEATURE_PLUGINS in app.ts.
 */
import { EVIDENCE_ROUTES } from '../shared/checklists/evidenceProtocol.ts';
import { ATTACHMENT_ROUTES } from '../shared/attachments/protocol.ts';
import { DESK_ROUTES } from '../shared/desk/protocol.ts';
import { RELEASE_DESK_ROUTES } from '../shared/releases/deskProtocol.ts';
import { CALENDAR_ROUTES } from '../shared/releases/calendar.ts';
import { FEEDBACK_DESK_ROUTES } from '../shared/feedback/deskProtocol.ts';
import { FEEDBACK_STORE_ROUTES } from '../shared/feedback/storeProtocol.ts';
import { DESK_FLAG_ROUTES } from '../shared/releases/flags.ts';
import { TEST_RESULT_ROUTES } from '../shared/releases/testResults.ts';
import { COMPLIANCE_ROUTES } from '../shared/compliance/protocol.ts';
import { RISK_ROUTES } from '../shared/releases/risks.ts';
import { STORE_NOTES_ROUTES } from '../shared/releases/storeNotes.ts';
import { ASSIGNMENT_ROUTES } from '../shared/checklists/assignments.ts';
import { PROGRESSION_ROUTES } from '../shared/desk/progression.ts';
import { MAX_PUSH_BYTES, PROTOCOL_ROUTES, type RouteAuth } from '../shared/sync/protocol.ts';
import { FEED_ROUTE } from '../shared/sync/feed.ts';
import { STORE_DEVICES_ROUTES } from '../shared/sync/storeDevices.ts';
import { WEBHOOK_ROUTES } from '../shared/webhooks/protocol.ts';
import { HEALTH_ROUTES, KPI_ROUTES } from '../shared/kpis/protocol.ts';
import { NOTICE_ROUTES } from '../shared/notices/protocol.ts';
import { REVISION_DESK_ROUTES } from '../shared/revisions/deskProtocol.ts';
import { CENTRAL_ACTION_ROUTES } from '../shared/desk/centralActions.ts';
import { COMMS_PLAN_ROUTES } from '../shared/releases/commsPlan.ts';

export type RouteDef = {
  method: 'GET' | 'POST';
  url: string;
  auth: RouteAuth;
  /** The largest body the route reads, in bytes (413 above it); see bodyLimitOf. */
  bodyLimit?: number;
};

const KIB = 1024;
const MIB = 1024 * KIB;

/**
 * A fleet import of 100,000 terminals (every store of the largest customer
 * several times over) is about 16 MiB of JSON; anything larger is refused
 * before it is read. The old 64 MiB limit let one request hold gigabytes.
 */
const FLEET_IMPORT_BODY_LIMIT = 24 * MIB;
/** Runbooks and checklist templates: a few hundred steps or items of text. */
const DOCUMENT_BODY_LIMIT = 2 * MIB;
/** A release carries up to 100,000 characters of notes (up to 4 bytes each in UTF-8). */
const RELEASE_BODY_LIMIT = 512 * KIB;
/** Every other request: a handful of identifiers. */
export const SMALL_BODY_LIMIT = 64 * KIB;

/** Admin routes (admin token). */
export const ADMIN_ROUTES = {
  importFleet: {
    method: 'POST',
    url: '/v1/admin/fleet',
    auth: 'admin',
    bodyLimit: FLEET_IMPORT_BODY_LIMIT,
  },
  importFleetCsv: {
    method: 'POST',
    url: '/v1/admin/fleet/csv',
    auth: 'admin',
    bodyLimit: FLEET_IMPORT_BODY_LIMIT,
  },
  publishRelease: {
    method: 'POST',
    url: '/v1/admin/releases',
    auth: 'admin',
    bodyLimit: RELEASE_BODY_LIMIT,
  },
  setRingTarget: { method: 'POST', url: '/v1/admin/ring-targets', auth: 'admin' },
  createUser: { method: 'POST', url: '/v1/admin/users', auth: 'admin' },
  issueEnrollmentCode: { method: 'POST', url: '/v1/admin/enrollment-codes', auth: 'admin' },
  revokeDevice: { method: 'POST', url: '/v1/admin/devices/revoke', auth: 'admin' },
  issueAuditorToken: { method: 'POST', url: '/v1/admin/auditor-tokens', auth: 'admin' },
  listDevices: { method: 'GET', url: '/v1/admin/devices', auth: 'admin' },
  // Deployment and checklist catalog parts (catalog/deployments.ts, catalog/checklists.ts); bad input answers per-field errors.
  publishRunbook: {
    method: 'POST',
    url: '/v1/admin/runbooks',
    auth: 'admin',
    bodyLimit: DOCUMENT_BODY_LIMIT,
  },
  publishFeatureFlag: { method: 'POST', url: '/v1/admin/feature-flags', auth: 'admin' },
  setStoreWindows: { method: 'POST', url: '/v1/admin/store-windows', auth: 'admin' },
  publishChecklistTemplate: {
    method: 'POST',
    url: '/v1/admin/checklist-templates',
    auth: 'admin',
    bodyLimit: DOCUMENT_BODY_LIMIT,
  },
  setChecklistRequirement: {
    method: 'POST',
    url: '/v1/admin/checklist-requirements',
    auth: 'admin',
  },
} as const satisfies Record<string, RouteDef>;

/** Named administrators (admins/routes.ts): the bootstrap token's one use, and further admin tokens. */
export const NAMED_ADMIN_ROUTES = {
  bootstrapAdmin: { method: 'POST', url: '/v1/admin/bootstrap', auth: 'bootstrap' },
  issueAdminToken: { method: 'POST', url: '/v1/admin/admin-tokens', auth: 'admin' },
  // Revisions of runbooks and checklist templates (revisions/service.ts).
  listRevisions: { method: 'GET', url: '/v1/admin/revisions', auth: 'admin' },
  approveRevision: { method: 'POST', url: '/v1/admin/revisions/approve', auth: 'admin' },
} as const satisfies Record<string, RouteDef>;

/** Operations: probes for the orchestrator, metrics for Prometheus, the API description. */
export const OPS_ROUTES = {
  healthz: { method: 'GET', url: '/healthz', auth: 'public' },
  readyz: { method: 'GET', url: '/readyz', auth: 'public' },
  /** Per-device sync lag and refusal counts say when each store is active: auditor or admin only. */
  metrics: { method: 'GET', url: '/metrics', auth: 'auditor' },
  openapi: { method: 'GET', url: '/docs/openapi.json', auth: 'public' },
} as const satisfies Record<string, RouteDef>;

/**
 * What auditors mirror (log/mirrorRoutes.ts): the log in the C2SP tlog-tiles
 * layout, public like the proofs since tiles hold hashes only; and the
 * entries themselves for a SIEM, which carry store data (auditor token).
 */
export const LOG_MIRROR_ROUTES = {
  tlogCheckpoint: { method: 'GET', url: '/v1/log/tlog/checkpoint', auth: 'public' },
  tlogTile: { method: 'GET', url: '/v1/log/tlog/tile/*', auth: 'public' },
  tlogVerifierKey: { method: 'GET', url: '/v1/log/tlog/vkey', auth: 'public' },
  logExport: { method: 'GET', url: '/v1/log/export', auth: 'auditor' },
} as const satisfies Record<string, RouteDef>;

/** Who acted: the quarantine of events that broke the actor rule, and revoking users (quarantine/routes.ts). */
export const QUARANTINE_ROUTES = {
  listQuarantine: { method: 'GET', url: '/v1/admin/quarantine', auth: 'admin' },
  revokeUser: { method: 'POST', url: '/v1/admin/users/revoke', auth: 'admin' },
} as const satisfies Record<string, RouteDef>;

/** Console self-update (updates/routes.ts): signed manifests, public like the log's key, and the update policy. */
export const UPDATE_ROUTES = {
  updateManifest: { method: 'GET', url: '/v1/updates/:channel/:version/manifest', auth: 'public' },
  publishUpdateManifest: { method: 'POST', url: '/v1/admin/update-manifests', auth: 'admin' },
  setConsoleUpdatePolicy: { method: 'POST', url: '/v1/admin/console-update-policy', auth: 'admin' },
} as const satisfies Record<string, RouteDef>;

export const SERVER_ROUTES = {
  ...PROTOCOL_ROUTES,
  ...ADMIN_ROUTES,
  ...NAMED_ADMIN_ROUTES,
  ...EVIDENCE_ROUTES,
  ...ATTACHMENT_ROUTES,
  ...OPS_ROUTES,
  ...LOG_MIRROR_ROUTES,
  ...DESK_ROUTES,
  ...RELEASE_DESK_ROUTES,
  ...DESK_FLAG_ROUTES,
  ...TEST_RESULT_ROUTES,
  ...COMPLIANCE_ROUTES,
  ...RISK_ROUTES,
  ...STORE_NOTES_ROUTES,
  ...ASSIGNMENT_ROUTES,
  ...PROGRESSION_ROUTES,
  ...STORE_DEVICES_ROUTES,
  ...QUARANTINE_ROUTES,
  ...WEBHOOK_ROUTES,
  ...KPI_ROUTES,
  ...HEALTH_ROUTES,
  ...NOTICE_ROUTES,
  ...UPDATE_ROUTES,
  ...FEEDBACK_DESK_ROUTES,
  ...CALENDAR_ROUTES,
  ...FEEDBACK_STORE_ROUTES,
  ...REVISION_DESK_ROUTES,
  ...CENTRAL_ACTION_ROUTES,
  ...COMMS_PLAN_ROUTES,
  feed: FEED_ROUTE,
} as const satisfies Record<string, RouteDef>;
export type RouteName = keyof typeof SERVER_ROUTES;

/** The route's own limit, else the push limit for the push, else SMALL_BODY_LIMIT. */
export function bodyLimitOf(def: RouteDef): number {
  if (def.bodyLimit !== undefined) return def.bodyLimit;
  if (def.url === PROTOCOL_ROUTES.push.url) return MAX_PUSH_BYTES;
  return SMALL_BODY_LIMIT;
}
