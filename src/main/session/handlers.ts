/** The `session:*` channels: who is signed in, the sign-in picker, sign-in and sign-out. */
import type { SessionStatus } from '../../shared/contract/index.ts';
import type { FeatureHandlers } from '../app/dispatcher.ts';
import type { SessionService } from './service.ts';

export function createSessionHandlers(deps: {
  sessions: SessionService;
  status: () => SessionStatus;
}): FeatureHandlers<'session'> {
  const { sessions, status } = deps;
  return {
    'session:status': () => status(),
    'session:listUsers': () => sessions.listUsers(),
    'session:signIn': async (input) => {
      await sessions.signIn(input.userId, input.pin);
      return status();
    },
    'session:signOut': () => {
      sessions.signOut();
      return status();
    },
  };
}
