/**
 * The Sync screen's list of records on their way to and from the central
 * log: queued, sent, quarantined (the server kept it but set it aside),
 * refused (a feed page that did not check out) and superseded (the conflict
 * rule: an earlier entry in the central log decided the same thing), each
 * with its reason in plain words and what the user can do about it.
 */
import { Badge, Button, Group, Paper, Stack, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import {
  SYNC_QUEUE_KINDS,
  type SyncQueueItem,
  type SyncQueueKind,
  type SyncQueueView,
} from '#shared/contract/sync.ts';
import { useApi } from '../../api/ApiContext.tsx';
import { queryKeys } from '../../api/queryKeys.ts';
import { Empty, ErrorState, LoadingRows } from '../../components/QueryState.tsx';
import { formatCount, formatDateTime } from '../../components/format.ts';
import { en } from '../../i18n/en/index.ts';
import { t } from '../../i18n/index.ts';

export const SYNC_QUEUE_TEST_IDS = {
  list: 'sync-queue',
  item: 'sync-queue-item',
  kind: (kind: SyncQueueKind) => `sync-queue-kind-${kind}`,
} as const;

const KIND_COLOR: Record<SyncQueueKind, string> = {
  queued: 'orange',
  sent: 'teal',
  quarantined: 'grape',
  refused: 'red',
  superseded: 'red',
};

type KnownType = keyof typeof en.sync.queue.types;

function isKnownType(type: string): type is KnownType {
  return Object.hasOwn(en.sync.queue.types, type);
}

function recordTypeText(type: string | null): string {
  if (type === null) return t('sync:queue.otherConsoles');
  return isKnownType(type)
    ? t(`sync:queue.types.${type}`)
    : type.replaceAll('_', ' ').replaceAll('.', ' › ');
}

export function SyncQueueList() {
  const api = useApi();
  // The status moves with every push and pull: the list follows it.
  const status = useQuery({
    queryKey: queryKeys.syncStatus(),
    queryFn: () => api['sync:status']({}),
  });
  const queue = useQuery({
    queryKey: [
      'sync',
      'queue',
      status.data?.pendingEvents ?? null,
      status.data?.lastSuccessAt ?? null,
      status.data?.lastError ?? null,
    ],
    queryFn: () => api['sync:queue']({}),
    enabled: status.data?.isEnrolled === true,
  });
  if (!status.data?.isEnrolled) return null;
  return (
    <Paper withBorder radius="md" p="md" data-testid={SYNC_QUEUE_TEST_IDS.list}>
      <Stack gap="sm">
        <div>
          <Title order={2}>{t('sync:queue.title')}</Title>
          <Text size="sm" c="dimmed">
            {t('sync:queue.subtitle')}
          </Text>
        </div>
        {queue.isPending && <LoadingRows rows={3} />}
        {queue.isError && <ErrorState error={queue.error} onRetry={() => void queue.refetch()} />}
        {queue.data && <SyncQueueKinds view={queue.data} />}
      </Stack>
    </Paper>
  );
}

/** The kinds with their counts and the chosen kind's records; renders from a view alone. */
export function SyncQueueKinds(props: { view: SyncQueueView }) {
  const { view } = props;
  const firstTrouble =
    (['refused', 'quarantined', 'superseded', 'queued'] as const).find((k) => view.counts[k] > 0) ??
    'sent';
  const [chosen, setChosen] = useState<SyncQueueKind | null>(null);
  const kind = chosen ?? firstTrouble;
  const items = view.items.filter((i) => i.kind === kind);
  return (
    <Stack gap="sm">
      {/* Plain buttons, not a SegmentedControl: its indicator re-measures on every layout
          change of the Sync screen and looped (React error 185) when the lists beside it moved. */}
      <Group gap="xs" role="group" aria-label={t('sync:queue.title')}>
        {SYNC_QUEUE_KINDS.map((k) => (
          <Button
            key={k}
            size="xs"
            variant={k === kind ? 'filled' : 'default'}
            aria-pressed={k === kind}
            onClick={() => setChosen(k)}
            data-testid={SYNC_QUEUE_TEST_IDS.kind(k)}
            rightSection={
              <Badge
                size="sm"
                variant={view.counts[k] > 0 && k !== 'sent' ? 'filled' : 'light'}
                color={view.counts[k] > 0 ? KIND_COLOR[k] : 'gray'}
              >
                {formatCount(view.counts[k])}
              </Badge>
            }
          >
            {t(`sync:queue.kinds.${k}`)}
          </Button>
        ))}
      </Group>
      {items.length === 0 ? (
        <Empty title={t(`sync:queue.empty.${kind}`)} />
      ) : (
        <Stack gap={6}>
          {items.map((item, i) => (
            <QueueItem key={item.eventId ?? `${item.kind}-${i}`} item={item} />
          ))}
        </Stack>
      )}
    </Stack>
  );
}

function QueueItem(props: { item: SyncQueueItem }) {
  const { item } = props;
  return (
    <Paper
      withBorder
      radius="sm"
      p="xs"
      data-testid={SYNC_QUEUE_TEST_IDS.item}
      data-kind={item.kind}
      style={{ borderLeft: `4px solid var(--mantine-color-${KIND_COLOR[item.kind]}-6)` }}
    >
      <Group justify="space-between" wrap="nowrap" align="flex-start">
        <Text size="sm" fw={600}>
          {recordTypeText(item.type)}
          {item.seq !== null && (
            <Text span size="xs" c="dimmed" ff="monospace">
              {'  '}
              {t('sync:queue.number', { seq: item.seq })}
            </Text>
          )}
        </Text>
        <Text size="xs" c="dimmed" style={{ whiteSpace: 'nowrap' }}>
          {formatDateTime(item.at)}
          {item.userId ? ` · ${item.userName ?? item.userId}` : ''}
        </Text>
      </Group>
      {item.reason && (
        <Text size="sm" mt={4}>
          {item.reason}
        </Text>
      )}
      {item.whatToDo && (
        <Text size="sm" c="dimmed" mt={2}>
          <Text span fw={600} size="sm">
            {t('sync:queue.whatToDo')}
          </Text>
          {item.whatToDo}
        </Text>
      )}
    </Paper>
  );
}
