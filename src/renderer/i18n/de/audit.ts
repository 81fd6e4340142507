import type { Messages } from '../messages.ts';
import type { audit as en } from '../en/audit.ts';

/** Deutsch: der Prüfbildschirm (src/renderer/features/audit/). */
export const audit: Messages<typeof en> = {
  title: 'Prüfung',
  subtitle:
    'Das Journal dieser Konsole: jede hier erfasste Aktion, per Hash verkettet, und was das zentrale Protokoll davon belegt',
  journalTitle: 'Lokales Journal',
  events_one: '{{count}} Ereignis',
  events_other: '{{count}} Ereignisse',
  head: 'Kopf',
  lastEvent: 'Letztes Ereignis',
  verify: 'Kette prüfen',
  verifiedOk:
    'Die Kette ist intakt: {{count}} Ereignisse, jeder Hash und jede Verknüpfung geprüft.',
  verifiedBroken: 'Die Kette ist bei Ereignis {{seq}} unterbrochen: {{reason}}',
  centralTitle: 'Zentrales Protokoll',
  notEnrolled:
    'Diese Konsole ist mit keinem zentralen Server verbunden: ihr Journal ist nur lokal belegt.',
  treeHeadNone:
    'Noch kein zentraler Baumkopf geprüft: das geschieht bei der nächsten Synchronisierung.',
  treeHead: 'Geprüfter Baumkopf: {{size}} Einträge',
  root: 'Wurzel',
  signedAt: 'Signiert',
  verifiedAt: 'Hier geprüft',
  acked: 'Vom zentralen Protokoll bestätigte Ereignisse: bis {{seq}}',
  inclusion:
    'Das neueste gesendete Ereignis dieser Konsole ist Eintrag {{index}} des zentralen Protokolls, enthalten im Baum mit {{size}} Einträgen.',
  inclusionNone:
    'Noch kein Einschlussnachweis: er wird geprüft, nachdem diese Konsole das nächste Mal Ereignisse sendet.',
  eventsTitle: 'Journalereignisse',
  typeFilter: 'Ereignistyp',
  allTypes: 'Alle Typen',
  colSeq: 'Nr.',
  colAt: 'Erfasst',
  colType: 'Ereignis',
  colUser: 'Benutzer',
  colStore: 'Filiale',
  colHash: 'Hash',
  colSynced: 'Im zentralen Protokoll',
  synced: 'Gesendet',
  notSynced: 'Noch nicht',
  empty: 'Noch keine Ereignisse erfasst.',
  exportWhat: 'Journalereignisse',
  bundle: 'Prüfbaren Export speichern',
  bundleHint: 'JSON Lines, die npm run audit:verify ohne diese Konsole prüft',
  bundleSaved: 'Gespeichert unter {{path}}',
  bundleFailed: 'Das Journal konnte nicht exportiert werden',
  page: 'Seite',
};
