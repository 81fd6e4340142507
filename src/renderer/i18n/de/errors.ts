import type { Messages } from '../messages.ts';
import type { errors as en } from '../en/errors.ts';

export const errors: Messages<typeof en> = {
  rule: {
    reason_too_short: 'Geben Sie eine Begründung an (mindestens {{minimum}} Zeichen).',
    text_too_long: 'Bitte unter {{maximum}} Zeichen bleiben.',
    pin_format: 'Eine PIN hat 4 bis 12 Ziffern.',
    signature_required: 'Unterschreiben Sie im Feld: Unterschrift zeichnen oder Namen eintippen.',
    condition_length: 'Jede Auflage ist {{minimum}} bis {{maximum}} Zeichen lang.',
    impact_note_required:
      'Beschreiben Sie die Auswirkungen: wer und was betroffen ist und was passiert, wenn es schiefgeht.',
    bad_time_span: 'Der Zeitraum muss nach seinem Beginn enden und darf höchstens 7 Tage dauern.',
    reason_required: 'Geben Sie eine Begründung an, um {{action}}.',
    reason_too_long: 'Die Begründung muss unter {{maximum}} Zeichen bleiben.',
    conditions_missing: 'Go mit Auflagen braucht mindestens eine Auflage.',
    conditions_not_allowed: 'Auflagen gibt es nur bei „Go mit Auflagen“.',
    compliance_missing:
      'Die Compliance-Prüfungen, die Region oder Land dieser Filiale verlangen, sind nicht alle bestanden ({{rules}}), daher kann kein Go unterschrieben werden, auch nicht mit Auflagen. Unterschreiben Sie No-Go oder schließen Sie die Prüfungen zuerst ab.',
    risks_not_acknowledged:
      'Bestätigen Sie vor dem Unterschreiben jedes offene Risiko dieses Release: {{missing}} noch nicht bestätigt.',
    title_too_short: 'Geben Sie einen Titel mit mindestens {{minimum}} Zeichen an.',
    category_required: 'Wählen Sie eine Kategorie.',
  },
  purpose: {
    start: 'die Geschäftszeiten zu übergehen',
    fail_step: 'einen Schritt als fehlgeschlagen zu erfassen',
    skip_step: 'einen Schritt zu überspringen',
    exclude_terminal: 'ein Terminal auszuschließen',
    roll_back: 'zurückzurollen',
    abort: 'abzubrechen',
    abort_intervention: 'den Eingriff abzubrechen',
  },
  refusal: {
    not_allowed_to_request:
      'Nur Techniker, Filialleitung oder Administration können eine Änderung beantragen.',
    impact_note_required:
      'Beschreiben Sie die Auswirkungen: wer und was betroffen ist und was passiert, wenn es schiefgeht.',
    bad_time_span: 'Der Zeitraum muss nach seinem Beginn enden und darf höchstens 7 Tage dauern.',
    same_person:
      'Ein Änderungsantrag muss von jemand anderem entschieden werden als der Person, die ihn gestellt hat.',
    note_required: 'Sagen Sie, warum der Änderungsantrag abgelehnt wird.',
    reason_required: 'Geben Sie eine Begründung an.',
    already_rolling_back: 'Das Rollback-Runbook wird bereits abgearbeitet.',
    already_started: 'Dieses Deployment wurde bereits gestartet.',
    confirmation_required: 'Bestätigen Sie, dass Sie dieses Deployment abbrechen wollen.',
    needs_manager: 'Einen Schritt zu überspringen braucht die Filialleitung.',
    not_claimed: 'Übernehmen Sie den Eingriff zuerst („mir zuweisen“).',
    not_failed: 'Nur ein fehlgeschlagener Schritt kann wiederholt werden.',
  },
  signing: {
    not_manager:
      'Nur die Filialleitung kann eine Go-/No-Go-Entscheidung unterschreiben; Sie sind angemeldet als {{role}}.',
    not_assigned_to_store:
      'Sie sind dieser Filiale nicht zugeordnet und können ihre Entscheidung daher nicht unterschreiben.',
    deployed_this_release:
      'Sie haben dieses Release in dieser Filiale ausgerollt; ein anderer Filialleiter muss Go unterschreiben (No-Go dürfen Sie weiterhin unterschreiben).',
    verdict_is_no_go:
      'Nicht alle Kriterien sind erfüllt, daher kann die Entscheidung kein einfaches Go sein. Wählen Sie No-Go oder Go mit Auflagen und nennen Sie diese.',
    conditions_missing: 'Go mit Auflagen braucht mindestens eine Auflage.',
    conditions_not_allowed: 'Auflagen gibt es nur bei „Go mit Auflagen“.',
  },
  nothingSigned: 'Es wurde nichts unterschrieben.',
  code: {
    not_signed_in: 'Melden Sie sich an, um das zu tun.',
    internal: 'Etwas ist schiefgelaufen. Die Aktion wurde nicht erfasst.',
  },
};
