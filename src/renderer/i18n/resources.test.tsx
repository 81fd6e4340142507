import { describe, expect, it } from 'vitest';
import { languageFromPreferences, resources } from './index.ts';

type Tree = { readonly [key: string]: string | Tree };

function leaves(tree: Tree, prefix = ''): Map<string, string> {
  const out = new Map<string, string>();
  for (const [key, value] of Object.entries(tree)) {
    if (typeof value === 'string') out.set(prefix + key, value);
    else for (const [k, v] of leaves(value, `${prefix}${key}.`)) out.set(k, v);
  }
  return out;
}

function placeholders(text: string): string[] {
  return [...text.matchAll(/\{\{\s*(\w+)/g)].map((m) => m[1] ?? '').sort();
}

const en = leaves(resources.en);
const de = leaves(resources.de);

describe('the German resources', () => {
  it('have exactly the keys of the English ones', () => {
    expect([...de.keys()].sort()).toEqual([...en.keys()].sort());
  });

  it('use the same placeholders as English in every string', () => {
    const mismatched = [...en].filter(
      ([key, text]) => placeholders(text).join() !== placeholders(de.get(key) ?? '').join(),
    );
    expect(mismatched.map(([key]) => key)).toEqual([]);
  });

  it('leave no string empty that English fills', () => {
    const empty = [...en].filter(([key, text]) => text !== '' && (de.get(key) ?? '') === '');
    expect(empty.map(([key]) => key)).toEqual([]);
  });
});

describe('the language a console starts in', () => {
  it('follows the first OS language the console speaks, else English', () => {
    expect(languageFromPreferences(['de-AT', 'en-US'])).toBe('de');
    expect(languageFromPreferences(['fr-FR', 'de-DE'])).toBe('de');
    expect(languageFromPreferences(['fr-FR'])).toBe('en');
    expect(languageFromPreferences([])).toBe('en');
  });
});

describe('keys that hold dots (event types)', () => {
  it('are found whole, not split at their dots', async () => {
    const { t } = await import('./index.ts');
    expect(t('sync:queue.types.fleet.version.recorded')).toBe('Version recorded');
  });
});

describe('switching the language', () => {
  it('keeps the choice for this console and formats numbers and relative times the German way', async () => {
    const { changeLanguage, LANGUAGE_STORAGE_KEY, t } = await import('./index.ts');
    const { formatNumber, formatRelative } = await import('./format.ts');
    try {
      await changeLanguage('de');
      expect(localStorage.getItem(LANGUAGE_STORAGE_KEY)).toBe('de');
      expect(t('shell:signOut')).toBe('Abmelden');
      expect(t('checklists:bugFiled', { count: 1 })).toBe('1 Fehlerbericht');
      expect(t('checklists:bugFiled', { count: 3 })).toBe('3 Fehlerberichte');
      expect(formatNumber(12345)).toBe('12.345');
      expect(formatRelative(Date.UTC(2026, 0, 1, 11, 57), Date.UTC(2026, 0, 1, 12))).toBe(
        'vor 3 Minuten',
      );
    } finally {
      await changeLanguage('en');
    }
    expect(formatNumber(12345)).toBe('12,345');
    expect(t('checklists:bugFiled', { count: 1 })).toBe('1 bug report');
  });
});
