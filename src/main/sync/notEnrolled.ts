/**
 * The sync feature before (or without) a sync engine: the status says "not
 * enrolled", every journal event counts as pending, and every other sync
 * call answers `unavailable` with a clear message.
 */
import { CHANNELS, type SyncStatus } from '../../shared/contract/index.ts';
import { AppError } from '../../shared/errors.ts';
import type { FeatureHandlers } from '../app/dispatcher.ts';
import type { Db } from '../db/open.ts';

/** Events not yet acknowledged by the central server (all of them before enrollment). */
export function pendingEventCount(db: Db): number {
  const hasSyncState = db.sqlite
    .prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'sync_state'")
    .get();
  const acked = hasSyncState
    ? ((db.sqlite.prepare('SELECT acked_seq FROM sync_state WHERE singleton = 1').pluck().get() as
        number | undefined) ?? 0)
    : 0;
  return (
    (db.sqlite
      .prepare('SELECT count(*) FROM journal WHERE seq > ?')
      .pluck()
      .get(acked) as number) ?? 0
  );
}

function notEnrolledStatus(db: Db): SyncStatus {
  return {
    isEnrolled: false,
    isOnline: false,
    pendingEvents: pendingEventCount(db),
    lastSuccessAt: null,
    lastError: null,
    serverUrl: null,
    treeHead: null,
  };
}

/** Used until a sync implementation is plugged in through `createApp({ sync })`. */
export function notEnrolledSyncHandlers(db: Db): FeatureHandlers<'sync'> {
  const handlers: Record<string, () => unknown> = {};
  for (const channel of CHANNELS) {
    if (!channel.startsWith('sync:')) continue;
    handlers[channel] = () => {
      throw new AppError(
        'unavailable',
        'Connecting to a central server is not available in this build yet. Everything is kept on this console.',
      );
    };
  }
  handlers['sync:status'] = () => notEnrolledStatus(db);
  return handlers as unknown as FeatureHandlers<'sync'>;
}
