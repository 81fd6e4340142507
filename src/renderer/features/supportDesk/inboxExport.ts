import type { InboxRow } from '#shared/feedback/deskProtocol.ts';
import type { ExportColumn } from '#shared/exports/toCsv.ts';

/** The inbox as filtered: every column the desk sees, and the ids behind them. */
export const INBOX_EXPORT_COLUMNS: readonly ExportColumn<InboxRow>[] = [
  { header: 'Report ID', value: (r) => r.id },
  { header: 'Title', value: (r) => r.title },
  { header: 'Store ID', value: (r) => r.storeId },
  { header: 'Store', value: (r) => r.storeName },
  { header: 'Region', value: (r) => r.region },
  { header: 'Ring', value: (r) => r.ring },
  { header: 'Status', value: (r) => r.status },
  { header: 'Severity', value: (r) => r.severity },
  { header: 'Suggested severity', value: (r) => r.severitySuggested },
  { header: 'Type', value: (r) => r.kind },
  { header: 'Assignee', value: (r) => r.assignee },
  { header: 'Due date', value: (r) => r.dueDate },
  { header: 'Release', value: (r) => r.releaseId },
  { header: 'Fixed in', value: (r) => r.fixedIn },
  { header: 'Duplicate of', value: (r) => r.duplicateOf },
  { header: 'Reported by', value: (r) => r.reportedBy },
  { header: 'Reported at', value: (r) => r.reportedAt },
  { header: 'Changed at', value: (r) => r.updatedAt },
  { header: 'Attachments', value: (r) => r.attachments },
];
