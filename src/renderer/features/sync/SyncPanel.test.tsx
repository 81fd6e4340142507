import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, screen } from '@testing-library/react';
import type { SyncStatus } from '#shared/contract/index.ts';
import { renderWithMantine } from '../../testing/renderWithMantine.tsx';
import { abbreviateRoot, SyncStatusView } from './SyncPanel.tsx';
import { SYNC_TEST_IDS } from './testIds.ts';

afterEach(cleanup);

const ROOT = 'ab12cd34ef56'.padEnd(58, '0') + '9f8e7d';
const enrolled: SyncStatus = {
  isEnrolled: true,
  isOnline: true,
  pendingEvents: 3,
  lastSuccessAt: '2026-11-23T10:00:00.000Z',
  lastError: null,
  serverUrl: 'https://audit.example.com',
  treeHead: {
    size: 1234,
    root: ROOT,
    at: '2026-11-23T10:00:00.000Z',
    verifiedAt: '2026-11-23T10:00:01.000Z',
  },
  alarm: null,
};

describe('sync panel', () => {
  it('shows pending events, the server, and the verified tree head with its root abbreviated', () => {
    renderWithMantine(<SyncStatusView status={enrolled} />);
    expect(screen.getByTestId(SYNC_TEST_IDS.pending).textContent).toBe('3');
    expect(screen.getByTestId(SYNC_TEST_IDS.serverUrl).textContent).toBe(
      'https://audit.example.com',
    );
    expect(screen.getByTestId(SYNC_TEST_IDS.treeHeadSize).textContent).toContain('1,234');
    expect(screen.getByTestId(SYNC_TEST_IDS.treeHeadRoot).textContent).toBe('ab12cd34ef56…9f8e7d');
    expect(screen.getByTestId(SYNC_TEST_IDS.lastError).textContent).toBe('None');
    expect(screen.queryByTestId(SYNC_TEST_IDS.alarm)).toBeNull();
  });

  it('shows the rewritten-history alarm in red, above everything else', () => {
    renderWithMantine(
      <SyncStatusView status={{ ...enrolled, alarm: 'Central history was rewritten: stop.' }} />,
    );
    const alarm = screen.getByTestId(SYNC_TEST_IDS.alarm);
    expect(alarm.textContent).toContain('Central history was rewritten');
    expect(alarm.getAttribute('style') ?? '').toMatch(/red/);
  });

  it('says the console is not connected yet, with no server details', () => {
    renderWithMantine(
      <SyncStatusView
        status={{ ...enrolled, isEnrolled: false, serverUrl: null, treeHead: null }}
      />,
    );
    expect(screen.getByText(/not connected to a central server yet/)).toBeTruthy();
    expect(screen.queryByTestId(SYNC_TEST_IDS.serverUrl)).toBeNull();
  });

  it('abbreviates only roots long enough to need it', () => {
    expect(abbreviateRoot('abc')).toBe('abc');
    expect(abbreviateRoot(ROOT)).toHaveLength(19);
  });
});
