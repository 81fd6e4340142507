import {
  createTheme,
  darken,
  DEFAULT_THEME,
  lighten,
  luminance,
  mergeMantineTheme,
  rem,
  type CSSVariablesResolver,
  type MantineTheme,
} from '@mantine/core';
import { t } from '../i18n/index.ts';

/** System fonts only: the console must look right offline, with nothing fetched. */
export const theme = createTheme({
  primaryColor: 'blue',
  fontFamily:
    'system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, "Noto Sans", sans-serif',
  fontFamilyMonospace:
    'ui-monospace, "SF Mono", "Cascadia Mono", "Segoe UI Mono", Menlo, Consolas, "DejaVu Sans Mono", monospace',
  headings: {
    fontFamily: 'system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif',
    // Every screen has one h1 (its title) and headings in order below it; a
    // screen title is the size a section title used to be, not a poster.
    sizes: {
      h1: { fontSize: rem(22), lineHeight: '1.4' },
      h2: { fontSize: rem(18), lineHeight: '1.45' },
      h3: { fontSize: rem(16), lineHeight: '1.5' },
      h4: { fontSize: rem(14), lineHeight: '1.5' },
      h5: { fontSize: rem(14), lineHeight: '1.5' },
      h6: { fontSize: rem(13), lineHeight: '1.5' },
    },
  },
  defaultRadius: 'sm',
  components: {
    // The × of every dialog and drawer is a button a screen reader must be able to name
    // (in the language the console started in: the theme is made once).
    Modal: { defaultProps: { closeButtonProps: { 'aria-label': t('components:close') } } },
    Drawer: { defaultProps: { closeButtonProps: { 'aria-label': t('components:close') } } },
  },
});

/**
 * Text contrast the console holds itself to: WCAG AA asks 4.5:1; a little
 * above it so colour rounding in the browser cannot land a shade just under.
 */
const TEXT_CONTRAST = 4.6;

/** WCAG contrast ratio of two colours (any CSS colour Mantine's parser reads: hex, rgb, rgba). */
export function contrastRatio(a: string, b: string): number {
  const [lighter, darker] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
  return (lighter + 0.05) / (darker + 0.05);
}

function isReadable(color: string, surfaces: readonly string[]): boolean {
  return surfaces.every((surface) => contrastRatio(color, surface) >= TEXT_CONTRAST);
}

/** `color` darkened in 3 % steps until text in it (or white text on it) reaches the target on every surface. */
function darkenUntil(color: string, ...surfaces: string[]): string {
  let result = color;
  for (let step = 1; !isReadable(result, surfaces) && step <= 33; step++) {
    result = darken(color, step * 0.03);
  }
  return result;
}

function lightenUntil(color: string, ...surfaces: string[]): string {
  let result = color;
  for (let step = 1; !isReadable(result, surfaces) && step <= 33; step++) {
    result = lighten(color, step * 0.03);
  }
  return result;
}

type SchemeVariables = Record<`--${string}`, string>;

/**
 * Mantine's default shades put grey helper text, white on the primary blue,
 * and orange / yellow / teal text at 2.5–3.6:1 on white, and several filled
 * colours under 4.5:1 with white text in dark mode. Rather than correct it
 * screen by screen, every colour's text, outline, light and filled variables
 * are derived here from the palette, each moved just far enough to reach
 * TEXT_CONTRAST against the surface it is drawn on (the lightest grey panel in
 * light mode, the raised dark panel in dark mode). Checked by theme.test.ts
 * for every colour and by axe on every screen in e2e/a11y.spec.ts.
 */
