/**
 * Deployments: those of the stores the user works in, newest first, and
 * "Plan a deployment" (a release with a runbook, a store, optionally some of
 * its terminals). A deployment opens at /deployments/:deploymentId.
 */
import { useState } from 'react';
import { Badge, Button, Group, Paper, Stack, Table, Text, Title } from '@mantine/core';
import { IconRocket } from '@tabler/icons-react';
import { useNavigate } from 'react-router';
import { useCan } from '../../api/permissions.ts';
import { NotAllowedNote } from '../../components/NotAllowedNote.tsx';
import { formatDateTime } from '../../components/format.ts';
import { Empty, ErrorState, LoadingRows } from '../../components/QueryState.tsx';
import contrast from '../../components/contrast.module.css';
import { ExportButton, pagesOf } from '../../components/ExportButton.tsx';
import { deploymentExportColumns } from './deploymentExport.ts';
import { useStores } from '../checklists/queries.ts';
import { deploymentStatusColor, deploymentStatusWords } from './deploymentUi.ts';
import { PlanDeploymentModal } from './PlanDeploymentModal.tsx';
import { useDeployments, useReleases } from './queries.ts';
import { DEPLOYMENT_TEST_IDS } from './testIds.ts';
import { t } from '../../i18n/index.ts';

export function DeploymentsScreen() {
  const deployments = useDeployments();
  const releases = useReleases();
  const stores = useStores();
  const navigate = useNavigate();
  const canPlan = useCan('deployments:plan');
  const [isPlanning, setPlanning] = useState(false);
  const versionOf = (releaseId: string) =>
    releases.data?.find((r) => r.id === releaseId)?.version ?? releaseId;
  const storeName = (storeId: string) =>
    stores.data?.find((s) => s.id === storeId)?.name ?? storeId;

  const planButton = (
    <Button
      leftSection={<IconRocket size={16} />}
      onClick={() => setPlanning(true)}
      disabled={!canPlan.allowed}
      data-testid={DEPLOYMENT_TEST_IDS.planOpen}
    >
      {t('deployments:plan')}
    </Button>
  );

  return (
    <Stack gap="sm" className={contrast.contrast}>
      <Group justify="space-between" align="flex-end">
        <div>
          <Title order={1}>{t('deployments:title')}</Title>
          <Text size="sm" c="dimmed">
            {t('deployments:subtitle')}
          </Text>
        </div>
        <Group gap="xs" wrap="nowrap" align="flex-end">
          <NotAllowedNote permission={canPlan} />
          {deployments.data && deployments.data.length > 0 && (
            <ExportButton
              what={t('csv:exportName.deployments')}
              columns={deploymentExportColumns(versionOf, storeName)}
              total={deployments.data.length}
              loadPage={pagesOf(deployments.data)}
            />
          )}
          {planButton}
        </Group>
      </Group>
      {deployments.isPending ? (
        <LoadingRows rows={6} height={36} />
      ) : deployments.isError ? (
        <ErrorState error={deployments.error} onRetry={() => void deployments.refetch()} />
      ) : deployments.data.length === 0 ? (
        <Paper withBorder radius="md" p="lg">
          <Empty
            title={t('deployments:emptyTitle')}
            description={t('deployments:emptyHint')}
            icon={<IconRocket />}
            action={canPlan.allowed ? planButton : undefined}
          />
        </Paper>
      ) : (
        <Paper withBorder radius="md">
          <Table highlightOnHover verticalSpacing="sm" data-testid={DEPLOYMENT_TEST_IDS.list}>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('deployments:colRelease')}</Table.Th>
                <Table.Th>{t('deployments:colStore')}</Table.Th>
                <Table.Th>{t('deployments:colStatus')}</Table.Th>
                <Table.Th>{t('deployments:colPlanned')}</Table.Th>
                <Table.Th>{t('deployments:colUpdated')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {deployments.data.map((d) => {
                const open = () => void navigate(`/deployments/${d.id}`);
                return (
                  <Table.Tr
                    key={d.id}
                    onClick={open}
                    onKeyDown={(e) => {
                      if (e.key === 'Enter' || e.key === ' ') {
                        e.preventDefault();
                        open();
                      }
                    }}
                    tabIndex={0}
                    style={{ cursor: 'pointer' }}
                    aria-label={t('deployments:rowLabel', {
                      version: versionOf(d.releaseId),
                      store: storeName(d.storeId),
                      status: deploymentStatusWords(d),
                    })}
                    data-testid={DEPLOYMENT_TEST_IDS.row}
                    data-deployment-id={d.id}
                    data-status={d.status}
                    data-phase={d.phase}
                  >
                    <Table.Td fw={600}>{versionOf(d.releaseId)}</Table.Td>
                    <Table.Td>{storeName(d.storeId)}</Table.Td>
                    <Table.Td>
                      <Badge color={deploymentStatusColor(d.status)} variant="light">
                        {deploymentStatusWords(d)}
                      </Badge>
                    </Table.Td>
                    <Table.Td>{formatDateTime(d.plannedAt)}</Table.Td>
                    <Table.Td>{formatDateTime(d.updatedAt)}</Table.Td>
                  </Table.Tr>
                );
              })}
            </Table.Tbody>
          </Table>
        </Paper>
      )}
      {isPlanning && (
        <PlanDeploymentModal
          onClose={() => setPlanning(false)}
          onPlanned={(id) => void navigate(`/deployments/${id}`)}
        />
      )}
    </Stack>
  );
}
