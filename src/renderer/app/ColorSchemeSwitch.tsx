import {
  localStorageColorSchemeManager,
  SegmentedControl,
  useMantineColorScheme,
  type MantineColorScheme,
} from '@mantine/core';
import { COLOR_SCHEME_STORAGE_KEY, COLOR_SCHEME_TEST_ID } from './colorScheme.ts';

/** Given to MantineProvider: the console's choice, kept in its own storage. */
export const colorSchemeManager = localStorageColorSchemeManager({ key: COLOR_SCHEME_STORAGE_KEY });

/** Visible words of the switch, in one place until they move to the locale files. */
export const COLOR_SCHEME_TEXT = {
  label: 'Colour scheme',
  light: 'Light',
  dark: 'Dark',
  auto: 'System',
} as const;

const SCHEMES = ['light', 'dark', 'auto'] as const satisfies readonly MantineColorScheme[];

function isScheme(value: string): value is (typeof SCHEMES)[number] {
  return (SCHEMES as readonly string[]).includes(value);
}

/** Light, dark or the operating system's choice; remembered by this console (app/colorScheme.ts). */
export function ColorSchemeSwitch() {
  const { colorScheme, setColorScheme } = useMantineColorScheme();
  return (
    <SegmentedControl
      size="xs"
      fullWidth
      aria-label={COLOR_SCHEME_TEXT.label}
      data-testid={COLOR_SCHEME_TEST_ID}
      value={colorScheme}
      onChange={(value) => {
        if (isScheme(value)) setColorScheme(value);
      }}
      data={SCHEMES.map((scheme) => ({ value: scheme, label: COLOR_SCHEME_TEXT[scheme] }))}
    />
  );
}
