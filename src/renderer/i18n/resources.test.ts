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
