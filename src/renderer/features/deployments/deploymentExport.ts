import type { DeploymentSummary } from '#shared/contract/deployments.ts';
import { deploymentStatusLabel } from '#shared/deployments/stateMachine.ts';
import type { ExportColumn } from '#shared/exports/toCsv.ts';
import { t } from '#renderer/i18n/index.ts';

/** The deployment history as the list shows it, headers in the console's language. */
export function deploymentExportColumns(
  versionOf: (releaseId: string) => string,
  storeName: (storeId: string) => string,
): ExportColumn<DeploymentSummary>[] {
  return [
    { header: t('csv:release'), value: (d) => versionOf(d.releaseId) },
    { header: t('csv:releaseId'), value: (d) => d.releaseId },
    { header: t('csv:store'), value: (d) => storeName(d.storeId) },
    { header: t('csv:storeId'), value: (d) => d.storeId },
    { header: t('csv:status'), value: (d) => deploymentStatusLabel(d) },
    { header: t('csv:phase'), value: (d) => d.phase },
    { header: t('csv:plannedAt'), value: (d) => d.plannedAt },
    { header: t('csv:updatedAt'), value: (d) => d.updatedAt },
    { header: t('csv:deploymentId'), value: (d) => d.id },
  ];
}
