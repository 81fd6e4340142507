import type { Messages } from '../messages.ts';
import type { domain as en } from '../en/domain.ts';

export const domain: Messages<typeof en> = {
  role: {
    technician: 'Techniker',
    manager: 'Filialleitung',
    support: 'Support',
    admin: 'Administrator',
  },
  roleIndefinite: {
    technician: 'Techniker',
    manager: 'Filialleitung',
    support: 'Support',
    admin: 'Administrator',
  },
  either: '{{a}} oder {{b}}',
  releaseStatus: {
    planned: 'Geplant',
    rolling_out: 'Wird ausgerollt',
    general: 'Allgemein verfügbar',
    paused: 'Pausiert',
    withdrawn: 'Zurückgezogen',
  },
  deviation: {
    deploy_outside_window: 'Außerhalb des Zeitfensters ausrollen',
    skip_mandatory_step: 'Einen Pflichtschritt überspringen',
    release_not_approved_for_ring:
      'Ein Release ausrollen, das für den Ring der Filiale noch nicht freigegeben ist',
    feature_flag_change: 'Ein Feature-Flag für die Filiale ändern',
  },
  strategy: {
    canary_first: 'Canary zuerst',
    blue_green: 'Blue-Green',
    all_at_once: 'Alle auf einmal',
  },
  deploymentStatus: {
    planned: 'Geplant',
    in_progress: 'Läuft',
    paused_at_intervention: 'Angehalten an einem Eingriff',
    verifying: 'Wird geprüft',
    completed: 'Abgeschlossen',
    rolled_back: 'Zurückgesetzt',
    failed: 'Schritt fehlgeschlagen: wartet auf eine Entscheidung',
    aborted: 'Abgebrochen',
  },
  rollbackStatus: {
    in_progress: 'Wird zurückgesetzt',
    verifying: 'Wird zurückgesetzt',
    paused_at_intervention: 'Rücksetzung angehalten an einem Eingriff',
    failed: 'Rücksetzschritt fehlgeschlagen: wartet auf eine Entscheidung',
  },
  changeRequestStatus: {
    pending: 'Offen',
    approved: 'Genehmigt',
    rejected: 'Abgelehnt',
  },
  risk: {
    low: 'Niedrig',
    medium: 'Mittel',
    high: 'Hoch',
  },
  phase: { forward: 'Vorwärts', rollback: 'Rücksetzung' },
  wave: { canary: 'Canary', fleet: 'alle Terminals' },
  stepKind: {
    instruction: 'Anweisung',
    intervention: 'Manueller Eingriff',
    version_capture: 'Versionserfassung',
    checklist: 'Checkliste',
    wait: 'Warten',
    stage: 'Auf Standby-Slot bereitstellen',
    switch: 'Slot-Wechsel',
    decision: 'Go-Entscheidung',
  },
  flagSource: {
    change_request: 'Genehmigter Änderungsantrag',
    store: 'Filial-Übersteuerung',
    ring: 'Ring-Standard',
    default: 'Release-Standard',
  },
  scoreRule:
    'Bestandene Punkte von den beantworteten Punkten (bestanden, nicht bestanden, nicht testbar oder erlassen). Ein erlassener Punkt zählt als nicht bestanden (der Erlass lässt den Lauf bestehen, nicht den Punkt). Nicht zutreffende und noch nicht beantwortete Punkte zählen nicht. Die Bewertung eines Laufs zählt die Punkte aller seiner Terminals zusammen.',
  score: '{{percent}} % ({{passed}} von {{counted}})',
  rolesOr: '{{list}}',
  duration: {
    lessThanSecond: '< 1 s',
    seconds: '{{s}} s',
    minutes: '{{m}} min {{s}} s',
    hours: '{{h}} h {{m}} min',
    days: '{{d}} T {{h}} h',
  },
  releaseStatusShort: {
    planned: 'Geplant',
    rolling_out: 'Im Rollout',
    general: 'Allgemein',
    paused: 'Pausiert',
    withdrawn: 'Entzogen',
  },
};
