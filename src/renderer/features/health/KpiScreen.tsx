/**
 * The desk's release KPIs: filters (release, ring, region, store, period)
 * kept in the address, so a health page can link here; each KPI as a bar
 * chart over slices of the period with the same numbers in a table beside
 * it, and the whole view as CSV or JSON. The answer is kept on the console
 * and shown with its age when the central server cannot be reached.
 */
import { useState } from 'react';
import { BarChart } from '@mantine/charts';
import '@mantine/charts/styles.css';
import {
  Autocomplete,
  Button,
  Card,
  Group,
  Select,
  SimpleGrid,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { IconHeartbeat } from '@tabler/icons-react';
import { useQuery } from '@tanstack/react-query';
import { Link, useSearchParams } from 'react-router';
import type { KpiTrend } from '#shared/contract/health.ts';
import { RINGS } from '#shared/domain/releases.ts';
import { useApi } from '../../api/ApiContext.tsx';
import { ErrorState, LoadingRows } from '../../components/QueryState.tsx';
import { ExportButton, pagesOf } from '../../components/ExportButton.tsx';
import { t } from '../../i18n/index.ts';
import { FetchedState } from './FetchedState.tsx';
import { chartValue, formatKpi } from './format.ts';
import { KPI_EXPORT_COLUMNS, kpiExportRows } from './kpiExport.ts';
import { HEALTH_TEST_IDS } from './testIds.ts';

/** The chart's data key and bar colour (a theme colour dark enough on both schemes). */
const VALUE_KEY = 'value';
const BAR_COLOR = 'blue.7';
const FILTER_KEYS = ['release', 'ring', 'region', 'store', 'from', 'to'] as const;
type FilterKey = (typeof FILTER_KEYS)[number];
type Filters = Partial<Record<FilterKey, string>>;

function filtersOf(params: URLSearchParams): Filters {
  const out: Filters = {};
  for (const key of FILTER_KEYS) {
    const value = params.get(key);
    if (value) out[key] = value;
  }
  return out;
}

function KpiCard({ trend, index }: { trend: KpiTrend; index: number }) {
  const total = trend.report.kpis[index]!;
  const name = t(`health:kpi.${total.id}`);
  const data = trend.slices.map((s) => ({
    period: s.from.slice(5),
    [VALUE_KEY]: chartValue(s.kpis[index]!),
  }));
  return (
    <Card withBorder padding="sm" data-testid={HEALTH_TEST_IDS.kpiCard} data-kpi={total.id}>
      <Group justify="space-between" align="baseline" mb={4}>
        <Title order={2} size="h4">
          {name}
        </Title>
        <Text fw={700} data-testid={HEALTH_TEST_IDS.kpiValue}>
          {formatKpi(total)}
        </Text>
      </Group>
      <SimpleGrid cols={2} spacing="sm">
        {/* The table beside it says the same numbers in words; the chart is a picture of them. */}
        <div role="img" aria-label={name}>
          <BarChart
            h={150}
            data={data}
            dataKey="period"
            series={[{ name: VALUE_KEY, label: name, color: BAR_COLOR }]}
            withTooltip={false}
            gridAxis="y"
            tickLine="none"
          />
        </div>
        <Table fz="xs" verticalSpacing={2} withRowBorders={false}>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('health:columns.slice')}</Table.Th>
              <Table.Th ta="right">{t('health:columns.value')}</Table.Th>
              <Table.Th ta="right">{t('health:columns.ratio')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {trend.slices.map((s) => {
              const k = s.kpis[index]!;
              return (
                <Table.Tr key={s.from}>
                  <Table.Td>
                    {t('health:period', { from: s.from.slice(5), to: s.to.slice(5) })}
                  </Table.Td>
                  <Table.Td ta="right">{formatKpi(k)}</Table.Td>
                  <Table.Td ta="right" c="dimmed">{`${k.numerator} / ${k.denominator}`}</Table.Td>
                </Table.Tr>
              );
            })}
            <Table.Tr fw={700}>
              <Table.Td>{t('health:total')}</Table.Td>
              <Table.Td ta="right">{formatKpi(total)}</Table.Td>
              <Table.Td ta="right">{`${total.numerator} / ${total.denominator}`}</Table.Td>
            </Table.Tr>
          </Table.Tbody>
        </Table>
      </SimpleGrid>
    </Card>
  );
}

function FilterBar({ applied, onApply }: { applied: Filters; onApply: (f: Filters) => void }) {
  const api = useApi();
  const [draft, setDraft] = useState<Filters>(applied);
  const releases = useQuery({
    queryKey: ['releases', 'list'],
    queryFn: () => api['releases:list']({}),
  });
  const set = (key: FilterKey) => (value: string | null) =>
    setDraft((d) => ({ ...d, [key]: value ?? '' }));
  return (
    <Group align="flex-end" gap="sm">
      <Autocomplete
        label={t('health:filters.release')}
        placeholder={t('health:filters.releaseHint')}
        data={(releases.data ?? []).map((r) => r.id)}
        value={draft.release ?? ''}
        onChange={set('release')}
        w={200}
      />
      <Select
        label={t('health:filters.ring')}
        placeholder={t('health:filters.anyRing')}
        data={[...RINGS]}
        value={draft.ring ?? null}
        onChange={set('ring')}
        clearable
        w={140}
      />
      <TextInput
        label={t('health:filters.region')}
        value={draft.region ?? ''}
        onChange={(e) => set('region')(e.currentTarget.value)}
        w={140}
      />
      <TextInput
        label={t('health:filters.store')}
        value={draft.store ?? ''}
        onChange={(e) => set('store')(e.currentTarget.value)}
        w={140}
      />
      <TextInput
        type="date"
        label={t('health:filters.from')}
        value={draft.from ?? ''}
        onChange={(e) => set('from')(e.currentTarget.value)}
        w={150}
      />
      <TextInput
        type="date"
        label={t('health:filters.to')}
        value={draft.to ?? ''}
        onChange={(e) => set('to')(e.currentTarget.value)}
        w={150}
      />
      <Button data-testid={HEALTH_TEST_IDS.apply} onClick={() => onApply(draft)}>
        {t('health:filters.apply')}
      </Button>
    </Group>
  );
}

export function KpiScreen() {
  const api = useApi();
  const [params, setParams] = useSearchParams();
  const filters = filtersOf(params);
  const connection = useQuery({
    queryKey: ['desk', 'connection'],
    queryFn: () => api['desk:connection']({}),
  });
  const isDesk = connection.data?.isConnected === true;
  const kpis = useQuery({
    queryKey: ['health', 'kpis', filters],
    // A hand-edited address may hold a wrong ring or date: the back end refuses it, naming the field.
    queryFn: () => api['health:kpis'](filters as Parameters<(typeof api)['health:kpis']>[0]),
    enabled: isDesk,
  });
  const apply = (f: Filters) => {
    const next = new URLSearchParams();
    for (const key of FILTER_KEYS) if (f[key]) next.set(key, f[key]);
    setParams(next);
  };
  const trend = kpis.data?.value ?? null;
  return (
    <Stack data-testid={HEALTH_TEST_IDS.kpiScreen} gap="sm">
      <Group justify="space-between" align="flex-end">
        <div>
          <Title order={1}>{t('health:kpisTitle')}</Title>
          <Text size="sm" c="dimmed">
            {t('health:kpisSubtitle')}
          </Text>
        </div>
        <Group>
          {filters.release && (
            <Button
              component={Link}
              to={`/health/releases/${encodeURIComponent(filters.release)}`}
              variant="light"
              leftSection={<IconHeartbeat size={16} />}
              data-testid={HEALTH_TEST_IDS.openRelease}
            >
              {t('health:filters.health')}
            </Button>
          )}
          {trend && (
            <ExportButton
              what={t('health:exportWhat')}
              columns={KPI_EXPORT_COLUMNS}
              total={kpiExportRows(trend).length}
              loadPage={pagesOf(kpiExportRows(trend))}
            />
          )}
        </Group>
      </Group>
      {connection.isSuccess && !isDesk ? (
        <Group>
          <Text>{t('health:notDesk')}</Text>
          <Button component={Link} to="/desk" variant="light">
            {t('health:openStores')}
          </Button>
        </Group>
      ) : (
        <>
          <FilterBar key={params.toString()} applied={filters} onApply={apply} />
          {kpis.isError && <ErrorState error={kpis.error} onRetry={() => void kpis.refetch()} />}
          {kpis.isPending && isDesk && <LoadingRows />}
          {kpis.data && <FetchedState fetched={kpis.data} />}
          {trend && (
            <>
              <Text size="sm" c="dimmed">
                {t('health:period', {
                  from: trend.report.filters.from,
                  to: trend.report.filters.to,
                })}
              </Text>
              <SimpleGrid cols={{ base: 1, lg: 2 }} spacing="sm">
                {trend.report.kpis.map((k, i) => (
                  <KpiCard key={k.id} trend={trend} index={i} />
                ))}
              </SimpleGrid>
            </>
          )}
        </>
      )}
    </Stack>
  );
}
