/**
 * One palette for the whole console, so "rolling out" or "drift" looks the
 * same on every screen. Values are Mantine theme colour names.
 */
import type { ReleaseStatus, ReleaseType, Ring } from '../../shared/domain/releases.ts';
import { assertNever } from '../../shared/errors.ts';

export function releaseStatusColor(status: ReleaseStatus): string {
  switch (status) {
    case 'planned':
      return 'gray';
    case 'rolling_out':
      return 'blue';
    case 'general':
      return 'teal';
    case 'paused':
      return 'yellow';
    case 'withdrawn':
      return 'red';
    default:
      return assertNever(status, 'release status');
  }
}

export function releaseTypeColor(type: ReleaseType): string {
  switch (type) {
    case 'major':
      return 'grape';
    case 'minor':
      return 'indigo';
    case 'patch':
      return 'cyan';
    case 'hotfix':
      return 'orange';
    default:
      return assertNever(type, 'release type');
  }
}

export function ringColor(ring: Ring): string {
  switch (ring) {
    case 'lab':
      return 'violet';
    case 'pilot':
      return 'pink';
    case 'early':
      return 'lime';
    case 'general':
      return 'green';
    default:
      return assertNever(ring, 'ring');
  }
}

/** Drift (a terminal not on its ring's target release) is always this colour. */
export const DRIFT_COLOR = 'orange';
export const ON_TARGET_COLOR = 'teal';
