import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, screen } from '@testing-library/react';
import { QUARANTINE_REASON_TEXT } from '#shared/audit/actorRule.ts';
import type { QuarantinedEventPage } from '#shared/contract/index.ts';
import { renderWithMantine } from '../../testing/renderWithMantine.tsx';
import { QuarantinedEventsView } from './QuarantinedEvents.tsx';
import { SYNC_TEST_IDS } from './testIds.ts';

afterEach(cleanup);

const page: QuarantinedEventPage = {
  events: [
    {
      seq: 3,
      id: 'e-3',
      at: '2026-12-07T09:00:00.000Z',
      type: 'change_request.approved',
      userId: 'u-tess',
      reason: 'actor_role_mismatch',
      explanation: QUARANTINE_REASON_TEXT.actor_role_mismatch,
      notedAt: '2026-12-07T09:05:00.000Z',
    },
    {
      seq: 2,
      id: 'e-2',
      at: '2026-12-07T08:00:00.000Z',
      type: 'fleet.version.recorded',
      userId: 'u-ghost',
      reason: 'actor_unknown',
      explanation: QUARANTINE_REASON_TEXT.actor_unknown,
      notedAt: '2026-12-07T09:05:00.000Z',
    },
  ],
  nextBeforeSeq: 2,
  total: 5,
};

describe('quarantined events on the Sync screen', () => {
  it('lists each event with who recorded it, the reason code and what to do, and how many more there are', () => {
    renderWithMantine(<QuarantinedEventsView page={page} />);
    const rows = screen.getAllByTestId(SYNC_TEST_IDS.quarantinedRow);
    expect(rows.map((r) => [r.dataset.seq, r.dataset.reason])).toEqual([
      ['3', 'actor_role_mismatch'],
      ['2', 'actor_unknown'],
    ]);
    expect(rows[1]!.textContent).toContain('u-ghost');
    expect(rows[1]!.textContent).toContain('does not know the user');
    const list = screen.getByTestId(SYNC_TEST_IDS.quarantined);
    expect(list.textContent).toContain('5 events not counted by the central server');
    expect(list.textContent).toContain('and 3 more');
  });

  it('shows nothing when nothing is quarantined', () => {
    renderWithMantine(
      <QuarantinedEventsView page={{ events: [], nextBeforeSeq: null, total: 0 }} />,
    );
    expect(screen.queryByTestId(SYNC_TEST_IDS.quarantined)).toBeNull();
  });
});
