import type { Messages } from '../messages.ts';
import type { decisions as en } from '../en/decisions.ts';

export const decisions: Messages<typeof en> = {
  nav: 'Go / No-Go',
  title: 'Go / No-Go',
  subtitle:
    'Ob dieses Release in dieser Filiale live bleiben darf, nach den Nachweisen der Checklisten; und die unterschriebene Entscheidung der Filialleitung.',
  verdictTitle: 'Ergebnis aus den Nachweisen',
  verdict: {
    go: 'GO',
    'no-go': 'NO-GO',
  },
  verdictExplain: {
    go: 'Jedes Kriterium ist erfüllt.',
    'no-go': 'Mindestens ein Kriterium ist nicht erfüllt — siehe unten.',
  },
  computedAt: 'Berechnet {{when}}',
  met: 'Erfüllt',
  unmet: 'Nicht erfüllt',
  formTitle: 'Entscheidung erfassen',
  decisionLabel: 'Entscheidung',
  decisions: {
    go: 'Go',
    'no-go': 'No-Go',
    'go-with-conditions': 'Go mit Auflagen',
  },
  goDisabled: 'Ein einfaches Go verlangt, dass jedes Kriterium erfüllt ist.',
  reason: 'Begründung',
  reasonPlaceholder: 'Warum diese Entscheidung? Sie steht im Entscheidungsprotokoll.',
  conditions: 'Auflagen',
  conditionsHint: 'Eine pro Zeile. Jede ist eine Auflage, an die das Go gebunden ist.',
  pin: 'Ihre PIN',
  pinHint: 'Geben Sie zum Unterschreiben Ihre PIN erneut ein.',
  signature: 'Unterschrift',
  submit: 'Entscheidung unterschreiben',
  managerOnly: '{{reason}} Sie sehen das Ergebnis und die getroffenen Entscheidungen.',
  cannotSign: 'Sie können hier nicht unterschreiben',
  someChoicesClosed: 'Nicht jede Entscheidung steht Ihnen offen',
  signed: 'Entscheidung unterschrieben',
  listTitle: 'Entscheidungen',
  noDecisions: 'Für dieses Release in dieser Filiale ist noch keine Entscheidung erfasst.',
  matches: 'Entspricht den Nachweisen',
  noLongerMatching: 'Entspricht nicht mehr',
  noLongerMatchingHint: 'Die Nachweise haben sich nach der Unterschrift geändert:',
  signedBy: 'Unterschrieben von {{name}}, {{when}}',
  rests: 'Beruht auf {{results}} Ergebnissen und {{evidence}} Nachweisdateien',
  report: 'Entscheidungsprotokoll',
  criterionReason: {
    checklist_passed_one:
      '{{template}} auf {{passed}} von {{count}} geforderten Terminal bestanden.',
    checklist_passed_other:
      '{{template}} auf {{passed}} von {{count}} geforderten Terminals bestanden.',
    checklist_not_run_one:
      '{{template}} wurde noch nicht ausgeführt: muss auf {{count}} Terminal bestehen.',
    checklist_not_run_other:
      '{{template}} wurde noch nicht ausgeführt: muss auf {{count}} Terminals bestehen.',
    no_failed_mandatory: 'Kein Pflichtpunkt ist ohne Ausnahme fehlgeschlagen.',
    failed_mandatory_one: '{{count}} Pflichtpunkt ist fehlgeschlagen, ohne Ausnahme.',
    failed_mandatory_other: '{{count}} Pflichtpunkte sind fehlgeschlagen, ohne Ausnahme.',
    no_open_blocker:
      'Kein blockierender Fehlerbericht ist für dieses Release in dieser Filiale offen.',
    open_blockers_one:
      '{{count}} blockierender Fehlerbericht ist für dieses Release in dieser Filiale offen.',
    open_blockers_other:
      '{{count}} blockierende Fehlerberichte sind für dieses Release in dieser Filiale offen.',
    compliance_met: '{{rule}}: alle geforderten Prüfungen bestanden.',
    compliance_missing_one: '{{rule}}: {{count}} geforderte Prüfung fehlt: {{missing}}.',
    compliance_missing_other: '{{rule}}: {{count}} geforderte Prüfungen fehlen: {{missing}}.',
    risks_acknowledged: 'Jedes offene Risiko dieses Release ist bestätigt ({{count}}).',
    risks_not_acknowledged: 'Noch nicht bestätigte offene Risiken: {{missing}} von {{count}}.',
  },
};
