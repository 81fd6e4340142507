/** German: Versionen von Runbooks und Checklistenvorlagen (typed against English). */
import type { revisions as en } from '../en/revisions.ts';
import type { Messages } from '../messages.ts';

export const revisions: Messages<typeof en> = {
  title: 'Versionen',
  subtitle:
    'Jede veröffentlichte Version jedes Runbooks und jeder Checklistenvorlage mit ihren Freigaben. Ein Durchlauf startet nur auf einer freigegebenen Version.',
  subtitleDesk:
    'Jede auf dem zentralen Server veröffentlichte Version. Mitglieder des Release-Gremiums geben eine Version frei, indem sie ihren Inhalts-Hash signieren.',
  kind: { runbook: 'Runbook', checklistTemplate: 'Checklistenvorlage' },
  kindLower: { runbook: 'Runbook', checklistTemplate: 'Checklistenvorlage' },
  runbookTitle: 'Runbook von {{version}}',
  empty:
    'Noch kein Runbook und keine Checklistenvorlage im Katalog. Synchronisieren Sie, um den Katalog zu erhalten.',
  emptyDesk:
    'Auf dem zentralen Server wurde noch kein Runbook und keine Checklistenvorlage veröffentlicht.',
  noHistory:
    'Für dieses Dokument ist keine Version verzeichnet: Es wurde veröffentlicht, bevor Versionen geführt wurden.',
  runbookHistory: 'Runbook-Versionen und Freigaben',
  open: 'Verlauf',
  openHint: 'Versionen, Freigaben und Änderungen von {{title}}',
  back: 'Alle Versionen',
  columns: {
    document: 'Dokument',
    kind: 'Art',
    version: 'Version',
    status: 'Status',
  },
  status: {
    approved: 'Freigegeben',
    waiting: 'Wartet auf Freigabe',
    unknown_content: 'Keine veröffentlichte Version',
    unrecorded: 'Kein Versionseintrag',
    unrecorded_required: 'Keine freigegebene Version',
  },
  statusHint: {
    unrecorded: 'Veröffentlicht, bevor Versionen geführt wurden: Durchläufe dürfen starten.',
  },
  latest: 'v{{latest}}',
  approvedVersion: 'v{{number}} freigegeben',
  waitingCount_one: '{{count}} Version wartet',
  waitingCount_other: '{{count}} Versionen warten',
  versions: 'Versionen',
  versionLabel: 'v{{number}}',
  published: 'Veröffentlicht am {{date}} von {{author}}',
  hash: 'Inhalts-Hash {{hash}}',
  approvals: 'Freigaben {{have}}/{{need}}',
  approvedBy: 'Freigegeben von {{names}}',
  noApprovals: 'Noch keine Freigabe',
  noneRequired: 'Keine Freigabe erforderlich',
  held: 'Diese Konsole hat diese Version',
  diffTitle: 'Änderungen in v{{number}}',
  diffAgainst: 'Verglichen mit v{{previous}}',
  diffFirst: 'Die erste Version: Jede Zeile ist neu.',
  diffLegend: '+ hinzugefügte Zeile, − entfernte Zeile',
  added: 'hinzugefügt',
  removed: 'entfernt',
  unchanged_one: '⋯ {{count}} unveränderte Zeile',
  unchanged_other: '⋯ {{count}} unveränderte Zeilen',
  noChanges: 'Keine Zeile wurde geändert.',
  approve: 'v{{number}} freigeben',
  approveHint:
    'Sie signieren den Inhalts-Hash {{hash}}: die Version, die Sie hier sehen. Sobald genug Mitglieder freigeben, dürfen Konsolen sie ausführen.',
  approved: 'Sie haben v{{number}} freigegeben.',
  cannotApprove: {
    notCommittee:
      'Nur Mitglieder des Release-Gremiums geben Versionen frei; Sie gehören ihm nicht an.',
    author:
      'Sie haben diese Version veröffentlicht: Ein anderes Gremiumsmitglied muss sie freigeben.',
    already: 'Sie haben diese Version bereits freigegeben.',
  },
  gate: {
    waiting_one:
      '{{what}} v{{number}} wartet auf {{count}} weitere Freigabe ({{have}} von {{need}}).',
    waiting_other:
      '{{what}} v{{number}} wartet auf {{count}} weitere Freigaben ({{have}} von {{need}}).',
    unknown_content:
      '{{what}} ist keine veröffentlichte Version (Inhalts-Hash {{hash}}): Synchronisieren Sie erneut oder fragen Sie den Release-Desk.',
    unrecorded_required_one:
      '{{what}} hat keine freigegebene Version, und der zentrale Server verlangt {{count}} Freigabe: Synchronisieren Sie erneut oder fragen Sie den Release-Desk.',
    unrecorded_required_other:
      '{{what}} hat keine freigegebene Version, und der zentrale Server verlangt {{count}} Freigaben: Synchronisieren Sie erneut oder fragen Sie den Release-Desk.',
    startRefused: 'Bis dahin kann darauf nichts starten.',
  },
  notDesk: 'Verbinden Sie diese Konsole als Desk, um Versionen freizugeben.',
};
