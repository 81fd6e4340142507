/** The `audit:*` channels on the console: the journal, its verification and export, and the central log's state. */
import type { FeatureHandlers } from '../app/dispatcher.ts';
import type { Journal } from './journal.ts';
import type { AuditService } from './service.ts';

export function createAuditHandlers(
  journal: Journal,
  audit: AuditService,
): FeatureHandlers<'audit'> {
  return {
    'audit:verifyJournal': () => {
      const result = journal.verify();
      if (result.ok) return { ok: true, count: result.count, head: result.head };
      return { ok: false, seq: result.seq, id: result.id ?? null, reason: result.reason };
    },
    'audit:status': () => audit.status(),
    'audit:journalEvents': (input) => audit.journalEvents(input),
    'audit:journalExport': () => audit.journalExport(),
  };
}
