/**
 * A deployment's timeline: every visit of a step in order (forward and
 * rollback), who acted, when on the store's clock, how long it took, how long
 * an intervention waited for someone to claim it, and how it ended; above
 * it, the metrics strip (time to deploy with manual waiting, outcome,
 * rollbacks). Everything comes from the view's timeline and metrics, which
 * are derived from the journal alone.
 */
import { Badge, Group, Paper, SimpleGrid, Stack, Table, Text, Title } from '@mantine/core';
import type { DeploymentView } from '#shared/contract/deployments.ts';
import { usePeople } from '#renderer/api/usePeople.ts';
import contrast from '#renderer/components/contrast.module.css';
import { useStores } from '../../checklists/queries.ts';
import { formatDuration, storeTimeParts } from './format.ts';
import { TIMELINE_TEST_IDS } from './testIds.ts';
import {
  actionVerb,
  metricTiles,
  OUTCOME_COLORS,
  rollbackCount,
  stepActors,
  stepOutcome,
} from './timelineRows.ts';
import { t } from '#renderer/i18n/index.ts';

// A table cell may shrink below a badge's text (the label clips by default): the word must stay whole.
const WHOLE_LABEL = { label: { overflow: 'visible' } } as const;

function StoreTime(props: { at: number | null; zone: string }) {
  if (props.at === null) {
    return (
      <Text size="xs" c="dimmed" fs="italic">
        {t('timeline:notYet')}
      </Text>
    );
  }
  const term = storeTimeParts(props.at, props.zone);
  return (
    <div>
      <Text size="sm" ff="monospace">
        {term.time}
      </Text>
      <Text size="xs" c="dimmed">
        {term.date}
      </Text>
    </div>
  );
}

