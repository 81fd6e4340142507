import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { cleanup, fireEvent, screen, waitFor } from '@testing-library/react';
import type { DeskStoreRow, DeskStoresWindow } from '#shared/contract/desk.ts';
import type { ReleaseSummary } from '#shared/contract/index.ts';
import { renderWithApi } from '../../testing/renderWithApi.tsx';
import { StoresScreen } from './StoresScreen.tsx';
import { DESK_TEST_IDS } from './testIds.ts';

afterEach(cleanup);

// jsdom does no layout: give boxes a size so the windowed list has rows to show.
const realHeight = Object.getOwnPropertyDescriptor(Element.prototype, 'clientHeight')!;
beforeAll(() => {
  Object.defineProperty(Element.prototype, 'clientHeight', { configurable: true, get: () => 400 });
});
afterAll(() => {
  Object.defineProperty(Element.prototype, 'clientHeight', realHeight);
});

function row(storeId: string, name: string): DeskStoreRow {
  return {
    storeId,
    name,
    region: 'Europe',
    ring: 'early',
    terminals: 4,
    installed: 2,
    drifting: 0,
    latestDecision: null,
    openDeployments: 0,
    superseded: 0,
    consoles: [],
  };
}

function storesWindow(rows: DeskStoreRow[]): DeskStoresWindow {
  return {
    releaseId: 'rel-4.4.0',
    rows,
    total: rows.length,
    fetchedAt: '2026-12-07T10:00:00.000Z',
    regions: ['Europe'],
  };
}

/** Generous: on a loaded machine the first render alone can take seconds. */
const WAIT = { timeout: 10_000 };

const ALL = [row('st-ber-01', 'Berlin Alexanderplatz'), row('st-man-01', 'Manchester Arndale')];

describe('StoresScreen', () => {
  it('shows only the new filter’s rows once they arrive, never the previous filter’s kept under the new one', async () => {
    // The search's answer waits until the test lets it go, as a slow central read would.
    let release: () => void = () => undefined;
    const searched = new Promise<void>((resolve) => (release = resolve));
    renderWithApi(<StoresScreen />, {
      'desk:connection': () => ({
        isConnected: true,
        serverUrl: 'http://127.0.0.1:8787',
        deskId: 'desk-1',
        scope: 'all',
        role: 'release',
      }),
      'releases:list': () => [
        { id: 'rel-4.4.0', version: '4.4.0', title: 'Assist mode' } as ReleaseSummary,
      ],
      'releases:testResults': () => null,
      'desk:stores': async (input) => {
        if (!input.search) return storesWindow(ALL);
        await searched;
        return storesWindow(ALL.filter((r) => r.name.toLowerCase().includes(input.search!)));
      },
    });
    const names = () => screen.queryAllByTestId(DESK_TEST_IDS.row).map((r) => r.textContent ?? '');
    await waitFor(() => expect(names()).toHaveLength(2), WAIT);

    fireEvent.change(screen.getByLabelText('Search store'), { target: { value: 'man' } });
    // While the search is on its way the previous rows may stay in view…
    await waitFor(() => expect(names()).toHaveLength(2), WAIT);
    release();
    // …but once it answers, only its rows are shown.
    await waitFor(() => expect(names()).toHaveLength(1), WAIT);
    expect(names()[0]).toContain('Manchester Arndale');
  }, 30_000);
});
