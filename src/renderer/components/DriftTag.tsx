/**
 * Plain-element versions of the drift and ring badges for rows that mount by
 * the dozen while scrolling (terminal table, matrix). Same colours as the
 * Mantine badges in Badges.tsx, without a component tree per cell.
 */
import type { Ring } from '../../shared/domain/releases.ts';
import { DRIFT_COLOR, ON_TARGET_COLOR, ringColor } from './colors.ts';
import classes from './DriftTag.module.css';
import { t } from '../i18n/index.ts';

export function DriftTag(props: { isDrift: boolean }) {
  const color = props.isDrift ? DRIFT_COLOR : ON_TARGET_COLOR;
  return (
    <span
      className={classes.tag}
      data-filled={props.isDrift || undefined}
      style={{
        // The theme's filled, light and light-text variables: at least 4.5:1 in both schemes.
        ['--tag-color' as string]: `var(--mantine-color-${color}-filled)`,
        ['--tag-light' as string]: `var(--mantine-color-${color}-light)`,
        ['--tag-text' as string]: `var(--mantine-color-${color}-light-color)`,
      }}
    >
      {props.isDrift ? t('common:drift') : t('common:onTarget')}
    </span>
  );
}

export function RingTag(props: { ring: Ring }) {
  return (
    <span
      className={classes.ring}
      style={{ ['--tag-color' as string]: `var(--mantine-color-${ringColor(props.ring)}-6)` }}
    >
      {props.ring}
    </span>
  );
}
