import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, screen } from '@testing-library/react';
import type { SyncStatus } from '#shared/contract/index.ts';
import { renderWithMantine } from '../../testing/renderWithMantine.tsx';
import { AttachmentUploads } from './AttachmentUploads.tsx';
import { SYNC_TEST_IDS } from './testIds.ts';

afterEach(cleanup);

const status: SyncStatus = {
  isEnrolled: true,
  isOnline: true,
  pendingEvents: 2,
  lastSuccessAt: null,
  lastError: null,
  serverUrl: 'https://audit.example.com',
  treeHead: null,
  upload: null,
  refusedAttachments: [],
};

describe('attachments on the sync screen', () => {
  it('shows how much of a big attachment the central server holds', () => {
    renderWithMantine(
      <AttachmentUploads
        status={{
          ...status,
          upload: {
            sha256: 'a'.repeat(64),
            name: 'screen.png',
            sentBytes: 4_456_448,
            totalBytes: 10_485_760,
          },
        }}
      />,
    );
    const upload = screen.getByTestId(SYNC_TEST_IDS.upload);
    expect(upload.textContent).toContain('Sending screen.png');
    expect(upload.textContent).toContain('4.3 of 10 MB on the central server');
    expect(screen.getByRole('progressbar').getAttribute('aria-valuenow')).toBe('42');
  });

  it('lists the attachments the server refused for good, with its reason, and nothing when there are none', () => {
    const { unmount } = renderWithMantine(<AttachmentUploads status={status} />);
    expect(screen.queryByTestId(SYNC_TEST_IDS.refusedAttachments)).toBeNull();
    expect(screen.queryByTestId(SYNC_TEST_IDS.upload)).toBeNull();
    unmount();
    renderWithMantine(
      <AttachmentUploads
        status={{
          ...status,
          refusedAttachments: [
            {
              sha256: 'b'.repeat(64),
              name: 'till.mp4',
              code: 'unsupported_media_type',
              message: 'The server does not take video/mp4 attachments.',
              refusedAt: '2026-12-07T10:00:00.000Z',
            },
          ],
        }}
      />,
    );
    const list = screen.getByTestId(SYNC_TEST_IDS.refusedAttachments);
    expect(list.textContent).toContain('1 attachment the central server will not take');
    const row = screen.getByTestId(SYNC_TEST_IDS.refusedAttachmentRow);
    expect(row.getAttribute('data-code')).toBe('unsupported_media_type');
    expect(row.textContent).toContain('till.mp4');
    expect(row.textContent).toContain('does not take video/mp4');
  });
});
