/**
 * The desk's first screen: the stores in the desk's scope with
 * their state for a chosen release — installed counts, drift, latest
 * go / no-go, open deployments and the last sync of each console — read from
 * the central read models, kept on this console for offline viewing and
 * labelled with its age. Virtualized with the fleet table's fixed-row
 * windowing; a row opens the store's terminals and latest records.
 */
import { useEffect, useState } from 'react';
import {
  Alert,
  Badge,
  Box,
  Button,
  Drawer,
  Group,
  Select,
  Stack,
  Switch,
  Table,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { IconCloudDownload, IconPlugConnected, IconWifiOff } from '@tabler/icons-react';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { DeskStoreRow, DeskStoresWindow } from '#shared/contract/desk.ts';
import { useApi } from '../../api/ApiContext.tsx';
import { useFixedRowWindow } from '../../components/fixedRowWindow.ts';
import { Empty, ErrorState, LoadingRows } from '../../components/QueryState.tsx';
import { ExportButton } from '../../components/ExportButton.tsx';
import { deskStoreExportColumns } from './storesExport.ts';
import classes from './StoresScreen.module.css';
import { DESK_TEST_IDS } from './testIds.ts';
import { StoreFlags } from './StoreFlags.tsx';
import { AssignChecklist } from './AssignChecklist.tsx';
import { DeskTestResults } from './DeskTestResults.tsx';
import { DeskCentralActions } from './DeskCentralActions.tsx';
import { ageOf } from './text.ts';
import { t } from '../../i18n/index.ts';
import { formatCount } from '../../components/format.ts';

const ROW_HEIGHT = 40;
const PAGE = 200;

function ConnectForm() {
  const api = useApi();
  const client = useQueryClient();
  const [serverUrl, setServerUrl] = useState('http://127.0.0.1:8787');
  const [code, setCode] = useState('');
  const connect = useMutation({
    mutationFn: () => api['desk:connect']({ serverUrl, enrollmentCode: code }),
    onSuccess: () => void client.invalidateQueries({ queryKey: ['desk'] }),
  });
  return (
    <Stack maw={560} data-testid={DESK_TEST_IDS.connectForm}>
      <Title order={1}>{t('desk:connectTitle')}</Title>
      <Text size="sm" c="dimmed">
        {t('desk:connectHint')}
      </Text>
      <TextInput
        label={t('desk:serverUrl')}
        value={serverUrl}
        onChange={(e) => setServerUrl(e.currentTarget.value)}
      />
      <TextInput
        label={t('desk:code')}
        value={code}
        onChange={(e) => setCode(e.currentTarget.value)}
      />
      {connect.isError && <ErrorState error={connect.error} />}
      <Group>
        <Button
          leftSection={<IconPlugConnected size={16} />}
          loading={connect.isPending}
          onClick={() => connect.mutate()}
        >
          {t('desk:connect')}
        </Button>
      </Group>
    </Stack>
  );
}

function DecisionCell({ row }: { row: DeskStoreRow }) {
  const d = row.latestDecision;
  if (!d)
    return (
      <Text size="sm" c="dimmed">
        {t('desk:noDecision')}
      </Text>
    );
  const color = d.decision === 'go' ? 'teal' : d.decision === 'no-go' ? 'red' : 'yellow';
  return (
    <Group gap={6} wrap="nowrap">
      <Badge color={color} variant="light" size="sm">
        {d.decision}
      </Badge>
      <Text size="xs" c="dimmed" truncate>{`${d.signedBy}, ${ageOf(d.signedAt)}`}</Text>
    </Group>
  );
}

function ConsolesCell({ row }: { row: DeskStoreRow }) {
  if (row.consoles.length === 0)
    return (
      <Text size="sm" c="dimmed">
        {t('desk:noConsole')}
      </Text>
    );
  const newest = row.consoles.reduce((a, b) => (a.lastSyncAt > b.lastSyncAt ? a : b));
  const oldest = row.consoles.reduce((a, b) => (a.lastSyncAt < b.lastSyncAt ? a : b));
  return (
    <Text
      size="sm"
      truncate
      title={row.consoles.map((c) => `${c.name ?? c.deviceId}: ${c.lastSyncAt}`).join('\n')}
    >
      {row.consoles.length === 1
        ? t('desk:oneConsole', { ago: ageOf(newest.lastSyncAt) })
        : t('desk:consoles', {
            count: row.consoles.length,
            newest: ageOf(newest.lastSyncAt),
            oldest: ageOf(oldest.lastSyncAt),
          })}
    </Text>
  );
}

function StoreRow({
  row,
  top,
  onOpen,
}: {
  row: DeskStoreRow | undefined;
  top: number;
  onOpen: (row: DeskStoreRow) => void;
}) {
  if (!row) return <div className={classes.row} style={{ top }} aria-busy="true" />;
  const share = row.terminals === 0 ? 0 : row.installed / row.terminals;
  return (
    <div
      className={classes.row}
      style={{ top }}
      role="row"
      tabIndex={0}
      data-testid={DESK_TEST_IDS.row}
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
        {row.ring}
      </div>
      <div className={classes.cell} role="cell">
        <Text size="sm">{`${row.installed} / ${row.terminals}`}</Text>
        <div className={classes.bar}>
          <div className={classes.barFill} style={{ width: `${Math.round(share * 100)}%` }} />
        </div>
      </div>
      <div className={classes.cell} role="cell">
        {row.drifting > 0 ? (
          <Badge color="orange" variant="light">
            {row.drifting}
          </Badge>
        ) : (
          <Text size="sm" c="dimmed">
            0
          </Text>
        )}
      </div>
      <div className={classes.cell} role="cell">
        <DecisionCell row={row} />
      </div>
      <div className={classes.cell} role="cell">
        {row.openDeployments > 0 ? (
          <Badge variant="light">{t('desk:openDeployments', { count: row.openDeployments })}</Badge>
        ) : (
          <Text size="sm" c="dimmed">
            {t('desk:noOpenDeployments')}
          </Text>
        )}
        {row.superseded > 0 && (
          <Badge
            variant="light"
            color="red"
            title={t('desk:supersededHint')}
            data-testid="desk-store-superseded"
          >
            {t('desk:superseded', { count: row.superseded })}
          </Badge>
        )}
      </div>
      <div className={classes.cell} role="cell">
        <ConsolesCell row={row} />
      </div>
    </div>
  );
}

/** A store's terminals and latest records for a release (also the release desk's drill-down). */
export function StoreDetail({
  store,
  releaseId,
  onClose,
}: {
  store: Pick<DeskStoreRow, 'storeId' | 'name' | 'region'> | null;
  releaseId: string;
  onClose: () => void;
}) {
  const storeId = store?.storeId ?? null;
  const api = useApi();
  const detail = useQuery({
    queryKey: ['desk', 'storeDetail', storeId, releaseId],
    queryFn: () => api['desk:storeDetail']({ storeId: storeId!, releaseId }),
    enabled: storeId !== null,
  });
  return (
    <Drawer
      opened={storeId !== null}
      onClose={onClose}
      position="right"
      size="lg"
      title={store ? `${store.name} · ${store.storeId} · ${store.region}` : ''}
    >
      <Stack data-testid={DESK_TEST_IDS.detail}>
        {detail.isPending && <LoadingRows rows={6} />}
        {detail.isError && (
          <ErrorState error={detail.error} onRetry={() => void detail.refetch()} />
        )}
        {detail.data && (
          <>
            {detail.data.isCached && detail.data.fetchedAt && (
              <Alert color="yellow" icon={<IconWifiOff size={16} />}>
                {t('desk:cachedDetail', { ago: ageOf(detail.data.fetchedAt) })}
              </Alert>
            )}
            <Title order={3}>{t('desk:terminals')}</Title>
            <Table striped withTableBorder>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('desk:terminalColumns.terminal')}</Table.Th>
                  <Table.Th>{t('desk:terminalColumns.version')}</Table.Th>
                  <Table.Th>{t('desk:terminalColumns.since')}</Table.Th>
                  <Table.Th>{t('desk:terminalColumns.lastSeen')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {detail.data.terminals.map((term) => (
                  <Table.Tr key={term.terminalId}>
                    <Table.Td>{term.terminalId}</Table.Td>
                    <Table.Td>{term.version ?? '—'}</Table.Td>
                    <Table.Td>{term.since ? ageOf(term.since) : '—'}</Table.Td>
                    <Table.Td>{term.lastSeen ? ageOf(term.lastSeen) : '—'}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
            <Title order={3}>{t('desk:records')}</Title>
            {detail.data.records.length === 0 ? (
              <Text size="sm" c="dimmed">
                {t('desk:noRecords')}
              </Text>
            ) : (
              <Table withTableBorder>
                <Table.Tbody>
                  {detail.data.records.map((r) => (
                    <Table.Tr key={`${r.kind}:${r.id}`}>
                      <Table.Td>{r.kind.replace('_', ' ')}</Table.Td>
                      <Table.Td>{r.status}</Table.Td>
                      <Table.Td>{r.by ?? ''}</Table.Td>
                      <Table.Td>{ageOf(r.at)}</Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            )}
            <StoreFlags flags={detail.data.flags} />
            {storeId !== null && <AssignChecklist storeId={storeId} releaseId={releaseId} />}
          </>
        )}
      </Stack>
    </Drawer>
  );
}

function StoresTable(props: {
  window: DeskStoresWindow;
  fetchPage: (page: number) => Promise<DeskStoresWindow>;
  filterKey: string;
  onOpen: (row: DeskStoreRow) => void;
}) {
  const { window: head, filterKey, onOpen } = props;
  const { attachScrollBox, onScroll, scrollToTop, totalHeight, rows, range } = useFixedRowWindow({
    count: head.total,
    rowHeight: ROW_HEIGHT,
    overscan: 8,
    initialViewportHeight: 600,
  });
  useEffect(() => scrollToTop(), [filterKey, scrollToTop]);
  // The first page is the head itself, always the current filter's: caching it here too, while
  // the head was still the previous filter's placeholder, kept those rows under the new filter.
  const firstPage = Math.max(1, Math.floor(Math.max(0, range.first) / PAGE));
  const lastPage = Math.floor(Math.max(0, range.last) / PAGE);
  const pages = useQuery({
    queryKey: ['desk', 'storesPages', filterKey, firstPage, lastPage],
    queryFn: async () => {
      const out = new Map<number, DeskStoreRow[]>();
      for (let p = firstPage; p <= lastPage; p++) out.set(p, (await props.fetchPage(p)).rows);
      return { filterKey, pages: out };
    },
    enabled: lastPage >= firstPage,
    placeholderData: keepPreviousData,
  });
  // While scrolling, the pages before are kept in view; another filter's pages never are.
  const later = pages.data?.filterKey === filterKey ? pages.data.pages : undefined;
  const rowAt = (i: number) =>
    i < PAGE ? head.rows[i] : later?.get(Math.floor(i / PAGE))?.[i % PAGE];
  return (
    <div
      className={classes.frame}
      role="table"
      aria-rowcount={head.total}
      data-testid={DESK_TEST_IDS.table}
    >
      <div className={classes.header} role="row">
        {DESK_COLUMNS.map((key) => t(`desk:columns.${key}`)).map((c) => (
          <div key={c} className={classes.cell} role="columnheader">
            {c}
          </div>
        ))}
      </div>
      {head.total === 0 ? (
        <Box py="lg">
          <Empty title={t('desk:empty')} />
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

const DESK_COLUMNS = [
  'store',
  'region',
  'ring',
  'installed',
  'drifting',
  'latestDecision',
  'deployments',
  'consoles',
] as const;

function deskScopeWords(scope: string): string {
  return scope === 'all'
    ? t('desk:allStores')
    : t('desk:regionScope', { name: scope.replace('region:', '') });
}

export function StoresScreen() {
  const api = useApi();
  const client = useQueryClient();
  const connection = useQuery({
    queryKey: ['desk', 'connection'],
    queryFn: () => api['desk:connection']({}),
  });
  const releases = useQuery({
    queryKey: ['releases', 'list'],
    queryFn: () => api['releases:list']({}),
  });
  const [releaseId, setReleaseId] = useState<string | null>(null);
  const [region, setRegion] = useState<string | null>(null);
  const [search, setSearch] = useState('');
  const [driftOnly, setDriftOnly] = useState(false);
  const [openStore, setOpenStore] = useState<DeskStoreRow | null>(null);
  const [lastError, setLastError] = useState<string | null>(null);
  const release = releaseId ?? releases.data?.[0]?.id ?? null;
  const filter = {
    region: region ?? undefined,
    search: search || undefined,
    driftOnly: driftOnly || undefined,
  };
  const filterKey = JSON.stringify([release, filter]);
  const fetchPage = (page: number) =>
    api['desk:stores']({ releaseId: release!, ...filter, offset: page * PAGE, limit: PAGE });
  const head = useQuery({
    queryKey: ['desk', 'stores', filterKey],
    queryFn: () => fetchPage(0),
    enabled: release !== null && connection.data?.isConnected === true,
    placeholderData: keepPreviousData,
  });
  const refresh = useMutation({
    mutationFn: () => api['desk:refreshStores']({ releaseId: release! }),
    onSuccess: (outcome) => {
      setLastError(outcome.ok ? null : outcome.error);
      void client.invalidateQueries({ queryKey: ['desk'] });
    },
  });

  if (connection.isPending) return <LoadingRows rows={6} />;
  // Still titled when refused (a role without desk access): every screen has its h1.
  if (connection.isError)
    return (
      <Stack gap="sm">
        <Title order={1}>{t('desk:title')}</Title>
        <ErrorState error={connection.error} />
      </Stack>
    );
  if (!connection.data.isConnected) return <ConnectForm />;
  const fetchedAt = head.data?.fetchedAt ?? null;
  return (
    <Stack gap="sm" data-testid={DESK_TEST_IDS.screen}>
      <Group justify="space-between" align="flex-end">
        <div>
          <Title order={1}>{t('desk:title')}</Title>
          <Text size="sm" c="dimmed">
            {t('desk:subtitle', {
              scope: deskScopeWords(connection.data.scope ?? ''),
              role: connection.data.role ?? '',
            })}
          </Text>
        </div>
        <Group gap="xs">
          {release !== null && (head.data?.total ?? 0) > 0 && (
            <ExportButton
              what={t('csv:exportName.deskStores', { release })}
              columns={deskStoreExportColumns()}
              total={head.data?.total ?? 0}
              loadPage={async (offset, limit) =>
                (await api['desk:stores']({ releaseId: release, ...filter, offset, limit })).rows
              }
            />
          )}
          <DeskCentralActions />
          <Text size="sm" c={fetchedAt ? 'dimmed' : 'orange'} data-testid={DESK_TEST_IDS.age}>
            {fetchedAt ? t('desk:age', { ago: ageOf(fetchedAt) }) : t('desk:never')}
          </Text>
          <Button
            leftSection={<IconCloudDownload size={16} />}
            loading={refresh.isPending}
            disabled={release === null}
            onClick={() => refresh.mutate()}
            data-testid={DESK_TEST_IDS.refresh}
          >
            {t('desk:refresh')}
          </Button>
        </Group>
      </Group>
      {lastError && (
        <Alert color="yellow" icon={<IconWifiOff size={16} />}>
          {t('desk:offline', { error: lastError })}
        </Alert>
      )}
      {release !== null && <DeskTestResults releaseId={release} />}
      <Group gap="sm" align="flex-end">
        <Select
          label={t('desk:release')}
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
          label={t('desk:region')}
          placeholder={t('desk:allRegions')}
          data={head.data?.regions ?? []}
          value={region}
          onChange={setRegion}
          clearable
          w={200}
        />
        <TextInput
          label={t('desk:search')}
          value={search}
          onChange={(e) => setSearch(e.currentTarget.value)}
          w={200}
        />
        <Switch
          label={t('desk:driftOnly')}
          checked={driftOnly}
          onChange={(e) => setDriftOnly(e.currentTarget.checked)}
          mb={8}
        />
        {head.data && (
          <Text size="sm" c="dimmed" mb={8}>
            {t('desk:count', { n: formatCount(head.data.total) })}
          </Text>
        )}
      </Group>
      {head.isPending && release !== null && <LoadingRows rows={10} height={ROW_HEIGHT} />}
      {head.isError && <ErrorState error={head.error} onRetry={() => void head.refetch()} />}
      {head.data && (
        <StoresTable
          window={head.data}
          fetchPage={fetchPage}
          filterKey={filterKey}
          onOpen={setOpenStore}
        />
      )}
      {release !== null && (
        <StoreDetail store={openStore} releaseId={release} onClose={() => setOpenStore(null)} />
      )}
    </Stack>
  );
}
