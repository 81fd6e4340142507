import { localStorageColorSchemeManager } from '@mantine/core';

/**
 * Light, dark or following the operating system ('auto', the default). The
 * choice is kept in this console's own storage (Electron's profile, or the
 * browser-mode origin), so each console remembers its own.
 */
export const COLOR_SCHEME_STORAGE_KEY = 'dearpos-color-scheme';

export const colorSchemeManager = localStorageColorSchemeManager({
  key: COLOR_SCHEME_STORAGE_KEY,
});
