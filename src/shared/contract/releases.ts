/** Release channels: the catalog's releases and the notes a store goes through to reach its ring's target. */
import { z } from 'zod';
import type { Release, ReleaseNotesBetween, ReleaseSummary } from '../releases/types.ts';
import type { ReleaseBlockView } from '../releases/catalogParts.ts';
import type { TestResultsSummary } from '../releases/testResults.ts';
import { call } from './define.ts';
import { empty, id } from './schemas.ts';

export const releasesContract = {
  'releases:list': call<ReleaseSummary[]>()({ input: empty, access: 'signedIn' }),
  'releases:get': call<Release>()({
    input: z.object({ releaseId: id }).strict(),
    access: 'signedIn',
  }),
  /** Accumulated notes between a store's current release and its ring's target. */
  'releases:notesBetween': call<ReleaseNotesBetween>()({
    input: z.object({ storeId: id }).strict(),
    access: 'signedIn',
  }),
  /** The release's automated test results (JUnit summary from the catalog); null while none were imported. */
  'releases:testResults': call<TestResultsSummary | null>()({
    input: z.object({ releaseId: id }).strict(),
    access: 'signedIn',
  }),
  /** Every release's notes as one Keep a Changelog Markdown document (shared/releases/changelog.ts). */
  'releases:changelog': call<{ fileName: string; markdown: string }>()({
    input: empty,
    access: 'signedIn',
  }),
  /** Releases the release desk blocked, from the pulled catalog: the shell shows a banner for each. */
  'releases:blocks': call<ReleaseBlockView[]>()({ input: empty, access: 'signedIn' }),
} as const;
