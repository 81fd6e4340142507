import {
  localStorageColorSchemeManager,
  SegmentedControl,
  useMantineColorScheme,
  type MantineColorScheme,
} from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { t } from '../i18n/index.ts';
import { COLOR_SCHEME_STORAGE_KEY, COLOR_SCHEME_TEST_ID } from './colorScheme.ts';

/** Given to MantineProvider: the console's choice, kept in its own storage. */
export const colorSchemeManager = localStorageColorSchemeManager({ key: COLOR_SCHEME_STORAGE_KEY });

const SCHEMES = ['light', 'dark', 'auto'] as const satisfies readonly MantineColorScheme[];

function isScheme(value: string): value is (typeof SCHEMES)[number] {
  return (SCHEMES as readonly string[]).includes(value);
}

/** Light, dark or the operating system's choice; remembered by this console (app/colorScheme.ts). */
export function ColorSchemeSwitch() {
  // Subscribes to language changes, so the labels follow the language in force.
  useTranslation();
  const { colorScheme, setColorScheme } = useMantineColorScheme();
  return (
    <SegmentedControl
      size="xs"
      fullWidth
      // Three labels share the navigation's width: the default padding cut "System" to "Syste".
      styles={{ label: { paddingInline: 2 } }}
      aria-label={t('shell:colorScheme')}
      data-testid={COLOR_SCHEME_TEST_ID}
      value={colorScheme}
      onChange={(value) => {
        if (isScheme(value)) setColorScheme(value);
      }}
      data={SCHEMES.map((scheme) => ({ value: scheme, label: t(`shell:colorSchemes.${scheme}`) }))}
    />
  );
}
