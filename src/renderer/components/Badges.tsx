import { Badge, Tooltip } from '@mantine/core';
import { type ReleaseStatus, type ReleaseType, type Ring } from '../../shared/domain/releases.ts';
import {
  DRIFT_COLOR,
  ON_TARGET_COLOR,
  releaseStatusColor,
  releaseTypeColor,
  ringColor,
} from './colors.ts';
import { t } from '../i18n/index.ts';

export function ReleaseStatusBadge(props: { status: ReleaseStatus }) {
  return (
    <Tooltip label={t(`domain:releaseStatus.${props.status}`)} openDelay={300}>
      <Badge size="sm" variant="light" color={releaseStatusColor(props.status)}>
        {t(`domain:releaseStatusShort.${props.status}`)}
      </Badge>
    </Tooltip>
  );
}

export function ReleaseTypeBadge(props: { type: ReleaseType }) {
  return (
    <Badge size="sm" variant="outline" color={releaseTypeColor(props.type)}>
      {props.type}
    </Badge>
  );
}

export function RingBadge(props: { ring: Ring }) {
  return (
    <Badge size="sm" variant="dot" color={ringColor(props.ring)}>
      {props.ring}
    </Badge>
  );
}

export function DriftBadge(props: { isDrift: boolean }) {
  return props.isDrift ? (
    <Badge size="xs" variant="filled" color={DRIFT_COLOR}>
      {t('common:drift')}
    </Badge>
  ) : (
    <Badge size="xs" variant="light" color={ON_TARGET_COLOR}>
      {t('common:onTarget')}
    </Badge>
  );
}
