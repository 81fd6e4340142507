/**
 * The release desk's progression: one release across every store in the
 * desk's scope (release × ring × store). A table of counts per ring and
 * state on top (a count filters the list to those stores), then the stores,
 * virtualized with the fleet table's fixed-row windowing (5,000 stores are
 * fetched a window at a time), each opening the desk's store drill-down
 * (terminals, runs, checklists, decisions).
 */
import { useEffect, useState } from 'react';
import { Link } from 'react-router';
import {
  Alert,
  Anchor,
  Badge,
  Box,
  Button,
  Group,
  Select,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
  UnstyledButton,
} from '@mantine/core';
import { IconRefresh } from '@tabler/icons-react';
import { keepPreviousData, useQuery, useQueryClient } from '@tanstack/react-query';
import {
  PROGRESSION_STATES,
  type ProgressionState,
  type ProgressionStore,
} from '#shared/desk/progression.ts';
import type { ReleaseProgression } from '#shared/contract/releaseDesk.ts';
import { RINGS, type Ring } from '#shared/domain/releases.ts';
import { useApi } from '../../api/ApiContext.tsx';
import { useFixedRowWindow } from '../../components/fixedRowWindow.ts';
import { Empty, ErrorState, LoadingRows } from '../../components/QueryState.tsx';
import { formatCount } from '../../components/format.ts';
import { t } from '../../i18n/index.ts';
import { StoreDetail } from '../desk/StoresScreen.tsx';
import { ageOf } from '../desk/text.ts';
import classes from './ProgressionScreen.module.css';
import {
  DESK_CONNECTION_KEY,
  PROGRESSION_PAGE as PAGE,
  RELEASE_LIST_KEY,
  progressionHeadKey,
} from './prefetch.ts';
import { ReleaseActions } from './ReleaseActions.tsx';
import { DeskViews } from './DeskViews.tsx';
import { DeskRiskPanel } from '../riskComms/DeskRiskPanel.tsx';
import { RELEASE_DESK_TEST_IDS } from './testIds.ts';

const ROW_HEIGHT = 40;
/** The ring's cell heads its row of counts (for screen readers). */
const ROW_SCOPE = 'row';

/** Colours a release manager reads at a glance: grey waiting, blue moving, teal good, red and orange attention. */
const STATE_COLOR: Record<ProgressionState, string> = {
  not_started: 'gray',
  scheduled: 'blue',
  in_progress: 'cyan',
  installed: 'indigo',
  go: 'teal',
  no_go: 'red',
  failed: 'red',
  rolled_back: 'orange',
  blocked: 'grape',
};

type Filter = { ring: Ring | null; state: ProgressionState | null; search: string };

function StateBadge({ state }: { state: ProgressionState }) {
  return (
    <Badge
      color={STATE_COLOR[state]}
      variant="light"
      size="sm"
      data-testid={RELEASE_DESK_TEST_IDS.state}
      data-state={state}
    >
      {t(`releaseDesk:states.${state}`)}
    </Badge>
  );
}

