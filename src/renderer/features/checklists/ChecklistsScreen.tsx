/**
 * Checklists: the runs of one store's release (status, score, completion),
 * what the release requires, and "Start a run". A run opens at
 * /checklists/runs/:runId.
 */
import { useState } from 'react';
import {
  Badge,
  Button,
  Group,
  Paper,
  Progress,
  Stack,
  Table,
  Text,
  Title,
  Tooltip,
} from '@mantine/core';
import { IconChecklist, IconPlayerPlay } from '@tabler/icons-react';
import { useNavigate } from 'react-router';
import { formatDateTime } from '../../components/format.ts';
import { Empty, ErrorState, LoadingRows } from '../../components/QueryState.tsx';
import { useCan } from '../../api/permissions.ts';
import { NotAllowedNote } from '../../components/NotAllowedNote.tsx';
import { ContextBar, useEffectiveRelease } from './ContextBar.tsx';
import { runStatusColor, scoreText, supersededRunIds } from './answerUi.ts';
import { useRuns, useTemplates } from './queries.ts';
import { StartRunModal } from './StartRunModal.tsx';
import { DueAssignments } from './DueAssignments.tsx';
import { CHECKLIST_TEST_IDS } from './testIds.ts';
import { useWorkContext } from './useWorkContext.ts';
import classes from './Checklists.module.css';
import contrast from '../../components/contrast.module.css';
import { t } from '../../i18n/index.ts';

export function ChecklistsScreen() {
  const context = useWorkContext();
  const releaseId = useEffectiveRelease(context);
  const canRun = useCan('checklists:startRun');
  const [isStarting, setStarting] = useState(false);

  return (
    <Stack gap="sm" className={contrast.contrast}>
      <div>
        <Title order={1}>{t('checklists:title')}</Title>
        <Text size="sm" c="dimmed">
          {t('checklists:subtitle')}
        </Text>
      </div>
      <DueAssignments />
      <ContextBar context={context} releaseId={releaseId} />
      {!context.storeId ? (
        <Empty
          title={t('checklists:noStore')}
          description={t('checklists:noStoreHint')}
          icon={<IconChecklist />}
        />
      ) : !releaseId ? (
        <Empty
          title={t('checklists:noRelease')}
          description={t('checklists:noReleaseHint')}
          icon={<IconChecklist />}
        />
      ) : (
        <>
          <Requirements releaseId={releaseId} />
          <RunList
            storeId={context.storeId}
            releaseId={releaseId}
            search={context.search}
            action={
              <Group gap="xs" wrap="nowrap">
                <NotAllowedNote permission={canRun} />
                <Button
                  size="xs"
                  leftSection={<IconPlayerPlay size={14} />}
                  onClick={() => setStarting(true)}
                  disabled={!canRun.allowed}
                  data-testid={CHECKLIST_TEST_IDS.startRun}
                >
                  {t('checklists:startRun')}
                </Button>
              </Group>
            }
          />
          {isStarting && (
            <StartRunModal
              storeId={context.storeId}
              releaseId={releaseId}
              search={context.search}
              onClose={() => setStarting(false)}
            />
          )}
        </>
      )}
    </Stack>
  );
}

function Requirements(props: { releaseId: string }) {
  const templates = useTemplates(props.releaseId);
  const requirements = (templates.data?.requirements ?? []).filter(
    (r) => r.releaseId === props.releaseId,
  );
  if (templates.isPending) return null;
  return (
    <Group gap="xs">
      <Text size="sm" fw={600}>
        {t('checklists:required')}:
      </Text>
      {requirements.length === 0 ? (
        <Text size="sm" c="dimmed">
          {t('checklists:noRequirements')}
        </Text>
      ) : (
        requirements.map((r) => (
          <Badge key={r.templateId} variant="light" color="indigo" size="lg" tt="none">
            {t('checklists:requiredItem', { name: r.templateName, count: r.terminalCount })}
          </Badge>
        ))
      )}
    </Group>
  );
}

