/** The `updates:*` channels (src/shared/contract/updates.ts), served by the update hub. */
import type { Handlers } from '../app/dispatcher.ts';
import type { UpdateHub } from './hub.ts';

export type UpdatesHandlers = Pick<
  Handlers,
  'updates:status' | 'updates:restartNow' | 'updates:reportScreen'
>;

export function createUpdatesHandlers(hub: UpdateHub): UpdatesHandlers {
  return {
    'updates:status': () => hub.status(),
    'updates:restartNow': () => hub.restartNow(),
    'updates:reportScreen': (input) => {
      hub.reportScreen(input);
      return { ok: true as const };
    },
  };
}
