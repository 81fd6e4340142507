/** English: the domain's closed sets (roles, statuses, kinds) as the screens name them. Codes stay in src/shared. */
export const domain = {
  role: {
    technician: 'Field technician',
    manager: 'Store manager',
    support: 'Support',
    admin: 'Administrator',
  },
  /** A role in a sentence: "Waiting for a store manager". */
  roleIndefinite: {
    technician: 'a field technician',
    manager: 'a store manager',
    support: 'support staff',
    admin: 'an administrator',
  },
  /** "a store manager or an administrator" */
  either: '{{a}} or {{b}}',
  releaseStatus: {
    planned: 'Planned',
    rolling_out: 'Rolling out',
    general: 'General availability',
    paused: 'Paused',
    withdrawn: 'Withdrawn',
  },
  deviation: {
    deploy_outside_window: 'Deploy outside the window',
    skip_mandatory_step: 'Skip a mandatory step',
    release_not_approved_for_ring: "Deploy a release not yet approved for the store's ring",
    feature_flag_change: 'Change a feature flag for the store',
  },
  strategy: {
    canary_first: 'Canary first',
    blue_green: 'Blue-green',
    all_at_once: 'All at once',
  },
  deploymentStatus: {
    planned: 'Planned',
    in_progress: 'In progress',
    paused_at_intervention: 'Paused at an intervention',
    verifying: 'Verifying',
    completed: 'Completed',
    rolled_back: 'Rolled back',
    failed: 'Step failed: waiting for a decision',
    aborted: 'Aborted',
  },
  rollbackStatus: {
    in_progress: 'Rolling back',
    verifying: 'Rolling back',
    paused_at_intervention: 'Rolling back: paused at an intervention',
    failed: 'Rollback step failed: waiting for a decision',
  },
  changeRequestStatus: {
    pending: 'Pending',
    approved: 'Approved',
    rejected: 'Rejected',
  },
  risk: {
    low: 'Low',
    medium: 'Medium',
    high: 'High',
  },
  phase: { forward: 'Forward', rollback: 'Rollback' },
  wave: { canary: 'canary', fleet: 'all terminals' },
  stepKind: {
    instruction: 'Instruction',
    intervention: 'Manual intervention',
    version_capture: 'Version capture',
    checklist: 'Checklist',
    wait: 'Wait',
    stage: 'Stage on standby slot',
    switch: 'Slot switch',
    decision: 'Go decision',
  },
  flagSource: {
    change_request: 'Approved change request',
    store: 'Store override',
    ring: 'Ring default',
    default: 'Release default',
  },
  scoreRule:
    'Passed items out of the items answered pass, fail, could not test or waived. A waived item counts as not passed (the waiver lets the run pass; it does not make the item pass). Not-applicable items and items not answered yet are left out. A run’s score adds up the items of all its terminals.',
  score: '{{percent}} % ({{passed}} of {{counted}})',
  rolesOr: '{{list}}',
  /** Durations as a person reads them. */
  duration: {
    lessThanSecond: '< 1 s',
    seconds: '{{s}} s',
    minutes: '{{m}} min {{s}} s',
    hours: '{{h}} h {{m}} min',
    days: '{{d}} d {{h}} h',
  },
  /** Short enough for a dense table; the full label is in the tooltip. */
  releaseStatusShort: {
    planned: 'Planned',
    rolling_out: 'Rolling out',
    general: 'General',
    paused: 'Paused',
    withdrawn: 'Withdrawn',
  },
};
