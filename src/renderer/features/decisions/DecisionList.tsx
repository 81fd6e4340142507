/** Decisions taken for the release at the store, newest first, each checked against today's evidence. */
import { Badge, Button, Group, List, Paper, Stack, Text, Title } from '@mantine/core';
import { IconAlertTriangle, IconLink, IconPrinter } from '@tabler/icons-react';
import { useQuery } from '@tanstack/react-query';
import { Link } from 'react-router';
import type { DecisionView } from '#shared/decisions/types.ts';
import { useApi } from '../../api/ApiContext.tsx';
import { formatDateTime } from '../../components/format.ts';
import { ErrorState, LoadingRows } from '../../components/QueryState.tsx';
import { checklistKeys } from '../checklists/queries.ts';
import { DECISION_TEST_IDS } from './testIds.ts';
import { t } from '../../i18n/index.ts';

function decisionColor(decision: DecisionView['decision']): string {
  return decision === 'go' ? 'teal' : decision === 'no-go' ? 'red' : 'yellow';
}

export function DecisionList(props: { storeId: string; releaseId: string }) {
  const api = useApi();
  const decisions = useQuery({
    queryKey: checklistKeys.decisions(props.storeId, props.releaseId),
    queryFn: () => api['decisions:list']({ storeId: props.storeId, releaseId: props.releaseId }),
  });
  return (
    <Paper withBorder radius="md" p="md" data-testid={DECISION_TEST_IDS.list}>
      <Title order={2} size="h3" mb="sm">
        {t('decisions:listTitle')}
      </Title>
      {decisions.isPending ? (
        <LoadingRows rows={3} />
      ) : decisions.isError ? (
        <ErrorState error={decisions.error} onRetry={() => void decisions.refetch()} />
      ) : decisions.data.length === 0 ? (
        <Text size="sm" c="dimmed">
          {t('decisions:noDecisions')}
        </Text>
      ) : (
        <Stack gap="sm">
          {decisions.data.map((d) => (
            <DecisionRow key={d.id} decision={d} />
          ))}
        </Stack>
      )}
    </Paper>
  );
}

function DecisionRow(props: { decision: DecisionView }) {
  const d = props.decision;
  return (
    <Paper
      withBorder
      p="sm"
      radius="sm"
      data-testid={DECISION_TEST_IDS.row}
      data-decision-id={d.id}
      data-decision={d.decision}
    >
      <Group justify="space-between" align="flex-start" wrap="nowrap">
        <Stack gap={2}>
          <Group gap="xs">
            <Badge color={decisionColor(d.decision)} variant="filled">
              {t(`decisions:decisions.${d.decision}`)}
            </Badge>
            <Badge
              color={d.binding.matches ? 'teal' : 'orange'}
              variant="light"
              leftSection={
                d.binding.matches ? <IconLink size={12} /> : <IconAlertTriangle size={12} />
              }
              data-testid={DECISION_TEST_IDS.binding}
              data-matches={d.binding.matches}
            >
              {d.binding.matches ? t('decisions:matches') : t('decisions:noLongerMatching')}
            </Badge>
          </Group>
          <Text size="sm">{d.reason}</Text>
          {d.conditions.length > 0 && (
            <List size="xs">
              {d.conditions.map((c) => (
                <List.Item key={c}>{c}</List.Item>
              ))}
            </List>
          )}
          <Text size="xs" c="dimmed">
            {t('decisions:signedBy', { name: d.signedBy.name, when: formatDateTime(d.signedAt) })} ·{' '}
            {t('decisions:rests', { results: d.resultCount, evidence: d.evidenceCount })}
          </Text>
          {!d.binding.matches && (
            <Stack gap={0}>
              <Text size="xs" c="var(--contrast-warning-text)" fw={600}>
                {t('decisions:noLongerMatchingHint')}
              </Text>
              {d.binding.changes.map((c, i) => (
                <Text key={i} size="xs" c="var(--contrast-warning-text)">
                  • {c.message}
                </Text>
              ))}
            </Stack>
          )}
        </Stack>
        <Button
          size="xs"
          variant="light"
          component={Link}
          to={`/reports/decisions/${encodeURIComponent(d.id)}`}
          leftSection={<IconPrinter size={14} />}
          style={{ flexShrink: 0 }}
          data-testid={DECISION_TEST_IDS.report}
        >
          {t('decisions:report')}
        </Button>
      </Group>
    </Paper>
  );
}
