/** The `notices:*` channels (src/shared/contract/notices.ts), served by the notices service. */
import type { FeatureHandlers } from '../app/dispatcher.ts';
import { requireCatalogUser } from '../session/actor.ts';
import type { SessionService } from '../session/service.ts';
import type { NoticesService } from './service.ts';

export function createNoticesHandlers(deps: {
  notices: NoticesService;
  sessions: SessionService;
}): FeatureHandlers<'notices'> {
  const { notices, sessions } = deps;
  return {
    'notices:list': (_input, ctx) => {
      const { user } = requireCatalogUser(sessions, ctx);
      return notices.list({ userId: user.id, role: user.role });
    },
    'notices:markRead': (input, ctx) => {
      const { user } = requireCatalogUser(sessions, ctx);
      return notices.markRead(input, { userId: user.id, role: user.role });
    },
  };
}
