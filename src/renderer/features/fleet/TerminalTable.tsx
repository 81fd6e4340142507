/**
 * The virtualized terminal table. Only the rows in view (plus a small
 * overscan) are mounted, and only their pages are fetched from the back end
 * (fleet:listTerminals with offset/limit); sorting, filtering and search run
 * in SQL. Stays smooth at 50,000 terminals because nothing scales with them
 * here except the scroll height.
 */
import { useEffect, useMemo, useRef } from 'react';
import { Box, Skeleton, Text, UnstyledButton } from '@mantine/core';
import { IconArrowDown, IconArrowUp, IconArrowsSort } from '@tabler/icons-react';
import { keepPreviousData, useQueries, useQuery } from '@tanstack/react-query';
import {
  createColumnHelper,
  flexRender,
  getCoreRowModel,
  useReactTable,
  type SortingState,
} from '@tanstack/react-table';
import { useVirtualizer } from '@tanstack/react-virtual';
import type { FleetFilter, TerminalRow, TerminalSortKey } from '../../../shared/contract/index.ts';
// From types.ts, not the contract's index: the index carries zod schemas the renderer must not bundle.
import { TERMINAL_SORT_KEYS } from '../../../shared/contract/types.ts';
import { useApi } from '../../api/ApiContext.tsx';
import { queryKeys } from '../../api/queryKeys.ts';
import { DriftTag } from '../../components/DriftTag.tsx';
import { formatAgo, formatCount, formatDate, formatDateTime } from '../../components/format.ts';
import { Empty, ErrorState, LoadingRows } from '../../components/QueryState.tsx';
import { COMMON_TEXT } from '../../components/text.ts';
import type { TerminalSort } from '../../state/store.ts';
import { TEST_IDS } from '../../testIds.ts';
import { FLEET_TEXT } from './text.ts';
import classes from './TerminalTable.module.css';
import { PAGE_SIZE, pageOf, pagesForRange } from './terminalWindows.ts';

const ROW_HEIGHT = 34;
/** Rows mounted beyond the viewport on each side; keeps mounted rows far below 100. */
const OVERSCAN = 10;

const column = createColumnHelper<TerminalRow>();
const COLUMNS = [
  column.accessor('storeName', {
    id: 'store' satisfies TerminalSortKey,
    header: FLEET_TEXT.colStore,
    cell: (c) => c.getValue(),
  }),
  column.accessor('name', {
    id: 'terminal' satisfies TerminalSortKey,
    header: FLEET_TEXT.colTerminal,
    cell: (c) => <span className={classes.strong}>{c.getValue()}</span>,
  }),
  column.accessor('model', { id: 'model' satisfies TerminalSortKey, header: FLEET_TEXT.colModel }),
  column.accessor('serial', {
    id: 'serial' satisfies TerminalSortKey,
    header: FLEET_TEXT.colSerial,
    cell: (c) => <span className={classes.mono}>{c.getValue()}</span>,
  }),
  column.accessor('version', {
    id: 'version' satisfies TerminalSortKey,
    header: FLEET_TEXT.colRelease,
    cell: (c) => {
      const row = c.row.original;
      return (
        <span className={classes.mono} data-drift={row.isDrift || undefined} title={row.targetVersion ? `${FLEET_TEXT.detailTarget}: ${row.targetVersion}` : undefined}>
          {c.getValue() ?? COMMON_TEXT.unknownVersion}
        </span>
      );
    },
  }),
  column.accessor('since', { id: 'since' satisfies TerminalSortKey, header: FLEET_TEXT.colSince, cell: (c) => formatDate(c.getValue()) }),
  column.accessor('lastSeen', {
    id: 'lastSeen' satisfies TerminalSortKey,
    header: FLEET_TEXT.colLastSeen,
    // A native title, not a Tooltip component: dozens of rows mount and remount while scrolling.
    cell: (c) => <span title={formatDateTime(c.getValue())}>{formatAgo(c.getValue())}</span>,
  }),
  column.accessor('isDrift', { id: 'drift' satisfies TerminalSortKey, header: FLEET_TEXT.colDrift, cell: (c) => <DriftTag isDrift={c.getValue()} /> }),
];
// Fixed or minmax(px, fr) tracks so every absolutely positioned row lines up with the header.
const TEMPLATE = 'minmax(0,1.6fr) minmax(0,1fr) minmax(0,1.1fr) minmax(0,1.1fr) minmax(0,0.9fr) 124px 128px 100px';

function isSortKey(id: string): id is TerminalSortKey {
  return (TERMINAL_SORT_KEYS as readonly string[]).includes(id);
}

