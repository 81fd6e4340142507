/** Test ids of the blocked-release banner, shared with the end-to-end tests (which cannot import a component). */
export const BLOCKED_BANNER_TEST_ID = 'release-blocked-banner';
