import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, fireEvent, screen, waitFor } from '@testing-library/react';
import type { CentralActionRow, CentralActionsPage } from '#shared/desk/centralActions.ts';
import { renderWithApi } from '../../testing/renderWithApi.tsx';
import { CentralActionsPanel } from './CentralActionsPanel.tsx';
import { AUDIT_TEST_IDS } from './testIds.ts';

afterEach(cleanup);

/** Generous: on a loaded machine the first render alone can take seconds. */
const WAIT = { timeout: 10_000 };

function action(index: number, over: Partial<CentralActionRow> = {}): CentralActionRow {
  return {
    index,
    at: '2026-12-07T10:00:00.000Z',
    type: 'admin.release.published',
    adminId: 'u-ada',
    adminName: 'Ada Admin',
    via: 'token',
    subject: { kind: 'release', id: 'rel-4.4.0' },
    storeId: null,
    ...over,
  };
}

function page(actions: CentralActionRow[], next: number | null): CentralActionsPage {
  return {
    actions,
    next,
    admins: [
      { id: 'u-ada', name: 'Ada Admin' },
      { id: 'u-grace', name: 'Grace Hopper' },
    ],
    asOf: '2026-12-07T10:00:00.000Z',
  };
}

const rows = () => screen.queryAllByTestId(AUDIT_TEST_IDS.centralRow).map((r) => r.textContent);

describe('CentralActionsPanel', () => {
  it('lists who did what to what, in words, and pages back by log index', async () => {
    const asked: unknown[] = [];
    renderWithApi(<CentralActionsPanel isDesk />, {
      'desk:centralActions': (input) => {
        asked.push(input);
        return input.before === 41
          ? page([action(12, { type: 'admin.webhook.created', subject: null, via: 'cli' })], null)
          : page(
              [
                action(57, {
                  type: 'admin.desk.revoked',
                  adminId: 'u-gone',
                  adminName: null,
                  subject: { kind: 'desk', id: 'desk-lyon' },
                }),
                action(41, { type: 'release.blocked', via: 'desk' }),
              ],
              41,
            );
      },
    });
    await waitFor(() => expect(rows()).toHaveLength(2), WAIT);
    expect(rows()[0]).toContain('Desk revoked');
    expect(rows()[0]).toContain('Desk desk-lyon');
    expect(rows()[0]).toContain('u-gone · not in the catalog');
    expect(rows()[0]).toContain('57');
    expect(rows()[1]).toContain('Ada Admin');
    expect(rows()[1]).toContain('Release blocked');
    expect(rows()[1]).toContain('u-ada · release desk');
    expect(rows()[1]).toContain('Release rel-4.4.0');

    fireEvent.click(screen.getByTestId(AUDIT_TEST_IDS.centralOlder));
    await waitFor(() => expect(rows()).toHaveLength(1), WAIT);
    expect(rows()[0]).toContain('Webhook subscribed');
    expect(rows()[0]).toContain('Every store');
    expect(rows()[0]).toContain('command line');
    expect(asked).toEqual([{}, { before: 41 }]);
    expect(screen.getByTestId(AUDIT_TEST_IDS.centralOlder).hasAttribute('disabled')).toBe(true);
  }, 30_000);

  it('says when nothing matches a filter, and asks the server with the filter', async () => {
    const asked: unknown[] = [];
    renderWithApi(<CentralActionsPanel isDesk />, {
      'desk:centralActions': (input) => {
        asked.push(input);
        return page(input.adminId ? [] : [action(3)], null);
      },
    });
    await waitFor(() => expect(rows()).toHaveLength(1), WAIT);
    fireEvent.click(screen.getByTestId(AUDIT_TEST_IDS.centralAdminFilter));
    fireEvent.click(await screen.findByText('Grace Hopper (u-grace)', {}, WAIT));
    await screen.findByText('No central action matches these filters.', {}, WAIT);
    expect(asked).toContainEqual({ adminId: 'u-grace' });
  }, 30_000);

  it('on a console that is no desk, says where the list comes from instead', () => {
    renderWithApi(<CentralActionsPanel isDesk={false} />, {});
    expect(screen.getByText(/connect this console as a desk to list them/)).toBeTruthy();
    expect(rows()).toEqual([]);
  });
});
