/**
 * The release desk on the console: the `releaseDesk:*` channels, answered
 * from the central server with the desk's token (the desk service holds it,
 * renews it and turns the server's refusals into coded errors). Nothing is
 * cached: a progression is only useful as of now, and the desk says so when
 * the server cannot be reached.
 */
import { progressionPage } from '../../shared/desk/progression.ts';
import type { ReleaseProgression } from '../../shared/contract/releaseDesk.ts';
import type { ParsedInputOf } from '../../shared/contract/define.ts';
import type { Contract } from '../../shared/contract/index.ts';
import type { FeatureHandlers } from '../app/dispatcher.ts';
import type { DeskService } from './service.ts';

export type ReleaseDeskService = ReturnType<typeof createReleaseDeskService>;

export function createReleaseDeskService(deps: { desk: Pick<DeskService, 'request'> }) {
  async function progression(
    input: ParsedInputOf<Contract['releaseDesk:progression']>,
  ): Promise<ReleaseProgression> {
    const q = new URLSearchParams({
      releaseId: input.releaseId,
      offset: String(input.offset),
      limit: String(input.limit),
    });
    if (input.ring) q.set('ring', input.ring);
    if (input.state) q.set('state', input.state);
    if (input.search) q.set('search', input.search);
    if (input.region) q.set('region', input.region);
    return progressionPage.parse(await deps.desk.request(`/v1/desk/progression?${q.toString()}`));
  }
  return { progression };
}

/** The `releaseDesk:*` channels (src/shared/contract/releaseDesk.ts). */
export function createReleaseDeskHandlers(
  service: ReleaseDeskService,
): FeatureHandlers<'releaseDesk'> {
  return { 'releaseDesk:progression': (input) => service.progression(input) };
}
