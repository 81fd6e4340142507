/** The `releases:*` channels, served by the releases service. */
import type { FeatureHandlers } from '../app/dispatcher.ts';
import type { ReleasesService } from './service.ts';

export function createReleasesHandlers(releases: ReleasesService): FeatureHandlers<'releases'> {
  return {
    'releases:list': () => releases.list(),
    'releases:get': (input) => releases.get(input.releaseId),
    'releases:notesBetween': (input) => releases.notesBetween(input.storeId),
    'releases:testResults': (input) => releases.testResults(input.releaseId),
    'releases:changelog': () => releases.changelog(),
    'releases:blocks': () => releases.blocks(),
  };
}
