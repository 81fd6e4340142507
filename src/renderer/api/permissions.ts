/**
 * What the signed-in person may do, from the contract's own role lists
 * (src/shared/contract/access.ts): the same lists the back end enforces, so a
 * screen never offers an action that will be refused. A screen hides or
 * disables the action and shows `reason` up front.
 */
import { CHANNEL_ACCESS, isAllowedBy, type GatedChannel } from '../../shared/contract/access.ts';
import type { Access } from '../../shared/contract/define.ts';
import { ROLE_LABELS, type Role } from '../../shared/domain/roles.ts';
import { useSessionStatus } from '../app/useSession.ts';

export type Permission = {
  allowed: boolean;
  /** Why not, in words a store manager can act on; null when allowed. */
  reason: string | null;
};

/** What each gated call does, to finish "Only … can …". */
const ACTION_WORDS: Record<GatedChannel, string> = {
  'fleet:recordVersion': 'record a terminal’s version',
  'checklists:startRun': 'start a checklist run',
  'checklists:pauseRun': 'pause a checklist run',
  'checklists:resumeRun': 'resume a checklist run',
  'checklists:recordResult': 'answer checklist items',
  'checklists:attachEvidence': 'attach evidence',
  'checklists:waiveItem': 'waive a checklist item',
  'feedback:draftBugReport': 'report a bug from a checklist item',
  'decisions:record': 'sign a go / no-go decision',
  'deployments:plan': 'plan a deployment',
  'deployments:act': 'act on a deployment',
  'changeRequests:request': 'ask for a change',
  'changeRequests:decide': 'approve or reject a change request',
  'desk:connection': 'see the desk connection',
  'desk:connect': 'enroll this console as a desk',
  'desk:refreshStores': 'refresh the desk',
  'desk:stores': 'see the stores desk',
  'desk:storeDetail': 'see a store on the desk',
  'updates:restartNow': 'restart the console for its update',
  'updates:reportScreen': 'report what is open on screen',
};

/** "a field technician, store manager or administrator" */
function rolesInWords(roles: readonly Role[]): string {
  const words = roles.map((r) => ROLE_LABELS[r].toLowerCase());
  const list =
    words.length <= 1
      ? (words[0] ?? '')
      : `${words.slice(0, -1).join(', ')} or ${words[words.length - 1]}`;
  return `${/^[aeiou]/.test(list) ? 'an' : 'a'} ${list}`;
}

function permissionOf(access: Access, role: Role | null, what: string): Permission {
  if (isAllowedBy(access, role)) return { allowed: true, reason: null };
  if (role === null || access === 'public' || access === 'signedIn')
    return { allowed: false, reason: `Sign in to ${what}.` };
  return {
    allowed: false,
    reason: `Only ${rolesInWords(access)} can ${what}; you are signed in as ${ROLE_LABELS[role].toLowerCase()}.`,
  };
}

/** The rule for one call and a role (pure: for tests and lists). */
export function can(channel: GatedChannel, role: Role | null): Permission {
  return permissionOf(CHANNEL_ACCESS[channel], role, ACTION_WORDS[channel]);
}

/** Whether the signed-in person may make this call, and if not why. */
export function useCan(channel: GatedChannel): Permission {
  const status = useSessionStatus();
  // Until the session is known, offer nothing and say nothing (not "sign in").
  if (status.isPending) return { allowed: false, reason: null };
  return can(channel, status.data?.session?.user.role ?? null);
}
