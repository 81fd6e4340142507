import { SegmentedControl } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { LANGUAGE_TEST_IDS } from './testIds.ts';
import { changeLanguage, currentLanguage, LANGUAGES, t } from './index.ts';

/** English / Deutsch, kept for this console. */
export function LanguageSwitch() {
  // Subscribes to language changes, so the control shows the language in force.
  useTranslation();
  return (
    <SegmentedControl
      size="xs"
      aria-label={t('shell:language')}
      value={currentLanguage()}
      onChange={(value) => void changeLanguage(value)}
      data={LANGUAGES.map((language) => ({
        value: language,
        label: t(`shell:languageNames.${language}`),
      }))}
      data-testid={LANGUAGE_TEST_IDS.switch}
    />
  );
}