export function DeploymentTimeline({ view }: { view: DeploymentView }) {
  const stores = useStores();
  const nameOf = usePeople();
  const zone = stores.data?.find((s) => s.id === view.state.plan.storeId)?.timezone ?? 'UTC';
  const zoneName =
    view.state.startedAt === null
      ? zone
      : `${zone}, ${storeTimeParts(view.state.startedAt, zone).zone}`;
  const terminalName = (terminalId: string | null) =>
    view.state.plan.terminals.find((term) => term.terminalId === terminalId)?.name ?? terminalId;
  // A deployment still going: time from its start to its last action (from the journal, like every metric).
  const lastAt = view.state.history.at(-1)?.at ?? null;
  const elapsedMs =
    view.state.startedAt !== null && view.state.finishedAt === null && lastAt !== null
      ? lastAt - view.state.startedAt
      : null;
  const tiles = metricTiles(view.metrics, rollbackCount(view.state.history), elapsedMs);

  return (
    <Stack gap="sm" className={contrast.contrast} data-testid={TIMELINE_TEST_IDS.timeline}>
      <SimpleGrid cols={{ base: 2, md: 5 }} spacing="xs" data-testid={TIMELINE_TEST_IDS.metrics}>
        {tiles.map((tile) => (
          <Paper
            key={tile.key}
            withBorder
            p="xs"
            radius="sm"
            data-testid={TIMELINE_TEST_IDS.metric}
            data-metric={tile.key}
          >
            <Text size="xs" c="dimmed" tt="uppercase" fw={600}>
              {tile.label}
            </Text>
            <Text size="lg" fw={700}>
              {tile.value}
            </Text>
            <Text size="xs" c="dimmed">
              {tile.hint}
            </Text>
          </Paper>
        ))}
      </SimpleGrid>
      <Group justify="space-between" align="baseline">
        <Title order={2}>{t('timeline:title')}</Title>
        <Text size="xs" c="dimmed">
          {t('timeline:storeClock', { zone: zoneName })}
        </Text>
      </Group>
      {view.timeline.length === 0 ? (
        <Text size="sm" c="dimmed">
          {t('timeline:empty')}. {t('timeline:emptyHint')}
        </Text>
      ) : (
        <Table.ScrollContainer minWidth={900}>
          <Table striped withTableBorder verticalSpacing={4} horizontalSpacing="xs" fz="sm">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('timeline:columns.n')}</Table.Th>
                <Table.Th>{t('timeline:columns.phase')}</Table.Th>
                <Table.Th>{t('timeline:columns.step')}</Table.Th>
                <Table.Th>{t('timeline:columns.by')}</Table.Th>
                <Table.Th>{t('timeline:columns.started')}</Table.Th>
                <Table.Th>{t('timeline:columns.finished')}</Table.Th>
                <Table.Th style={{ textAlign: 'right' }}>{t('timeline:columns.duration')}</Table.Th>
                <Table.Th style={{ textAlign: 'right' }}>{t('timeline:columns.waiting')}</Table.Th>
                <Table.Th>{t('timeline:columns.outcome')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {view.timeline.map((step, i) => {
                const outcome = stepOutcome(step);
                const actors = stepActors(step);
                return (
                  <Table.Tr
                    key={`${step.phase}-${step.wave}-${step.stepId}-${step.startedAt}`}
                    data-testid={TIMELINE_TEST_IDS.row}
                    data-phase={step.phase}
                  >
                    <Table.Td>{i + 1}</Table.Td>
                    <Table.Td style={{ whiteSpace: 'nowrap' }}>
                      <Badge
                        styles={WHOLE_LABEL}
                        size="sm"
                        variant="light"
                        tt="none"
                        color={step.phase === 'rollback' ? 'orange' : 'blue'}
                      >
                        {t(`domain:phase.${step.phase}`)}
                      </Badge>
                      <Text size="xs" c="dimmed">
                        {t(`domain:wave.${step.wave}`)}
                      </Text>
                    </Table.Td>
                    <Table.Td>
                      <Text size="sm" fw={500}>
                        {step.title}
                      </Text>
                      <Text size="xs" c="dimmed">
                        {t(`domain:stepKind.${step.kind}`)}
                      </Text>
                      {step.entries.map((entry, j) => (
                        <Text key={j} size="xs" c="dimmed">
                          {storeTimeParts(entry.at, zone).time.slice(0, 5)}{' '}
                          {nameOf(entry.actor.userId)} {actionVerb(entry.action)}
                          {entry.terminalId !== null && ` (${terminalName(entry.terminalId)})`}
                          {entry.note !== null && entry.note !== '' && `: ${entry.note}`}
                        </Text>
                      ))}
                    </Table.Td>
                    <Table.Td style={{ whiteSpace: 'nowrap' }}>
                      {actors.length === 0 ? t('timeline:nobody') : actors.map(nameOf).join(', ')}
                    </Table.Td>
                    <Table.Td style={{ whiteSpace: 'nowrap' }}>
                      <StoreTime at={step.startedAt} zone={zone} />
                    </Table.Td>
                    <Table.Td style={{ whiteSpace: 'nowrap' }}>
                      <StoreTime at={step.endedAt} zone={zone} />
                    </Table.Td>
                    <Table.Td style={{ textAlign: 'right', whiteSpace: 'nowrap' }}>
                      {formatDuration(step.durationMs)}
                    </Table.Td>
                    <Table.Td style={{ textAlign: 'right', whiteSpace: 'nowrap' }}>
                      {step.kind === 'intervention' ? formatDuration(step.waitedForClaimMs) : ''}
                    </Table.Td>
                    <Table.Td data-testid={TIMELINE_TEST_IDS.outcome} data-outcome={outcome.kind}>
                      <Badge
                        styles={WHOLE_LABEL}
                        size="sm"
                        color={OUTCOME_COLORS[outcome.kind]}
                        variant={outcome.kind === 'done' ? 'light' : 'filled'}
                      >
                        {t(`timeline:outcome.${outcome.kind}`)}
                      </Badge>
                      {outcome.reason !== null && outcome.reason !== '' && (
                        <Text size="xs">{outcome.reason}</Text>
                      )}
                      {outcome.failuresBefore.length > 0 && (
                        <Text size="xs" c="dimmed">
                          {t('timeline:failedBefore', {
                            reasons: outcome.failuresBefore.join('; '),
                          })}
                        </Text>
                      )}
                    </Table.Td>
                  </Table.Tr>
                );
              })}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
    </Stack>
  );
}
