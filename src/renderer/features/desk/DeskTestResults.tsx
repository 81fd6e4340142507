/**
 * The chosen release's automated test results on the desk, in one line: how
 * many tests, how many failed, when the report was imported.
 */
import { Paper, Stack, Text } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useApi } from '../../api/ApiContext.tsx';
import { t } from '../../i18n/index.ts';
import { TestResultsSummaryView } from '../releases/TestResultsPanel.tsx';
import { DESK_TEST_IDS } from './testIds.ts';

export function DeskTestResults({ releaseId }: { releaseId: string }) {
  const api = useApi();
  const results = useQuery({
    queryKey: ['desk', 'testResults', releaseId],
    queryFn: () => api['desk:testResults']({ releaseId }),
  });
  // Offline or refused: the stores list says why; this line just stays away.
  if (!results.isSuccess) return null;
  return (
    <Paper withBorder p="xs" data-testid={DESK_TEST_IDS.testResults}>
      <Stack gap={4}>
        <Text size="sm" fw={600}>
          {t('releases:testResults')}
        </Text>
        {results.data === null ? (
          <Text size="sm" c="dimmed">
            {t('releases:testResultsNone')}
          </Text>
        ) : (
          <TestResultsSummaryView summary={results.data} isCompact />
        )}
      </Stack>
    </Paper>
  );
}
