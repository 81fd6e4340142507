import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, screen, waitFor } from '@testing-library/react';
import { MemoryRouter } from 'react-router';
import type { ComplianceReport } from '#shared/compliance/protocol.ts';
import { renderWithApi } from '../../testing/renderWithApi.tsx';
import { ComplianceReportScreen } from './ComplianceReportScreen.tsx';

afterEach(() => {
  cleanup();
});

const REPORT: ComplianceReport = {
  releaseId: 'rel-4.2.1',
  releaseVersion: '4.2.1',
  country: 'FR',
  rules: [
    {
      id: 'fr-nf525',
      name: 'NF525 certification',
      country: 'FR',
      releaseIds: [],
      checks: [{ kind: 'sign-off', templateId: 'tpl-nf525', terminalCount: 1 }],
    },
  ],
  stores: [
    {
      storeId: 'st-lil-01',
      storeName: 'Lille Euralille',
      region: 'Europe',
      country: 'FR',
      checks: [],
      isCompliant: true,
      decision: null,
    },
  ],
  treeHead: {
    treeHead: {
      kind: 'tree-head',
      v: 1,
      logId: 'log-1',
      size: 1,
      root: 'a'.repeat(64),
      at: '2026-12-07T10:00:00.000Z',
    },
    signature: 'c2ln',
  },
  generatedAt: '2026-12-07T10:00:00.000Z',
};

describe('the compliance report screen', () => {
  it('asks for the country in the address, not a region, and names the country and its rule', async () => {
    const { calls } = renderWithApi(
      <MemoryRouter initialEntries={['/reports/compliance?releaseId=rel-4.2.1&country=FR']}>
        <ComplianceReportScreen />
      </MemoryRouter>,
      {
        'releases:list': () => [],
        'fleet:filterOptions': () => ({
          regions: ['Europe'],
          countries: ['DE', 'FR'],
          rings: [],
          models: [],
          releases: [],
        }),
        'desk:connection': () => ({
          isConnected: true,
          serverUrl: 'http://127.0.0.1:1',
          deskId: 'desk-1',
          scope: 'region:Europe',
          role: 'auditor',
        }),
        'compliance:report': () => REPORT,
      },
    );
    expect(
      await screen.findByRole(
        'heading',
        { name: /Compliance report — 4\.2\.1, France \(FR\)/ },
        // Three queries before the report's: generous on a loaded machine.
        { timeout: 5000 },
      ),
    ).toBeTruthy();
    expect(screen.getByText('NF525 certification (France (FR)):', { exact: false })).toBeTruthy();
    expect(screen.getByText(/Lille Euralille \(FR\)/)).toBeTruthy();
    await waitFor(() =>
      expect(calls.filter((c) => c.channel === 'compliance:report').map((c) => c.input)).toEqual([
        { releaseId: 'rel-4.2.1', country: 'FR' },
      ]),
    );
  });
});
