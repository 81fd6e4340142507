export const CHANGELOG_TEST_IDS = {
  tab: 'releases-tab-changelog',
  changelog: 'releases-changelog',
  export: 'releases-changelog-export',
} as const;
