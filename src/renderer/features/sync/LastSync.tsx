/**
 * "Last successful sync", said once for the whole console: the Sync screen
 * and the status bar show the same words from the same status and the same
 * clock. Each used to compute "… ago" when it last rendered, so one could
 * read "4 minutes ago" while the other read "6 minutes ago".
 */
import { Text, type TextProps } from '@mantine/core';
import { useSyncExternalStore } from 'react';
import type { SyncStatus } from '#shared/contract/index.ts';
import { formatAgo, formatDateTime } from '../../components/format.ts';
import { t } from '../../i18n/index.ts';

/** How often "… ago" is brought up to date. */
export const LAST_SYNC_TICK_MS = 15_000;

// One clock for every subscriber, so two places never differ by a render.
let now = Date.now();
const listeners = new Set<() => void>();
let timer: ReturnType<typeof setInterval> | null = null;

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  if (timer === null) {
    now = Date.now();
    timer = setInterval(() => {
      now = Date.now();
      for (const l of listeners) l();
    }, LAST_SYNC_TICK_MS);
  }
  return () => {
    listeners.delete(listener);
    if (listeners.size === 0 && timer !== null) {
      clearInterval(timer);
      timer = null;
    }
  };
}

/** The shared clock's time (ms), re-rendering every LAST_SYNC_TICK_MS. */
export function useSharedNow(): number {
  return useSyncExternalStore(
    subscribe,
    () => now,
    () => now,
  );
}

/** "5 minutes ago", "just now" or "never". */
function formatLastSync(status: Pick<SyncStatus, 'lastSuccessAt'>, at: number): string {
  return formatAgo(status.lastSuccessAt, new Date(at));
}

/** The value alone ("5 minutes ago"), for the Sync screen's labelled row. */
export function LastSyncValue(props: { status: SyncStatus } & TextProps & { testId?: string }) {
  const { status, testId, ...textProps } = props;
  const at = useSharedNow();
  return (
    <Text
      size="sm"
      title={status.lastSuccessAt ? formatDateTime(status.lastSuccessAt) : undefined}
      data-testid={testId}
      {...textProps}
    >
      {formatLastSync(status, at)}
    </Text>
  );
}

/** Label and value in one line ("Last successful sync: 5 minutes ago"), for the status bar. */
export function lastSyncLine(status: SyncStatus, at: number): string {
  return `${t('sync:lastSuccess')}: ${formatLastSync(status, at)}`;
}
