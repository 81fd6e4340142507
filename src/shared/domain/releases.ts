import semverValid from 'semver/functions/valid.js';

export const RELEASE_TYPES = ['major', 'minor', 'patch', 'hotfix'] as const;
export type ReleaseType = (typeof RELEASE_TYPES)[number];

export const RELEASE_STATUSES = [
  'planned',
  'rolling_out',
  'general',
  'paused',
  'withdrawn',
] as const;
export type ReleaseStatus = (typeof RELEASE_STATUSES)[number];

/** Rings in promotion order: a release reaches lab first, general last. */
export const RINGS = ['lab', 'pilot', 'early', 'general'] as const;
export type Ring = (typeof RINGS)[number];

/** A version a technician may record: strict SemVer 2.0, no leading "v", no spaces. */
export function isValidVersion(version: string): boolean {
  return version.length <= 64 && semverValid(version, { loose: false }) === version;
}
