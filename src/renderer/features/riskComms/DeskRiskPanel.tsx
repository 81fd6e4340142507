/**
 * The release desk's view of a release's communication: its risk register
 * (open risks worst first, then closed ones) and how many people read its
 * notes for stores in each store of the desk's scope, and its communication
 * plan.
 */
import { Badge, Group, Paper, SimpleGrid, Stack, Table, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useApi } from '../../api/ApiContext.tsx';
import { ErrorState, LoadingRows } from '../../components/QueryState.tsx';
import { t } from '../../i18n/index.ts';
import { DeskCommsPlan } from './DeskCommsPlan.tsx';
import { RiskFacts } from './RiskFacts.tsx';
import { RISK_COMMS_TEST_IDS } from './testIds.ts';

export function DeskRiskPanel({ releaseId }: { releaseId: string }) {
  const api = useApi();
  const risks = useQuery({
    queryKey: ['desk', 'risks', releaseId],
    queryFn: () => api['releaseDesk:risks']({ releaseId }),
  });
  const reads = useQuery({
    queryKey: ['desk', 'storeNotesReads', releaseId],
    queryFn: () => api['releaseDesk:storeNotesReads']({ releaseId }),
  });
  return (
    <Stack gap="sm">
      <SimpleGrid cols={{ base: 1, md: 2 }} spacing="sm">
        <Paper withBorder p="sm" data-testid={RISK_COMMS_TEST_IDS.deskRisks}>
          <Title order={2} size="h4" mb="xs">
            {t('riskComms:deskTitle')}
          </Title>
          {risks.isPending && <LoadingRows rows={3} />}
          {risks.isError && <ErrorState error={risks.error} onRetry={() => void risks.refetch()} />}
          {risks.data?.risks.length === 0 && (
            <Text size="sm" c="dimmed">
              {t('riskComms:deskNone')}
            </Text>
          )}
          <Stack gap="sm">
            {risks.data?.risks.map((risk) => (
              <Stack key={risk.id} gap={2} data-risk={risk.id} data-status={risk.status}>
                <Group gap="xs">
                  <Text size="sm" fw={600}>
                    {risk.title}
                  </Text>
                  <Badge
                    size="xs"
                    variant="outline"
                    color={risk.status === 'open' ? 'orange' : 'gray'}
                  >
                    {t(`riskComms:status.${risk.status}`)}
                  </Badge>
                </Group>
                <RiskFacts risk={risk} />
              </Stack>
            ))}
          </Stack>
        </Paper>
        <Paper withBorder p="sm" data-testid={RISK_COMMS_TEST_IDS.deskReads}>
          <Title order={2} size="h4" mb="xs">
            {t('riskComms:deskReadsTitle')}
          </Title>
          {reads.isPending && <LoadingRows rows={3} />}
          {reads.isError && <ErrorState error={reads.error} onRetry={() => void reads.refetch()} />}
          {reads.data?.stores.length === 0 && (
            <Text size="sm" c="dimmed">
              {t('riskComms:deskReadsNone')}
            </Text>
          )}
          {reads.data && reads.data.stores.length > 0 && (
            <Table striped withTableBorder>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('riskComms:deskStore')}</Table.Th>
                  <Table.Th>{t('riskComms:deskReaders')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {reads.data.stores.map((s) => (
                  <Table.Tr key={s.storeId} data-store={s.storeId}>
                    <Table.Td>{s.storeId}</Table.Td>
                    <Table.Td>{t('riskComms:deskReaderCount', { count: s.readers })}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          )}
        </Paper>
      </SimpleGrid>
      <DeskCommsPlan releaseId={releaseId} />
    </Stack>
  );
}
