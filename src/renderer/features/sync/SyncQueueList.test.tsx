import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, fireEvent, screen, within } from '@testing-library/react';
import type { Provenance, SyncQueueView } from '#shared/contract/sync.ts';
import { PROVENANCE_TEST_IDS, ProvenanceView } from '../../components/ProvenanceBadge.tsx';
import { renderWithMantine } from '../../testing/renderWithMantine.tsx';
import { SYNC_QUEUE_TEST_IDS, SyncQueueKinds } from './SyncQueueList.tsx';

afterEach(cleanup);

const view: SyncQueueView = {
  counts: { queued: 2, sent: 40, quarantined: 0, refused: 1, superseded: 1 },
  items: [
    {
      kind: 'queued',
      eventId: 'e-41',
      seq: 41,
      type: 'fleet.version.recorded',
      at: '2026-12-20T03:00:00.000Z',
      userId: 'u-tess',
      userName: 'Tess Tran',
      reason: 'Waiting for the next sync with the central server.',
      whatToDo: 'Nothing: it goes by itself.',
    },
    {
      kind: 'superseded',
      eventId: 'e-12',
      seq: 12,
      type: 'deployment.intervention.claimed',
      at: '2026-12-20T02:00:00.000Z',
      userId: 'u-leo',
      userName: 'Leo Lindqvist',
      reason: 'Superseded by intervention claimed by Tess Tran (earlier in the central log).',
      whatToDo: 'Check the current state on its screen.',
    },
    {
      kind: 'refused',
      eventId: null,
      seq: null,
      type: null,
      at: '2026-12-20T03:01:00.000Z',
      userId: null,
      userName: null,
      reason:
        'The central server sent records that do not check out: device X jumps from #3 to #5.',
      whatToDo: 'Nothing of it was applied.',
    },
  ],
};

describe('the Sync screen list of records', () => {
  it('opens on the trouble first (a refused page), with counts per kind, each record with its reason and what to do', () => {
    renderWithMantine(<SyncQueueKinds view={view} />);
    for (const [kind, count] of Object.entries(view.counts))
      expect(screen.getByTestId(SYNC_QUEUE_TEST_IDS.kind(kind as never)).textContent).toContain(
        String(count),
      );
    const shown = screen.getAllByTestId(SYNC_QUEUE_TEST_IDS.item);
    expect(shown.map((e) => e.dataset.kind)).toEqual(['refused']);
    expect(shown[0]!.textContent).toMatch(/jumps from #3 to #5/);
    expect(shown[0]!.textContent).toMatch(/What you can do: Nothing of it was applied/);
    fireEvent.click(screen.getByText('Superseded'));
    const superseded = screen.getByTestId(SYNC_QUEUE_TEST_IDS.item);
    expect(within(superseded).getByText(/Intervention claimed/)).toBeTruthy();
    expect(superseded.textContent).toContain('Leo Lindqvist');
    expect(superseded.textContent).toMatch(/earlier in the central log/);
    fireEvent.click(screen.getByText('Quarantined'));
    expect(screen.queryAllByTestId(SYNC_QUEUE_TEST_IDS.item)).toEqual([]);
    expect(screen.getByText('Nothing quarantined.')).toBeTruthy();
  });
});

describe('the provenance badge', () => {
  const base: Provenance = {
    eventId: 'e-1',
    subject: null,
    deviceId: '01939f2a-0000-7000-8000-00000a1b2c3d',
    deviceName: null,
    isThisConsole: false,
    userId: 'u-tess',
    userName: 'Tess Tran',
    isInCentralLog: true,
    logIndex: 1234,
    supersededBy: null,
  };
  it('says which console and who, and that the central log holds it', () => {
    renderWithMantine(<ProvenanceView provenance={base} />);
    const badge = screen.getByTestId(PROVENANCE_TEST_IDS.badge);
    expect(badge.textContent).toContain('Console 1b2c3d · Tess Tran');
    expect(badge.textContent).toContain('In central log');
  });
  it("names the other console and the user, with the console's device id in a tooltip", () => {
    renderWithMantine(<ProvenanceView provenance={{ ...base, deviceName: 'Paris back office' }} />);
    const device = screen.getByTestId(PROVENANCE_TEST_IDS.device);
    expect(device.textContent).toBe('Paris back office · Tess Tran');
    expect(device.textContent).not.toContain('1b2c3d');
    expect(device.getAttribute('title')).toBe(
      'Recorded on Paris back office (device 01939f2a-0000-7000-8000-00000a1b2c3d)',
    );
  });
  it("says this console's record is not yet sent, and marks a superseded one", () => {
    renderWithMantine(
      <ProvenanceView provenance={{ ...base, isThisConsole: true, isInCentralLog: false }} />,
    );
    expect(screen.getByTestId(PROVENANCE_TEST_IDS.badge).textContent).toContain(
      'This console · Tess TranNot yet sent',
    );
    cleanup();
    renderWithMantine(
      <ProvenanceView
        provenance={{
          ...base,
          supersededBy: {
            eventId: 'e-0',
            type: 'deployment.intervention.claimed',
            userName: 'Leo',
          },
        }}
      />,
    );
    expect(screen.getByTestId(PROVENANCE_TEST_IDS.superseded).textContent).toBe('Superseded');
  });
});
