/** German: in-console notices (typed against English). */
import type { notices as en } from '../en/notices.ts';
import type { Messages } from '../messages.ts';

export const notices: Messages<typeof en> = {
  bell: 'Hinweise',
  bellUnread: 'Hinweise: {{count}} ungelesen',
  title: 'Hinweise',
  empty: 'Nichts braucht Ihre Aufmerksamkeit.',
  markRead: 'Als gelesen markieren',
  read: 'Gelesen',
  offline: 'Nicht aktualisiert: {{error}}',
  kind: {
    release_blocked: 'Release {{release}} wurde gesperrt',
    no_go_recorded: 'No-Go für {{release}} erfasst',
    rollback_started: 'Rollback gestartet ({{release}})',
    bug_report_s1: 'Blockierender Fehler für {{release}} gemeldet',
    intervention_waiting: 'Ein Eingriff wartet seit {{minutes}} Min.',
    change_request_waiting: 'Ein Änderungsantrag wartet auf Ihre Entscheidung',
    communication: 'Mitteilung zu Release {{release}}',
  },
  anyRelease: 'ein Release',
};
