import { Fragment, type ReactNode } from 'react';
import { I18nextProvider, useTranslation } from 'react-i18next';
import { i18next } from './index.ts';

function Remount(props: { children: ReactNode }) {
  const { i18n } = useTranslation();
  // Screens and plain helpers read `t` when they render: a new language remounts them all
  // once (a rare, deliberate act), rather than every component subscribing.
  return <Fragment key={i18n.language}>{props.children}</Fragment>;
}

/** Gives the console its language; everything inside re-renders in a new one. */
export function I18nRoot(props: { children: ReactNode }) {
  return (
    <I18nextProvider i18n={i18next}>
      <Remount>{props.children}</Remount>
    </I18nextProvider>
  );
}
