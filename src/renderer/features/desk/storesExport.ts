import type { DeskStoreRow } from '#shared/contract/desk.ts';
import type { ExportColumn } from '#shared/exports/toCsv.ts';
import { t } from '#renderer/i18n/index.ts';

/** The desk's store list as shown, headers in the console's language. */
export function deskStoreExportColumns(): ExportColumn<DeskStoreRow>[] {
  return [
    { header: t('csv:store'), value: (s) => s.name },
    { header: t('csv:storeId'), value: (s) => s.storeId },
    { header: t('csv:region'), value: (s) => s.region },
    { header: t('csv:ring'), value: (s) => s.ring },
    { header: t('csv:terminals'), value: (s) => s.terminals },
    { header: t('csv:onTheRelease'), value: (s) => s.installed },
    { header: t('csv:drifting'), value: (s) => s.drifting },
    { header: t('csv:latestDecision'), value: (s) => s.latestDecision?.decision ?? null },
    { header: t('csv:decisionSignedBy'), value: (s) => s.latestDecision?.signedBy ?? null },
    { header: t('csv:decisionSignedAt'), value: (s) => s.latestDecision?.signedAt ?? null },
    { header: t('csv:openDeployments'), value: (s) => s.openDeployments },
    { header: t('csv:supersededRecords'), value: (s) => s.superseded },
    {
      header: t('csv:lastConsoleSync'),
      value: (s) =>
        s.consoles.reduce<string | null>(
          (latest, entry) =>
            latest === null || entry.lastSyncAt > latest ? entry.lastSyncAt : latest,
          null,
        ),
    },
  ];
}
