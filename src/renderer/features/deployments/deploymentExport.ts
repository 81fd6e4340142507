import type { DeploymentSummary } from '#shared/contract/deployments.ts';
import { deploymentStatusLabel } from '#shared/deployments/stateMachine.ts';
import type { ExportColumn } from '#shared/exports/toCsv.ts';

/** The deployment history as the list shows it; headers in one place until they move to the locale files. */
export function deploymentExportColumns(
  versionOf: (releaseId: string) => string,
  storeName: (storeId: string) => string,
): ExportColumn<DeploymentSummary>[] {
  return [
    { header: 'Release', value: (d) => versionOf(d.releaseId) },
    { header: 'Release ID', value: (d) => d.releaseId },
    { header: 'Store', value: (d) => storeName(d.storeId) },
    { header: 'Store ID', value: (d) => d.storeId },
    { header: 'Status', value: (d) => deploymentStatusLabel(d) },
    { header: 'Phase', value: (d) => d.phase },
    { header: 'Planned at', value: (d) => d.plannedAt },
    { header: 'Updated at', value: (d) => d.updatedAt },
    { header: 'Deployment ID', value: (d) => d.id },
  ];
}

/** The export's name (file name, and the button's name for assistive technology). */
export const DEPLOYMENTS_EXPORT = 'deployments';
