/**
 * What the signed-in person may do, from the contract's own role lists
 * (src/shared/contract/access.ts): the same lists the back end enforces, so a
 * screen never offers an action that will be refused. A screen hides or
 * disables the action and shows `reason` up front.
 */
import { CHANNEL_ACCESS, isAllowedBy, type GatedChannel } from '../../shared/contract/access.ts';
import type { Access } from '../../shared/contract/define.ts';
import { type Role } from '../../shared/domain/roles.ts';
import { useSessionStatus } from '../app/useSession.ts';
import type { en } from '../i18n/en/index.ts';
import { currentLanguage, t } from '../i18n/index.ts';

export type Permission = {
  allowed: boolean;
  /** Why not, in words a store manager can act on; null when allowed. */
  reason: string | null;
};

/** What each gated call does, to finish "Only … can …" (the words are in the permissions resources). */
const ACTION_WORDS: Record<GatedChannel, keyof typeof en.permissions.action> = {
  'fleet:recordVersion': 'recordVersion',
  'checklists:startRun': 'startRun',
  'checklists:pauseRun': 'pauseRun',
  'checklists:resumeRun': 'resumeRun',
  'checklists:recordResult': 'recordResult',
  'checklists:attachEvidence': 'attachEvidence',
  'checklists:waiveItem': 'waiveItem',
  'feedback:draftBugReport': 'draftBugReport',
  'feedback:sendDraft': 'sendBugDraft',
  'feedback:discardDraft': 'discardBugDraft',
  'feedback:putAttachmentPiece': 'fileBugReport',
  'feedback:fileBugReport': 'fileBugReport',
  'shell:captureWindow': 'fileBugReport',
  'feedback:reply': 'replyToDesk',
  'feedback:fileFeatureRequest': 'fileFeatureRequest',
  'feedback:voteFeatureRequest': 'voteFeatureRequest',
  'decisions:record': 'recordDecision',
  'deployments:plan': 'planDeployment',
  'deployments:act': 'actOnDeployment',
  'changeRequests:request': 'requestChange',
  'changeRequests:decide': 'decideChange',
  'desk:connection': 'deskConnection',
  'desk:connect': 'deskConnect',
  'desk:refreshStores': 'deskRefresh',
  'desk:stores': 'deskStores',
  'desk:storeDetail': 'deskStoreDetail',
  'supportDesk:reports': 'supportInbox',
  'supportDesk:report': 'supportInbox',
  'supportDesk:attachment': 'supportInbox',
  'supportDesk:requests': 'supportInbox',
  'supportDesk:act': 'supportTriage',
  'supportDesk:views': 'supportInbox',
  'supportDesk:saveView': 'supportSaveView',
  'supportDesk:deleteView': 'supportSaveView',
  'desk:testResults': 'deskTestResults',
  'desk:centralActions': 'deskCentralActions',
  'compliance:report': 'complianceReport',
  'compliance:reportCsv': 'complianceReport',
  'desk:assignChecklist': 'deskAssignChecklist',
  'health:kpis': 'healthKpis',
  'health:release': 'healthRelease',
  'releaseDesk:progression': 'releaseProgression',
  'releaseDesk:state': 'releaseDeskState',
  'releaseDesk:calendar': 'releaseCalendar',
  'releaseDesk:risks': 'releaseDeskRisks',
  'releaseDesk:storeNotesReads': 'releaseDeskStoreNotesReads',
  'releaseDesk:commsPlan': 'releaseDeskCommsPlan',
  'releaseDesk:promote': 'promoteRelease',
  'releaseDesk:block': 'blockRelease',
  'releaseDesk:unblock': 'unblockRelease',
  'releaseDesk:stage': 'stageRelease',
  'releaseDesk:schedule': 'scheduleRelease',
  'revisions:deskDocuments': 'revisionHistory',
  'revisions:deskHistory': 'revisionHistory',
  'revisions:approve': 'approveRevision',
  'updates:restartNow': 'restartForUpdate',
  'updates:reportScreen': 'reportScreen',
};

/** "a store manager or an administrator": the roles in a sentence, joined by the language's own "or". */
export function rolesInWords(roles: readonly Role[]): string {
  return new Intl.ListFormat(currentLanguage(), { type: 'disjunction' }).format(
    roles.map((r) => t(`domain:roleIndefinite.${r}`)),
  );
}

function permissionOf(access: Access, role: Role | null, what: string): Permission {
  if (isAllowedBy(access, role)) return { allowed: true, reason: null };
  if (role === null || access === 'public' || access === 'signedIn')
    return { allowed: false, reason: t('permissions:signIn', { what }) };
  return {
    allowed: false,
    reason: t('permissions:onlyRoles', {
      roles: rolesInWords(access),
      what,
      role: t(`domain:roleIndefinite.${role}`),
    }),
  };
}

/** The rule for one call and a role (pure: for tests and lists). */
export function can(channel: GatedChannel, role: Role | null): Permission {
  return permissionOf(
    CHANNEL_ACCESS[channel],
    role,
    t(`permissions:action.${ACTION_WORDS[channel]}`),
  );
}

/** Whether the signed-in person may make this call, and if not why. */
export function useCan(channel: GatedChannel): Permission {
  const status = useSessionStatus();
  // Until the session is known, offer nothing and say nothing (not "sign in").
  if (status.isPending) return { allowed: false, reason: null };
  return can(channel, status.data?.session?.user.role ?? null);
}
