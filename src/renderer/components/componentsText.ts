/** Strings of the shared input components (signature pad, photo evidence). */
export const COMPONENTS_TEXT = {
  signatureHint: 'Sign with the mouse, a finger or a pen.',
  signatureEmpty: 'Not signed yet',
  signatureSigned: 'Signed',
  signatureClear: 'Clear',
  signatureTyped: 'Or type your full name and press Enter to sign',
  timePlaceholder: 'HH:MM',
  timeInvalid: '24-hour time, e.g. 14:30',
  photoAdd: 'Take or choose a photo',
  photoReplace: 'Replace photo',
  photoHint: 'Camera where available, or a picture file.',
  photoAlt: 'Photo evidence',
  photoRemove: 'Remove photo',
  photoNotImage: (name: string) => `"${name}" is not a picture. Choose a photo (JPEG, PNG, HEIC…).`,
  photoUnreadable: (name: string) => `"${name}" could not be read as a picture. Try another photo.`,
  photoTooLarge: (size: string) =>
    `This photo (${size}) is too large to attach, even reduced. Take it again closer or at a lower resolution.`,
} as const;
