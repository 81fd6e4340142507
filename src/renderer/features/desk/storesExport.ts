import type { DeskStoreRow } from '#shared/contract/desk.ts';
import type { ExportColumn } from '#shared/exports/toCsv.ts';

/** The desk's store list as shown; headers in one place until they move to the locale files. */
export const DESK_STORE_EXPORT_COLUMNS: readonly ExportColumn<DeskStoreRow>[] = [
  { header: 'Store', value: (s) => s.name },
  { header: 'Store ID', value: (s) => s.storeId },
  { header: 'Region', value: (s) => s.region },
  { header: 'Ring', value: (s) => s.ring },
  { header: 'Terminals', value: (s) => s.terminals },
  { header: 'On the release', value: (s) => s.installed },
  { header: 'Drifting', value: (s) => s.drifting },
  { header: 'Latest decision', value: (s) => s.latestDecision?.decision ?? null },
  { header: 'Decision signed by', value: (s) => s.latestDecision?.signedBy ?? null },
  { header: 'Decision signed at', value: (s) => s.latestDecision?.signedAt ?? null },
  { header: 'Open deployments', value: (s) => s.openDeployments },
  { header: 'Superseded records', value: (s) => s.superseded },
  {
    header: 'Last console sync',
    value: (s) =>
      s.consoles.reduce<string | null>(
        (latest, entry) =>
          latest === null || entry.lastSyncAt > latest ? entry.lastSyncAt : latest,
        null,
      ),
  },
];