function RunList(props: {
  storeId: string;
  releaseId: string;
  search: string;
  action: React.ReactNode;
}) {
  const navigate = useNavigate();
  const runs = useRuns(props.storeId, props.releaseId);
  const open = (runId: string) =>
    void navigate(`/checklists/runs/${encodeURIComponent(runId)}${props.search}`);
  const superseded = supersededRunIds(runs.data ?? []);

  return (
    <Paper withBorder radius="md" p="sm">
      <Group justify="space-between" mb="xs">
        <Title order={2} size="h3">
          {t('checklists:runs')}
        </Title>
        {props.action}
      </Group>
      {runs.isPending ? (
        <LoadingRows rows={4} height={28} />
      ) : runs.isError ? (
        <ErrorState error={runs.error} onRetry={() => void runs.refetch()} />
      ) : runs.data.length === 0 ? (
        <Empty title={t('checklists:noRuns')} description={t('checklists:noRunsHint')} />
      ) : (
        <Table
          highlightOnHover
          verticalSpacing={6}
          fz="sm"
          data-testid={CHECKLIST_TEST_IDS.runsTable}
        >
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('checklists:colChecklist')}</Table.Th>
              <Table.Th>{t('checklists:colTerminals')}</Table.Th>
              <Table.Th>{t('checklists:colStatus')}</Table.Th>
              <Table.Th ta="right">{t('checklists:colScore')}</Table.Th>
              <Table.Th w={160}>{t('checklists:colCompletion')}</Table.Th>
              <Table.Th>{t('checklists:colStarted')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {runs.data.map((run) => (
              <Table.Tr
                key={run.id}
                className={classes.clickable}
                tabIndex={0}
                onClick={() => open(run.id)}
                onKeyDown={(e) => {
                  if (e.key === 'Enter') open(run.id);
                }}
                data-testid={CHECKLIST_TEST_IDS.runRow}
                data-run-id={run.id}
                data-status={run.status}
              >
                <Table.Td>
                  <Text size="sm" fw={600}>
                    {run.templateName}
                  </Text>
                  <Text size="xs" c="dimmed">
                    {t('checklists:templateKindVersion', {
                      kind: t(`checklists:templateKind.${run.templateKind}`),
                      version: run.templateVersion,
                    })}
                  </Text>
                </Table.Td>
                <Table.Td>
                  <Group gap={4}>
                    {run.terminals.map((t) => (
                      <Badge
                        key={t.id}
                        size="sm"
                        variant="dot"
                        color={runStatusColor(t.status)}
                        tt="none"
                      >
                        {t.name}
                      </Badge>
                    ))}
                  </Group>
                </Table.Td>
                <Table.Td>
                  <Group gap={4} wrap="nowrap">
                    <Badge color={runStatusColor(run.status)} variant="light">
                      {t(`checklists:runStatus.${run.status}`)}
                    </Badge>
                    {run.isPaused && (
                      <Badge color="gray" variant="outline">
                        {t('checklists:paused')}
                      </Badge>
                    )}
                    {superseded.has(run.id) && (
                      <Tooltip label={t('checklists:supersededHint')} multiline w={260}>
                        <Badge
                          color="gray"
                          variant="outline"
                          data-testid={CHECKLIST_TEST_IDS.superseded}
                        >
                          {t('checklists:superseded')}
                        </Badge>
                      </Tooltip>
                    )}
                  </Group>
                </Table.Td>
                <Table.Td ta="right" className={classes.num}>
                  {scoreText(run.score)}
                </Table.Td>
                <Table.Td>
                  <Group gap={6} wrap="nowrap">
                    <Progress
                      value={run.completion}
                      size="sm"
                      w={90}
                      color={run.completion === 100 ? 'teal' : 'blue'}
                      aria-label={t('checklists:colCompletion')}
                    />
                    <Text size="xs" className={classes.num}>
                      {run.completion} %
                    </Text>
                  </Group>
                </Table.Td>
                <Table.Td>
                  <Text size="xs">{formatDateTime(run.startedAt)}</Text>
                  <Text size="xs" c="dimmed">
                    {run.startedBy.name}
                  </Text>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
    </Paper>
  );
}
