import type { ChangeRequest } from '#shared/deployments/changeRequests.ts';
import type { ExportColumn } from '#shared/exports/toCsv.ts';
import { t } from '#renderer/i18n/index.ts';

/** The store's change requests as the table shows them, headers in the console's language. */
export function changeRequestExportColumns(words: {
  deviation: (request: ChangeRequest) => string;
  person: (userId: string) => string;
  when: (at: number) => string;
}): ExportColumn<ChangeRequest>[] {
  return [
    { header: t('csv:status'), value: (r) => t(`domain:changeRequestStatus.${r.status}`) },
    { header: t('csv:what'), value: (r) => words.deviation(r) },
    { header: t('csv:impact'), value: (r) => r.impactNote },
    { header: t('csv:risk'), value: (r) => t(`domain:risk.${r.risk}`) },
    { header: t('csv:requestedBy'), value: (r) => words.person(r.requestedBy.userId) },
    { header: t('csv:requestedAt'), value: (r) => words.when(r.requestedAt) },
    {
      header: t('csv:decidedBy'),
      value: (r) => (r.decidedBy ? words.person(r.decidedBy.userId) : null),
    },
    {
      header: t('csv:decidedAt'),
      value: (r) => (r.decidedAt === null ? null : words.when(r.decidedAt)),
    },
    { header: t('csv:decisionNote'), value: (r) => r.decisionNote },
    { header: t('csv:requestId'), value: (r) => r.id },
  ];
}
