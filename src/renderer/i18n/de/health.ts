/** German: release health (typed against English). */
import type { health as en } from '../en/health.ts';
import type { Messages } from '../messages.ts';

export const health: Messages<typeof en> = {
  kpisTitle: 'Release-KPIs',
  kpisSubtitle: 'Aus dem zentralen Protokoll, für die Filialen im Bereich dieses Desks',
  notDesk:
    'Release-KPIs liest ein Desk. Verbinden Sie diese Konsole zuerst auf der Seite „Filialen“ als Desk.',
  openStores: 'Filialen öffnen',
  filters: {
    release: 'Release',
    releaseHint: 'z. B. rel-5.0.0; leer: alle Releases',
    ring: 'Ring',
    anyRing: 'Alle Ringe',
    region: 'Region',
    store: 'Filiale',
    from: 'Von',
    to: 'Bis',
    apply: 'Anzeigen',
    health: 'Zustand dieses Release',
  },
  age: 'Abgerufen {{ago}}',
  offline: 'Angezeigt wird die auf dieser Konsole gespeicherte Kopie: {{error}}',
  never: 'Noch nicht abgerufen, und der zentrale Server ist nicht erreichbar: {{error}}',
  period: '{{from}} – {{to}}',
  noData: 'keine Daten',
  total: 'Ganzer Zeitraum',
  columns: { slice: 'Zeitraum', value: 'Wert', ratio: 'Von' },
  kpi: {
    deployment_frequency: 'Bereitstellungshäufigkeit',
    lead_time: 'Vorlaufzeit, Veröffentlichung → installiert',
    change_failure_rate: 'Änderungsfehlerrate',
    time_to_restore: 'Zeit bis zur Wiederherstellung',
    intervention_wait: 'Wartezeit an manuellen Eingriffen',
    checklist_pass_rate: 'Checklisten-Bestehensquote',
    first_time_pass_rate: 'Quote beim ersten Versuch',
    bugs_per_store_release: 'Fehler je Filiale und Release',
  },
  unit: {
    per_day: '{{value}} pro Tag',
    ms: '{{value}}',
    ratio: '{{value}}',
    count: '{{value}}',
  },
  exportWhat: 'Release-KPIs',
  releaseTitle: 'Zustand von {{version}}',
  releaseMissing: 'Release',
  rollout: 'Rollout',
  rolloutStores: '{{on}} von {{of}} Filialen',
  rolloutTerminals: '{{on}} von {{of}} Terminals auf dem Release',
  verdictTitle: 'Urteil',
  verdict: { healthy: 'Gesund', watch: 'Beobachten', act: 'Handeln' },
  rule: {
    open_blocker_bug: 'Mindestens ein blockierender Fehlerbericht ist für dieses Release offen.',
    change_failure_rate_high:
      'Die Änderungsfehlerrate liegt bei 30 % oder mehr über mindestens 3 Änderungen.',
    failure_rate_worse_than_previous:
      'Die Änderungsfehlerrate ist um mehr als 10 Punkte schlechter als beim vorigen Release am selben Punkt seines Rollouts.',
    first_time_pass_rate_worse_than_previous:
      'Die Bestehensquote beim ersten Versuch ist um mehr als 10 Punkte schlechter als beim vorigen Release am selben Punkt seines Rollouts.',
    failure_recorded: 'Ein Rollback, ein abgebrochenes Deployment oder ein No-Go wurde erfasst.',
    open_major_bug: 'Mindestens ein schwerer Fehlerbericht ist für dieses Release offen.',
    no_warning_signal:
      'Kein blockierender oder schwerer Fehler offen, kein Rollback, Abbruch oder No-Go erfasst.',
  },
  ruleLabel: 'Regel: {{rule}}',
  signals: 'Signale neben dem vorigen Release',
  signalsHint:
    'Das vorige Release ({{version}}) am selben Punkt seines Rollouts: {{from}} – {{to}}',
  noPrevious: 'Kein voriges Release zum Vergleich.',
  thisRelease: 'Dieses Release',
  previousRelease: 'Voriges Release',
  openBugs: 'Offene Fehlerberichte',
  severity: { blocker: 'Blockierend', major: 'Schwer', minor: 'Leicht' },
  chainVerdict: 'Anderswo in der Kette ist {{version}}: {{verdict}}',
  chainVerdictUnknown: 'Wie es diesem Release anderswo geht, ist noch nicht bekannt: {{error}}',
  chainVerdictAge: 'laut zentralem Server {{ago}}',
};
