/** Stable data-testid values of the release screen's parts, for end-to-end tests. */
export const RELEASE_TEST_IDS = {
  testResults: 'release-test-results',
  testCounts: 'release-test-counts',
} as const;
