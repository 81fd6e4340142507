/**
 * The sync panel: where this console stands with the central audit log —
 * pending events, last success, last problem in plain words, the central tree
 * head it verified, a "Sync now" button, the connect form, and (in red) the
 * alarm raised when the central history no longer matches what was verified.
 */
import {
  Alert,
  Badge,
  Button,
  Code,
  Group,
  Paper,
  SimpleGrid,
  Stack,
  Text,
  Title,
  Tooltip,
} from '@mantine/core';
import {
  IconAlertOctagon,
  IconFlask,
  IconCloud,
  IconCloudOff,
  IconRefresh,
  IconShieldCheck,
} from '@tabler/icons-react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type ReactNode } from 'react';
import type { SyncStatus } from '#shared/contract/index.ts';
import { useApi } from '../../api/ApiContext.tsx';
import { queryKeys } from '../../api/queryKeys.ts';
import { ErrorState, LoadingRows } from '../../components/QueryState.tsx';
import { formatAgo, formatCount, formatDateTime } from '../../components/format.ts';
import { useSessionStatus } from '../../app/useSession.ts';
import { AttachmentUploads } from './AttachmentUploads.tsx';
import { ConnectForm } from './ConnectForm.tsx';
import { QuarantinedEvents } from './QuarantinedEvents.tsx';
import { LastSyncValue, useSharedNow } from './LastSync.tsx';
import { SyncQueueList } from './SyncQueueList.tsx';
import { SYNC_TEST_IDS } from './testIds.ts';
import { t } from '../../i18n/index.ts';

// A command, the same in every language.
const SECOND_CONSOLE_COMMAND = 'npm run web -- --data ./.data/console-2';

export function SyncPanel() {
  const api = useApi();
  const sync = useQuery({
    queryKey: queryKeys.syncStatus(),
    queryFn: () => api['sync:status']({}),
  });
  const isDemoFleet = useSessionStatus().data?.isDemoFleet === true;
  return (
    <Stack gap="sm" data-testid={SYNC_TEST_IDS.panel}>
      <Group justify="space-between" align="flex-end">
        <div>
          <Title order={1}>{t('sync:title')}</Title>
          <Text size="sm" c="dimmed">
            {isDemoFleet && !sync.data?.isEnrolled ? t('sync:demoSubtitle') : t('sync:subtitle')}
          </Text>
        </div>
        {sync.data?.isEnrolled && <SyncNowButton status={sync.data} />}
      </Group>
      {sync.isPending && <LoadingRows rows={4} />}
      {sync.isError && <ErrorState error={sync.error} onRetry={() => void sync.refetch()} />}
      {sync.data && <SyncStatusView status={sync.data} isDemoFleet={isDemoFleet} />}
      {sync.data?.isEnrolled && <AttachmentUploads status={sync.data} />}
      {sync.data?.isEnrolled && <QuarantinedEvents count={sync.data.quarantinedEvents ?? 0} />}
      {sync.data?.isEnrolled && <SyncQueueList />}
      {/* The demo fleet cannot be connected (its records belong to no real store): no form to fail. */}
      {sync.data && !isDemoFleet && <ConnectForm isEnrolled={sync.data.isEnrolled} />}
    </Stack>
  );
}

function SyncNowButton(props: { status: SyncStatus }) {
  const api = useApi();
  const queryClient = useQueryClient();
  const syncNow = useMutation({
    mutationFn: () => api['sync:now']({}),
    onSuccess: (status) => queryClient.setQueryData(queryKeys.syncStatus(), status),
  });
  return (
    <Button
      leftSection={<IconRefresh size={16} />}
      loading={syncNow.isPending || props.status.isSyncing === true}
      disabled={Boolean(props.status.alarm)}
      onClick={() => syncNow.mutate()}
      data-testid={SYNC_TEST_IDS.syncNow}
    >
      {t('sync:syncNow')}
    </Button>
  );
}

