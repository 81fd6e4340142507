import type { Messages } from '../messages.ts';
import type { sync as en } from '../en/sync.ts';

export const sync: Messages<typeof en> = {
  title: 'Synchronisierung',
  subtitle:
    'Die Audit-Ereignisse dieser Konsole an das zentrale Audit-Log senden und den Katalog empfangen',
  connectTitle: 'Mit dem zentralen Server verbinden',
  connectHint:
    'Fragen Sie Ihren Release-Manager nach der Serveradresse und einem einmaligen Registrierungscode für diese Filiale. Die Konsole erzeugt ihren eigenen Schlüssel und registriert ihn; der private Schlüssel verlässt diesen Computer nie.',
  reconnectTitle: 'Erneut verbinden',
  reconnectHint:
    'Verbinden Sie diese Konsole mit einem neuen Registrierungscode erneut (zum Beispiel nachdem das Gerät gesperrt wurde).',
  serverUrl: 'Serveradresse',
  serverUrlPlaceholder: 'https://audit.example.com',
  enrollmentCode: 'Registrierungscode',
  deviceName: 'Name dieser Konsole',
  deviceNamePlaceholder: 'z. B. PC im Backoffice',
  deviceNameHint:
    'Administratoren sehen die Konsole unter diesem Namen. Leer gelassen, wird sie nach ihrer Filiale und einer Nummer benannt, z. B. „st-par-01 console 2“.',
  connect: 'Verbinden',
  connected: 'Verbunden',
  pending: 'Noch nicht gesendete Ereignisse',
  lastSuccess: 'Letzte erfolgreiche Synchronisierung',
  lastError: 'Letztes Problem',
  noError: 'Keines',
  server: 'Server',
  treeHead: 'Geprüfter zentraler Tree Head',
  treeHeadNone: 'Noch nicht geprüft: das geschieht bei der nächsten Synchronisierung.',
  treeHeadSize: '{{n}} Ereignisse im zentralen Log',
  treeHeadRoot: 'Wurzel',
  treeHeadAt: 'Signiert',
  treeHeadVerifiedAt: 'Geprüft',
  syncNow: 'Jetzt synchronisieren',
  syncing: 'Wird synchronisiert …',
  online: 'Server erreichbar',
  offline: 'Server nicht erreichbar',
  alarmTitle: 'Die zentrale Historie wurde umgeschrieben',
  notEnrolled:
    'Diese Konsole ist noch nicht mit einem zentralen Server verbunden. Alles, was Sie erfassen, bleibt hier und wird gesendet, sobald sie es ist.',
  demoTitle: 'Demo-Flotte: nichts wird gesendet',
  demoBody:
    'Auf dieser Konsole läuft die Demo-Flotte. Was Sie damit erfassen, bleibt nur auf diesem Computer und wird nie an einen zentralen Server gesendet, weil es zu keiner echten Filiale gehört.',
  demoSubtitle:
    'Die Demo-Flotte bleibt auf diesem Computer: nichts wird gesendet, nichts empfangen.',
  demoKept_one: '{{n}} Audit-Ereignis hier erfasst, auf diesem Computer gespeichert.',
  demoKept_other: '{{n}} Audit-Ereignisse hier erfasst, auf diesem Computer gespeichert.',
  demoConnect:
    'Um mit Ihrem zentralen Server zu verbinden, starten Sie die Konsole mit einem neuen, leeren Datenordner; im Browser-Modus zum Beispiel:',
  demoBadge: 'Demo-Flotte',
  demoBadgeHint: 'Demo-Flotte: was Sie erfassen, bleibt auf diesem Computer und wird nie gesendet.',
  demoPending: '{{n}} hier gespeichert (Demo, nie gesendet)',
  onlyManagers: 'Nur die Filialleitung oder ein Techniker kann diese Konsole verbinden.',
  queue: {
    title: 'Einträge und das zentrale Log',
    subtitle:
      'Was diese Konsole erfasst hat, wo jeder Eintrag steht und was zu tun ist, wenn einer zurückgehalten wird.',
    kinds: {
      queued: 'Wartend',
      sent: 'Gesendet',
      quarantined: 'In Quarantäne',
      refused: 'Abgewiesen',
      superseded: 'Überholt',
    },
    empty: {
      queued: 'Nichts wartet: jeder Eintrag ist im zentralen Log.',
      sent: 'Noch nichts gesendet.',
      quarantined: 'Nichts in Quarantäne.',
      refused: 'Nichts abgewiesen.',
      superseded: 'Kein Eintrag dieser Konsole wurde überholt.',
    },
    whatToDo: 'Was Sie tun können: ',
    number: 'Nr. {{seq}}',
    otherConsoles: 'Einträge anderer Konsolen',
    types: {
      'fleet.version.recorded': 'Version erfasst',
      'deployment.planned': 'Rollout geplant',
      'deployment.started': 'Rollout gestartet',
      'deployment.step.completed': 'Rollout-Schritt erledigt',
      'deployment.intervention.claimed': 'Eingriff übernommen',
      'deployment.intervention.proceeded': 'Eingriff erledigt',
      'deployment.version.recorded': 'Version im Rollout erfasst',
      'change_request.requested': 'Änderung beantragt',
      'change_request.approved': 'Änderungsantrag genehmigt',
      'change_request.rejected': 'Änderungsantrag abgelehnt',
      'checklist.run.started': 'Checkliste gestartet',
      'checklist.result.recorded': 'Checklisten-Antwort',
      'checklist.evidence.attached': 'Nachweis angehängt',
      'decision.recorded': 'Go / No-Go-Entscheidung',
      'feedback.bug_report.drafted': 'Fehlerbericht',
      'session.signed_in': 'Angemeldet',
      'session.signed_out': 'Abgemeldet',
    },
  },
  quarantine: {
    title_one: '{{n}} Ereignis, das der zentrale Server nicht zählt',
    title_other: '{{n}} Ereignisse, die der zentrale Server nicht zählt',
    intro:
      'Der zentrale Server hat diese Ereignisse in seinem Audit-Log behalten, zählt sie aber nirgends, weil es darauf ankommt, wer sie erfasst hat. Sonst wird nichts aufgehalten: die Ereignisse danach wurden gesendet.',
    reason: 'Warum',
    what: 'Erfasst',
    by: 'Von',
    more: 'und {{n}} weitere',
  },
  attachments: {
    uploading: '{{name}} wird gesendet',
    uploaded: '{{sent}} von {{total}} MB auf dem zentralen Server',
    resumes:
      'Ein großer Anhang wird in Teilen gesendet. Bricht die Verbindung ab, macht die nächste Synchronisierung dort weiter, wo der Server aufgehört hat; was er schon hat, wird nicht erneut gesendet. Die Ereignisse des Berichts folgen, sobald die Datei dort ist.',
    refusedTitle_one: '{{n}} Anhang, den der zentrale Server nicht annimmt',
    refusedTitle_other: '{{n}} Anhänge, die der zentrale Server nicht annimmt',
    refusedIntro:
      'Diese Dateien wurden nicht gesendet und werden nicht erneut angeboten. Die Berichte mit ihnen haben den Support ohne sie erreicht: Hängen Sie eine kleinere Datei oder ein anderes Format an, oder beschreiben Sie sie in einer Antwort.',
    file: 'Datei',
    reason: 'Grund',
    notDelivered_one: 'Ein Anhang hat den Support nicht erreicht',
    notDelivered_other: '{{count}} Anhänge haben den Support nicht erreicht',
  },
};
