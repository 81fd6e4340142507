import { describe, expect, it } from 'vitest';
import { domainsForTables, QUERY_DOMAINS } from './queryKeys.ts';

describe('db:changed invalidation by table', () => {
  it('a recorded version refreshes fleet, releases (terminal counts) and the pending count', () => {
    expect(domainsForTables(['terminal_current_release', 'journal'])).toEqual([
      'fleet',
      'releases',
      'sync',
    ]);
  });

  it('a catalog release change refreshes releases and the fleet matrix', () => {
    expect(domainsForTables(['releases'])).toEqual(['fleet', 'releases', 'sync']);
  });

  it('a sync-only change refreshes only the sync status', () => {
    expect(domainsForTables(['outbox'])).toEqual(['sync']);
  });

  it('a recorded checklist result refreshes checklists, the verdict and bug reports, and the pending count', () => {
    expect(domainsForTables(['checklist_results', 'journal'])).toEqual([
      'sync',
      'checklists',
      'decisions',
      'feedback',
    ]);
  });

  it('a table it does not know refreshes everything rather than leave a screen stale', () => {
    expect(domainsForTables(['something_new'])).toEqual([...QUERY_DOMAINS]);
  });

  it('no tables means nothing to refresh', () => {
    expect(domainsForTables([])).toEqual([]);
  });
});
