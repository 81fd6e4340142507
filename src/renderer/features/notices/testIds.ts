export const NOTICE_TEST_IDS = {
  bell: 'notice-bell',
  unread: 'notice-unread',
  list: 'notice-list',
  item: 'notice-item',
} as const;
