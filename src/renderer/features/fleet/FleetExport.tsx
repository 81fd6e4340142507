import { useQuery } from '@tanstack/react-query';
import type { FleetFilter, FleetMatrix, TerminalRow } from '#shared/contract/index.ts';
import type { ExportColumn } from '#shared/exports/toCsv.ts';
import { useApi } from '../../api/ApiContext.tsx';
import { queryKeys } from '../../api/queryKeys.ts';
import { ExportButton, pagesOf } from '../../components/ExportButton.tsx';
import type { TerminalSort } from '../../state/store.ts';

/** Column headers of the terminal export, in one place until they move to the locale files. */
const TERMINAL_EXPORT_COLUMNS: readonly ExportColumn<TerminalRow>[] = [
  { header: 'Store', value: (t) => t.storeName },
  { header: 'Store ID', value: (t) => t.storeId },
  { header: 'Terminal', value: (t) => t.name },
  { header: 'Terminal ID', value: (t) => t.id },
  { header: 'Model', value: (t) => t.model },
  { header: 'Serial', value: (t) => t.serial },
  { header: 'Installed version', value: (t) => t.version },
  { header: 'Target version', value: (t) => t.targetVersion },
  { header: 'Drift', value: (t) => t.isDrift },
  { header: 'Installed since', value: (t) => t.since },
  { header: 'Last seen', value: (t) => t.lastSeen },
];

/** What each export is called (its file name, and the button's name for assistive technology). */
const TERMINALS_EXPORT = 'fleet terminals';
const MATRIX_EXPORT = 'store release matrix';
const MATRIX_EXPORT_TEST_ID = 'export-matrix';

/** Export of the terminal table as filtered and sorted on screen. */
export function FleetExport(props: { filter: FleetFilter; sort: TerminalSort }) {
  const { filter, sort } = props;
  const api = useApi();
  // The view's total (a one-row page), under the fleet domain so db:changed refreshes it too.
  const head = useQuery({
    queryKey: [...queryKeys.terminalPage(filter, sort, 0), 'total'],
    queryFn: () => api['fleet:listTerminals']({ filter, sort, offset: 0, limit: 1 }),
  });
  return (
    <ExportButton
      what={TERMINALS_EXPORT}
      columns={TERMINAL_EXPORT_COLUMNS}
      total={head.data?.total ?? 0}
      loadPage={async (offset, limit) =>
        (await api['fleet:listTerminals']({ filter, sort, offset, limit })).rows
      }
    />
  );
}

type MatrixRow = FleetMatrix['stores'][number] & { counts: Map<string | null, number> };

/** Store × release: one row per store, one column per release (terminals on it), as the matrix shows. */
export function matrixExportColumns(matrix: FleetMatrix): ExportColumn<MatrixRow>[] {
  return [
    { header: 'Store', value: (s) => s.name },
    { header: 'Store ID', value: (s) => s.id },
    { header: 'Region', value: (s) => s.region },
    { header: 'Ring', value: (s) => s.ring },
    { header: 'Terminals', value: (s) => s.terminalCount },
    { header: 'Drift', value: (s) => s.driftCount },
    ...matrix.releases.map((release) => ({
      header: release.version,
      value: (s: MatrixRow) => s.counts.get(release.id) ?? 0,
    })),
  ];
}

export function matrixExportRows(matrix: FleetMatrix): MatrixRow[] {
  const byStore = Map.groupBy(matrix.cells, (cell) => cell.storeId);
  return matrix.stores.map((store) => ({
    ...store,
    counts: new Map((byStore.get(store.id) ?? []).map((cell) => [cell.releaseId, cell.count])),
  }));
}

export function MatrixExport(props: { matrix: FleetMatrix }) {
  const rows = matrixExportRows(props.matrix);
  return (
    <ExportButton
      what={MATRIX_EXPORT}
      columns={matrixExportColumns(props.matrix)}
      total={rows.length}
      loadPage={pagesOf(rows)}
      testId={MATRIX_EXPORT_TEST_ID}
    />
  );
}
