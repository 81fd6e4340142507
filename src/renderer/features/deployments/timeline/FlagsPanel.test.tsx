import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, screen, within } from '@testing-library/react';
import { renderWithApi } from '#renderer/testing/renderWithApi.tsx';
import { renderWithMantine } from '#renderer/testing/renderWithMantine.tsx';
import { FlagsPanel } from './FlagsPanel.tsx';
import { TIMELINE_TEST_IDS } from './testIds.ts';

afterEach(cleanup);

describe('feature flag panel', () => {
  it('shows each flag’s value, where it comes from, and offers the opposite value as a change request', () => {
    // The request buttons ask who is signed in (a role that may not ask sees them disabled).
    renderWithApi(
      <FlagsPanel
        storeId="st-lil-01"
        releaseId="rel-440"
        flags={[
          {
            key: 'contactless_limit_raise',
            description: 'Contactless limit 100 €',
            value: false,
            source: 'ring',
          },
          { key: 'new_checkout', description: 'New checkout flow', value: true, source: 'store' },
        ]}
      />,
    );
    const rows = screen.getAllByTestId(TIMELINE_TEST_IDS.flagRow);
    expect(rows.map((r) => r.getAttribute('data-flag'))).toEqual([
      'contactless_limit_raise',
      'new_checkout',
    ]);
    expect(within(rows[0]!).getByText('Off')).toBeTruthy();
    expect(within(rows[0]!).getByText('Ring default')).toBeTruthy();
    expect(within(rows[0]!).getByRole('button', { name: 'Request to turn on' })).toBeTruthy();
    expect(within(rows[1]!).getByText('On')).toBeTruthy();
    expect(within(rows[1]!).getByText('Store override')).toBeTruthy();
    expect(within(rows[1]!).getByRole('button', { name: 'Request to turn off' })).toBeTruthy();
  });

  it('in a narrow container: two columns, the request under the description and the source under the value', () => {
    renderWithApi(
      <FlagsPanel
        storeId="st-lil-01"
        releaseId="rel-440"
        isCompact
        flags={[{ key: 'assist-mode', description: 'Assist mode', value: true, source: 'ring' }]}
      />,
    );
    expect(screen.getAllByRole('columnheader')).toHaveLength(2);
    const row = screen.getByTestId(TIMELINE_TEST_IDS.flagRow);
    const [flagCell, valueCell] = within(row).getAllByRole('cell');
    expect(within(flagCell!).getByRole('button', { name: 'Request to turn off' })).toBeTruthy();
    expect(within(valueCell!).getByText('On')).toBeTruthy();
    expect(within(valueCell!).getByText('Ring default')).toBeTruthy();
  });

  it('says so when the release defines no flag', () => {
    renderWithMantine(<FlagsPanel storeId="st-lil-01" releaseId="rel-440" flags={[]} />);
    expect(screen.getByText('This release defines no feature flag.')).toBeTruthy();
    expect(screen.queryAllByTestId(TIMELINE_TEST_IDS.flagRow)).toHaveLength(0);
  });
});
