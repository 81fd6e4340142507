import { describe, expect, it } from 'vitest';
import { domainsForTables, QUERY_DOMAINS } from './queryKeys.ts';

describe('db:changed invalidation by declared table readers', () => {
  it('a recorded version refreshes the fleet views and the pending count', () => {
    expect(domainsForTables(['terminal_current', 'journal'])).toEqual([
      'fleet',
      'releases',
      'sync',
      'checklists',
      'deployments',
      'changeRequests',
      'desk',
    ]);
  });

  it('a sync-only change refreshes only the sync status', () => {
    expect(domainsForTables(['journal'])).toEqual(['sync']);
  });

  it('a recorded checklist result refreshes checklists, the verdict, bug reports and deployments (smoke steps)', () => {
    expect(domainsForTables(['checklist_results', 'journal'])).toEqual([
      'sync',
      'checklists',
      'decisions',
      'feedback',
      'deployments',
    ]);
  });

  it('a catalog pull that rewrote runbooks refreshes the deployment screens (the regex guess left them stale)', () => {
    expect(domainsForTables(['deployment_runbooks'])).toContain('deployments');
    expect(domainsForTables(['change_requests'])).toEqual(
      expect.arrayContaining(['changeRequests', 'deployments']),
    );
  });

  it('a table missing from the declaration refreshes everything rather than leave a screen stale', () => {
    expect(domainsForTables(['something_new'])).toEqual([...QUERY_DOMAINS]);
  });

  it('no tables means nothing to refresh', () => {
    expect(domainsForTables([])).toEqual([]);
  });
});
