/** Strings of the change request modal and screen. */
import type { ChangeRequestStatus, RiskLevel } from '#shared/deployments/changeRequests.ts';

export const CHANGE_REQUESTS_TEXT = {
  nav: 'Change requests',
  title: 'Change requests',
  subtitle:
    'Deviations from the deployment rules. Each one is allowed only after someone else with the right role approves it.',
  store: 'Store',
  storePlaceholder: 'Choose a store',
  noStore: 'Choose a store',
  noStoreHint: 'Change requests belong to one store. Pick the store above.',
  empty: 'No change requests for this store',
  emptyHint:
    'A change request is made from a deployment: to deploy outside the store’s window, skip a mandatory step, deploy a release not yet approved for the store’s ring, or change a feature flag.',
  columns: {
    status: 'Status',
    what: 'What is asked',
    impact: 'Impact',
    risk: 'Risk',
    requested: 'Requested by',
    decision: 'Decision',
  },
  modalTitle: 'Request a change',
  whatIsAsked: 'What you ask to be allowed',
  incomplete: 'Fill in the fields above.',
  newRequest: 'Ask for a change in advance',
  newTitle: 'Ask for a change in advance',
  newExplain:
    'Ask before the day: a deployment outside the store’s window, or a release not yet approved for the store’s ring. Skipping a step or changing a feature flag is asked from the deployment itself.',
  kindLabel: 'What you need',
  releaseLabel: 'Release',
  releasePlaceholder: 'Choose the release',
  dayLabel: 'Day (store time)',
  fromLabel: 'From',
  untilLabel: 'Until',
  untilNextDay: 'Ends the next day.',
  impactLabel: 'Impact',
  impactPlaceholder:
    'Who and what is affected, and what happens if it goes wrong (at least 10 characters).',
  riskLabel: 'Risk',
  approvedBy: (roles: string) => `Needs approval by ${roles}, who must be someone other than you.`,
  submit: 'Send the request',
  cancel: 'Cancel',
  close: 'Close',
  sent: 'Request sent',
  sentDetail: (roles: string) =>
    `It is pending. Nothing is allowed until ${roles} approves it; you will see the decision on the Change requests screen.`,
  decideNote: 'Note (required to reject)',
  decideNotePlaceholder: 'Why you approve or reject',
  approve: 'Approve',
  reject: 'Reject',
  ownRequest: 'You requested this change, so someone else must decide it (separation of duties).',
  wrongRole: (roles: string) => `Only ${roles} can decide this request.`,
  decidedBy: (who: string, when: string) => `${who}, ${when}`,
  noNote: 'No note',
  pendingDecision: 'Waiting for a decision',
};

export const STATUS_LABELS: Record<ChangeRequestStatus, string> = {
  pending: 'Pending',
  approved: 'Approved',
  rejected: 'Rejected',
};
export const STATUS_COLORS: Record<ChangeRequestStatus, string> = {
  pending: 'yellow',
  approved: 'teal',
  rejected: 'red',
};
export const RISK_LABELS: Record<RiskLevel, string> = {
  low: 'Low',
  medium: 'Medium',
  high: 'High',
};
export const RISK_COLORS: Record<RiskLevel, string> = {
  low: 'gray',
  medium: 'orange',
  high: 'red',
};
