/**
 * One release's health, as a release manager reads it: the verdict and the
 * rule that produced it first, then the rollout, the health signals beside
 * the previous release at the same point of its rollout, and the open bug
 * reports by severity. Kept on the console for offline viewing, with its age.
 */
import {
  Alert,
  Anchor,
  Card,
  Group,
  Progress,
  SimpleGrid,
  Stack,
  Table,
  Text,
  Title,
} from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { Link, useParams } from 'react-router';
import type { ReleaseHealth } from '#shared/kpis/health.ts';
import { useApi } from '../../api/ApiContext.tsx';
import { ErrorState, LoadingRows } from '../../components/QueryState.tsx';
import { t } from '../../i18n/index.ts';
import { FetchedState } from './FetchedState.tsx';
import { formatKpi } from './format.ts';
import { HEALTH_TEST_IDS } from './testIds.ts';
import { VerdictBadge } from './VerdictBadge.tsx';

const SEVERITIES = ['blocker', 'major', 'minor'] as const;
const VERDICT_COLOR = { healthy: 'teal', watch: 'orange', act: 'red' } as const;

function Rollout({ h }: { h: ReleaseHealth }) {
  const r = h.rollout;
  return (
    <Card withBorder padding="sm" data-testid={HEALTH_TEST_IDS.rollout}>
      <Title order={2} size="h4" mb={6}>
        {t('health:rollout')}
      </Title>
      <Progress
        value={Math.round(r.share * 100)}
        size="lg"
        aria-label={t('health:rolloutTerminals', {
          on: r.terminalsOnRelease,
          of: r.terminalsInScope,
        })}
      />
      <Group justify="space-between" mt={6}>
        <Text size="sm">
          {t('health:rolloutTerminals', { on: r.terminalsOnRelease, of: r.terminalsInScope })}
        </Text>
        <Text size="sm">
          {t('health:rolloutStores', { on: r.storesOnRelease, of: r.storesInScope })}
        </Text>
      </Group>
    </Card>
  );
}

function OpenBugs({ h }: { h: ReleaseHealth }) {
  return (
    <Card withBorder padding="sm" data-testid={HEALTH_TEST_IDS.openBugs}>
      <Title order={2} size="h4" mb={6}>
        {t('health:openBugs')}
      </Title>
      <Group gap="xl">
        {SEVERITIES.map((s) => (
          <div key={s} data-severity={s}>
            <Text size="xl" fw={700} c={s === 'blocker' && h.openBugs[s] > 0 ? 'red.8' : undefined}>
              {h.openBugs[s]}
            </Text>
            <Text size="sm">{t(`health:severity.${s}`)}</Text>
          </div>
        ))}
      </Group>
    </Card>
  );
}

function Signals({ h }: { h: ReleaseHealth }) {
  const previous = h.previous;
  return (
    <Card withBorder padding="sm" data-testid={HEALTH_TEST_IDS.signals}>
      <Title order={2} size="h4">
        {t('health:signals')}
      </Title>
      <Text size="xs" c="dimmed" mb={6}>
        {previous
          ? t('health:signalsHint', {
              version: previous.version,
              from: previous.period.from,
              to: previous.period.to,
            })
          : t('health:noPrevious')}
      </Text>
      <Table fz="sm" verticalSpacing={4}>
        <Table.Thead>
          <Table.Tr>
            <Table.Th />
            <Table.Th ta="right">{t('health:thisRelease')}</Table.Th>
            {previous && <Table.Th ta="right">{t('health:previousRelease')}</Table.Th>}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {h.kpis.map((k) => {
            const before = previous?.kpis.find((p) => p.id === k.id);
            return (
              <Table.Tr key={k.id} data-kpi={k.id}>
                <Table.Td>{t(`health:kpi.${k.id}`)}</Table.Td>
                <Table.Td ta="right" fw={600}>
                  {formatKpi(k)}
                </Table.Td>
                {previous && <Table.Td ta="right">{before ? formatKpi(before) : ''}</Table.Td>}
              </Table.Tr>
            );
          })}
        </Table.Tbody>
      </Table>
    </Card>
  );
}

export function ReleaseHealthScreen() {
  const api = useApi();
  const { releaseId = '' } = useParams();
  const health = useQuery({
    queryKey: ['health', 'release', releaseId],
    queryFn: () => api['health:release']({ releaseId }),
  });
  const h = health.data?.value ?? null;
  return (
    <Stack data-testid={HEALTH_TEST_IDS.releaseScreen} gap="sm">
      <Group justify="space-between" align="flex-end">
        <Title order={1}>{t('health:releaseTitle', { version: h?.version ?? releaseId })}</Title>
        <Group gap="md">
          <Anchor
            component={Link}
            to={`/reports/compliance?releaseId=${encodeURIComponent(releaseId)}`}
          >
            {t('compliance:title')}
          </Anchor>
          <Anchor component={Link} to={`/health?release=${encodeURIComponent(releaseId)}`}>
            {t('health:kpisTitle')}
          </Anchor>
        </Group>
      </Group>
      {health.isError && <ErrorState error={health.error} onRetry={() => void health.refetch()} />}
      {health.isPending && <LoadingRows />}
      {health.data && <FetchedState fetched={health.data} />}
      {h && (
        <>
          <Alert
            color={VERDICT_COLOR[h.verdict.verdict]}
            data-testid={HEALTH_TEST_IDS.verdict}
            data-verdict={h.verdict.verdict}
            title={
              <Group gap="sm">
                <Text fw={700}>{t('health:verdictTitle')}</Text>
                <VerdictBadge verdict={h.verdict.verdict} />
              </Group>
            }
          >
            <Text size="sm">{t(`health:rule.${h.verdict.rule}`)}</Text>
            <Text size="xs" c="dimmed">
              {t('health:ruleLabel', { rule: h.verdict.rule })}
            </Text>
          </Alert>
          <SimpleGrid cols={{ base: 1, md: 2 }} spacing="sm">
            <Stack gap="sm">
              <Rollout h={h} />
              <OpenBugs h={h} />
            </Stack>
            <Signals h={h} />
          </SimpleGrid>
        </>
      )}
    </Stack>
  );
}