/** What the panel shows about the sync state; no back-end calls, so it renders from a status alone. */
export function SyncStatusView(props: { status: SyncStatus; isDemoFleet?: boolean }) {
  const { status } = props;
  if (props.isDemoFleet && !status.isEnrolled) return <DemoNeverSent status={status} />;
  return (
    <Stack gap="sm">
      {status.alarm && (
        <Alert
          color="red"
          variant="filled"
          icon={<IconAlertOctagon size={20} />}
          title={t('sync:alarmTitle')}
          data-testid={SYNC_TEST_IDS.alarm}
        >
          {status.alarm}
        </Alert>
      )}
      {!status.isEnrolled && (
        <Alert color="blue" variant="light">
          {t('sync:notEnrolled')}
        </Alert>
      )}
      {status.isEnrolled && (
        <SimpleGrid cols={{ base: 1, md: 2 }} spacing="sm">
          <Paper withBorder radius="md" p="md">
            <Stack gap="xs">
              <Row label={t('sync:server')}>
                <Group gap="xs">
                  <Text size="sm" data-testid={SYNC_TEST_IDS.serverUrl}>
                    {status.serverUrl}
                  </Text>
                  {status.isOnline ? (
                    <Badge color="teal" variant="light" leftSection={<IconCloud size={12} />}>
                      {t('sync:online')}
                    </Badge>
                  ) : (
                    <Badge color="gray" variant="light" leftSection={<IconCloudOff size={12} />}>
                      {t('sync:offline')}
                    </Badge>
                  )}
                </Group>
              </Row>
              <Row label={t('sync:pending')}>
                <Text
                  size="lg"
                  fw={700}
                  c={status.pendingEvents > 0 ? 'orange' : 'teal'}
                  data-testid={SYNC_TEST_IDS.pending}
                  data-count={status.pendingEvents}
                >
                  {formatCount(status.pendingEvents)}
                </Text>
              </Row>
              <Row label={t('sync:lastSuccess')}>
                <LastSyncValue status={status} testId={SYNC_TEST_IDS.lastSuccess} />
              </Row>
              <Row label={t('sync:lastError')}>
                <Text
                  size="sm"
                  c={status.lastError ? 'red' : 'dimmed'}
                  data-testid={SYNC_TEST_IDS.lastError}
                >
                  {status.lastError ?? t('sync:noError')}
                </Text>
              </Row>
            </Stack>
          </Paper>
          <TreeHeadCard status={status} />
        </SimpleGrid>
      )}
    </Stack>
  );
}

/**
 * The demo fleet's records belong to no real store: they are kept on this
 * computer and never sent. Said plainly, instead of "sent once connected".
 */
function DemoNeverSent(props: { status: SyncStatus }) {
  return (
    <Alert
      color="grape"
      variant="light"
      icon={<IconFlask size={20} />}
      title={t('sync:demoTitle')}
      data-testid={SYNC_TEST_IDS.demo}
    >
      <Stack gap={6}>
        <Text size="sm">{t('sync:demoBody')}</Text>
        <Text size="sm" data-testid={SYNC_TEST_IDS.pending} data-count={props.status.pendingEvents}>
          {t('sync:demoKept', {
            count: props.status.pendingEvents,
            n: formatCount(props.status.pendingEvents),
          })}
        </Text>
        <Text size="sm">{t('sync:demoConnect')}</Text>
        <Code block>{SECOND_CONSOLE_COMMAND}</Code>
      </Stack>
    </Alert>
  );
}

function TreeHeadCard(props: { status: SyncStatus }) {
  const head = props.status.treeHead;
  // The clock "Last successful sync" reads: both say "just now" together.
  const now = useSharedNow();
  return (
    <Paper
      withBorder
      radius="md"
      p="md"
      data-testid={SYNC_TEST_IDS.treeHead}
      data-size={head?.size ?? ''}
    >
      <Stack gap="xs">
        <Group gap="xs">
          <IconShieldCheck
            size={18}
            color={head ? 'var(--mantine-color-teal-text)' : 'var(--mantine-color-dimmed)'}
          />
          <Text fw={600}>{t('sync:treeHead')}</Text>
        </Group>
        {head ? (
          <>
            <Text size="sm" data-testid={SYNC_TEST_IDS.treeHeadSize}>
              {t('sync:treeHeadSize', { n: formatCount(head.size) })}
            </Text>
            <Row label={t('sync:treeHeadRoot')}>
              <Tooltip label={head.root}>
                <Code data-testid={SYNC_TEST_IDS.treeHeadRoot}>{abbreviateRoot(head.root)}</Code>
              </Tooltip>
            </Row>
            <Row label={t('sync:treeHeadAt')}>
              <Text size="sm">{formatDateTime(head.at)}</Text>
            </Row>
            {head.verifiedAt && (
              <Row label={t('sync:treeHeadVerifiedAt')}>
                <Text size="sm">{formatAgo(head.verifiedAt, new Date(now))}</Text>
              </Row>
            )}
          </>
        ) : (
          <Text size="sm" c="dimmed">
            {t('sync:treeHeadNone')}
          </Text>
        )}
      </Stack>
    </Paper>
  );
}

function Row(props: { label: string; children: ReactNode }) {
  return (
    <Group gap="sm" wrap="nowrap" align="baseline">
      <Text size="sm" c="dimmed" w={190} style={{ flexShrink: 0 }}>
        {props.label}
      </Text>
      {props.children}
    </Group>
  );
}

/** A tree head root shown short (first 12 and last 6 hex digits); the full root is in the tooltip. */
export function abbreviateRoot(root: string): string {
  return root.length <= 20 ? root : `${root.slice(0, 12)}…${root.slice(-6)}`;
}
