/**
 * A release's automated test results (the JUnit summary the central server
 * published): totals, each suite, and the first failed tests.
 */
import { Badge, Group, Stack, Table, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { passedOf, type TestResultsSummary } from '#shared/releases/testResults.ts';
import { useApi } from '../../api/ApiContext.tsx';
import { formatDateTime } from '../../components/format.ts';
import { ErrorState, LoadingRows } from '../../components/QueryState.tsx';
import { t } from '../../i18n/index.ts';
import { RELEASE_TEST_IDS } from './testIds.ts';

export function TestResultsPanel({ releaseId }: { releaseId: string }) {
  const api = useApi();
  const results = useQuery({
    queryKey: ['releases', 'testResults', releaseId],
    queryFn: () => api['releases:testResults']({ releaseId }),
  });
  return (
    <Stack gap="xs" data-testid={RELEASE_TEST_IDS.testResults}>
      <Title order={3}>{t('releases:testResults')}</Title>
      {results.isPending && <LoadingRows rows={2} />}
      {results.isError && (
        <ErrorState error={results.error} onRetry={() => void results.refetch()} />
      )}
      {results.isSuccess &&
        (results.data === null ? (
          <Text size="sm" c="dimmed">
            {t('releases:testResultsNone')}
          </Text>
        ) : (
          <TestResultsSummaryView summary={results.data} />
        ))}
    </Stack>
  );
}

/** `isCompact`: the counts alone (the desk's one-line view), without suites and failed tests. */
export function TestResultsSummaryView({
  summary,
  isCompact = false,
}: {
  summary: TestResultsSummary;
  isCompact?: boolean;
}) {
  return (
    <>
      <Group gap="xs">
        <Badge color={summary.failed > 0 ? 'red' : 'teal'} variant="filled">
          {summary.failed > 0
            ? `${summary.failed} ${t('releases:testFailed')}`
            : `${summary.total} ${t('releases:testTotal')}`}
        </Badge>
        <Text size="sm" data-testid={RELEASE_TEST_IDS.testCounts}>
          {t('releases:testResultsCounts', {
            total: summary.total,
            passed: passedOf(summary),
            failed: summary.failed,
            skipped: summary.skipped,
          })}
        </Text>
      </Group>
      <Text size="xs" c="dimmed">
        {t('releases:testResultsImported', {
          when: formatDateTime(summary.importedAt),
          hash: summary.sha256.slice(0, 12),
        })}
      </Text>
      {!isCompact && (
        <Table withTableBorder fz="sm" verticalSpacing={4}>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('releases:testSuite')}</Table.Th>
              <Table.Th>{t('releases:testTotal')}</Table.Th>
              <Table.Th>{t('releases:testFailed')}</Table.Th>
              <Table.Th>{t('releases:testSkipped')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {summary.suites.map((s, i) => (
              <Table.Tr key={`${i}-${s.name}`}>
                <Table.Td>{s.name}</Table.Td>
                <Table.Td>{s.total}</Table.Td>
                <Table.Td c={s.failed > 0 ? 'red' : undefined} fw={s.failed > 0 ? 600 : undefined}>
                  {s.failed}
                </Table.Td>
                <Table.Td>{s.skipped}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
      {!isCompact && summary.failedCases.length > 0 && (
        <>
          <Text size="sm" fw={600}>
            {t('releases:failedCases')}
          </Text>
          <Stack gap={2}>
            {summary.failedCases.map((c, i) => (
              <Text size="sm" key={`${i}-${c.suite}-${c.name}`}>
                <Text span c="red" fw={600}>
                  {`${c.suite} › ${c.name}`}
                </Text>
                {c.message ? ` — ${c.message}` : ''}
              </Text>
            ))}
          </Stack>
        </>
      )}
    </>
  );
}
