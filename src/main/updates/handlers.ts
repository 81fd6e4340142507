/** The `updates:*` channels (src/shared/contract/updates.ts), served by the update hub. */
import type { FeatureHandlers } from '../app/dispatcher.ts';
import type { UpdateHub } from './hub.ts';

export function createUpdatesHandlers(hub: UpdateHub): FeatureHandlers<'updates'> {
  return {
    'updates:status': () => hub.status(),
    'updates:restartNow': () => hub.restartNow(),
    'updates:reportScreen': (input) => {
      hub.reportScreen(input);
      return { ok: true as const };
    },
  };
}
