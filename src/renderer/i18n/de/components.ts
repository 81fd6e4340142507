import type { Messages } from '../messages.ts';
import type { components as en } from '../en/components.ts';

export const components: Messages<typeof en> = {
  signatureHint: 'Mit der Maus, dem Finger oder einem Stift unterschreiben.',
  signatureEmpty: 'Noch nicht unterschrieben',
  signatureSigned: 'Unterschrieben',
  signatureClear: 'Löschen',
  timePlaceholder: 'HH:MM',
  timeInvalid: '24-Stunden-Zeit, z. B. 14:30',
  photoAdd: 'Foto aufnehmen oder auswählen',
  photoReplace: 'Foto ersetzen',
  photoHint: 'Kamera, wo vorhanden, oder eine Bilddatei.',
  photoAlt: 'Fotonachweis',
  photoRemove: 'Foto entfernen',
  photoNotImage: '„{{name}}“ ist kein Bild. Wählen Sie ein Foto (JPEG, PNG, HEIC …).',
  photoUnreadable:
    '„{{name}}“ konnte nicht als Bild gelesen werden. Versuchen Sie ein anderes Foto.',
  photoTooLarge:
    'Dieses Foto ({{size}}) ist auch verkleinert zu groß zum Anhängen. Nehmen Sie es näher oder mit geringerer Auflösung erneut auf.',
  provenance: {
    thisConsole: 'Diese Konsole',
    otherConsole: 'Konsole {{id}}',
    inLog: 'Im zentralen Log',
    inLogAt: 'Im zentralen Log an Position {{index}}.',
    notSent: 'Noch nicht gesendet',
    notSentLong:
      'Auf dieser Konsole gespeichert; geht mit der nächsten Synchronisierung ins zentrale Log.',
    superseded: 'Überholt',
    supersededByWho:
      'Überholt durch den Eintrag von {{who}} (früher im zentralen Log). Er bleibt im Journal.',
    supersededByOther:
      'Überholt durch einen anderen Eintrag (früher im zentralen Log). Er bleibt im Journal.',
    deviceNamed: 'Erfasst auf {{name}} (Gerät {{id}})',
    device: 'Erfasst auf Gerät {{id}}',
  },
};
