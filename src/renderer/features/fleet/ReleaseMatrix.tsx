/**
 * Stores × releases with the terminal count per cell. Orange cells hold
 * terminals that are not on their ring's target; the outlined cell is the
 * store's target. Rows are virtualized: a fleet can have thousands of stores.
 */
import { memo, useCallback, useEffect, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import { IconTarget } from '@tabler/icons-react';
import type { FleetMatrix, MatrixCell } from '#shared/contract/index.ts';
import { RingTag } from '../../components/DriftTag.tsx';
import { useFixedRowWindow } from '../../components/fixedRowWindow.ts';
import { formatCount } from '../../components/format.ts';
import { matrixCellTestId, TEST_IDS } from '../../testIds.ts';
import type { CellSelection } from './fleetFilters.ts';
import { isMatrixMoveKey, nextMatrixPosition, type MatrixPosition } from './matrixKeys.ts';
import classes from './ReleaseMatrix.module.css';
import { t } from '../../i18n/index.ts';

const ROW_HEIGHT = 30;
const HEADER_HEIGHT = 30;
/** The first-render guess of the box's height; the CSS caps it (ReleaseMatrix.module.css, .scroll). */
const MAX_HEIGHT = 330;
// Sized so ten releases and the total fit at 1366 px wide beside the navigation; more scroll sideways under a sticky store name and total.
const STORE_COL = 210;
const STORE_COL_MAX = 320;
const RELEASE_COL = 64;
const TOTAL_COL = 76;

function cellKey(storeId: string, releaseId: string | null): string {
  return `${storeId}\u0000${releaseId ?? ''}`;
}

type ReleaseMatrixProps = {
  matrix: FleetMatrix;
  selection: CellSelection | null;
  onSelect: (cell: CellSelection | null) => void;
};

function terminalsInWords(n: number): string {
  return t('fleet:terminalCount', { count: n, formatted: formatCount(n) });
}

function driftInWords(n: number): string {
  return n > 0 ? t('fleet:driftSuffix', { formatted: formatCount(n) }) : '';
}

const CELL_TONES = { empty: 'empty', drift: 'drift', ok: 'ok' } as const;

function cellTone(count: number, drift: number): keyof typeof CELL_TONES {
  return count === 0 ? CELL_TONES.empty : drift > 0 ? CELL_TONES.drift : CELL_TONES.ok;
}

/**
 * Memoized: the terminal table's window fetches re-render the screen, and the matrix need not follow.
 * Keyboard: the grid is one tab stop (the last focused cell, else the first
 * non-empty one); the arrow keys, Home, End, PageUp and PageDown move between
 * the cells that hold terminals, scrolling the row into view.
 */
export const ReleaseMatrix = memo(function ReleaseMatrix(props: ReleaseMatrixProps) {
  const { matrix, selection, onSelect } = props;
  const cells = useMemo(() => {
    const map = new Map<string, MatrixCell>();
    for (const cell of matrix.cells) map.set(cellKey(cell.storeId, cell.releaseId), cell);
    return map;
  }, [matrix]);

  const { attachScrollBox, onScroll, totalHeight, rows } = useFixedRowWindow({
    count: matrix.stores.length,
    rowHeight: ROW_HEIGHT,
    overscan: 6,
    initialViewportHeight: MAX_HEIGHT,
  });
  const box = useRef<HTMLDivElement | null>(null);
  const attachBox = useCallback(
    (element: HTMLDivElement | null) => {
      box.current = element;
      attachScrollBox(element);
    },
    [attachScrollBox],
  );

  const isFocusable = useCallback(
    (row: number, col: number): boolean => {
      const store = matrix.stores[row];
      const release = matrix.releases[col];
      if (store === undefined || release === undefined) return false;
      return (cells.get(cellKey(store.id, release.id))?.count ?? 0) > 0;
    },
    [matrix, cells],
  );
  const grid = useMemo(
    () => ({ rows: matrix.stores.length, cols: matrix.releases.length, isFocusable }),
    [matrix, isFocusable],
  );
  const [active, setActive] = useState<MatrixPosition | null>(null);
  // The tab stop: the last focused cell while it still holds terminals, else the first cell that does.
  const tabStop = useMemo((): MatrixPosition | null => {
    if (active !== null && isFocusable(active.row, active.col)) return active;
    for (let row = 0; row < grid.rows; row++)
      for (let col = 0; col < grid.cols; col++) if (isFocusable(row, col)) return { row, col };
    return null;
  }, [active, grid, isFocusable]);
  // A cell reached by the keyboard may not be mounted yet (virtualized rows): focused once it is.
  const pendingFocus = useRef<MatrixPosition | null>(null);
  useEffect(() => {
    const target = pendingFocus.current;
    if (target === null || box.current === null) return;
    const button = box.current.querySelector<HTMLButtonElement>(
      `button[data-row="${target.row}"][data-col="${target.col}"]`,
    );
    if (button !== null) {
      pendingFocus.current = null;
      button.focus({ preventScroll: true });
    }
  });
  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    if (!isMatrixMoveKey(event.key) || tabStop === null) return;
    const viewportRows = Math.max(
      1,
      Math.floor(((box.current?.clientHeight ?? MAX_HEIGHT) - HEADER_HEIGHT) / ROW_HEIGHT),
    );
    const next = nextMatrixPosition(grid, tabStop, event.key, viewportRows);
    event.preventDefault();
    if (next === null) return;
    setActive(next);
    pendingFocus.current = next;
    const scroller = box.current;
    if (scroller !== null) {
      // Keep the row below the sticky header and above the bottom edge.
      const top = next.row * ROW_HEIGHT;
      const visible = scroller.clientHeight - HEADER_HEIGHT;
      if (top < scroller.scrollTop) scroller.scrollTop = top;
      else if (top + ROW_HEIGHT > scroller.scrollTop + visible)
        scroller.scrollTop = top + ROW_HEIGHT - visible;
    }
  };

  // Fixed track widths: every row is its own grid, so only fixed tracks line up with the header.
  // The store column widens up to STORE_COL_MAX where there is room; every row is as wide as the header, so the tracks still line up.
  const template = `minmax(${STORE_COL}px, ${STORE_COL_MAX}px) repeat(${matrix.releases.length}, ${RELEASE_COL}px) ${TOTAL_COL}px`;
  const height = (matrix.stores.length + 1) * ROW_HEIGHT + 2;

  return (
    <div
      ref={attachBox}
      onScroll={onScroll}
      onKeyDown={onKeyDown}
      className={classes.scroll}
      style={{ height }}
      role="grid"
      aria-label={t('fleet:matrixTitle')}
      aria-rowcount={matrix.stores.length + 1}
      data-testid={TEST_IDS.matrix}
    >
      <div
        className={classes.header}
        style={{ gridTemplateColumns: template }}
        role="row"
        aria-rowindex={1}
      >
        <div className={classes.headCell} role="columnheader">
          {t('fleet:matrixStore')}
        </div>
        {matrix.releases.map((release) => (
          <div key={release.id ?? 'unknown'} className={classes.headCellNum} role="columnheader">
            {release.id === null ? t('fleet:matrixUnknown') : release.version}
          </div>
        ))}
        <div className={`${classes.headCellNum} ${classes.totalHead}`} role="columnheader">
          {t('fleet:matrixTotal')}
        </div>
      </div>
      <div style={{ height: totalHeight, position: 'relative' }}>
        {rows.map((item) => {
          const store = matrix.stores[item.index]!;
          return (
            <div
              key={store.id}
              role="row"
              aria-rowindex={item.index + 2}
              className={classes.row}
              style={{
                gridTemplateColumns: template,
                transform: `translateY(${item.start}px)`,
                height: ROW_HEIGHT,
              }}
            >
              <div className={classes.storeCell} role="rowheader">
                <span className={classes.storeName} title={`${store.name} · ${store.region}`}>
                  {store.name}
                </span>
                <RingTag ring={store.ring} />
              </div>
              {matrix.releases.map((release, col) => {
                const cell = cells.get(cellKey(store.id, release.id));
                const count = cell?.count ?? 0;
                const drift = cell?.driftCount ?? 0;
                const isTarget =
                  store.targetReleaseId !== null && store.targetReleaseId === release.id;
                const isSelected =
                  selection?.storeId === store.id && selection.releaseId === release.id;
                const tone = cellTone(count, drift);
                const label = `${store.name}, ${release.id === null ? t('common:unknownVersion') : release.version}: ${terminalsInWords(count)}${driftInWords(drift)}`;
                const isTabStop = tabStop?.row === item.index && tabStop.col === col;
                return (
                  <div key={release.id ?? 'unknown'} role="gridcell" className={classes.cellWrap}>
                    {/* A native button: ~13 of them per row mount while scrolling, a Mantine component each would cost more than the row. */}
                    <button
                      type="button"
                      className={classes.cell}
                      data-tone={tone}
                      data-target={isTarget || undefined}
                      data-selected={isSelected || undefined}
                      disabled={count === 0}
                      tabIndex={isTabStop ? 0 : -1}
                      aria-label={label}
                      aria-pressed={isSelected}
                      data-row={item.index}
                      data-col={col}
                      onFocus={() => setActive({ row: item.index, col })}
                      data-testid={matrixCellTestId(store.id, release.id)}
                      onClick={() =>
                        onSelect(isSelected ? null : { storeId: store.id, releaseId: release.id })
                      }
                    >
                      {isTarget && (
                        <span title={t('fleet:matrixTarget')} className={classes.targetIcon}>
                          <IconTarget size={11} aria-hidden />
                        </span>
                      )}
                      {count === 0 ? '·' : formatCount(count)}
                    </button>
                  </div>
                );
              })}
              <div
                className={classes.totalCell}
                role="gridcell"
                aria-label={`${store.name}: ${terminalsInWords(store.terminalCount)}${driftInWords(store.driftCount)}`}
              >
                {formatCount(store.terminalCount)}
                {store.driftCount > 0 && (
                  <span className={classes.totalDrift}> ({formatCount(store.driftCount)})</span>
                )}
              </div>
            </div>
          );
        })}
      </div>
    </div>
  );
});
