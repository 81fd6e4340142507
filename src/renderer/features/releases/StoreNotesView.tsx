import { Badge, Group, Paper, Select, Stack, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useApi } from '../../api/ApiContext.tsx';
import { queryKeys } from '../../api/queryKeys.ts';
import { ReleaseTypeBadge } from '../../components/Badges.tsx';
import { formatDate } from '../../components/format.ts';
import { Empty, ErrorState, LoadingRows } from '../../components/QueryState.tsx';
import { TEST_IDS } from '../../testIds.ts';
import { SafeMarkdown } from './SafeMarkdown.tsx';
import { t } from '../../i18n/index.ts';

/** A store's view: every release note between what it runs and its ring's target, oldest first. */
export function StoreNotesView(props: {
  storeId: string | null;
  onSelect: (storeId: string | null) => void;
}) {
  const api = useApi();
  // The matrix already lists every store with its ring; no separate store call is needed.
  const stores = useQuery({
    queryKey: queryKeys.matrix({}),
    queryFn: () => api['fleet:matrix']({}),
  });
  const notes = useQuery({
    queryKey: queryKeys.notesBetween(props.storeId ?? ''),
    queryFn: () => api['releases:notesBetween']({ storeId: props.storeId! }),
    enabled: props.storeId !== null,
  });

  return (
    <Stack gap="sm">
      <Select
        w={360}
        label={t('releases:storeLabel')}
        placeholder={t('releases:storePlaceholder')}
        data={(stores.data?.stores ?? []).map((s) => ({
          value: s.id,
          label: `${s.name} · ${s.region} · ${s.ring}`,
        }))}
        value={props.storeId}
        onChange={props.onSelect}
        searchable
        limit={200}
        data-testid={TEST_IDS.storeNotesSelect}
      />
      {stores.isError && <ErrorState error={stores.error} onRetry={() => void stores.refetch()} />}
      {props.storeId === null && <Empty title={t('releases:pickStore')} />}
      {props.storeId !== null && notes.isPending && <LoadingRows rows={6} />}
      {notes.isError && <ErrorState error={notes.error} onRetry={() => void notes.refetch()} />}
      {notes.data && (
        <Stack gap="sm" data-testid={TEST_IDS.storeNotes}>
          <Group gap="xs">
            <Title order={5}>{notes.data.store.name}</Title>
            {notes.data.targetVersion && (
              <Badge variant="light" color={notes.data.releases.length > 0 ? 'orange' : 'teal'}>
                {t('releases:currentToTarget', {
                  current: notes.data.currentVersion ?? t('common:unknownVersion'),
                  target: notes.data.targetVersion,
                })}
              </Badge>
            )}
            {notes.data.releases.length > 0 && (
              <Text size="sm" c="dimmed">
                {t('releases:releasesBetween', { count: notes.data.releases.length })}
              </Text>
            )}
          </Group>
          {!notes.data.targetVersion && <Empty title={t('releases:noTarget')} />}
          {notes.data.targetVersion && notes.data.releases.length === 0 && (
            <Empty title={t('releases:upToDate')} />
          )}
          {notes.data.releases.map((release) => (
            <Paper key={release.id} withBorder p="sm" radius="md">
              <Group gap="xs" mb={4}>
                <Text ff="monospace" fw={700}>
                  {release.version}
                </Text>
                <ReleaseTypeBadge type={release.type} />
                <Text size="sm">{release.title}</Text>
                <Text size="xs" c="dimmed" ml="auto">
                  {formatDate(release.actualAt ?? release.plannedAt)}
                </Text>
              </Group>
              {release.notesMarkdown.trim() ? (
                <SafeMarkdown markdown={release.notesMarkdown} />
              ) : (
                <Text size="sm" c="dimmed">
                  {t('releases:noNotes')}
                </Text>
              )}
            </Paper>
          ))}
        </Stack>
      )}
    </Stack>
  );
}
