import { Anchor, Badge, Button, Group, Text, Tooltip } from '@mantine/core';
import {
  IconFlask,
  IconCloud,
  IconCloudOff,
  IconLogout,
  IconPlugConnectedX,
  IconUser,
} from '@tabler/icons-react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Link } from 'react-router';
import { useApi } from '../api/ApiContext.tsx';
import { queryKeys } from '../api/queryKeys.ts';
import { formatCount } from '../components/format.ts';
import { lastSyncLine, useSharedNow } from '../features/sync/LastSync.tsx';
import { SYNC_TEST_IDS } from '../features/sync/testIds.ts';
import { useAppStore } from '../state/store.ts';
import { TEST_IDS } from '../testIds.ts';
import { syncPanelPath } from './navigation.tsx';
import { UpdateStatusItem } from './UpdateStatus.tsx';
import { NoticeBell } from '../features/notices/NoticeBell.tsx';
import { ReportProblemButton, RequestFeatureButton } from '../features/feedback/ReportLauncher.tsx';
import { useSessionStatus } from './useSession.ts';
import { t } from '../i18n/index.ts';

/** Always visible: who is signed in, whether we are online, what is not yet synced. */
export function StatusBar() {
  const api = useApi();
  const queryClient = useQueryClient();
  const sessionStatus = useSessionStatus().data;
  const session = sessionStatus?.session ?? null;
  const isBackendReachable = useAppStore((s) => s.isBackendReachable);
  // Refreshed by sync:statusChanged (pushed into the cache) and db:changed (invalidation).
  const sync = useQuery({
    queryKey: queryKeys.syncStatus(),
    queryFn: () => api['sync:status']({}),
  });
  const signOut = useMutation({
    mutationFn: () => api['session:signOut']({}),
    onSuccess: (status) => {
      queryClient.removeQueries({ predicate: (q) => q.queryKey[0] !== 'session' });
      queryClient.setQueryData(queryKeys.sessionStatus(), status);
    },
  });

  const status = sync.data;
  // The demo fleet's records are never sent: say so instead of "not synced" and "Offline".
  const isDemo = sessionStatus?.isDemoFleet === true && status?.isEnrolled !== true;
  const now = useSharedNow();
  const pending = status ? formatCount(status.pendingEvents) : '…';
  const syncPath = syncPanelPath();
  const pendingText = isDemo
    ? t('sync:demoPending', { n: pending })
    : t('shell:pending', { n: pending });

  let connection;
  if (!isBackendReachable) {
    connection = (
      <Badge color="red" variant="light" leftSection={<IconPlugConnectedX size={12} />}>
        {t('shell:backendDown')}
      </Badge>
    );
  } else if (isDemo) {
    connection = (
      <Tooltip label={t('sync:demoBadgeHint')}>
        <Badge color="grape" variant="light" leftSection={<IconFlask size={12} />}>
          {t('sync:demoBadge')}
        </Badge>
      </Tooltip>
    );
  } else if (status?.isOnline) {
    connection = (
      <Badge color="teal" variant="light" leftSection={<IconCloud size={12} />}>
        {t('shell:online')}
      </Badge>
    );
  } else {
    connection = (
      <Tooltip
        label={
          status && !status.isEnrolled
            ? t('shell:notEnrolled')
            : (status?.lastError ?? t('shell:offline'))
        }
      >
        <Badge color="gray" variant="light" leftSection={<IconCloudOff size={12} />}>
          {t('shell:offline')}
        </Badge>
      </Tooltip>
    );
  }

  return (
    <Group
      h="100%"
      px="md"
      justify="space-between"
      gap="md"
      wrap="nowrap"
      data-testid={TEST_IDS.statusBar}
    >
      <Group gap="md" wrap="nowrap" style={{ flexShrink: 0 }}>
        <Group gap={6} wrap="nowrap" data-testid={TEST_IDS.statusUser}>
          <IconUser size={14} />
          <Text size="sm" fw={600}>
            {session?.user.name}
          </Text>
          {session && (
            <Text size="sm" c="dimmed">
              {t(`domain:role.${session.user.role}`)}
            </Text>
          )}
        </Group>
        <span data-testid={TEST_IDS.statusOnline} data-online={status?.isOnline ? 'true' : 'false'}>
          {connection}
        </span>
        <Tooltip label={isDemo ? t('sync:demoBadgeHint') : t('shell:pendingHint')}>
          <Text size="sm" c={!isDemo && status && status.pendingEvents > 0 ? 'orange' : 'dimmed'}>
            {syncPath ? (
              <Anchor component={Link} to={syncPath} size="sm" inherit>
                <span data-testid={TEST_IDS.statusPending} data-count={status?.pendingEvents}>
                  {pendingText}
                </span>
              </Anchor>
            ) : (
              <span data-testid={TEST_IDS.statusPending} data-count={status?.pendingEvents}>
                {pendingText}
              </span>
            )}
          </Text>
        </Tooltip>
        {status?.isEnrolled && (
          <Text size="xs" c="dimmed" data-testid={SYNC_TEST_IDS.statusLastSync}>
            {lastSyncLine(status, now)}
          </Text>
        )}
      </Group>
      {/* The update's reason text gives way first: who is signed in and what is unsynced stay readable. */}
      <Group gap="md" wrap="nowrap" style={{ minWidth: 0 }}>
        <NoticeBell />
        <UpdateStatusItem />
        {session && <ReportProblemButton />}
        {session && <RequestFeatureButton />}
        <Button
          size="compact-sm"
          variant="subtle"
          color="gray"
          leftSection={<IconLogout size={14} />}
          loading={signOut.isPending}
          onClick={() => signOut.mutate()}
          data-testid={TEST_IDS.statusSignOut}
        >
          {t('shell:signOut')}
        </Button>
      </Group>
    </Group>
  );
}
