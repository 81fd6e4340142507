/**
 * The virtualized terminal table. Only the rows in view (plus a small
 * overscan) are mounted, and only their pages are fetched from the back end
 * (fleet:listTerminals with offset/limit); sorting, filtering and search run
 * in SQL. Stays smooth at 50,000 terminals because nothing scales with them
 * here except the scroll height.
 */
import { useEffect, type ReactNode } from 'react';
import { Box, Text, UnstyledButton } from '@mantine/core';
import { IconArrowDown, IconArrowUp, IconArrowsSort } from '@tabler/icons-react';
import { keepPreviousData, useQueries, useQuery } from '@tanstack/react-query';
import type { FleetFilter, TerminalRow, TerminalSortKey } from '#shared/contract/index.ts';
import { useApi } from '../../api/ApiContext.tsx';
import { queryKeys } from '../../api/queryKeys.ts';
import { DriftTag } from '../../components/DriftTag.tsx';
import { useFixedRowWindow } from '../../components/fixedRowWindow.ts';
import { formatAgo, formatCount, formatDate, formatDateTime } from '../../components/format.ts';
import { Empty, ErrorState, LoadingRows } from '../../components/QueryState.tsx';
import type { TerminalSort } from '../../state/store.ts';
import { TEST_IDS } from '../../testIds.ts';
import classes from './TerminalTable.module.css';
import { PAGE_SIZE, pageOf, pagesForRange } from './terminalWindows.ts';
import { t } from '../../i18n/index.ts';

const ROW_HEIGHT = 34;
/** Rows mounted beyond the viewport on each side; keeps mounted rows far below 100. */
const OVERSCAN = 10;
/**
 * A guess of the scroll box's height (it fills the rest of the fleet screen,
 * TerminalTable.module.css), so the first render already mounts about the
 * right rows; the ResizeObserver corrects it after layout.
 */
function expectedViewportHeight(): number {
  return Math.max(240, window.innerHeight - 480);
}

/**
 * The columns, in order: each one is a sort key of the contract. A plain list
 * rather than a table library: the rows in view are a few dozen plain
 * records, sorted and filtered in SQL, so there is no row model to build.
 */
type Column = { id: TerminalSortKey; header: string; cell: (row: TerminalRow) => ReactNode };
const COLUMNS: readonly Column[] = [
  {
    id: 'store',
    get header() {
      return t('fleet:colStore');
    },
    cell: (row) => row.storeName,
  },
  {
    id: 'terminal',
    get header() {
      return t('fleet:colTerminal');
    },
    cell: (row) => <span className={classes.strong}>{row.name}</span>,
  },
  {
    id: 'model',
    get header() {
      return t('fleet:colModel');
    },
    cell: (row) => row.model,
  },
  {
    id: 'serial',
    get header() {
      return t('fleet:colSerial');
    },
    cell: (row) => <span className={classes.mono}>{row.serial}</span>,
  },
  {
    id: 'version',
    get header() {
      return t('fleet:colRelease');
    },
    cell: (row) => (
      <span
        className={classes.mono}
        data-drift={row.isDrift || undefined}
        title={row.targetVersion ? `${t('fleet:detailTarget')}: ${row.targetVersion}` : undefined}
      >
        {row.version ?? t('common:unknownVersion')}
      </span>
    ),
  },
  {
    id: 'since',
    get header() {
      return t('fleet:colSince');
    },
    cell: (row) => formatDate(row.since),
  },
  {
    id: 'lastSeen',
    get header() {
      return t('fleet:colLastSeen');
    },
    // A native title, not a Tooltip component: dozens of rows mount and remount while scrolling.
    cell: (row) => <span title={formatDateTime(row.lastSeen)}>{formatAgo(row.lastSeen)}</span>,
  },
  {
    id: 'drift',
    get header() {
      return t('fleet:colDrift');
    },
    cell: (row) => <DriftTag isDrift={row.isDrift} />,
  },
];
// Fixed or minmax(px, fr) tracks so every absolutely positioned row lines up with the header.
const TEMPLATE =
  'minmax(0,1.6fr) minmax(0,1fr) minmax(0,1.1fr) minmax(0,1.1fr) minmax(0,0.9fr) 124px 128px 100px';

