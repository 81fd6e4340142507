/**
 * Stores × releases with the terminal count per cell. Orange cells hold
 * terminals that are not on their ring's target; the outlined cell is the
 * store's target. Rows are virtualized: a fleet can have thousands of stores.
 */
import { memo, useMemo } from 'react';
import { IconTarget } from '@tabler/icons-react';
import type { FleetMatrix, MatrixCell } from '../../../shared/contract/index.ts';
import { RingTag } from '../../components/DriftTag.tsx';
import { useFixedRowWindow } from '../../components/fixedRowWindow.ts';
import { formatCount } from '../../components/format.ts';
import { COMMON_TEXT } from '../../components/text.ts';
import { matrixCellTestId, TEST_IDS } from '../../testIds.ts';
import type { CellSelection } from './fleetFilters.ts';
import classes from './ReleaseMatrix.module.css';
import { FLEET_TEXT } from './text.ts';

const ROW_HEIGHT = 30;
const MAX_HEIGHT = 330;
const STORE_COL = 290;
const RELEASE_COL = 76;
const TOTAL_COL = 84;

function cellKey(storeId: string, releaseId: string | null): string {
  return `${storeId}\u0000${releaseId ?? ''}`;
}

type ReleaseMatrixProps = {
  matrix: FleetMatrix;
  selection: CellSelection | null;
  onSelect: (cell: CellSelection | null) => void;
};

/** Memoized: the terminal table's window fetches re-render the screen, and the matrix need not follow. */
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

  // Fixed track widths: every row is its own grid, so only fixed tracks line up with the header.
  const template = `${STORE_COL}px repeat(${matrix.releases.length}, ${RELEASE_COL}px) ${TOTAL_COL}px`;
  const height = Math.min(MAX_HEIGHT, (matrix.stores.length + 1) * ROW_HEIGHT + 2);

  return (
    <div
      ref={attachScrollBox}
      onScroll={onScroll}
      className={classes.scroll}
      style={{ height }}
      role="table"
      aria-label={FLEET_TEXT.matrixTitle}
      data-testid={TEST_IDS.matrix}
    >
      <div className={classes.header} style={{ gridTemplateColumns: template }} role="row">
        <div className={classes.headCell} role="columnheader">
          {FLEET_TEXT.matrixStore}
        </div>
        {matrix.releases.map((release) => (
          <div key={release.id ?? 'unknown'} className={classes.headCellNum} role="columnheader">
            {release.id === null ? COMMON_TEXT.unknownVersion : release.version}
          </div>
        ))}
        <div className={classes.headCellNum} role="columnheader">
          {FLEET_TEXT.matrixTotal}
        </div>
      </div>
      <div style={{ height: totalHeight, position: 'relative' }}>
        {rows.map((item) => {
          const store = matrix.stores[item.index]!;
          return (
            <div
              key={store.id}
              role="row"
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
              {matrix.releases.map((release) => {
                const cell = cells.get(cellKey(store.id, release.id));
                const count = cell?.count ?? 0;
                const drift = cell?.driftCount ?? 0;
                const isTarget =
                  store.targetReleaseId !== null && store.targetReleaseId === release.id;
                const isSelected =
                  selection?.storeId === store.id && selection.releaseId === release.id;
                const tone = count === 0 ? 'empty' : drift > 0 ? 'drift' : 'ok';
                const label = `${store.name}, ${release.id === null ? COMMON_TEXT.unknownVersion : release.version}: ${count} terminals${drift > 0 ? `, ${drift} drift` : ''}`;
                return (
                  <div key={release.id ?? 'unknown'} role="cell" className={classes.cellWrap}>
                    {/* A native button: ~13 of them per row mount while scrolling, a Mantine component each would cost more than the row. */}
                    <button
                      type="button"
                      className={classes.cell}
                      data-tone={tone}
                      data-target={isTarget || undefined}
                      data-selected={isSelected || undefined}
                      disabled={count === 0}
                      aria-label={label}
                      aria-pressed={isSelected}
                      data-testid={matrixCellTestId(store.id, release.id)}
                      onClick={() =>
                        onSelect(isSelected ? null : { storeId: store.id, releaseId: release.id })
                      }
                    >
                      {isTarget && (
                        <span title={FLEET_TEXT.matrixTarget} className={classes.targetIcon}>
                          <IconTarget size={11} aria-hidden />
                        </span>
                      )}
                      {count === 0 ? '·' : formatCount(count)}
                    </button>
                  </div>
                );
              })}
              <div className={classes.totalCell} role="cell">
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
