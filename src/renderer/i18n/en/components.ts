/** English: COMPONENTS_TEXT of src/renderer/components/componentsText.ts. */
export const components = {
  signatureHint: 'Sign with the mouse, a finger or a pen.',
  signatureEmpty: 'Not signed yet',
  signatureSigned: 'Signed',
  signatureClear: 'Clear',
  timePlaceholder: 'HH:MM',
  timeInvalid: '24-hour time, e.g. 14:30',
  photoAdd: 'Take or choose a photo',
  photoReplace: 'Replace photo',
  photoHint: 'Camera where available, or a picture file.',
  photoAlt: 'Photo evidence',
  photoRemove: 'Remove photo',
  photoNotImage: '"{{name}}" is not a picture. Choose a photo (JPEG, PNG, HEIC…).',
  photoUnreadable: '"{{name}}" could not be read as a picture. Try another photo.',
  photoTooLarge:
    'This photo ({{size}}) is too large to attach, even reduced. Take it again closer or at a lower resolution.',
  provenance: {
    thisConsole: 'This console',
    otherConsole: 'Console {{id}}',
    inLog: 'In central log',
    inLogAt: 'In the central log at position {{index}}.',
    notSent: 'Not yet sent',
    notSentLong: 'Kept on this console; it goes to the central log with the next sync.',
    superseded: 'Superseded',
    supersededByWho:
      'Superseded by {{who}}’s record (earlier in the central log). It stays in the journal.',
    supersededByOther:
      'Superseded by another record (earlier in the central log). It stays in the journal.',
    deviceNamed: 'Recorded on {{name}} (device {{id}})',
    device: 'Recorded on device {{id}}',
  },
};