export function TerminalTable(props: {
  filter: FleetFilter;
  sort: TerminalSort;
  onSortChange: (sort: TerminalSort) => void;
  onOpen: (terminalId: string) => void;
  selectedId: string | null;
}) {
  const { filter, sort, onSortChange, onOpen, selectedId } = props;
  const api = useApi();

  const fetchPage = (page: number) =>
    api['fleet:listTerminals']({ filter, sort, offset: page * PAGE_SIZE, limit: PAGE_SIZE });

  // Page 0 always: it carries the total that sizes the scroll area.
  const head = useQuery({
    queryKey: queryKeys.terminalPage(filter, sort, 0),
    queryFn: () => fetchPage(0),
    placeholderData: keepPreviousData,
  });
  const total = head.data?.total ?? 0;

  const {
    attachScrollBox,
    onScroll,
    scrollToTop,
    totalHeight,
    rows: items,
    range,
  } = useFixedRowWindow({
    count: total,
    rowHeight: ROW_HEIGHT,
    overscan: OVERSCAN,
    initialViewportHeight: expectedViewportHeight(),
  });

  // A new filter or sort starts at the top.
  const filterKey = JSON.stringify([filter, sort]);
  useEffect(() => {
    scrollToTop();
  }, [filterKey, scrollToTop]);

  const pages = pagesForRange(range.first, range.last).filter((p) => p !== 0);
  const pageQueries = useQueries({
    queries: pages.map((page) => ({
      queryKey: queryKeys.terminalPage(filter, sort, page),
      queryFn: () => fetchPage(page),
      staleTime: 30_000,
    })),
  });

  const rowsByPage = new Map<number, TerminalRow[]>();
  if (head.data && !head.isPlaceholderData) rowsByPage.set(0, head.data.rows);
  pages.forEach((page, i) => {
    const data = pageQueries[i]?.data;
    if (data) rowsByPage.set(page, data.rows);
  });
  const rowAt = (index: number): TerminalRow | undefined => {
    const { page, offsetInPage } = pageOf(index);
    return rowsByPage.get(page)?.[offsetInPage];
  };

  if (head.isPending) return <LoadingRows rows={10} height={28} />;
  if (head.isError) return <ErrorState error={head.error} onRetry={() => void head.refetch()} />;

  const pageError = pageQueries.find((q) => q.isError);

  return (
    <Box className={classes.root}>
      <Text size="xs" c="dimmed" mb={4} data-testid={TEST_IDS.terminalCount}>
        {t('fleet:terminalCount', { count: total, formatted: formatCount(total) })}
      </Text>
      {pageError?.error && (
        <ErrorState error={pageError.error} onRetry={() => void pageError.refetch()} />
      )}
      <div
        className={classes.frame}
        role="table"
        aria-label={t('fleet:tableTitle')}
        aria-rowcount={total}
      >
        <div className={classes.header} style={{ gridTemplateColumns: TEMPLATE }} role="row">
          {COLUMNS.map((column) => {
            const isSorted = sort.key === column.id;
            return (
              <UnstyledButton
                key={column.id}
                className={classes.headCell}
                role="columnheader"
                aria-sort={isSorted ? (sort.desc ? 'descending' : 'ascending') : 'none'}
                onClick={() =>
                  onSortChange({ key: column.id, desc: isSorted ? !sort.desc : false })
                }
              >
                {column.header}
                {isSorted ? (
                  sort.desc ? (
                    <IconArrowDown size={12} />
                  ) : (
                    <IconArrowUp size={12} />
                  )
                ) : (
                  <IconArrowsSort size={12} className={classes.sortIdle} />
                )}
              </UnstyledButton>
            );
          })}
        </div>
        {total === 0 ? (
          <Box py="lg">
            <Empty title={t('fleet:tableEmpty')} description={t('fleet:tableEmptyHint')} />
          </Box>
        ) : (
          <div
            ref={attachScrollBox}
            onScroll={onScroll}
            className={classes.scroll}
            data-testid={TEST_IDS.terminalTable}
          >
            <div style={{ height: totalHeight, position: 'relative' }}>
              {items.map((item) => {
                const data = rowAt(item.index);
                const style = {
                  gridTemplateColumns: TEMPLATE,
                  transform: `translateY(${item.start}px)`,
                  height: ROW_HEIGHT,
                };
                if (!data) {
                  return (
                    <div
                      key={`pending-${item.index}`}
                      className={classes.row}
                      style={style}
                      role="row"
                      aria-busy="true"
                    >
                      <div className={classes.pending} />
                    </div>
                  );
                }
                return (
                  <div
                    key={data.id}
                    className={classes.row}
                    style={style}
                    role="row"
                    aria-rowindex={item.index + 1}
                    tabIndex={0}
                    data-testid={TEST_IDS.terminalRow}
                    data-terminal-id={data.id}
                    data-drift={data.isDrift || undefined}
                    data-selected={selectedId === data.id || undefined}
                    onClick={() => onOpen(data.id)}
                    onKeyDown={(e) => {
                      if (e.key === 'Enter') onOpen(data.id);
                    }}
                  >
                    {COLUMNS.map((column) => (
                      <div key={column.id} className={classes.cell} role="cell">
                        {column.cell(data)}
                      </div>
                    ))}
                  </div>
                );
              })}
            </div>
          </div>
        )}
      </div>
    </Box>
  );
}