function ProgressionSummary({
  data,
  filter,
  onPick,
}: {
  data: ReleaseProgression;
  filter: Filter;
  onPick: (ring: Ring, state: ProgressionState | null) => void;
}) {
  return (
    <Box data-testid={RELEASE_DESK_TEST_IDS.summary}>
      <Table
        className={classes.summary}
        withTableBorder
        striped
        verticalSpacing={4}
        fz="sm"
        captionSide="top"
      >
        <Table.Caption>{t('releaseDesk:summaryCaption')}</Table.Caption>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('releaseDesk:ring')}</Table.Th>
            {PROGRESSION_STATES.map((s) => (
              <Table.Th key={s}>{t(`releaseDesk:states.${s}`)}</Table.Th>
            ))}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {data.rings.map((r) => (
            <Table.Tr key={r.ring} data-ring={r.ring}>
              <Table.Th scope={ROW_SCOPE}>
                <UnstyledButton onClick={() => onPick(r.ring, null)}>
                  <Text size="sm" fw={600} span>
                    {t(`releaseDesk:rings.${r.ring}`)}
                  </Text>{' '}
                  <Text size="xs" c="dimmed" span>
                    {t('releaseDesk:storesInRing', { n: formatCount(r.stores) })} ·{' '}
                    {r.targetReleaseId
                      ? t('releaseDesk:target', { release: r.targetReleaseId })
                      : t('releaseDesk:noTarget')}
                  </Text>
                </UnstyledButton>
              </Table.Th>
              {PROGRESSION_STATES.map((s) => {
                const n = r.counts[s] ?? 0;
                const isPicked = filter.ring === r.ring && filter.state === s;
                return (
                  <Table.Td key={s} data-state={s}>
                    {n === 0 ? (
                      <Text size="sm" c="dimmed" span>
                        0
                      </Text>
                    ) : (
                      <UnstyledButton
                        onClick={() => onPick(r.ring, s)}
                        aria-pressed={isPicked}
                        aria-label={t('releaseDesk:filterBy', {
                          n: formatCount(n),
                          ring: t(`releaseDesk:rings.${r.ring}`),
                          state: t(`releaseDesk:states.${s}`),
                        })}
                      >
                        <Badge
                          color={STATE_COLOR[s]}
                          variant={isPicked ? 'filled' : 'light'}
                          size="md"
                        >
                          {formatCount(n)}
                        </Badge>
                      </UnstyledButton>
                    )}
                  </Table.Td>
                );
              })}
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Box>
  );
}

function StoreRow({
  row,
  top,
  onOpen,
}: {
  row: ProgressionStore | undefined;
  top: number;
  onOpen: (row: ProgressionStore) => void;
}) {
  if (!row) return <div className={classes.row} style={{ top }} aria-busy="true" />;
  return (
    <div
      className={classes.row}
      style={{ top }}
      role="row"
      tabIndex={0}
      data-testid={RELEASE_DESK_TEST_IDS.row}
      data-store={row.storeId}
      onClick={() => onOpen(row)}
      onKeyDown={(e) => {
        if (e.key === 'Enter') onOpen(row);
      }}
    >
      <div className={classes.cell} role="cell">
        <Text size="sm" fw={600} span>
          {row.name}
        </Text>{' '}
        <Text size="xs" c="dimmed" span>
          {row.storeId}
        </Text>
      </div>
      <div className={classes.cell} role="cell">
        {row.region}
      </div>
      <div className={classes.cell} role="cell">
        {RINGS.includes(row.ring as Ring) ? t(`releaseDesk:rings.${row.ring as Ring}`) : row.ring}
      </div>
      <div className={classes.cell} role="cell">
        <StateBadge state={row.state} />
      </div>
      <div className={classes.cell} role="cell">{`${row.installed} / ${row.terminals}`}</div>
      <div className={classes.cell} role="cell">
        {row.decision ? (
          t('releaseDesk:decision', {
            decision: row.decision.decision,
            by: row.decision.signedBy,
            ago: ageOf(row.decision.signedAt),
          })
        ) : (
          <Text size="sm" c="dimmed" span>
            {t('releaseDesk:noDecision')}
          </Text>
        )}
      </div>
      <div className={classes.cell} role="cell">
        {row.deployment ? (
          t('releaseDesk:deployment', {
            status: row.deployment.status.replaceAll('_', ' '),
            ago: ageOf(row.deployment.updatedAt),
          })
        ) : (
          <Text size="sm" c="dimmed" span>
            {t('releaseDesk:noDeployment')}
          </Text>
        )}
      </div>
    </div>
  );
}

const COLUMNS = [
  'store',
  'region',
  'ring',
  'state',
  'installed',
  'decision',
  'deployment',
] as const;

function StoresTable(props: {
  head: ReleaseProgression;
  fetchPage: (page: number) => Promise<ReleaseProgression>;
  filterKey: string;
  onOpen: (row: ProgressionStore) => void;
}) {
  const { head, filterKey, onOpen } = props;
  const { attachScrollBox, onScroll, scrollToTop, totalHeight, rows, range } = useFixedRowWindow({
    count: head.total,
    rowHeight: ROW_HEIGHT,
    overscan: 8,
    initialViewportHeight: 400,
  });
  useEffect(() => scrollToTop(), [filterKey, scrollToTop]);
  // The first page is the head itself (always the current filter's); later pages are fetched as
  // they scroll into view. Caching the head here too kept the previous filter's rows under the new key.
  const firstPage = Math.max(1, Math.floor(Math.max(0, range.first) / PAGE));
  const lastPage = Math.floor(Math.max(0, range.last) / PAGE);
  const pages = useQuery({
    queryKey: ['desk', 'progressionPages', filterKey, firstPage, lastPage],
    queryFn: async () => {
      const out = new Map<number, ProgressionStore[]>();
      for (let p = firstPage; p <= lastPage; p++) out.set(p, (await props.fetchPage(p)).stores);
      return { filterKey, pages: out };
    },
    enabled: lastPage >= firstPage,
    placeholderData: keepPreviousData,
  });
  // While scrolling, the pages before are kept in view; another filter's pages never are.
  const later = pages.data?.filterKey === filterKey ? pages.data.pages : undefined;
  const rowAt = (i: number) =>
    i < PAGE ? head.stores[i] : later?.get(Math.floor(i / PAGE))?.[i % PAGE];
  return (
    <div
      className={classes.frame}
      role="table"
      aria-rowcount={head.total}
      data-testid={RELEASE_DESK_TEST_IDS.table}
    >
      <div className={classes.header} role="row">
        {COLUMNS.map((key) => (
          <div key={key} className={classes.cell} role="columnheader">
            {t(`releaseDesk:columns.${key}`)}
          </div>
        ))}
      </div>
      {head.total === 0 ? (
        <Box py="lg">
          <Empty title={t('releaseDesk:empty')} />
        </Box>
      ) : (
        <div ref={attachScrollBox} onScroll={onScroll} className={classes.scroll}>
          <div style={{ height: totalHeight, position: 'relative' }}>
            {rows.map((r) => (
              <StoreRow key={r.index} row={rowAt(r.index)} top={r.start} onOpen={onOpen} />
            ))}
          </div>
        </div>
      )}
    </div>
  );
}

export function ProgressionScreen() {
  const api = useApi();
  const client = useQueryClient();
  const connection = useQuery({
    queryKey: DESK_CONNECTION_KEY,
    queryFn: () => api['desk:connection']({}),
  });
  const releases = useQuery({
    queryKey: RELEASE_LIST_KEY,
    queryFn: () => api['releases:list']({}),
  });
  const [releaseId, setReleaseId] = useState<string | null>(null);
  const [filter, setFilter] = useState<Filter>({ ring: null, state: null, search: '' });
  const [openStore, setOpenStore] = useState<ProgressionStore | null>(null);
  const release = releaseId ?? releases.data?.[0]?.id ?? null;
  const query = {
    ring: filter.ring ?? undefined,
    state: filter.state ?? undefined,
    search: filter.search.trim() || undefined,
  };
  const filterKey = JSON.stringify([release, query]);
  const fetchPage = (page: number) =>
    api['releaseDesk:progression']({
      releaseId: release!,
      ...query,
      offset: page * PAGE,
      limit: PAGE,
    });
  const head = useQuery({
    queryKey: progressionHeadKey(release, query),
    queryFn: () => fetchPage(0),
    enabled: release !== null && connection.data?.isConnected === true,
    placeholderData: keepPreviousData,
  });

  const refresh = () => {
    // The gates and their reasons are read again too: a decision or a fixed bug changes them.
    void head.refetch();
    void client.invalidateQueries({ queryKey: ['desk', 'releaseState', release] });
  };

  if (connection.isPending) return <LoadingRows rows={6} />;
  if (connection.isError || !connection.data.isConnected)
    return (
      <Stack gap="sm">
        <Title order={1}>{t('releaseDesk:title')}</Title>
        {connection.isError ? (
          <ErrorState error={connection.error} />
        ) : (
          <Alert color="blue">
            {t('releaseDesk:notConnected')}{' '}
            <Anchor component={Link} to="/desk">
              {t('releaseDesk:connectOnDesk')}
            </Anchor>
          </Alert>
        )}
      </Stack>
    );
  const scope = connection.data.scope ?? '';
  return (
    <Stack gap="sm" data-testid={RELEASE_DESK_TEST_IDS.screen}>
      <Group justify="space-between" align="flex-end">
        <div>
          <Title order={1}>{t('releaseDesk:title')}</Title>
          <Text size="sm" c="dimmed">
            {t('releaseDesk:subtitle', {
              scope:
                scope === 'all'
                  ? t('desk:allStores')
                  : t('desk:regionScope', { name: scope.replace('region:', '') }),
            })}
          </Text>
        </div>
        <Group gap="xs">
          <DeskViews />
          {head.data && (
            <Text size="sm" c="dimmed">
              {t('releaseDesk:asOf', { ago: ageOf(head.data.asOf) })}
            </Text>
          )}
          <Button
            variant="default"
            leftSection={<IconRefresh size={16} />}
            loading={head.isFetching}
            disabled={release === null}
            onClick={refresh}
          >
            {t('releaseDesk:refresh')}
          </Button>
        </Group>
      </Group>
      <Group gap="sm" align="flex-end">
        <Select
          label={t('releaseDesk:release')}
          data={(releases.data ?? []).map((r) => ({
            value: r.id,
            label: `${r.version} · ${r.title}`,
          }))}
          value={release}
          onChange={setReleaseId}
          w={260}
          searchable
        />
        <Select
          label={t('releaseDesk:ring')}
          placeholder={t('releaseDesk:allRings')}
          data={RINGS.map((r) => ({ value: r, label: t(`releaseDesk:rings.${r}`) }))}
          value={filter.ring}
          onChange={(v) => setFilter((f) => ({ ...f, ring: v }))}
          clearable
          w={170}
        />
        <Select
          label={t('releaseDesk:state')}
          placeholder={t('releaseDesk:allStates')}
          data={PROGRESSION_STATES.map((s) => ({ value: s, label: t(`releaseDesk:states.${s}`) }))}
          value={filter.state}
          onChange={(v) => setFilter((f) => ({ ...f, state: v }))}
          clearable
          w={190}
        />
        <TextInput
          label={t('releaseDesk:search')}
          value={filter.search}
          onChange={(e) => {
            const search = e.currentTarget.value;
            setFilter((f) => ({ ...f, search }));
          }}
          w={200}
        />
        {head.data && (
          <Text size="sm" c="dimmed" mb={8} data-testid={RELEASE_DESK_TEST_IDS.total}>
            {t('releaseDesk:count', { n: formatCount(head.data.total) })}
          </Text>
        )}
      </Group>
      {head.isPending && release !== null && <LoadingRows rows={10} height={ROW_HEIGHT} />}
      {head.isError && <ErrorState error={head.error} onRetry={() => void head.refetch()} />}
      {release !== null && <ReleaseActions releaseId={release} />}
      {release !== null && <DeskRiskPanel releaseId={release} />}
      {head.data && (
        <>
          <Title order={2} size="h4">
            {t('releaseDesk:summaryTitle')}
          </Title>
          <ProgressionSummary
            data={head.data}
            filter={filter}
            onPick={(ring, state) => setFilter((f) => ({ ...f, ring, state }))}
          />
          <StoresTable
            head={head.data}
            fetchPage={fetchPage}
            filterKey={filterKey}
            onOpen={setOpenStore}
          />
        </>
      )}
      {release !== null && (
        <StoreDetail store={openStore} releaseId={release} onClose={() => setOpenStore(null)} />
      )}
    </Stack>
  );
}
