import type { Messages } from '../messages.ts';
import type { shell as en } from '../en/shell.ts';

export const shell: Messages<typeof en> = {
  online: 'Online',
  offline: 'Offline',
  notEnrolled: 'Nicht mit einem zentralen Server verbunden',
  backendDown: 'Back-End der Konsole nicht erreichbar',
  pending: '{{n}} nicht synchronisiert',
  pendingHint:
    'Hier aufgezeichnete Journal-Ereignisse, die der zentrale Server noch nicht bestätigt hat.',
  lastSync: 'letzte Synchronisierung {{ago}}',
  signOut: 'Abmelden',
  notFound: 'Diese Seite gibt es nicht.',
  backToFleet: 'Zur Flotte',
  fatalTitle: 'Die Konsole konnte nicht starten',
  nav: {
    fleet: 'Flotte',
    releases: 'Releases',
    deployments: 'Rollouts',
    checklists: 'Checklisten',
    decisions: 'Go / No-Go',
    changeRequests: 'Änderungen',
    desk: 'Desk: Filialen',
    supportDesk: 'Support-Eingang',
    health: 'Desk: Release-Zustand',
    releaseDesk: 'Desk: Fortschritt',
    sync: 'Sync',
    audit: 'Prüfung',
    revisions: 'Versionen',
  },
  update: {
    downloading: 'Update {{version}} wird geladen',
    verifying: 'Update {{version}} wird geprüft…',
    ready: 'Update {{version}} bereit',
    restartNow: 'Jetzt neu starten',
    restartHint:
      'Installiert das Update und startet die Konsole neu. Nichts ist in Arbeit oder unsynchronisiert.',
    waits: 'Update {{version}} wartet',
    waitsHint:
      'Es wird beim nächsten Schließen der Konsole installiert, sobald nichts davon mehr zutrifft:',
    refused: 'Update {{version}} abgelehnt',
    failed: 'Update fehlgeschlagen',
    restartFailed: 'Die Konsole konnte für das Update nicht neu starten',
  },
  language: 'Sprache',
  colorScheme: 'Farbschema',
  colorSchemes: { light: 'Hell', dark: 'Dunkel', auto: 'System' },
  languageNames: { en: 'English', de: 'Deutsch' },
  backendUnreachable: 'Das Back-End der Konsole ist nicht erreichbar. Läuft `npm run web` noch?',
  backendNoResult: 'Das Back-End der Konsole antwortete mit {{status}}, aber ohne Ergebnis.',
};
