/**
 * The changelog of every release, generated from their notes in Keep a
 * Changelog form (shared/releases/changelog.ts), shown as it will be
 * exported and saved as Markdown (the save dialog on the desktop, a
 * download in browser mode).
 */
import { Button, Group, Paper, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQuery } from '@tanstack/react-query';
import { IconDownload } from '@tabler/icons-react';
import { useApi } from '../../api/ApiContext.tsx';
import { useSaveTextFile } from '../../components/saveTextFile.ts';
import { isApiError } from '../../api/client.ts';
import { queryKeys } from '../../api/queryKeys.ts';
import { ErrorState, LoadingRows } from '../../components/QueryState.tsx';
import { t } from '../../i18n/index.ts';
import { SafeMarkdown } from './SafeMarkdown.tsx';
import { CHANGELOG_TEST_IDS } from './changelogTestIds.ts';

export function ChangelogView() {
  const api = useApi();
  const saveTextFile = useSaveTextFile();
  const changelog = useQuery({
    queryKey: [...queryKeys.releases(), 'changelog'],
    queryFn: () => api['releases:changelog']({}),
  });
  const save = useMutation({
    mutationFn: (file: { fileName: string; markdown: string }) =>
      saveTextFile({ fileName: file.fileName, content: file.markdown, mimeType: 'text/markdown' }),
    onError: (error) =>
      notifications.show({
        color: 'red',
        title: t('components:exportFailed'),
        message: isApiError(error) || error instanceof Error ? error.message : String(error),
      }),
  });
  if (changelog.isPending) return <LoadingRows rows={6} />;
  if (changelog.isError)
    return <ErrorState error={changelog.error} onRetry={() => void changelog.refetch()} />;
  return (
    <Paper withBorder p="sm">
      <Group justify="space-between" mb="xs">
        {/* The notes' headings (h3 and below) sit under this one. */}
        <Title order={2} size="h4">
          {t('releases:tabChangelog')}
        </Title>
        <Button
          size="compact-sm"
          variant="default"
          leftSection={<IconDownload size={14} />}
          loading={save.isPending}
          onClick={() => save.mutate(changelog.data)}
          data-testid={CHANGELOG_TEST_IDS.export}
        >
          {t('releases:changelogExport')}
        </Button>
      </Group>
      <SafeMarkdown
        // The document's own "# Changelog" title is the heading above; the export keeps it.
        markdown={changelog.data.markdown.replace(/^# [^\n]*\n+/, '')}
        testId={CHANGELOG_TEST_IDS.changelog}
      />
    </Paper>
  );
}
