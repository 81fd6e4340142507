/** The `audit:*` channels on the console: re-verifying the local journal. */
import type { FeatureHandlers } from '../app/dispatcher.ts';
import type { Journal } from './journal.ts';

export function createAuditHandlers(journal: Journal): FeatureHandlers<'audit'> {
  return {
    'audit:verifyJournal': () => {
      const result = journal.verify();
      if (result.ok) return { ok: true, count: result.count, head: result.head };
      return { ok: false, seq: result.seq, id: result.id ?? null, reason: result.reason };
    },
  };
}
