/**
 * Who may make each call that changes something, in one zod-free module: the
 * contract declares its calls with these lists (the dispatcher enforces
 * them), and the renderer reads the same lists to hide or disable what a
 * role may not do, with the reason up front (src/renderer/api/permissions.ts).
 * Calls not listed here are open to anyone signed in (or to the public).
 */
import type { Role } from '../domain/roles.ts';
import type { Access } from './define.ts';

/** Field work: checklists, deployments, recorded versions. */
const FIELD_ACCESS = ['technician', 'manager'] as const satisfies readonly Role[];

/** Reporting problems and ideas: anyone working for a store (support staff file on its behalf). */
const REPORT_ACCESS = ['technician', 'manager', 'support'] as const satisfies readonly Role[];

/** Desk screens: the central views a desk-enrolled console shows (support and admin on the console). */
const DESK_ACCESS = ['support', 'admin'] as const satisfies readonly Role[];

export const CHANNEL_ACCESS = {
  'fleet:recordVersion': FIELD_ACCESS,
  'checklists:startRun': FIELD_ACCESS,
  'checklists:pauseRun': FIELD_ACCESS,
  'checklists:resumeRun': FIELD_ACCESS,
  'checklists:recordResult': FIELD_ACCESS,
  'checklists:attachEvidence': FIELD_ACCESS,
  'checklists:waiveItem': ['manager'],
  'feedback:draftBugReport': FIELD_ACCESS,
  'feedback:sendDraft': REPORT_ACCESS,
  'feedback:discardDraft': REPORT_ACCESS,
  'feedback:putAttachmentPiece': REPORT_ACCESS,
  'feedback:fileBugReport': REPORT_ACCESS,
  'shell:captureWindow': REPORT_ACCESS,
  'feedback:reply': REPORT_ACCESS,
  'feedback:fileFeatureRequest': REPORT_ACCESS,
  'feedback:voteFeatureRequest': REPORT_ACCESS,
  'decisions:record': ['manager'],
  'deployments:plan': FIELD_ACCESS,
  /** Each action's own role rule is the state machine's (stateMachine.ts). */
  'deployments:act': 'signedIn',
  'changeRequests:request': ['technician', 'manager', 'admin'],
  'changeRequests:decide': ['manager', 'admin'],
  'desk:connection': DESK_ACCESS,
  'desk:connect': DESK_ACCESS,
  'desk:refreshStores': DESK_ACCESS,
  'desk:stores': DESK_ACCESS,
  'desk:storeDetail': DESK_ACCESS,
  'supportDesk:reports': DESK_ACCESS,
  'supportDesk:report': DESK_ACCESS,
  'supportDesk:attachment': DESK_ACCESS,
  'supportDesk:requests': DESK_ACCESS,
  /** The central server checks again: a support desk, and a support or admin user in the catalog. */
  'supportDesk:act': DESK_ACCESS,
  'supportDesk:views': DESK_ACCESS,
  'supportDesk:saveView': DESK_ACCESS,
  'supportDesk:deleteView': DESK_ACCESS,
  'desk:testResults': DESK_ACCESS,
  'desk:centralActions': DESK_ACCESS,
  /** The central server checks the desk's scope again (auditors and admins read any region there). */
  'compliance:report': DESK_ACCESS,
  'compliance:reportCsv': DESK_ACCESS,
  // The central server also requires a release desk and an administrator in its catalog.
  'desk:assignChecklist': ['admin'],
  'health:kpis': DESK_ACCESS,
  'health:release': DESK_ACCESS,
  'releaseDesk:progression': DESK_ACCESS,
  'releaseDesk:state': DESK_ACCESS,
  'releaseDesk:calendar': DESK_ACCESS,
  'releaseDesk:risks': DESK_ACCESS,
  'releaseDesk:storeNotesReads': DESK_ACCESS,
  'releaseDesk:commsPlan': DESK_ACCESS,
  /** Release managers are administrators in today's catalog (the server checks the same). */
  'releaseDesk:promote': ['admin'],
  'releaseDesk:block': ['admin'],
  'releaseDesk:unblock': ['admin'],
  'releaseDesk:stage': ['admin'],
  'releaseDesk:schedule': ['admin'],
  'revisions:deskDocuments': DESK_ACCESS,
  'revisions:deskHistory': DESK_ACCESS,
  /** Committee members are administrators; the server checks the committee, the author and the hash. */
  'revisions:approve': ['admin'],
  /** Anyone at the console may restart it for a verified update; the main process still checks it is safe. */
  'updates:restartNow': 'signedIn',
  /** Anyone signed in reports what they have open; nothing is recorded. */
  'updates:reportScreen': 'signedIn',
} as const satisfies Record<string, Access>;

export type GatedChannel = keyof typeof CHANNEL_ACCESS;

/** The one rule: whether `role` may make a call with this access. */
export function isAllowedBy(access: Access, role: Role | null): boolean {
  if (access === 'public') return true;
  if (role === null) return false;
  return access === 'signedIn' || access.includes(role);
}
