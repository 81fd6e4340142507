import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, screen, waitFor } from '@testing-library/react';
import { renderWithApi, signedInStatus } from '../../testing/renderWithApi.tsx';
import { BlockedBanner } from './BlockedBanner.tsx';
import { BLOCKED_BANNER_TEST_ID } from './blockedBannerTestIds.ts';

afterEach(cleanup);

const signedIn = signedInStatus(
  { id: 'u-tess', name: 'Tess', role: 'technician' },
  { isEnrolled: true },
);

describe('the blocked-release banner', () => {
  it('names the release and the reason the release desk gave, for anyone signed in', async () => {
    renderWithApi(<BlockedBanner />, {
      'session:status': () => signedIn,
      'releases:blocks': () => [
        {
          releaseId: 'rel-4.4.0',
          version: '4.4.0',
          title: 'Spring',
          reason: 'Receipts print blank',
          blockedAt: '2026-12-07T08:00:00.000Z',
          blockedBy: 'admin-1',
        },
      ],
    });
    const banner = await screen.findByTestId(BLOCKED_BANNER_TEST_ID);
    expect(banner.textContent).toContain('4.4.0 is blocked by the release desk');
    expect(banner.textContent).toContain('Reason: Receipts print blank');
    expect(banner.textContent).toContain('a store manager can bypass the block with a reason');
  });

  it('shows nothing when no release is blocked', async () => {
    const { calls } = renderWithApi(<BlockedBanner />, {
      'session:status': () => signedIn,
      'releases:blocks': () => [],
    });
    await waitFor(() => expect(calls.map((c) => c.channel)).toContain('releases:blocks'));
    expect(screen.queryByTestId(BLOCKED_BANNER_TEST_ID)).toBeNull();
  });
});
