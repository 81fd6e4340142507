import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, fireEvent, screen, waitFor } from '@testing-library/react';
import { MemoryRouter } from 'react-router';
import type { SessionStatus, SyncStatus } from '../../shared/contract/index.ts';
import { resetAppStore, useAppStore } from '../state/store.ts';
import { renderWithApi } from '../testing/renderWithApi.tsx';
import { StatusBar } from './StatusBar.tsx';

afterEach(() => {
  cleanup();
  resetAppStore();
});

const signedIn: SessionStatus = {
  session: {
    user: { id: 'u-maya', name: 'Maya Moreau', role: 'manager', storeIds: ['st-lil-01'] } as never,
    deviceId: 'dev-1',
    signedInAt: '2026-12-07T09:00:00.000Z',
  },
  hasCatalog: true,
  isDemoFleet: false,
  isEnrolled: true,
  deviceId: 'dev-1',
};
const signedOut: SessionStatus = { ...signedIn, session: null };
const sync: SyncStatus = {
  isEnrolled: true,
  isOnline: true,
  pendingEvents: 0,
  lastSuccessAt: null,
  lastError: null,
  serverUrl: 'http://127.0.0.1:8787',
  treeHead: null,
};

describe('status bar', () => {
  it('signing out forgets the store and release picked, so the next person picks their own', async () => {
    useAppStore.getState().setWorkStoreId('st-lil-01');
    useAppStore.getState().setWorkReleaseId('rel-4.4.0');
    const { calls } = renderWithApi(
      <MemoryRouter>
        <StatusBar />
      </MemoryRouter>,
      {
        'session:status': () => signedIn,
        'sync:status': () => sync,
        'session:signOut': () => signedOut,
      },
    );
    fireEvent.click(await screen.findByRole('button', { name: /sign out/i }));
    await waitFor(() => expect(calls.some((c) => c.channel === 'session:signOut')).toBe(true));
    await waitFor(() =>
      expect([useAppStore.getState().workStoreId, useAppStore.getState().workReleaseId]).toEqual([
        null,
        null,
      ]),
    );
  });
});