export function accessibleColorVariables(source: MantineTheme): {
  light: SchemeVariables;
  dark: SchemeVariables;
} {
  const white = source.white;
  const primary = source.primaryColor;
  const primaryShades = source.colors[primary] ?? source.colors.blue;
  // Text sits on white, the grey panels, and the primary's light tint (a selected row, a hovered button).
  const lightSurfaces = [white, source.colors.gray[1], source.colors.gray[2], primaryShades[1]];
  const darkSurfaces = [
    source.colors.dark[7],
    source.colors.dark[6],
    source.colors.dark[5],
    darken(primaryShades[9], 0.3),
  ];
  const light: SchemeVariables = {};
  const dark: SchemeVariables = {};
  for (const [name, shades] of Object.entries(source.colors)) {
    const lightFilled = darkenUntil(shades[6], white);
    const lightText = darkenUntil(shades[7], ...lightSurfaces, shades[1], shades[2]);
    light[`--mantine-color-${name}-filled`] = lightFilled;
    light[`--mantine-color-${name}-filled-hover`] = darken(lightFilled, 0.12);
    light[`--mantine-color-${name}-text`] = lightText;
    light[`--mantine-color-${name}-outline`] = lightText;
    light[`--mantine-color-${name}-light-color`] = darkenUntil(shades[9], shades[1], shades[2]);

    const darkFilled = darkenUntil(shades[8], white);
    const darkText = lightenUntil(
      shades[4],
      ...darkSurfaces,
      darken(shades[9], 0.5),
      darken(shades[9], 0.3),
    );
    dark[`--mantine-color-${name}-filled`] = darkFilled;
    dark[`--mantine-color-${name}-filled-hover`] = darken(darkFilled, 0.12);
    dark[`--mantine-color-${name}-text`] = darkText;
    dark[`--mantine-color-${name}-outline`] = darkText;
    dark[`--mantine-color-${name}-light-color`] = lightenUntil(shades[0], darken(shades[9], 0.5));
  }
  light['--mantine-color-dimmed'] = darkenUntil(source.colors.gray[6], ...lightSurfaces);
  light['--mantine-color-anchor'] = `var(--mantine-color-${primary}-text)`;
  light['--mantine-color-error'] = 'var(--mantine-color-red-text)';
  light['--mantine-color-placeholder'] = darkenUntil(source.colors.gray[5], ...lightSurfaces);
  light['--mantine-primary-color-contrast'] = white;
  dark['--mantine-color-dimmed'] = lightenUntil(source.colors.dark[2], ...darkSurfaces);
  dark['--mantine-color-anchor'] = `var(--mantine-color-${primary}-text)`;
  dark['--mantine-color-error'] = 'var(--mantine-color-red-text)';
  dark['--mantine-color-placeholder'] = lightenUntil(source.colors.dark[3], ...darkSurfaces);
  dark['--mantine-primary-color-contrast'] = white;
  // Surfaces and rules of the console's own tables (matrix, terminal table, desk list), per scheme.
  light['--console-surface-muted'] = source.colors.gray[0];
  light['--console-surface-strong'] = source.colors.gray[1];
  light['--console-border-subtle'] = source.colors.gray[2];
  light['--console-border'] = source.colors.gray[4];
  dark['--console-surface-muted'] = source.colors.dark[6];
  dark['--console-surface-strong'] = source.colors.dark[5];
  dark['--console-border-subtle'] = source.colors.dark[5];
  dark['--console-border'] = source.colors.dark[3];
  // Plain warning text (a waiver, a changed decision) and the report page's inks.
  light['--contrast-warning-text'] = 'var(--mantine-color-orange-text)';
  dark['--contrast-warning-text'] = 'var(--mantine-color-orange-text)';
  return { light, dark };
}

/** Given to MantineProvider: the default variables plus the accessible colours above, per scheme. */
export const cssVariablesResolver: CSSVariablesResolver = (resolved) => {
  const { light, dark } = accessibleColorVariables(resolved);
  return { variables: {}, light, dark };
};

/** The palette as createTheme leaves it, for tests that check every colour. */
export const RESOLVED_THEME: MantineTheme = mergeMantineTheme(DEFAULT_THEME, theme);
