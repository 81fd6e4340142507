/** English: in-console notices (the bell in the status bar). */
export const notices = {
  bell: 'Notices',
  bellUnread: 'Notices: {{count}} unread',
  title: 'Notices',
  empty: 'Nothing needs your attention.',
  markRead: 'Mark read',
  read: 'Read',
  offline: 'Not refreshed: {{error}}',
  kind: {
    release_blocked: 'Release {{release}} was blocked',
    no_go_recorded: 'No-go recorded for {{release}}',
    rollback_started: 'Rollback started ({{release}})',
    bug_report_s1: 'Blocker bug filed for {{release}}',
    intervention_waiting: 'An intervention has waited {{minutes}} min',
    change_request_waiting: 'A change request waits for your decision',
    communication: 'Message about release {{release}}',
  },
  anyRelease: 'a release',
} as const;
