import type { Messages } from '../messages.ts';
import type { feedback as en } from '../en/feedback.ts';

export const feedback: Messages<typeof en> = {
  title: 'Fehler melden',
  explain:
    'Ein Fehlerbericht-Entwurf wird mit seinem Kontext angelegt: Release, Filiale, Terminal, Checklistenpunkt, die Antwort und ihre Nachweise.',
  severity: 'Schweregrad',
  severities: {
    blocker: 'Blocker — das Release darf hier nicht live gehen',
    major: 'Schwer — ernst, mit Umgehung',
    minor: 'Leicht — kosmetisch oder selten',
  },
  titleLabel: 'Titel',
  titleHint: 'Leer lassen, um den Titel des Punkts zu verwenden.',
  description: 'Was ist passiert',
  descriptionPlaceholder: 'Schritte, was Sie erwartet und was Sie gesehen haben (optional)',
  submit: 'Entwurf anlegen',
  cancel: 'Abbrechen',
  filed: 'Fehlerbericht-Entwurf angelegt',
  close: 'Fertig',
  context: 'Ausgefüllter Kontext',
  release: 'Release',
  store: 'Filiale',
  terminal: 'Terminal',
  item: 'Punkt',
  answer: 'Antwort',
  evidence: 'Nachweise',
  evidenceCount_zero: 'keine',
  evidenceCount_one: '{{count}} Datei',
  evidenceCount_other: '{{count}} Dateien',
  status: 'Status',
};
