/** The `releases:*` channels, served by the releases service. */
import type { FeatureHandlers } from '../app/dispatcher.ts';
import { requireCatalogUser } from '../session/actor.ts';
import type { SessionService } from '../session/service.ts';
import { readReleaseRisks } from './riskCatalog.ts';
import type { ReleasesService } from './service.ts';
import type { WhatsNewService } from './whatsNew.ts';
import type { Db } from '../db/open.ts';
import { openRisksOf } from '../../shared/releases/risks.ts';

export function createReleasesHandlers(
  releases: ReleasesService,
  extras: { db: Db; whatsNew: WhatsNewService; sessions: SessionService },
): FeatureHandlers<'releases'> {
  const reader = (ctx: Parameters<typeof requireCatalogUser>[1]) => {
    const { user } = requireCatalogUser(extras.sessions, ctx);
    return { userId: user.id, role: user.role, storeIds: user.storeIds };
  };
  return {
    'releases:whatsNew': (_input, ctx) => extras.whatsNew.list(reader(ctx)),
    'releases:markStoreNotesRead': (input, ctx) => extras.whatsNew.markRead(input, reader(ctx)),
    'releases:risks': (input) => {
      const all = readReleaseRisks(extras.db, input.releaseId);
      const open = openRisksOf(all, input.releaseId);
      return [...open, ...all.filter((r) => r.status !== 'open')];
    },
    'releases:list': () => releases.list(),
    'releases:get': (input) => releases.get(input.releaseId),
    'releases:notesBetween': (input) => releases.notesBetween(input.storeId),
    'releases:testResults': (input) => releases.testResults(input.releaseId),
    'releases:changelog': () => releases.changelog(),
    'releases:blocks': () => releases.blocks(),
  };
}
