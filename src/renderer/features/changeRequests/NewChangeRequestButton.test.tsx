import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, fireEvent, screen, waitFor } from '@testing-library/react';
import { parseTime24 } from '../../components/TimeInput24.tsx';
import { renderWithApi, signedInStatus, type ApiCall } from '../../testing/renderWithApi.tsx';
import { NewChangeRequestButton, storeSpan } from './NewChangeRequestButton.tsx';
import { CHANGE_REQUEST_TEST_IDS } from './testIds.ts';

describe('a span typed on the store’s clock', () => {
  it('is converted with the store’s zone, not the console’s', () => {
    expect(storeSpan('Europe/Paris', '2026-11-25', '10:00', '12:00')).toEqual({
      from: Date.UTC(2026, 10, 25, 9, 0),
      to: Date.UTC(2026, 10, 25, 11, 0),
    });
    expect(storeSpan('America/New_York', '2026-07-01', '06:30', '07:00')).toEqual({
      from: Date.UTC(2026, 6, 1, 10, 30),
      to: Date.UTC(2026, 6, 1, 11, 0),
    });
  });

  it('an end at or before the start ends the next day, across the autumn daylight-saving change', () => {
    // Paris leaves summer time on 2026-10-25 at 03:00 CEST (01:00 UTC): the night is one hour longer.
    expect(storeSpan('Europe/Paris', '2026-10-24', '22:00', '04:00')).toEqual({
      from: Date.UTC(2026, 9, 24, 20, 0),
      to: Date.UTC(2026, 9, 25, 3, 0),
    });
  });

  it.each([
    ['', '10:00', '12:00'],
    ['2026-11-25', '', '12:00'],
    ['25/11/2026', '10:00', '12:00'],
    ['2026-11-25', '10:00', '12'],
  ])('incomplete (%s %s–%s) is null, so nothing can be sent', (day, from, until) => {
    expect(storeSpan('Europe/Paris', day, from, until)).toBeNull();
  });
});

// A Mantine modal in jsdom takes seconds on a loaded 2-core machine: the bound is for hangs.
describe('the "ask in advance" dialog', { timeout: 30_000 }, () => {
  afterEach(cleanup);

  function renderAsTechnician() {
    return renderWithApi(<NewChangeRequestButton storeId="st-lil-01" timezone="Europe/Paris" />, {
      'session:status': () =>
        signedInStatus({ id: 'u-tess', name: 'Tess Tran', role: 'technician' }),
      'releases:list': () => [
        { id: 'rel-4.4.0', version: '4.4.0', title: 'Winter prices' } as never,
      ],
      'changeRequests:request': (input) => ({
        id: 'cr-1',
        deviation: input.deviation,
        impactNote: input.impactNote,
        risk: input.risk,
        requestedBy: { userId: 'u-tess', role: 'technician' },
        requestedAt: 0,
        status: 'pending',
        decidedBy: null,
        decidedAt: null,
        decisionNote: null,
      }),
    });
  }

  async function openAsTechnician() {
    const view = renderAsTechnician();
    const open = screen.getByTestId<HTMLButtonElement>(CHANGE_REQUEST_TEST_IDS.newRequest);
    await waitFor(() => expect(open.disabled).toBe(false));
    fireEvent.click(open);
    screen.getByTestId(CHANGE_REQUEST_TEST_IDS.requestModal);
    return view;
  }

  /** A release not yet approved for the store's ring: the shortest complete request. */
  async function askForRing() {
    const view = await openAsTechnician();
    fireEvent.click(
      screen.getByRole('radio', { name: "Deploy a release not yet approved for the store's ring" }),
    );
    const release = screen.getByTestId<HTMLInputElement>(CHANGE_REQUEST_TEST_IDS.newRelease);
    await waitFor(() => expect(release.disabled).toBe(false));
    fireEvent.click(release);
    // The dropdown is mid-transition for jsdom, so its options count as hidden.
    fireEvent.click(await screen.findByRole('option', { name: /^4\.4\.0/, hidden: true }));
    await waitFor(() =>
      expect(screen.getByTestId(CHANGE_REQUEST_TEST_IDS.requestDeviation).textContent).toMatch(
        /4\.4\.0/,
      ),
    );
    return view;
  }

  const requests = (calls: ApiCall[]) =>
    calls.filter((call) => call.channel === 'changeRequests:request');

  it('shows a too-short impact note at its field, in the words the back end refuses with, and sends nothing', async () => {
    const { calls } = await askForRing();
    fireEvent.change(screen.getByTestId(CHANGE_REQUEST_TEST_IDS.requestImpact), {
      target: { value: '  Tills off ' },
    });
    fireEvent.click(screen.getByTestId(CHANGE_REQUEST_TEST_IDS.requestSubmit));
    expect(
      await screen.findByText(
        'Describe the impact: who and what is affected, and what happens if it goes wrong.',
      ),
    ).toBeTruthy();
    expect(requests(calls)).toEqual([]);
  });

  it('sends exactly the deviation, the trimmed impact note and the risk', async () => {
    const { calls } = await askForRing();
    fireEvent.change(screen.getByTestId(CHANGE_REQUEST_TEST_IDS.requestImpact), {
      target: { value: '  Lille needs the winter prices before the January sale.  ' },
    });
    fireEvent.click(screen.getByRole('radio', { name: 'High' }));
    fireEvent.click(screen.getByTestId(CHANGE_REQUEST_TEST_IDS.requestSubmit));
    await screen.findByTestId(CHANGE_REQUEST_TEST_IDS.requestResult);
    expect(requests(calls).map((call) => call.input)).toEqual([
      {
        deviation: {
          kind: 'release_not_approved_for_ring',
          storeId: 'st-lil-01',
          releaseId: 'rel-4.4.0',
        },
        impactNote: 'Lille needs the winter prices before the January sale.',
        risk: 'high',
      },
    ]);
  });

  it('takes times on the 24-hour clock, like the rest of the console (no AM/PM picker)', async () => {
    await openAsTechnician();
    expect(document.querySelectorAll('input[type="time"]')).toHaveLength(0);
    const from = screen.getByTestId<HTMLInputElement>(CHANGE_REQUEST_TEST_IDS.newFrom);
    const until = screen.getByTestId<HTMLInputElement>(CHANGE_REQUEST_TEST_IDS.newUntil);
    expect([from.value, until.value]).toEqual(['10:00', '12:00']);
    fireEvent.change(until, { target: { value: '1430' } });
    fireEvent.blur(until);
    expect(until.value).toBe('14:30');
    fireEvent.change(from, { target: { value: '2:30 PM' } });
    fireEvent.blur(from);
    expect(screen.getByText('24-hour time, e.g. 14:30')).toBeTruthy();
  });

  it('lists what can be asked as wrapping choices, not a strip that cuts the long one off', async () => {
    await openAsTechnician();
    expect(
      screen.getByRole('radio', { name: "Deploy a release not yet approved for the store's ring" }),
    ).toBeTruthy();
    expect(screen.getByRole('radio', { name: 'Deploy outside the window' })).toBeTruthy();
  });
});

describe('24-hour times', () => {
  it.each([
    ['9:30', '09:30'],
    ['0930', '09:30'],
    ['930', '09:30'],
    ['23:59', '23:59'],
    [' 00:00 ', '00:00'],
  ])('%s reads as %s', (typed, time) => {
    expect(parseTime24(typed)).toBe(time);
  });

  it.each(['24:00', '12:60', '2:30 PM', '', '12'])('%s is not a time of day', (typed) => {
    expect(parseTime24(typed)).toBeNull();
  });
});
