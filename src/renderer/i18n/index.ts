/**
 * The console's languages. Every visible string of the renderer is a key in
 * the resources of `en/` and `de/` (one namespace per feature), read with
 * `t('namespace:key')`. Keys are typed (i18next.d.ts): a wrong key fails tsc.
 *
 * Usage, in components and in plain modules alike:
 *   import { t } from '../../i18n/index.ts';
 *   t('checklists:startRun');
 *   t('checklists:requiredItem', { name, count }); // plural by Intl.PluralRules
 *
 * `t` reads the current language when called; a language change re-renders
 * the whole console (I18nRoot remounts the screens), so module-level helpers
 * need no hook.
 */
import i18next from 'i18next';
import { initReactI18next } from 'react-i18next';
import { de } from './de/index.ts';
import { en } from './en/index.ts';

export const LANGUAGES = ['en', 'de'] as const;
export type Language = (typeof LANGUAGES)[number];

export const resources = { en, de } as const;

/** The language kept for this console (localStorage lives in the console's own profile). */
export const LANGUAGE_STORAGE_KEY = 'dearpos.language';

function isLanguage(value: unknown): value is Language {
  return typeof value === 'string' && (LANGUAGES as readonly string[]).includes(value);
}

function readStoredLanguage(): Language | null {
  try {
    const stored = globalThis.localStorage?.getItem(LANGUAGE_STORAGE_KEY);
    return isLanguage(stored) ? stored : null;
  } catch {
    // Storage refused (private mode, a locked profile): the OS language still applies.
    return null;
  }
}

/** The first of the OS / browser languages that the console speaks, else English. */
export function languageFromPreferences(preferred: readonly string[]): Language {
  for (const tag of preferred) {
    const base = tag.toLowerCase().split('-')[0];
    if (isLanguage(base)) return base;
  }
  return 'en';
}

/** The person's choice on this console, or else the operating system's language. */
function initialLanguage(): Language {
  const navigatorLanguages =
    typeof navigator === 'undefined'
      ? []
      : navigator.languages.length > 0
        ? navigator.languages
        : [navigator.language];
  return readStoredLanguage() ?? languageFromPreferences(navigatorLanguages);
}

// react-i18next's hooks find this instance without a provider (tests render components alone).
void i18next.use(initReactI18next).init({
  resources,
  lng: initialLanguage(),
  fallbackLng: 'en',
  supportedLngs: LANGUAGES,
  ns: Object.keys(en),
  defaultNS: 'common',
  // Synchronous: the resources are bundled, so the first render already has its words.
  initAsync: false,
  // React escapes what it renders; escaping here too would show "&amp;".
  interpolation: { escapeValue: false },
  returnNull: false,
});

export const t = i18next.t;

export function currentLanguage(): Language {
  const language = i18next.resolvedLanguage ?? i18next.language;
  return isLanguage(language) ? language : 'en';
}

/** Switches the console's language and keeps the choice for the next start. */
export async function changeLanguage(language: Language): Promise<void> {
  try {
    globalThis.localStorage?.setItem(LANGUAGE_STORAGE_KEY, language);
  } catch {
    // Not kept across restarts, but the switch itself still works.
  }
  await i18next.changeLanguage(language);
  if (typeof document !== 'undefined') document.documentElement.lang = language;
}

export { i18next };
