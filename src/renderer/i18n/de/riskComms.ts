/** German: Risikoregister und Neuigkeiten für die Filiale (typed against English). */
import type { riskComms as en } from '../en/riskComms.ts';
import type { Messages } from '../messages.ts';

export const riskComms: Messages<typeof en> = {
  risksTitle: 'Offene Risiken dieses Release',
  risksHint:
    'Lesen Sie jedes Risiko und haken Sie es zur Bestätigung ab: Die Entscheidung hält fest, welche offen waren.',
  acknowledge: 'Ich habe dieses Risiko geprüft',
  likelihood: 'Wahrscheinlichkeit',
  impact: 'Auswirkung',
  owner: 'Verantwortlich',
  mitigation: 'Minderung',
  contingency: 'Notfallplan',
  rollbackStep: 'Greift auf Rollback-Schritt {{step}} zurück',
  level: { low: 'niedrig', medium: 'mittel', high: 'hoch' },
  status: { open: 'offen', closed: 'geschlossen' },
  recordTitle: 'Beim Unterschreiben geprüfte Risiken',
  recordAcknowledged: 'bestätigt',
  recordAcknowledgedHead: 'Bestätigt',
  recordNone: 'Beim Unterschreiben war kein Risiko offen.',
  deskTitle: 'Risikoregister',
  deskNone: 'Für dieses Release ist kein Risiko erfasst.',
  deskReadsTitle: 'Neuigkeiten in den Filialen gelesen',
  deskReadsNone: 'Noch niemand hat die Hinweise für Filialen zu diesem Release gelesen.',
  deskReaderCount_one: '{{count}} Person',
  deskReaderCount_other: '{{count}} Personen',
  deskStore: 'Filiale',
  deskReaders: 'Gelesen von',
  whatsNewTitle: 'Neu in {{version}}',
  whatsNewHint:
    'Ein Terminal Ihrer Filiale läuft jetzt mit diesem Release. Das ändert sich für Sie.',
  whatsNewRead: 'Verstanden',
  whatsNewNext: 'Verstanden, weiter',
};
