/**
 * What the Sync screen and the status bar say, side by side as the console
 * shows them: on the demo fleet (never sent) and about the last sync (the
 * same words from one clock).
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { act, cleanup, screen, waitFor } from '@testing-library/react';
import { MemoryRouter } from 'react-router';
import type { SessionStatus, SyncStatus } from '#shared/contract/index.ts';
import { StatusBar } from '../../app/StatusBar.tsx';
import { renderWithApi } from '../../testing/renderWithApi.tsx';
import { TEST_IDS } from '../../testIds.ts';
import { LAST_SYNC_TICK_MS } from './LastSync.tsx';
import { SyncPanel } from './SyncPanel.tsx';
import { SYNC_TEST_IDS } from './testIds.ts';

afterEach(() => {
  cleanup();
  vi.useRealTimers();
});

const NOW = new Date('2026-12-07T10:00:00.000Z');

function session(isDemoFleet: boolean): SessionStatus {
  return {
    session: {
      user: { id: 'u-tess', name: 'Tess Tran', role: 'technician' },
      deviceId: 'd-1',
      signedInAt: NOW.toISOString(),
    },
    hasCatalog: true,
    isDemoFleet,
    isEnrolled: false,
    deviceId: 'd-1',
  };
}

const NOT_ENROLLED: SyncStatus = {
  isEnrolled: false,
  isOnline: false,
  pendingEvents: 12,
  lastSuccessAt: null,
  lastError: null,
  serverUrl: null,
  treeHead: null,
  alarm: null,
};

const ENROLLED: SyncStatus = {
  isEnrolled: true,
  isOnline: true,
  pendingEvents: 0,
  lastSuccessAt: new Date(NOW.getTime() - 5 * 60_000 - 10_000).toISOString(),
  lastError: null,
  serverUrl: 'https://audit.example.com',
  treeHead: null,
  alarm: null,
};

function renderConsole(sessionStatus: SessionStatus, syncStatus: SyncStatus) {
  return renderWithApi(
    <MemoryRouter>
      <SyncPanel />
      <StatusBar />
    </MemoryRouter>,
    {
      'session:status': () => sessionStatus,
      'sync:status': () => syncStatus,
    },
  );
}

describe('on the demo fleet', () => {
  it('the Sync screen says plainly that records are never sent, and offers no connect form', async () => {
    renderConsole(session(true), NOT_ENROLLED);
    const demo = await screen.findByTestId(SYNC_TEST_IDS.demo);
    expect(demo.textContent).toContain('never sent to a central server');
    expect(screen.getByTestId(SYNC_TEST_IDS.pending).textContent).toBe(
      '12 audit events recorded here, kept on this computer.',
    );
    expect(document.body.textContent).not.toMatch(/sent once it is/);
    expect(screen.queryByTestId(SYNC_TEST_IDS.connectSubmit)).toBeNull();
  });

  it('the status bar says the records are kept here, not that they are waiting to sync', async () => {
    renderConsole(session(true), NOT_ENROLLED);
    await waitFor(() =>
      expect(screen.getByTestId(TEST_IDS.statusPending).textContent).toBe(
        '12 kept here (demo, never sent)',
      ),
    );
    expect(screen.getByTestId(TEST_IDS.statusOnline).textContent).toBe('Demo fleet');
    expect(screen.getByTestId(TEST_IDS.statusBar).textContent).not.toMatch(/not synced|Offline/);
  });

  it('a console on a real catalog still offers to connect, and counts what is not synced', async () => {
    renderConsole(session(false), NOT_ENROLLED);
    await waitFor(() =>
      expect(screen.getByTestId(TEST_IDS.statusPending).textContent).toBe('12 not synced'),
    );
    expect(await screen.findByTestId(SYNC_TEST_IDS.connectSubmit)).toBeTruthy();
    expect(screen.queryByTestId(SYNC_TEST_IDS.demo)).toBeNull();
  });
});

describe('last sync', () => {
  it('reads the same on the Sync screen and in the status bar, and both move on together', async () => {
    vi.useFakeTimers({ toFake: ['Date', 'setInterval', 'clearInterval'] });
    vi.setSystemTime(NOW);
    renderConsole(session(false), ENROLLED);
    const panel = await screen.findByTestId(SYNC_TEST_IDS.lastSuccess);
    const bar = await screen.findByTestId(SYNC_TEST_IDS.statusLastSync);
    expect(panel.textContent).toBe('5 minutes ago');
    expect(bar.textContent).toBe('Last successful sync: 5 minutes ago');

    // A minute later, without any new sync: both say 6 minutes, at the same tick.
    act(() => {
      vi.setSystemTime(new Date(NOW.getTime() + 60_000));
      vi.advanceTimersByTime(LAST_SYNC_TICK_MS);
    });
    expect(panel.textContent).toBe('6 minutes ago');
    expect(bar.textContent).toBe('Last successful sync: 6 minutes ago');
  });

  it('says never in both places before the first successful sync', async () => {
    renderConsole(session(false), { ...ENROLLED, lastSuccessAt: null });
    expect((await screen.findByTestId(SYNC_TEST_IDS.lastSuccess)).textContent).toBe('never');
    expect((await screen.findByTestId(SYNC_TEST_IDS.statusLastSync)).textContent).toBe(
      'Last successful sync: never',
    );
  });
});
