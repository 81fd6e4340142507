import type { Messages } from '../messages.ts';
import type { timeline as en } from '../en/timeline.ts';

export const timeline: Messages<typeof en> = {
  title: 'Zeitleiste',
  storeClock: 'Zeiten nach der Uhr der Filiale ({{zone}}).',
  empty: 'Noch nichts erledigt',
  emptyHint: 'Die Zeitleiste füllt sich, sobald der Rollout beginnt.',
  columns: {
    n: 'Nr.',
    phase: 'Phase',
    step: 'Schritt',
    by: 'Von',
    started: 'Begonnen',
    finished: 'Beendet',
    duration: 'Dauer',
    waiting: 'Wartezeit auf Übernahme',
    outcome: 'Ergebnis',
  },
  notYet: 'noch offen',
  nobody: '—',
  failedBefore: 'Zuerst fehlgeschlagen: {{reasons}}',
  flagsTitle: 'Feature-Flags in dieser Filiale',
  flagsHint:
    'Werte, die diese Filiale für das Release erhält. Eine Änderung für eine Filiale ist ein Änderungsantrag, den ein Administrator genehmigt.',
  flagsEmpty: 'Dieses Release definiert kein Feature-Flag.',
  flagColumns: {
    key: 'Flag',
    value: 'Wert',
    source: 'Herkunft',
    change: '',
  },
  on: 'An',
  off: 'Aus',
  requestFlagOn: 'Einschalten beantragen',
  requestFlagOff: 'Ausschalten beantragen',
  requestChange: 'Änderung beantragen',
};
