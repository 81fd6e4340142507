import type { Messages } from '../messages.ts';
import type { session as en } from '../en/session.ts';

export const session: Messages<typeof en> = {
  welcomeTitle: 'Willkommen in der DearPOS Release-Konsole',
  welcomeBody:
    'Diese Konsole hat noch keinen Katalog. Sobald sie mit dem zentralen Server verbunden ist, erscheinen hier Ihre Filialen, Terminals und Releases. Bis dahin können Sie sie mit der Demo-Flotte ausprobieren: einige Filialen mit ihren Terminals und Releases, alles auf diesem Computer gespeichert.',
  tryDemo: 'Demo-Flotte ausprobieren',
  orConnect: 'oder diese Konsole mit Ihrem zentralen Server verbinden',
  demoIsSeparate:
    'Was Sie in der Demo-Flotte erfassen, bleibt auf diesem Computer und wird nie an einen zentralen Server gesendet: um später zu verbinden, starten Sie die Konsole mit einem neuen Datenordner.',
  demoLoading: 'Demo-Flotte wird geladen …',
  signInTitle: 'Anmelden',
  signInSubtitle: 'Funktioniert offline: Ihre PIN wird auf diesem Computer geprüft.',
  userLabel: 'Benutzer',
  userPlaceholder: 'Namen eingeben oder auswählen',
  pinLabel: 'PIN',
  pinPlaceholder: 'Nur Ziffern',
  signIn: 'Anmelden',
  pickUser: 'Wählen Sie zuerst Ihren Namen.',
  pinDigits: 'Eine PIN hat 4 bis 12 Ziffern.',
  unlocksAt: 'Entsperrt um {{time}}.',
  demoUsersTitle: 'Demo-Flotte: als Demo-Benutzer anmelden',
  demoUsersBody:
    'Klicken Sie auf einen Namen, um ihn zu wählen, und geben Sie dann seine PIN ein. Diese PINs sind öffentlich und gelten nur für die Demo-Flotte.',
  demoRole: 'Rolle',
  demoPick: 'Als {{name}} anmelden',
  demoSomeStores_one: '({{count}} Filiale)',
  demoSomeStores_other: '({{count}} Filialen)',
  noUsers:
    'Der Katalog enthält keine Benutzer. Bitten Sie Ihren Administrator, Benutzer für diese Filiale zu veröffentlichen.',
};
