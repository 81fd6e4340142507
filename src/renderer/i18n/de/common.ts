import type { Messages } from '../messages.ts';
import type { common as en } from '../en/common.ts';

export const common: Messages<typeof en> = {
  appName: 'DearPOS Release-Konsole',
  drift: 'Abweichung',
  onTarget: 'Im Soll',
  unknownVersion: 'Unbekannt',
  retry: 'Erneut versuchen',
  loadFailed: 'Konnte nicht geladen werden',
  never: 'nie',
  dash: '—',
  loading: 'Wird geladen',
};
