import { Badge, Button, Group, List, Progress, Text, Tooltip } from '@mantine/core';
import { IconAlertTriangle, IconDownload, IconRefresh } from '@tabler/icons-react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { UpdateStatus } from '../../shared/contract/updates.ts';
import { useApi } from '../api/ApiContext.tsx';
import { isApiError } from '../api/client.ts';
import { TEST_IDS } from '../testIds.ts';
import { t } from '../i18n/index.ts';

/** Read often while something moves (download, check), rarely otherwise. */
function refetchEvery(status: UpdateStatus | undefined): number {
  return status?.phase === 'downloading' || status?.phase === 'verifying' ? 1000 : 15_000;
}

const UPDATE_STATUS_KEY = ['sync', 'update'] as const;

/**
 * The console's own update in the status bar: progress while it downloads,
 * "Restart now" once it is verified and safe, the reasons while it must wait,
 * and a refusal in plain words. Nothing in browser mode (the desktop app
 * manages updates) or when there is no update.
 */
export function UpdateStatusItem() {
  const api = useApi();
  const queryClient = useQueryClient();
  const status = useQuery({
    queryKey: UPDATE_STATUS_KEY,
    queryFn: () => api['updates:status']({}),
    refetchInterval: (query) => refetchEvery(query.state.data),
  });
  const restart = useMutation({
    mutationFn: () => api['updates:restartNow']({}),
    onSettled: () => queryClient.invalidateQueries({ queryKey: UPDATE_STATUS_KEY }),
  });
  const s = status.data;
  if (!s || s.phase === 'unmanaged' || s.phase === 'idle' || s.version === null) return null;
  const version = s.version;
  const item = (content: React.ReactNode) => (
    <Group
      gap={6}
      wrap="nowrap"
      style={{ minWidth: 0 }}
      data-testid={TEST_IDS.statusUpdate}
      data-phase={s.phase}
    >
      {content}
    </Group>
  );
  switch (s.phase) {
    case 'downloading':
      return item(
        <>
          <IconDownload size={14} aria-hidden />
          <Text size="xs">{t('shell:update.downloading', { version })}</Text>
          <Progress
            value={s.percent ?? 0}
            w={80}
            size="sm"
            aria-label={t('shell:update.downloading', { version })}
          />
          <Text size="xs" c="dimmed">
            {s.percent ?? 0} %
          </Text>
        </>,
      );
    case 'verifying':
      return item(<Text size="xs">{t('shell:update.verifying', { version })}</Text>);
    case 'ready':
      if (s.canRestartNow) {
        return item(
          <>
            <Text size="xs">{t('shell:update.ready', { version })}</Text>
            <Tooltip label={t('shell:update.restartHint')} multiline w={260}>
              <Button
                size="compact-xs"
                leftSection={<IconRefresh size={12} />}
                loading={restart.isPending}
                onClick={() => restart.mutate()}
                data-testid={TEST_IDS.statusUpdateRestart}
              >
                {t('shell:update.restartNow')}
              </Button>
            </Tooltip>
            {restart.error && (
              <Text size="xs" c="red.8" role="alert">
                {isApiError(restart.error)
                  ? restart.error.message
                  : t('shell:update.restartFailed')}
              </Text>
            )}
          </>,
        );
      }
      return item(
        <Tooltip
          multiline
          w={360}
          label={
            <>
              <Text size="xs">{t('shell:update.waitsHint')}</Text>
              <List size="xs">
                {s.notNow.map((reason) => (
                  <List.Item key={reason}>{reason}</List.Item>
                ))}
              </List>
            </>
          }
        >
          <Group gap={6} wrap="nowrap" style={{ minWidth: 0 }}>
            <Badge color="blue" variant="light" style={{ flexShrink: 0 }}>
              {t('shell:update.waits', { version })}
            </Badge>
            <Text
              size="xs"
              c="dimmed"
              maw={300}
              truncate
              style={{ minWidth: 0 }}
              data-testid={TEST_IDS.statusUpdateReason}
            >
              {s.notNow[0]}
            </Text>
          </Group>
        </Tooltip>,
      );
    case 'refused':
    case 'failed':
      return item(
        <Tooltip label={s.message} multiline w={360}>
          <Group gap={6} wrap="nowrap" style={{ minWidth: 0 }}>
            <Badge
              style={{ flexShrink: 0 }}
              color={s.phase === 'refused' ? 'red' : 'gray'}
              variant="light"
              leftSection={<IconAlertTriangle size={12} />}
            >
              {s.phase === 'refused'
                ? t('shell:update.refused', { version })
                : t('shell:update.failed')}
            </Badge>
            <Text
              size="xs"
              c="dimmed"
              maw={300}
              truncate
              style={{ minWidth: 0 }}
              data-testid={TEST_IDS.statusUpdateReason}
            >
              {s.message}
            </Text>
          </Group>
        </Tooltip>,
      );
  }
}
