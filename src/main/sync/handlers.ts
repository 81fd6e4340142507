/**
 * The sync channels' handlers. createApp spreads these into its handler map:
 * `...createSyncHandlers(engine)`.
 */
import { CONNECT_ROLES } from '../../shared/contract/sync.ts';
import { AppError } from '../../shared/errors.ts';
import type { Handlers } from '../app/dispatcher.ts';
import type { SyncEngine } from './engine.ts';

export type SyncHandlers = Pick<
  Handlers,
  'sync:status' | 'sync:connect' | 'sync:now' | 'sync:quarantined'
>;

export function createSyncHandlers(
  engine: SyncEngine,
  options: { hasCatalog: () => boolean; hasDemoRecords: () => boolean },
): SyncHandlers {
  return {
    'sync:status': () => engine.status(),
    'sync:connect': (input, ctx) => {
      if (ctx.session) {
        if (!(CONNECT_ROLES as readonly string[]).includes(ctx.session.user.role)) {
          throw new AppError(
            'forbidden',
            `Your role (${ctx.session.user.role}) cannot connect this console; ask a store manager or a field technician.`,
          );
        }
      } else if (options.hasCatalog()) {
        throw new AppError(
          'not_signed_in',
          'Sign in as a store manager or a field technician to connect this console.',
        );
      }
      // Demo recordings belong to demo stores: the central server would refuse
      // them, and a hash chain cannot skip an event, so sync would stay stuck
      // for good. Refuse before the single-use enrollment code is spent.
      if (!engine.status().isEnrolled && options.hasDemoRecords()) {
        throw new AppError(
          'conflict',
          'This console holds the demo fleet and what was recorded on it, which belongs to no real store. ' +
            'To connect to a central server, start the console with a new data folder; the demo data stays where it is.',
        );
      }
      return engine.connect(input);
    },
    'sync:now': async () => {
      await engine.syncOnce();
      return engine.status();
    },
    'sync:quarantined': (input) => engine.quarantined(input),
  };
}
