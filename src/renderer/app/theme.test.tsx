import { describe, expect, it } from 'vitest';
import { accessibleColorVariables, contrastRatio, RESOLVED_THEME } from './theme.ts';

const { light, dark } = accessibleColorVariables(RESOLVED_THEME);
const colors = RESOLVED_THEME.colors;
const names = Object.keys(colors);
const WHITE = RESOLVED_THEME.white;
/** The lightest and darkest surfaces text sits on in each scheme. */
const LIGHT_SURFACES = [WHITE, colors.gray[0], colors.gray[1], colors.gray[2], colors.blue[1]];
const DARK_SURFACES = [colors.dark[7], colors.dark[6], colors.dark[5]];

function value(scheme: Record<string, string>, name: string): string {
  const found = scheme[name];
  if (found === undefined) throw new Error(`${name} is not set`);
  return found;
}

describe('theme colours reach 4.5:1 in both schemes', () => {
  it("Mantine's own shades do not (what the theme corrects)", () => {
    expect(contrastRatio(colors.gray[6], WHITE)).toBeLessThan(4.5);
    expect(contrastRatio(colors.blue[6], WHITE)).toBeLessThan(4.5);
    expect(contrastRatio(colors.orange[6], WHITE)).toBeLessThan(4.5);
    expect(contrastRatio(colors.orange[8], WHITE)).toBeLessThan(4.5);
  });

  it.each(names)(
    '%s: white on filled, text and outline on every surface, light text on light',
    (name) => {
      for (const scheme of [light, dark]) {
        expect(
          contrastRatio(WHITE, value(scheme, `--mantine-color-${name}-filled`)),
        ).toBeGreaterThanOrEqual(4.5);
        expect(
          contrastRatio(WHITE, value(scheme, `--mantine-color-${name}-filled-hover`)),
        ).toBeGreaterThanOrEqual(4.5);
      }
      for (const surface of LIGHT_SURFACES) {
        expect(
          contrastRatio(value(light, `--mantine-color-${name}-text`), surface),
        ).toBeGreaterThanOrEqual(4.5);
      }
      for (const surface of DARK_SURFACES) {
        expect(
          contrastRatio(value(dark, `--mantine-color-${name}-text`), surface),
        ).toBeGreaterThanOrEqual(4.5);
      }
      const shades = colors[name]!;
      expect(
        contrastRatio(value(light, `--mantine-color-${name}-light-color`), shades[1]),
      ).toBeGreaterThanOrEqual(4.5);
    },
  );

  it('dimmed helper text and placeholders', () => {
    for (const surface of LIGHT_SURFACES) {
      expect(contrastRatio(value(light, '--mantine-color-dimmed'), surface)).toBeGreaterThanOrEqual(
        4.5,
      );
    }
    for (const surface of DARK_SURFACES) {
      expect(contrastRatio(value(dark, '--mantine-color-dimmed'), surface)).toBeGreaterThanOrEqual(
        4.5,
      );
    }
  });
});