export function TerminalTable(props: {
  filter: FleetFilter;
  sort: TerminalSort;
  onSortChange: (sort: TerminalSort) => void;
  onOpen: (terminalId: string) => void;
  selectedId: string | null;
}) {
  const { filter, sort, onSortChange, onOpen, selectedId } = props;
  const api = useApi();
  const scrollRef = useRef<HTMLDivElement>(null);

  const fetchPage = (page: number) =>
    api['fleet:listTerminals']({ filter, sort, offset: page * PAGE_SIZE, limit: PAGE_SIZE });

  // Page 0 always: it carries the total that sizes the scroll area.
  const head = useQuery({
    queryKey: queryKeys.terminalPage(filter, sort, 0),
    queryFn: () => fetchPage(0),
    placeholderData: keepPreviousData,
  });
  const total = head.data?.total ?? 0;

  // Virtualizers re-render on scroll by design; the compiler cannot memoize them, and need not.
  // eslint-disable-next-line react-hooks/incompatible-library
  const virtualizer = useVirtualizer({
    count: total,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: OVERSCAN,
    // Rows on the very first render, before the scroll box is measured: one commit less on load.
    initialRect: { width: 0, height: 400 },
  });

  // A new filter or sort starts at the top.
  const filterKey = JSON.stringify([filter, sort]);
  useEffect(() => {
    scrollRef.current?.scrollTo({ top: 0 });
  }, [filterKey]);

  const items = virtualizer.getVirtualItems();
  const first = items[0]?.index ?? 0;
  const last = items[items.length - 1]?.index ?? -1;
  const pages = pagesForRange(first, last).filter((p) => p !== 0);
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

  const visibleRows: TerminalRow[] = [];
  for (const item of items) {
    const row = rowAt(item.index);
    if (row) visibleRows.push(row);
  }

  const sorting: SortingState = useMemo(() => [{ id: sort.key, desc: sort.desc }], [sort]);
  const table = useReactTable({
    data: visibleRows,
    columns: COLUMNS,
    getRowId: (row) => row.id,
    state: { sorting },
    manualSorting: true,
    manualFiltering: true,
    manualPagination: true,
    // The data is the rows in view and changes on every scroll; an auto-reset
    // (page index, expansion…) would set state on each change and never settle.
    autoResetAll: false,
    enableMultiSort: false,
    getCoreRowModel: getCoreRowModel(),
  });

  if (head.isPending) return <LoadingRows rows={10} height={28} />;
  if (head.isError) return <ErrorState error={head.error} onRetry={() => void head.refetch()} />;

  const pageError = pageQueries.find((q) => q.isError);

  return (
    <Box>
      <Text size="xs" c="dimmed" mb={4} data-testid={TEST_IDS.terminalCount}>
        {FLEET_TEXT.terminalCount(formatCount(total))}
      </Text>
      {pageError?.error && <ErrorState error={pageError.error} onRetry={() => void pageError.refetch()} />}
      <div className={classes.frame} role="table" aria-label={FLEET_TEXT.tableTitle} aria-rowcount={total}>
        {table.getHeaderGroups().map((group) => (
          <div key={group.id} className={classes.header} style={{ gridTemplateColumns: TEMPLATE }} role="row">
            {group.headers.map((header) => {
              const id = header.column.id;
              const isSorted = sort.key === id;
              return (
                <UnstyledButton
                  key={header.id}
                  className={classes.headCell}
                  role="columnheader"
                  aria-sort={isSorted ? (sort.desc ? 'descending' : 'ascending') : 'none'}
                  onClick={() => {
                    if (!isSortKey(id)) return;
                    onSortChange({ key: id, desc: isSorted ? !sort.desc : false });
                  }}
                >
                  {flexRender(header.column.columnDef.header, header.getContext())}
                  {isSorted ? (
                    sort.desc ? <IconArrowDown size={12} /> : <IconArrowUp size={12} />
                  ) : (
                    <IconArrowsSort size={12} className={classes.sortIdle} />
                  )}
                </UnstyledButton>
              );
            })}
          </div>
        ))}
        {total === 0 ? (
          <Box py="lg">
            <Empty title={FLEET_TEXT.tableEmpty} description={FLEET_TEXT.tableEmptyHint} />
          </Box>
        ) : (
          <div ref={scrollRef} className={classes.scroll} data-testid={TEST_IDS.terminalTable}>
            <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
              {items.map((item) => {
                const data = rowAt(item.index);
                const style = { gridTemplateColumns: TEMPLATE, transform: `translateY(${item.start}px)`, height: ROW_HEIGHT };
                if (!data) {
                  return (
                    <div key={`pending-${item.index}`} className={classes.row} style={style} role="row" aria-busy="true">
                      <Skeleton height={12} m={10} radius="sm" style={{ gridColumn: '1 / -1' }} />
                    </div>
                  );
                }
                const row = table.getRow(data.id);
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
                    {row.getVisibleCells().map((cell) => (
                      <div key={cell.id} className={classes.cell} role="cell">
                        {flexRender(cell.column.columnDef.cell, cell.getContext())}
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
