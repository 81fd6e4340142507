/** The `fleet:*` channels, served by the fleet service. */
import type { FeatureHandlers } from '../app/dispatcher.ts';
import { requireSession } from '../session/actor.ts';
import type { SessionService } from '../session/service.ts';
import type { FleetService } from './service.ts';

export function createFleetHandlers(deps: {
  fleet: FleetService;
  sessions: SessionService;
}): FeatureHandlers<'fleet'> {
  const { fleet, sessions } = deps;
  return {
    'fleet:matrix': (input) => fleet.matrix(input),
    'fleet:filterOptions': () => fleet.filterOptions(),
    'fleet:listTerminals': (input) => fleet.listTerminals(input),
    'fleet:getTerminal': (input) => fleet.getTerminal(input.terminalId),
    'fleet:recordVersion': (input, ctx) => {
      const session = requireSession(ctx);
      const storeIds = sessions.getUser(session.user.id)?.storeIds ?? [];
      return fleet.recordVersion(input, session, storeIds);
    },
  };
}
