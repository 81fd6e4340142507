import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, screen, waitFor } from '@testing-library/react';
import type { ReleaseDeskState } from '#shared/contract/releaseDesk.ts';
import { t } from '../../i18n/index.ts';
import { renderWithApi, signedInStatus } from '../../testing/renderWithApi.tsx';
import { ReleaseActions } from './ReleaseActions.tsx';

afterEach(cleanup);

/** 4.4.0 promoted to pilot at 25 %, in the lifecycle state given. */
function deskState(lifecycle: ReleaseDeskState['lifecycle']): ReleaseDeskState {
  return {
    releaseId: 'rel-4.4.0',
    version: '4.4.0',
    lifecycle,
    committee: null,
    quorum: null,
    signOffEvidence: { ring: 'early', digest: 'd', decisions: [], openBlockers: [] },
    gates: [
      {
        ring: 'pilot',
        previousRing: 'lab',
        minGoPercent: 0,
        goStores: 0,
        stores: 0,
        isAllowed: true,
        reasons: [],
      },
    ],
    openBlockers: [],
    rollouts: [{ ring: 'pilot', previousReleaseId: null, percent: 25 }],
    windows: [],
    promotions: [],
    blockedStarts: [],
    asOf: '2026-12-07T09:00:00.000Z',
  };
}

/** The release desk's actions as an administrator sees them. */
function renderAsAdmin(state: ReleaseDeskState) {
  return renderWithApi(<ReleaseActions releaseId="rel-4.4.0" />, {
    'session:status': () =>
      signedInStatus({ id: 'u-ada', name: 'Ada Admin', role: 'admin' }, { isEnrolled: true }),
    'releaseDesk:state': () => state,
  });
}

// A Mantine screen part in jsdom takes seconds on a loaded 2-core machine: the bound is for hangs.
describe('promoting and staging a release', { timeout: 30_000 }, () => {
  it('are offered to an administrator while the release is not blocked', async () => {
    renderAsAdmin(
      deskState({
        state: 'released:pilot',
        blockedFrom: null,
        blockReason: null,
        allowedNext: [],
      }),
    );
    const promote = await screen.findByRole('button', { name: t('releaseDesk:promote') });
    // Disabled until the session says who is signed in.
    await waitFor(() => expect(promote).toHaveProperty('disabled', false));
    expect(screen.getByRole('button', { name: t('releaseDesk:stage') })).toHaveProperty(
      'disabled',
      false,
    );
  });

  it('are disabled on a blocked release, saying to unblock first (the server would refuse them)', async () => {
    renderAsAdmin(
      deskState({
        state: 'blocked',
        blockedFrom: 'released:pilot',
        blockReason: 'Receipts print twice',
        allowedNext: [],
      }),
    );
    const promote = await screen.findByRole('button', { name: t('releaseDesk:promote') });
    const stage = screen.getByRole('button', { name: t('releaseDesk:stage') });
    await waitFor(() =>
      expect(promote.getAttribute('title')).toBe(t('releaseDesk:promoteBlocked')),
    );
    for (const button of [promote, stage]) {
      expect(button).toHaveProperty('disabled', true);
      expect(button.getAttribute('title')).toBe(t('releaseDesk:promoteBlocked'));
    }
  });
});
