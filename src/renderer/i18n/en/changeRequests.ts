/** English: CHANGE_REQUESTS_TEXT of src/renderer/features/changeRequests/text.ts. */
export const changeRequests = {
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
  approvedBy: 'Needs approval by {{roles}}, who must be someone other than you.',
  submit: 'Send the request',
  cancel: 'Cancel',
  close: 'Close',
  sent: 'Request sent',
  sentDetail:
    'It is pending. Nothing is allowed until {{roles}} approves it; you will see the decision on the Change requests screen.',
  decideNote: 'Note (required to reject)',
  decideNotePlaceholder: 'Why you approve or reject',
  approve: 'Approve',
  reject: 'Reject',
  ownRequest: 'You requested this change, so someone else must decide it (separation of duties).',
  wrongRole: 'Only {{roles}} can decide this request.',
  decidedBy: '{{who}}, {{when}}',
  noNote: 'No note',
  pendingDecision: 'Waiting for a decision',
  /** One sentence a store manager understands without knowing the ids. */
  deviationText: {
    deploy_outside_window:
      'Deploy {{release}} at {{store}} outside its deployment window, between {{from}} and {{to}} (store time).',
    skip_mandatory_step:
      'Skip the mandatory step “{{step}}” while deploying {{release}} at {{store}}.',
    release_not_approved_for_ring:
      'Deploy {{release}} at {{store}} although it has not yet reached the store’s ring.',
    feature_flag_on: 'Turn the feature flag “{{flag}}” on at {{store}} for {{release}}.',
    feature_flag_off: 'Turn the feature flag “{{flag}}” off at {{store}} for {{release}}.',
  },
};
