/** Release channels: the catalog's releases and the notes a store goes through to reach its ring's target. */
import { z } from 'zod';
import type { Release, ReleaseNotesBetween, ReleaseSummary } from '../releases/types.ts';
import type { ReleaseBlockView } from '../releases/catalogParts.ts';
import type { TestResultsSummary } from '../releases/testResults.ts';
import type { CatalogReleaseRisk } from '../releases/risks.ts';
import type { WhatsNewItem } from '../releases/storeNotes.ts';
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
  /**
   * What's new for the signed-in person: each release a terminal of their
   * store moved to, with its notes for stores, until they read it.
   */
  'releases:whatsNew': call<WhatsNewItem[]>()({ input: empty, access: 'signedIn' }),
  /** Records that the signed-in person read a release's notes for stores (a `release.store_notes.read` audit event). */
  'releases:markStoreNotesRead': call<WhatsNewItem[]>()({
    input: z.object({ releaseId: id }).strict(),
    access: 'signedIn',
  }),
  /** The release's risk register as the catalog carries it: open risks first, worst first. */
  'releases:risks': call<CatalogReleaseRisk[]>()({
    input: z.object({ releaseId: id }).strict(),
    access: 'signedIn',
  }),
  /** Releases the release desk blocked, from the pulled catalog: the shell shows a banner for each. */
  'releases:blocks': call<ReleaseBlockView[]>()({ input: empty, access: 'signedIn' }),
} as const;
