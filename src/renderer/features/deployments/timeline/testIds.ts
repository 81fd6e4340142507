/** Stable data-testid values of the deployment timeline and the feature flag panel, for end-to-end tests. */
export const TIMELINE_TEST_IDS = {
  timeline: 'deployment-timeline',
  row: 'deployment-timeline-row',
  outcome: 'deployment-timeline-outcome',
  metrics: 'deployment-metrics',
  metric: 'deployment-metric',
  flags: 'deployment-flags',
  flagRow: 'deployment-flag-row',
} as const;
