import { Divider, Group, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useApi } from '../../api/ApiContext.tsx';
import { queryKeys } from '../../api/queryKeys.ts';
import { ReleaseStatusBadge, ReleaseTypeBadge, RingBadge } from '../../components/Badges.tsx';
import { formatDate } from '../../components/format.ts';
import { ErrorState, LoadingRows } from '../../components/QueryState.tsx';
import { TEST_IDS } from '../../testIds.ts';
import { SafeMarkdown } from './SafeMarkdown.tsx';
import { TestResultsPanel } from './TestResultsPanel.tsx';
import { t } from '../../i18n/index.ts';

export function ReleaseDetail(props: { releaseId: string }) {
  const api = useApi();
  const release = useQuery({
    queryKey: queryKeys.release(props.releaseId),
    queryFn: () => api['releases:get']({ releaseId: props.releaseId }),
  });
  if (release.isPending) return <LoadingRows rows={6} />;
  if (release.isError)
    return <ErrorState error={release.error} onRetry={() => void release.refetch()} />;
  const r = release.data;
  return (
    <Stack gap="sm" data-testid={TEST_IDS.releaseDetail}>
      <div>
        <Group gap="xs">
          <Title order={2} ff="monospace">
            {r.version}
          </Title>
          <ReleaseTypeBadge type={r.type} />
          <ReleaseStatusBadge status={r.status} />
        </Group>
        <Text size="sm">{r.title}</Text>
      </div>
      <SimpleGrid cols={3} spacing="xs">
        <div>
          <Text size="xs" c="dimmed">
            {t('releases:colRing')}
          </Text>
          <RingBadge ring={r.ring} />
        </div>
        <div>
          <Text size="xs" c="dimmed">
            {t('releases:colPlanned')}
          </Text>
          <Text size="sm">{formatDate(r.plannedAt)}</Text>
        </div>
        <div>
          <Text size="xs" c="dimmed">
            {t('releases:colActual')}
          </Text>
          <Text size="sm">{formatDate(r.actualAt)}</Text>
        </div>
      </SimpleGrid>
      <Divider />
      <TestResultsPanel releaseId={r.id} />
      <Divider />
      {r.notesMarkdown.trim() ? (
        <SafeMarkdown markdown={r.notesMarkdown} testId={TEST_IDS.releaseNotes} />
      ) : (
        <Text size="sm" c="dimmed">
          {t('releases:noNotes')}
        </Text>
      )}
    </Stack>
  );
}
