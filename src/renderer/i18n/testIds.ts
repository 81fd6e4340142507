/** Test ids of the language switch. */
export const LANGUAGE_TEST_IDS = { switch: 'language-switch' } as const;
