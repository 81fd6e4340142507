import { Group, Paper, Stack, Text, Title, CloseButton, Badge } from '@mantine/core';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useNavigate, useParams } from 'react-router';
import { useShallow } from 'zustand/react/shallow';
import { useApi } from '../../api/ApiContext.tsx';
import { useCan } from '../../api/permissions.ts';
import { queryKeys } from '../../api/queryKeys.ts';
import { Empty, ErrorState, LoadingRows } from '../../components/QueryState.tsx';
import contrast from '../../components/contrast.module.css';
import { useAppStore } from '../../state/store.ts';
import { FleetFilters } from './FleetFilters.tsx';
import { matrixFilterOf, tableFilterOf } from './fleetFilters.ts';
import { FleetKpis } from './FleetKpis.tsx';
import classes from './FleetScreen.module.css';
import { ReleaseMatrix } from './ReleaseMatrix.tsx';
import { TerminalDrawer } from './TerminalDrawer.tsx';
import { TerminalTable } from './TerminalTable.tsx';
import { t } from '../../i18n/index.ts';

/** Fleet: KPIs, the release matrix, and the terminal table; a terminal opens in a drawer (/fleet/terminals/:id). */
export function FleetScreen() {
  const api = useApi();
  const navigate = useNavigate();
  const { terminalId } = useParams();
  const { filter, cell, search, sort, setCell, setSort } = useAppStore(
    useShallow((s) => ({
      filter: s.fleetFilter,
      cell: s.cellSelection,
      search: s.terminalSearch,
      sort: s.terminalSort,
      setCell: s.setCellSelection,
      setSort: s.setTerminalSort,
    })),
  );
  const matrixFilter = matrixFilterOf(filter, search);
  const matrix = useQuery({
    queryKey: queryKeys.matrix(matrixFilter),
    queryFn: () => api['fleet:matrix'](matrixFilter),
    placeholderData: keepPreviousData,
  });
  const options = useQuery({
    queryKey: queryKeys.filterOptions(),
    queryFn: () => api['fleet:filterOptions']({}),
  });
  const tableFilter = tableFilterOf(filter, cell, search);

  // The contract's roles decide, as for every other action (one rule: api/permissions.ts).
  const canRecord = useCan('fleet:recordVersion').allowed;

  const selectedStore = cell ? matrix.data?.stores.find((s) => s.id === cell.storeId) : undefined;
  const selectedVersion = cell
    ? (matrix.data?.releases.find((r) => r.id === cell.releaseId)?.version ??
      t('common:unknownVersion'))
    : '';

  return (
    <div className={`${classes.screen} ${contrast.contrast}`}>
      <Group justify="space-between" align="flex-end" wrap="wrap" gap="sm">
        <div>
          <Title order={3}>{t('fleet:title')}</Title>
          <Text size="sm" c="dimmed">
            {t('fleet:subtitle')}
          </Text>
        </div>
        {matrix.data && <FleetKpis totals={matrix.data.totals} />}
      </Group>
      <FleetFilters options={options.data} />
      <Paper className={classes.section}>
        <Group justify="space-between" mb={6}>
          <Text fw={600} size="sm">
            {t('fleet:matrixTitle')}
          </Text>
          <Text size="xs" c="dimmed">
            {t('fleet:matrixHint')}
          </Text>
        </Group>
        {matrix.isPending && <LoadingRows rows={5} />}
        {matrix.isError && (
          <ErrorState error={matrix.error} onRetry={() => void matrix.refetch()} />
        )}
        {matrix.data && matrix.data.stores.length === 0 && <Empty title={t('fleet:matrixEmpty')} />}
        {matrix.data && matrix.data.stores.length > 0 && (
          <ReleaseMatrix matrix={matrix.data} selection={cell} onSelect={setCell} />
        )}
      </Paper>
      <Stack gap={4} className={classes.tableSection}>
        <Group justify="space-between">
          <Text fw={600} size="sm">
            {t('fleet:tableTitle')}
          </Text>
          {cell && (
            <Badge
              variant="light"
              size="lg"
              rightSection={
                <CloseButton
                  size="xs"
                  onClick={() => setCell(null)}
                  aria-label={t('fleet:clearFilters')}
                />
              }
            >
              {t('fleet:cellSelection', {
                store: selectedStore?.name ?? cell.storeId,
                version: selectedVersion,
              })}
            </Badge>
          )}
        </Group>
        {matrix.data?.totals.terminals === 0 && Object.keys(tableFilter).length === 0 ? (
          <Empty title={t('fleet:noFleetTitle')} description={t('fleet:noFleetHint')} />
        ) : (
          <TerminalTable
            filter={tableFilter}
            sort={sort}
            onSortChange={setSort}
            selectedId={terminalId ?? null}
            onOpen={(id) => void navigate(`/fleet/terminals/${encodeURIComponent(id)}`)}
          />
        )}
      </Stack>
      <TerminalDrawer
        terminalId={terminalId ?? null}
        canRecord={canRecord}
        onClose={() => void navigate('/fleet')}
      />
    </div>
  );
}
