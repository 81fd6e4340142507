import { afterEach, describe, expect, it, vi } from 'vitest';
import { cleanup, fireEvent, screen, waitFor } from '@testing-library/react';
import { renderWithApi, type ApiCall } from '../../testing/renderWithApi.tsx';
import { CHECKLIST_TEST_IDS } from './testIds.ts';
import { WaiveModal } from './WaiveModal.tsx';

afterEach(cleanup);

function renderWaive() {
  const onClose = vi.fn();
  const view = renderWithApi(
    <WaiveModal
      runId="run-1"
      terminalId="st-lil-01-t2"
      terminalName="Lane 2"
      itemId="receipt"
      itemTitle="Receipt print"
      onClose={onClose}
    />,
    // The run as it now is: only its arrival matters here.
    { 'checklists:waiveItem': () => ({}) as never },
  );
  return { ...view, onClose };
}

const waivers = (calls: ApiCall[]) =>
  calls.filter((call) => call.channel === 'checklists:waiveItem');

// A Mantine modal in jsdom takes seconds on a loaded 2-core machine: the bound is for hangs.
describe('the waive form', { timeout: 30_000 }, () => {
  it('shows a too-short reason at its field, in the words the back end refuses with, and sends nothing', async () => {
    const { calls } = renderWaive();
    fireEvent.change(screen.getByTestId(CHECKLIST_TEST_IDS.waiveReason), {
      target: { value: ' ok ' },
    });
    fireEvent.click(screen.getByTestId(CHECKLIST_TEST_IDS.waiveSubmit));
    expect(await screen.findByText('Give a reason (at least 3 characters).')).toBeTruthy();
    expect(waivers(calls)).toEqual([]);
  });

  it('sends exactly the item, the terminal and the trimmed reason, then closes', async () => {
    const { calls, onClose } = renderWaive();
    fireEvent.change(screen.getByTestId(CHECKLIST_TEST_IDS.waiveReason), {
      target: { value: '  Printer replaced tomorrow; receipts by e-mail until then. ' },
    });
    fireEvent.click(screen.getByTestId(CHECKLIST_TEST_IDS.waiveSubmit));
    await waitFor(() => expect(onClose).toHaveBeenCalled());
    expect(waivers(calls).map((call) => call.input)).toEqual([
      {
        runId: 'run-1',
        terminalId: 'st-lil-01-t2',
        itemId: 'receipt',
        reason: 'Printer replaced tomorrow; receipts by e-mail until then.',
      },
    ]);
  });
});
