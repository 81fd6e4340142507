import type { Messages } from '../messages.ts';
import type { releases as en } from '../en/releases.ts';

export const releases: Messages<typeof en> = {
  title: 'Releases',
  subtitle: 'Der Release-Katalog: Versionen, Ringe, Status und Hinweise',
  tabCatalog: 'Katalog',
  tabStores: 'Filialansicht',
  tabChangelog: 'Änderungsprotokoll',
  changelogExport: 'Als Markdown exportieren',
  colVersion: 'Version',
  colTitle: 'Titel',
  colType: 'Art',
  colRing: 'Ring',
  colStatus: 'Status',
  colPlanned: 'Geplant',
  colActual: 'Veröffentlicht',
  colDates: 'Termine',
  plannedShort: 'Plan',
  actualShort: 'erfolgt',
  colTerminals: 'Terminals',
  targetOf: 'Ziel von',
  empty: 'Noch keine Releases im Katalog',
  emptyHint:
    'Releases erscheinen hier, sobald der Katalog vom zentralen Server synchronisiert ist.',
  pickRelease: 'Wählen Sie ein Release, um seine Hinweise zu lesen.',
  noNotes: 'Zu diesem Release gibt es keine Hinweise.',
  storeLabel: 'Filiale',
  storePlaceholder: 'Filiale wählen',
  pickStore:
    'Wählen Sie eine Filiale, um alle Release-Hinweise zwischen ihrem Stand und ihrem Ziel zu sehen.',
  currentToTarget: 'Von {{current}} auf {{target}}',
  upToDate: 'Diese Filiale ist auf ihrem Ziel-Release: nichts zu lesen.',
  noTarget: 'Der Ring dieser Filiale hat noch kein Ziel-Release.',
  releasesBetween_one: '{{count}} Release',
  releasesBetween_other: '{{count}} Releases',
  linkHint: 'Link: {{href}} (Links in Hinweisen öffnen sich nicht aus der Konsole)',
};
