import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, fireEvent, screen, waitFor } from '@testing-library/react';
import type { UpdateStatus } from '../../shared/contract/updates.ts';
import { createTestApi, renderWithApi } from '../testing/renderWithApi.tsx';
import { TEST_IDS } from '../testIds.ts';
import { forwardRendererErrors } from './forwardErrors.ts';
import { UpdateStatusItem } from './UpdateStatus.tsx';

afterEach(cleanup);

const base: UpdateStatus = {
  phase: 'ready',
  currentVersion: '1.4.0',
  version: '1.5.0',
  percent: null,
  message: null,
  notNow: [],
  canRestartNow: false,
};

describe('the update in the status bar', () => {
  it('shows nothing in browser mode, where the desktop app manages updates', async () => {
    const { calls } = renderWithApi(<UpdateStatusItem />, {
      'updates:status': () => ({ ...base, phase: 'unmanaged', version: null }),
    });
    await waitFor(() => expect(calls.map((c) => c.channel)).toContain('updates:status'));
    expect(screen.queryByTestId(TEST_IDS.statusUpdate)).toBeNull();
  });

  it('shows the download progress', async () => {
    renderWithApi(<UpdateStatusItem />, {
      'updates:status': () => ({ ...base, phase: 'downloading', percent: 64 }),
    });
    expect(await screen.findByText('Update 1.5.0 downloading')).toBeTruthy();
    expect(screen.getByText('64 %')).toBeTruthy();
  });

  it('says why a downloaded update waits, and offers no restart', async () => {
    renderWithApi(<UpdateStatusItem />, {
      'updates:status': () => ({
        ...base,
        notNow: ['A sign-off is open: finish or cancel it first.'],
      }),
    });
    expect((await screen.findByTestId(TEST_IDS.statusUpdateReason)).textContent).toBe(
      'A sign-off is open: finish or cancel it first.',
    );
    expect(screen.queryByTestId(TEST_IDS.statusUpdateRestart)).toBeNull();
  });

  it('offers Restart now when it is safe, and shows the refusal if the back end refuses after all', async () => {
    const { calls } = renderWithApi(<UpdateStatusItem />, {
      'updates:status': () => ({ ...base, canRestartNow: true }),
      'updates:restartNow': () => {
        throw new Error('The update cannot install now: A deployment is in progress.');
      },
    });
    fireEvent.click(await screen.findByTestId(TEST_IDS.statusUpdateRestart));
    // By text, not by role: role queries walk every Mantine node and are slow in jsdom under load.
    const alert = await screen.findByText(/The update cannot install now/);
    expect(alert.getAttribute('role')).toBe('alert');
    expect(calls.map((c) => c.channel)).toContain('updates:restartNow');
  });

  it('names a refused update and why', async () => {
    renderWithApi(<UpdateStatusItem />, {
      'updates:status': () => ({
        ...base,
        phase: 'refused',
        message:
          'Console 1.5.0 is not installed: this store is pinned to 1.4.0 by u-ada (Inventory week).',
      }),
    });
    expect(await screen.findByText('Update 1.5.0 refused')).toBeTruthy();
    expect(screen.getByTestId(TEST_IDS.statusUpdateReason).textContent).toContain(
      'pinned to 1.4.0',
    );
  });
});

describe('renderer errors', () => {
  it('forwards an uncaught error and an unhandled rejection, at most 10 a minute', () => {
    const calls: Array<{ channel: string; input: unknown }> = [];
    const api = createTestApi({ 'shell:reportError': () => ({ isLogged: true }) }, calls);
    const stop = forwardRendererErrors(api, window, () => 0);
    window.dispatchEvent(new ErrorEvent('error', { error: new Error('boom'), message: 'boom' }));
    const rejection = new Event('unhandledrejection') as PromiseRejectionEvent;
    Object.defineProperty(rejection, 'reason', { value: 'plain text reason' });
    window.dispatchEvent(rejection);
    for (let i = 0; i < 20; i++)
      window.dispatchEvent(new ErrorEvent('error', { message: `e${i}` }));
    stop();
    expect(calls).toHaveLength(10);
    expect(calls[0]).toMatchObject({
      channel: 'shell:reportError',
      input: { kind: 'error', message: 'Error: boom' },
    });
    expect(calls[1]).toMatchObject({
      input: { kind: 'unhandledrejection', message: 'plain text reason' },
    });
  });
});
