import type { Messages } from '../messages.ts';
import type { changeRequests as en } from '../en/changeRequests.ts';

export const changeRequests: Messages<typeof en> = {
  nav: 'Änderungsanträge',
  title: 'Änderungsanträge',
  subtitle:
    'Abweichungen von den Rollout-Regeln. Jede ist erst erlaubt, wenn jemand anderes mit der passenden Rolle sie genehmigt.',
  store: 'Filiale',
  storePlaceholder: 'Filiale wählen',
  noStore: 'Filiale wählen',
  noStoreHint: 'Änderungsanträge gehören zu einer Filiale. Wählen Sie oben die Filiale.',
  empty: 'Keine Änderungsanträge für diese Filiale',
  emptyHint:
    'Ein Änderungsantrag entsteht aus einem Rollout: außerhalb des Zeitfensters der Filiale ausrollen, einen Pflichtschritt überspringen, ein für den Ring der Filiale noch nicht freigegebenes Release ausrollen oder ein Feature-Flag ändern.',
  columns: {
    status: 'Status',
    what: 'Beantragt',
    impact: 'Auswirkung',
    risk: 'Risiko',
    requested: 'Beantragt von',
    decision: 'Entscheidung',
  },
  modalTitle: 'Änderung beantragen',
  whatIsAsked: 'Was erlaubt werden soll',
  incomplete: 'Füllen Sie die Felder oben aus.',
  newRequest: 'Änderung vorab beantragen',
  newTitle: 'Änderung vorab beantragen',
  newExplain:
    'Vor dem Tag beantragen: ein Rollout außerhalb des Zeitfensters der Filiale oder ein Release, das für den Ring der Filiale noch nicht freigegeben ist. Einen Schritt überspringen oder ein Feature-Flag ändern beantragen Sie im Rollout selbst.',
  kindLabel: 'Was Sie brauchen',
  releaseLabel: 'Release',
  releasePlaceholder: 'Release wählen',
  dayLabel: 'Tag (Filialzeit)',
  fromLabel: 'Von',
  untilLabel: 'Bis',
  untilNextDay: 'Endet am nächsten Tag.',
  impactLabel: 'Auswirkung',
  impactPlaceholder:
    'Wer und was betroffen ist und was passiert, wenn es schiefgeht (mindestens 10 Zeichen).',
  riskLabel: 'Risiko',
  approvedBy: 'Muss genehmigt werden durch {{roles}}, und zwar nicht von Ihnen selbst.',
  submit: 'Antrag senden',
  cancel: 'Abbrechen',
  close: 'Schließen',
  sent: 'Antrag gesendet',
  sentDetail:
    'Er ist offen. Nichts ist erlaubt, bevor {{roles}} ihn genehmigt; die Entscheidung sehen Sie unter „Änderungsanträge“.',
  decideNote: 'Notiz (zum Ablehnen erforderlich)',
  decideNotePlaceholder: 'Warum Sie genehmigen oder ablehnen',
  approve: 'Genehmigen',
  reject: 'Ablehnen',
  ownRequest:
    'Sie haben diese Änderung beantragt, also muss jemand anderes entscheiden (Funktionstrennung).',
  wrongRole: 'Nur {{roles}} kann über diesen Antrag entscheiden.',
  decidedBy: '{{who}}, {{when}}',
  noNote: 'Keine Notiz',
  pendingDecision: 'Wartet auf eine Entscheidung',
  deviationText: {
    deploy_outside_window:
      '{{release}} in {{store}} außerhalb des Zeitfensters ausrollen, zwischen {{from}} und {{to}} (Filialzeit).',
    skip_mandatory_step:
      'Den Pflichtschritt „{{step}}“ beim Rollout von {{release}} in {{store}} überspringen.',
    release_not_approved_for_ring:
      '{{release}} in {{store}} ausrollen, obwohl es den Ring der Filiale noch nicht erreicht hat.',
    feature_flag_on: 'Das Feature-Flag „{{flag}}“ in {{store}} für {{release}} einschalten.',
    feature_flag_off: 'Das Feature-Flag „{{flag}}“ in {{store}} für {{release}} ausschalten.',
  },
};
