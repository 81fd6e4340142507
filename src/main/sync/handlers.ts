/**
 * The sync channels' handlers. createApp spreads these into its handler map:
 * `...createSyncHandlers(engine)`.
 */
import type { Handlers } from '../app/dispatcher.ts';
import type { SyncEngine } from './engine.ts';

export type SyncHandlers = Pick<Handlers, 'sync:status' | 'sync:connect' | 'sync:now'>;

export function createSyncHandlers(engine: SyncEngine): SyncHandlers {
  return {
    'sync:status': () => engine.status(),
    'sync:connect': (input) => engine.connect(input),
    'sync:now': async () => {
      await engine.syncOnce();
      return engine.status();
    },
  };
}
