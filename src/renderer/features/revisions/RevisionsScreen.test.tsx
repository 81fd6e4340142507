import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, fireEvent, screen, waitFor } from '@testing-library/react';
import { MemoryRouter, Route, Routes } from 'react-router';
import type { DeskRevisions } from '#shared/revisions/deskProtocol.ts';
import { t } from '../../i18n/index.ts';
import { renderWithApi, signedInStatus } from '../../testing/renderWithApi.tsx';
import { RevisionsScreen } from './RevisionsScreen.tsx';

afterEach(cleanup);

const HASH = 'c'.repeat(64);

/** POS smoke test v2 waiting for one approval, as the central server answers a release desk. */
function history(approvals: DeskRevisions['revisions'][number]['approvals'] = []): DeskRevisions {
  return {
    approvers: ['u-ada', 'u-boss'],
    revisions: [
      {
        kind: 'checklistTemplate',
        docId: 'tpl-smoke-pos',
        number: 2,
        contentHash: HASH,
        publishedAt: '2026-03-09T10:15:00.000Z',
        authorId: 'u-ada',
        diff: [
          { op: '-', text: '  "name": "Smoke",' },
          { op: '+', text: '  "name": "POS smoke test",' },
        ],
        requiredApprovals: 1,
        approvals,
        approvedAt: approvals.length > 0 ? '2026-03-09T11:00:00.000Z' : null,
      },
    ],
  };
}

function renderAtDesk(userId: string) {
  return renderWithApi(
    <MemoryRouter initialEntries={['/revisions/checklistTemplate/tpl-smoke-pos']}>
      <Routes>
        <Route path="/revisions/:kind/:docId" element={<RevisionsScreen />} />
      </Routes>
    </MemoryRouter>,
    {
      'session:status': () => signedInStatus({ id: userId, name: userId, role: 'admin' }),
      'desk:connection': () => ({
        isConnected: true,
        serverUrl: 'http://127.0.0.1:1',
        deskId: 'desk-1',
        scope: 'all',
        role: 'release',
      }),
      'session:listUsers': () =>
        [
          { id: 'u-ada', name: 'Ada Admin' },
          { id: 'u-boss', name: 'Bo Boss' },
        ] as never,
      'revisions:deskDocuments': () => ({ documents: [] }),
      'revisions:deskHistory': () => history(),
      'revisions:approve': () =>
        history([{ approverId: userId, approvedAt: '2026-03-09T11:00:00.000Z', logIndex: 7 }]),
    },
  );
}

// A Mantine screen in jsdom takes seconds on a loaded 2-core machine: the bound is for hangs.
describe('approving a revision at the release desk', { timeout: 30_000 }, () => {
  it('a committee member other than the author signs the content hash shown', async () => {
    const { calls } = renderAtDesk('u-boss');
    const approve = await screen.findByRole('button', {
      name: t('revisions:approve', { number: 2 }),
    });
    await waitFor(() => expect(approve).toHaveProperty('disabled', false));
    // The diff says + and − in text, not by colour alone.
    expect(document.querySelector('[data-op="added"]')?.textContent).toBe(
      '+  "name": "POS smoke test",',
    );
    expect(document.querySelector('[data-op="removed"]')?.textContent).toBe(
      '\u2212  "name": "Smoke",',
    );
    // Author and approvers by name, as the catalog's users call them, not by id.
    await waitFor(() => expect(document.body.textContent).toContain('Ada Admin'));
    expect(document.body.textContent).not.toContain('u-ada');
    fireEvent.click(approve);
    await screen.findByText(t('revisions:approved', { number: 2 }));
    await waitFor(() => expect(document.body.textContent).toContain('Bo Boss ('));
    expect(calls.find((c) => c.channel === 'revisions:approve')?.input).toEqual({
      kind: 'checklistTemplate',
      docId: 'tpl-smoke-pos',
      number: 2,
      contentHash: HASH,
    });
  });

  it('the author, and anyone off the committee, see why they cannot approve', async () => {
    renderAtDesk('u-ada');
    const approve = await screen.findByRole('button', {
      name: t('revisions:approve', { number: 2 }),
    });
    await screen.findByText(t('revisions:cannotApprove.author'));
    expect(approve).toHaveProperty('disabled', true);
    cleanup();
    renderAtDesk('u-carl');
    await screen.findByText(t('revisions:cannotApprove.notCommittee'));
  });
});
