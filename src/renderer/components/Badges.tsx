import { Badge } from '@mantine/core';
import { RELEASE_STATUS_LABELS, type ReleaseStatus, type ReleaseType, type Ring } from '../../shared/domain/releases.ts';
import { DRIFT_COLOR, ON_TARGET_COLOR, releaseStatusColor, releaseTypeColor, ringColor } from './colors.ts';
import { COMMON_TEXT } from './text.ts';

export function ReleaseStatusBadge(props: { status: ReleaseStatus }) {
  return (
    <Badge size="sm" variant="light" color={releaseStatusColor(props.status)}>
      {RELEASE_STATUS_LABELS[props.status]}
    </Badge>
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
      {COMMON_TEXT.drift}
    </Badge>
  ) : (
    <Badge size="xs" variant="light" color={ON_TARGET_COLOR}>
      {COMMON_TEXT.onTarget}
    </Badge>
  );
}
