/**
 * Light, dark or following the operating system ('auto', the default). The
 * choice is kept in this console's own storage (Electron's profile, or the
 * browser-mode origin), so each console remembers its own. Plain constants:
 * the end-to-end tests import them.
 */
export const COLOR_SCHEME_STORAGE_KEY = 'dearpos-color-scheme';

export const COLOR_SCHEME_TEST_ID = 'color-scheme-switch';
