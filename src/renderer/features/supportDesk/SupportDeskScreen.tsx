/**
 * The support desk's inbox: every bug report in the desk's scope, read page
 * by page from the central read models (filtered, searched in full text and
 * sorted by the server), in a table that windows its fixed-height rows like
 * the fleet table, so 100,000 reports mount a screenful. A row opens the
 * report's detail with the triage actions; a second tab lists the feature
 * requests with their votes per store. Saved views stay on this console.
 */
import { useEffect, useState } from 'react';
import {
  Alert,
  Badge,
  Box,
  Button,
  Group,
  Select,
  Stack,
  Tabs,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import {
  INBOX_SORTS,
  INBOX_STATUSES,
  type InboxQuery,
  type InboxRow,
} from '#shared/feedback/deskProtocol.ts';
import { TRIAGE_SEVERITIES } from '#shared/feedback/triage.ts';
import { useApi } from '../../api/ApiContext.tsx';
import { useSessionStatus } from '../../app/useSession.ts';
import { useFixedRowWindow } from '../../components/fixedRowWindow.ts';
import { Empty, ErrorState, LoadingRows } from '../../components/QueryState.tsx';
import { ExportButton } from '../../components/ExportButton.tsx';
import { formatCount } from '../../components/format.ts';
import { t } from '../../i18n/index.ts';
import { ageOf } from '../desk/text.ts';
import { INBOX_EXPORT_COLUMNS } from './inboxExport.ts';
import { severityColor, statusColor, statusWords } from './labels.ts';
import { ReportDetailDrawer } from './ReportDetail.tsx';
import { RequestsTab } from './RequestsTab.tsx';
import classes from './SupportDeskScreen.module.css';
import { SUPPORT_DESK_TEST_IDS } from './testIds.ts';

const ROW_HEIGHT = 40;
/** The export's file name stem (not shown as text). */
const INBOX_EXPORT = 'support-inbox';
const PAGE = 100;

/** The filters as the inbox query spells them; empty strings mean "any". */
type Filters = {
  status: string;
  severity: string;
  storeId: string;
  region: string;
  ring: string;
  releaseId: string;
  assignee: string;
  olderThanDays: string;
  q: string;
  sort: string;
};
const NO_FILTERS: Filters = {
  status: '',
  severity: '',
  storeId: '',
  region: '',
  ring: '',
  releaseId: '',
  assignee: '',
  olderThanDays: '',
  q: '',
  sort: 'updated',
};

function queryOf(f: Filters): InboxQuery {
  const q: Record<string, string> = {};
  for (const [k, v] of Object.entries(f)) if (v.trim() !== '') q[k] = v.trim();
  // The server reads and checks each word (400 naming a bad one).
  return q;
}

const COLUMNS = [
  'report',
  'store',
  'status',
  'severity',
  'assignee',
  'release',
  'age',
  'updated',
] as const;

function InboxRowView({
  row,
  top,
  isSelected,
  onOpen,
}: {
  row: InboxRow | undefined;
  top: number;
  isSelected: boolean;
  onOpen: (row: InboxRow) => void;
}) {
  if (!row) return <div className={classes.row} style={{ top }} aria-busy="true" />;
  return (
    <div
      className={`${classes.row} ${isSelected ? classes.selected : ''}`}
      style={{ top }}
      role="row"
      tabIndex={0}
      data-testid={SUPPORT_DESK_TEST_IDS.row}
      data-report-id={row.id}
      onClick={() => onOpen(row)}
      onKeyDown={(e) => {
        if (e.key === 'Enter') onOpen(row);
      }}
    >
      <div className={classes.cell} role="cell" title={row.title}>
        <Text size="sm" fw={600} span>
          {row.title}
        </Text>{' '}
        <Text size="xs" c="dimmed" span>
          {row.id}
        </Text>
      </div>
      <div className={classes.cell} role="cell">
        {`${row.storeName} · ${row.region}`}
      </div>
      <div className={classes.cell} role="cell">
        <Badge color={statusColor(row.status)} variant="light" size="sm">
          {statusWords(row.status)}
        </Badge>
      </div>
      <div className={classes.cell} role="cell">
        <Badge color={severityColor(row.severity)} variant="light" size="sm">
          {row.severity}
        </Badge>
      </div>
      <div className={classes.cell} role="cell">
        {row.assignee ?? t('supportDesk:unassigned')}
      </div>
      <div className={classes.cell} role="cell">
        {row.fixedIn ?? row.releaseId ?? '—'}
      </div>
      <div className={classes.cell} role="cell">
        {ageOf(row.reportedAt)}
      </div>
      <div className={classes.cell} role="cell">
        {ageOf(row.updatedAt)}
      </div>
    </div>
  );
}

function InboxTable(props: {
  total: number;
  firstRows: readonly InboxRow[];
  fetchPage: (page: number) => Promise<readonly InboxRow[]>;
  filterKey: string;
  selectedId: string | null;
  onOpen: (row: InboxRow) => void;
}) {
  const { total, firstRows, filterKey } = props;
  const { attachScrollBox, onScroll, scrollToTop, totalHeight, rows, range } = useFixedRowWindow({
    count: total,
    rowHeight: ROW_HEIGHT,
    overscan: 8,
    initialViewportHeight: 600,
  });
  useEffect(() => scrollToTop(), [filterKey, scrollToTop]);
  const firstPage = Math.floor(Math.max(0, range.first) / PAGE);
  const lastPage = Math.floor(Math.max(0, range.last) / PAGE);
  const pages = useQuery({
    queryKey: ['desk', 'supportInboxPages', filterKey, firstPage, lastPage],
    queryFn: async () => {
      const out = new Map<number, readonly InboxRow[]>();
      // The first page is the head query's own (refreshed with it after a triage action).
      for (let p = Math.max(1, firstPage); p <= lastPage; p++) out.set(p, await props.fetchPage(p));
      return out;
    },
    placeholderData: keepPreviousData,
  });
  const rowAt = (i: number) =>
    i < PAGE ? firstRows[i] : pages.data?.get(Math.floor(i / PAGE))?.[i % PAGE];
  return (
    <div
      className={classes.frame}
      role="table"
      aria-label={t('supportDesk:title')}
      aria-rowcount={total}
      data-testid={SUPPORT_DESK_TEST_IDS.table}
    >
      <div className={classes.header} role="row">
        {COLUMNS.map((key) => (
          <div key={key} className={classes.cell} role="columnheader">
            {t(`supportDesk:columns.${key}`)}
          </div>
        ))}
      </div>
      {total === 0 ? (
        <Box py="lg">
          <Empty title={t('supportDesk:empty')} />
        </Box>
      ) : (
        <div ref={attachScrollBox} onScroll={onScroll} className={classes.scroll}>
          <div style={{ height: totalHeight, position: 'relative' }}>
            {rows.map((r) => {
              const row = rowAt(r.index);
              return (
                <InboxRowView
                  key={r.index}
                  row={row}
                  top={r.start}
                  isSelected={row !== undefined && row.id === props.selectedId}
                  onOpen={props.onOpen}
                />
              );
            })}
          </div>
        </div>
      )}
    </div>
  );
}

function SavedViews({
  filters,
  onApply,
}: {
  filters: Filters;
  onApply: (filters: Filters) => void;
}) {
  const api = useApi();
  const client = useQueryClient();
  const [name, setName] = useState('');
  const views = useQuery({
    queryKey: ['desk', 'supportViews'],
    queryFn: () => api['supportDesk:views']({}),
  });
  const save = useMutation({
    mutationFn: () => api['supportDesk:saveView']({ name, filters: queryOf(filters) as never }),
    onSuccess: () => void client.invalidateQueries({ queryKey: ['desk', 'supportViews'] }),
  });
  return (
    <Group gap="xs" align="flex-end">
      <Select
        label={t('supportDesk:views.label')}
        placeholder={t('supportDesk:views.placeholder')}
        data={(views.data ?? []).map((v) => v.name)}
        onChange={(picked) => {
          const view = views.data?.find((v) => v.name === picked);
          if (view) onApply({ ...NO_FILTERS, ...view.filters });
        }}
        w={200}
        clearable
      />
      <TextInput
        label={t('supportDesk:views.name')}
        value={name}
        onChange={(e) => setName(e.currentTarget.value)}
        w={160}
      />
      <Button
        variant="light"
        disabled={name.trim() === ''}
        loading={save.isPending}
        onClick={() => save.mutate()}
      >
        {t('supportDesk:views.save')}
      </Button>
    </Group>
  );
}

function FilterBar({
  filters,
  onChange,
}: {
  filters: Filters;
  onChange: (filters: Filters) => void;
}) {
  const set = (key: keyof Filters) => (value: string | null) =>
    onChange({ ...filters, [key]: value ?? '' });
  const text = (key: keyof Filters, label: string, width = 130) => (
    <TextInput
      label={label}
      value={filters[key]}
      onChange={(e) => set(key)(e.currentTarget.value)}
      w={width}
    />
  );
  return (
    <Group gap="xs" align="flex-end" wrap="wrap">
      <TextInput
        label={t('supportDesk:filters.search')}
        value={filters.q}
        onChange={(e) => set('q')(e.currentTarget.value)}
        w={220}
        data-testid={SUPPORT_DESK_TEST_IDS.search}
      />
      <Select
        label={t('supportDesk:filters.status')}
        placeholder={t('supportDesk:filters.any')}
        data={INBOX_STATUSES.map((s) => ({ value: s, label: statusWords(s) }))}
        value={filters.status || null}
        onChange={set('status')}
        clearable
        w={150}
      />
      <Select
        label={t('supportDesk:filters.severity')}
        placeholder={t('supportDesk:filters.any')}
        data={[...TRIAGE_SEVERITIES]}
        value={filters.severity || null}
        onChange={set('severity')}
        clearable
        w={110}
      />
      {text('storeId', t('supportDesk:filters.store'))}
      {text('region', t('supportDesk:filters.region'))}
      {text('ring', t('supportDesk:filters.ring'), 100)}
      {text('releaseId', t('supportDesk:filters.release'))}
      {text('assignee', t('supportDesk:filters.assignee'))}
      {text('olderThanDays', t('supportDesk:filters.age'), 120)}
      <Select
        label={t('supportDesk:filters.sort')}
        data={INBOX_SORTS.map((s) => ({ value: s, label: t(`supportDesk:sorts.${s}`) }))}
        value={filters.sort}
        onChange={(v) => set('sort')(v ?? NO_FILTERS.sort)}
        w={150}
      />
    </Group>
  );
}

function ReportsTab({ actingUser }: { actingUser: string | null }) {
  const api = useApi();
  const [filters, setFilters] = useState<Filters>(NO_FILTERS);
  const [open, setOpen] = useState<InboxRow | null>(null);
  const query = queryOf(filters);
  const filterKey = JSON.stringify(query);
  const fetchPage = async (page: number) =>
    (await api['supportDesk:reports']({ ...query, offset: page * PAGE, limit: PAGE })).rows;
  const head = useQuery({
    queryKey: ['desk', 'supportInbox', filterKey],
    queryFn: () => api['supportDesk:reports']({ ...query, offset: 0, limit: PAGE }),
    placeholderData: keepPreviousData,
  });
  return (
    <Stack gap="sm">
      <FilterBar filters={filters} onChange={setFilters} />
      <Group justify="space-between" align="flex-end">
        <SavedViews filters={filters} onApply={setFilters} />
        <Group gap="xs">
          {head.data && (
            <Text size="sm" c="dimmed" data-testid={SUPPORT_DESK_TEST_IDS.count}>
              {t('supportDesk:count', { n: formatCount(head.data.total) })}
            </Text>
          )}
          {(head.data?.total ?? 0) > 0 && (
            <ExportButton
              what={INBOX_EXPORT}
              columns={INBOX_EXPORT_COLUMNS}
              total={head.data?.total ?? 0}
              loadPage={async (offset, limit) =>
                (await api['supportDesk:reports']({ ...query, offset, limit })).rows
              }
            />
          )}
        </Group>
      </Group>
      {head.isPending && <LoadingRows rows={10} height={ROW_HEIGHT} />}
      {head.isError && <ErrorState error={head.error} onRetry={() => void head.refetch()} />}
      {head.data && (
        <InboxTable
          total={head.data.total}
          firstRows={head.data.rows}
          fetchPage={fetchPage}
          filterKey={filterKey}
          selectedId={open?.id ?? null}
          onOpen={setOpen}
        />
      )}
      <ReportDetailDrawer
        reportId={open?.id ?? null}
        actingUser={actingUser}
        onClose={() => setOpen(null)}
      />
    </Stack>
  );
}

export function SupportDeskScreen() {
  const api = useApi();
  const connection = useQuery({
    queryKey: ['desk', 'connection'],
    queryFn: () => api['desk:connection']({}),
  });
  const session = useSessionStatus();
  const actingUser = session.data?.session?.user.id ?? null;
  if (connection.isPending) return <LoadingRows rows={6} />;
  const title = <Title order={1}>{t('supportDesk:title')}</Title>;
  if (connection.isError)
    return (
      <Stack gap="sm">
        {title}
        <ErrorState error={connection.error} />
      </Stack>
    );
  if (!connection.data.isConnected)
    return (
      <Stack gap="sm">
        {title}
        <Alert color="yellow">{t('supportDesk:notConnected')}</Alert>
      </Stack>
    );
  if (connection.data.role !== 'support')
    return (
      <Stack gap="sm">
        {title}
        <Alert color="yellow">
          {t('supportDesk:notSupport', { role: connection.data.role ?? '' })}
        </Alert>
      </Stack>
    );
  const scope = connection.data.scope ?? '';
  return (
    <Stack gap="sm" data-testid={SUPPORT_DESK_TEST_IDS.screen}>
      <div>
        {title}
        <Text size="sm" c="dimmed">
          {t('supportDesk:subtitle', {
            scope:
              scope === 'all'
                ? t('desk:allStores')
                : t('desk:regionScope', { name: scope.replace('region:', '') }),
          })}
        </Text>
      </div>
      <Tabs defaultValue="reports" keepMounted={false}>
        <Tabs.List>
          <Tabs.Tab value="reports">{t('supportDesk:tabs.reports')}</Tabs.Tab>
          <Tabs.Tab value="requests" data-testid={SUPPORT_DESK_TEST_IDS.requests}>
            {t('supportDesk:tabs.requests')}
          </Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="reports" pt="sm">
          <ReportsTab actingUser={actingUser} />
        </Tabs.Panel>
        <Tabs.Panel value="requests" pt="sm">
          <RequestsTab actingUser={actingUser} />
        </Tabs.Panel>
      </Tabs>
    </Stack>
  );
}
