import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, fireEvent, screen, waitFor } from '@testing-library/react';
import type { ReportContext } from '#shared/feedback/events.ts';
import { renderWithApi } from '../../testing/renderWithApi.tsx';
import { resetAppStore, type ReportRequest } from '../../state/store.ts';
import { ReportProblemModal } from './ReportProblemModal.tsx';
import { FEEDBACK_TEST_IDS } from './testIds.ts';

afterEach(() => {
  cleanup();
  resetAppStore();
});

const CONTEXT: ReportContext = {
  appVersion: '2.4.0',
  terminals: [
    { terminalId: 't-1', name: 'Lane 1', version: '4.2.1', releaseId: 'rel-4.2.1', ring: 'pilot' },
  ],
  featureFlags: ['fast-receipt (4.2.1)'],
  selection: {},
  breadcrumbs: [{ seq: 1, at: '2026-12-07T10:00:00.000Z', type: 'session.signed_in' }],
  logTail: ['{"msg":"started"}'],
};

const SCREENSHOT_SHA = 'b'.repeat(64);

function request(): ReportRequest {
  return {
    screen: '/fleet',
    screenshot: {
      key: 'shot',
      name: 'screenshot.png',
      mime: 'image/png',
      size: 2048,
      kind: 'screenshot',
      sha256: SCREENSHOT_SHA,
      bytes: null,
      previewUrl: null,
    },
    isCaptureFailed: false,
  };
}

function answers() {
  return {
    'fleet:matrix': () => ({ stores: [{ id: 'st-1', name: 'Paris', ring: 'pilot' }] }) as never,
    'feedback:previewContext': () => CONTEXT,
    'shell:listCrashDumps': () => ({
      dir: '/crash',
      dumps: [{ name: 'completed/a.dmp', bytes: 4096, modifiedAt: '2026-12-07T09:00:00.000Z' }],
    }),
    'feedback:fileBugReport': (input: { title: string }) => ({
      id: 'r-1',
      status: 'new' as const,
      storeId: 'st-1',
      releaseId: null,
      attachments: [],
      eventId: input.title,
    }),
  };
}

describe('the report form', { timeout: 30_000 }, () => {
  it('sends what is left after the person removed the screenshot, unticked the crash report and the log', async () => {
    const { calls } = renderWithApi(<ReportProblemModal request={request()} />, answers());
    expect(await screen.findAllByTestId(FEEDBACK_TEST_IDS.attachment)).toHaveLength(1);
    const dump = await screen.findByTestId(FEEDBACK_TEST_IDS.crashDump);
    fireEvent.change(screen.getByTestId(FEEDBACK_TEST_IDS.title), {
      target: { value: 'Drawer does not open' },
    });
    fireEvent.change(screen.getByTestId(FEEDBACK_TEST_IDS.happened), {
      target: { value: 'Pressed open; nothing.' },
    });
    fireEvent.click(screen.getByTestId(FEEDBACK_TEST_IDS.removeAttachment));
    expect(screen.queryAllByTestId(FEEDBACK_TEST_IDS.attachment)).toHaveLength(0);
    fireEvent.click(dump);
    fireEvent.click(screen.getByTestId(FEEDBACK_TEST_IDS.includeLog));
    fireEvent.click(screen.getByTestId(FEEDBACK_TEST_IDS.submit));
    await screen.findByTestId(FEEDBACK_TEST_IDS.sent);
    const filed = calls.find((c) => c.channel === 'feedback:fileBugReport')!.input;
    expect(filed).toMatchObject({
      title: 'Drawer does not open',
      happened: 'Pressed open; nothing.',
      severitySuggestion: 'S3',
      storeId: 'st-1',
      screen: '/fleet',
      attachments: [],
      crashDumps: [],
      includeLog: false,
      includeBreadcrumbs: true,
    });
  });

  it('keeps a ticked crash report and the screenshot the back end already holds; refuses an empty title', async () => {
    const { calls } = renderWithApi(<ReportProblemModal request={request()} />, answers());
    await screen.findByTestId(FEEDBACK_TEST_IDS.crashDump);
    fireEvent.click(screen.getByTestId(FEEDBACK_TEST_IDS.submit));
    await waitFor(() =>
      expect(screen.getByTestId(FEEDBACK_TEST_IDS.title)).toHaveProperty('ariaInvalid', 'true'),
    );
    expect(calls.some((c) => c.channel === 'feedback:fileBugReport')).toBe(false);
    fireEvent.change(screen.getByTestId(FEEDBACK_TEST_IDS.title), { target: { value: 'Slow' } });
    fireEvent.change(screen.getByTestId(FEEDBACK_TEST_IDS.happened), { target: { value: 'x' } });
    fireEvent.click(screen.getByTestId(FEEDBACK_TEST_IDS.submit));
    await screen.findByTestId(FEEDBACK_TEST_IDS.sent);
    expect(calls.find((c) => c.channel === 'feedback:fileBugReport')!.input).toMatchObject({
      attachments: [
        { sha256: SCREENSHOT_SHA, name: 'screenshot.png', mime: 'image/png', kind: 'screenshot' },
      ],
      crashDumps: ['completed/a.dmp'],
    });
    // No bytes were staged: the desktop capture is already on the console.
    expect(calls.some((c) => c.channel === 'feedback:putAttachmentPiece')).toBe(false);
  });
});
