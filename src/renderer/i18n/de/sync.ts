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
  onlyManagers: 'Nur die Filialleitung oder ein Außendiensttechniker kann diese Konsole verbinden.',
};
