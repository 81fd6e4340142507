import { useQuery } from '@tanstack/react-query';
import type { FleetFilter, FleetMatrix, TerminalRow } from '#shared/contract/index.ts';
import type { ExportColumn } from '#shared/exports/toCsv.ts';
import { useApi } from '../../api/ApiContext.tsx';
import { queryKeys } from '../../api/queryKeys.ts';
import { ExportButton, pagesOf } from '../../components/ExportButton.tsx';
import type { TerminalSort } from '../../state/store.ts';
import { t } from '#renderer/i18n/index.ts';

/** The terminal export's columns, headers in the console's language. */
function terminalExportColumns(): ExportColumn<TerminalRow>[] {
  return [
    { header: t('csv:store'), value: (row) => row.storeName },
    { header: t('csv:storeId'), value: (row) => row.storeId },
    { header: t('csv:terminal'), value: (row) => row.name },
    { header: t('csv:terminalId'), value: (row) => row.id },
    { header: t('csv:model'), value: (row) => row.model },
    { header: t('csv:serial'), value: (row) => row.serial },
    { header: t('csv:installedVersion'), value: (row) => row.version },
    { header: t('csv:targetVersion'), value: (row) => row.targetVersion },
    { header: t('csv:drift'), value: (row) => row.isDrift },
    { header: t('csv:installedSince'), value: (row) => row.since },
    { header: t('csv:lastSeen'), value: (row) => row.lastSeen },
  ];
}

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
      what={t('csv:exportName.fleetTerminals')}
      columns={terminalExportColumns()}
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
    { header: t('csv:store'), value: (s) => s.name },
    { header: t('csv:storeId'), value: (s) => s.id },
    { header: t('csv:region'), value: (s) => s.region },
    { header: t('csv:ring'), value: (s) => s.ring },
    { header: t('csv:terminals'), value: (s) => s.terminalCount },
    { header: t('csv:drift'), value: (s) => s.driftCount },
    ...matrix.releases.map((release) => ({
      // Terminals whose version matches no release: a column the console names, not the catalog.
      header: release.id === null ? t('common:unknownVersion') : release.version,
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
      what={t('csv:exportName.matrix')}
      columns={matrixExportColumns(props.matrix)}
      total={rows.length}
      loadPage={pagesOf(rows)}
      testId={MATRIX_EXPORT_TEST_ID}
    />
  );
}
