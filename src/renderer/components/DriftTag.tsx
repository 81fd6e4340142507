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
        ['--tag-color' as string]: `var(--mantine-color-${color}-6)`,
        ['--tag-light' as string]: `var(--mantine-color-${color}-0)`,
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
