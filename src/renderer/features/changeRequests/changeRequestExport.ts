import type { ChangeRequest } from '#shared/deployments/changeRequests.ts';
import type { ExportColumn } from '#shared/exports/toCsv.ts';
import { t } from '#renderer/i18n/index.ts';

/** The store's change requests as the table shows them; headers in one place until they move to the locale files. */
export function changeRequestExportColumns(words: {
  deviation: (request: ChangeRequest) => string;
  person: (userId: string) => string;
  when: (at: number) => string;
}): ExportColumn<ChangeRequest>[] {
  return [
    { header: 'Status', value: (r) => t(`domain:changeRequestStatus.${r.status}`) },
    { header: 'What', value: (r) => words.deviation(r) },
    { header: 'Impact', value: (r) => r.impactNote },
    { header: 'Risk', value: (r) => t(`domain:risk.${r.risk}`) },
    { header: 'Requested by', value: (r) => words.person(r.requestedBy.userId) },
    { header: 'Requested at', value: (r) => words.when(r.requestedAt) },
    { header: 'Decided by', value: (r) => (r.decidedBy ? words.person(r.decidedBy.userId) : null) },
    { header: 'Decided at', value: (r) => (r.decidedAt === null ? null : words.when(r.decidedAt)) },
    { header: 'Decision note', value: (r) => r.decisionNote },
    { header: 'Request ID', value: (r) => r.id },
  ];
}
