import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { cleanup, fireEvent, screen } from '@testing-library/react';
import type { FleetMatrix } from '#shared/contract/index.ts';
import { renderWithMantine } from '../../testing/renderWithMantine.tsx';
import { matrixCellTestId, TEST_IDS } from '../../testIds.ts';
import type { CellSelection } from './fleetFilters.ts';
import { ReleaseMatrix } from './ReleaseMatrix.tsx';

afterEach(cleanup);

// jsdom does no layout: give boxes a size so the virtualizer has rows to show.
const realHeight = Object.getOwnPropertyDescriptor(Element.prototype, 'clientHeight')!;
beforeAll(() => {
  Object.defineProperty(Element.prototype, 'clientHeight', { configurable: true, get: () => 330 });
});
afterAll(() => {
  Object.defineProperty(Element.prototype, 'clientHeight', realHeight);
});

const store = (id: string, target: string | null) => ({
  id,
  name: `Store ${id}`,
  region: 'North',
  ring: 'general' as const,
  timezone: 'Europe/Paris',
  country: 'FR',
  terminalCount: 4,
  driftCount: 1,
  targetReleaseId: target,
});

const MATRIX: FleetMatrix = {
  stores: [store('s1', 'r2'), store('s2', 'r2')],
  releases: [
    { id: 'r1', version: '4.1.0', terminalCount: 1 },
    { id: 'r2', version: '4.2.0', terminalCount: 6 },
    { id: null, version: 'unknown', terminalCount: 1 },
  ],
  cells: [
    { storeId: 's1', releaseId: 'r1', count: 1, driftCount: 1 },
    { storeId: 's1', releaseId: 'r2', count: 3, driftCount: 0 },
    { storeId: 's2', releaseId: 'r2', count: 3, driftCount: 0 },
    { storeId: 's2', releaseId: null, count: 1, driftCount: 1 },
  ],
  totals: { terminals: 8, drift: 2, stores: 2 },
};

function setup(selection: CellSelection | null = null) {
  const picked: Array<CellSelection | null> = [];
  renderWithMantine(
    <ReleaseMatrix matrix={MATRIX} selection={selection} onSelect={(c) => picked.push(c)} />,
  );
  return picked;
}

describe('ReleaseMatrix', () => {
  it('shows the count per store and release, with drift cells marked', () => {
    setup();
    const drift = screen.getByTestId(matrixCellTestId('s1', 'r1'));
    const onTarget = screen.getByTestId(matrixCellTestId('s1', 'r2'));
    expect(drift.textContent).toBe('1');
    expect(drift.getAttribute('data-tone')).toBe('drift');
    expect(onTarget.textContent).toBe('3');
    expect(onTarget.getAttribute('data-tone')).toBe('ok');
    expect(onTarget.hasAttribute('data-target')).toBe(true);
    expect(screen.getByTestId(matrixCellTestId('s2', null)).getAttribute('data-tone')).toBe(
      'drift',
    );
  });

  it('an empty cell cannot be clicked', () => {
    const picked = setup();
    const empty = screen.getByTestId(matrixCellTestId('s2', 'r1'));
    expect(empty.hasAttribute('disabled')).toBe(true);
    fireEvent.click(empty);
    expect(picked).toEqual([]);
  });

  it('is one tab stop: only one cell is in the tab order, the arrow keys move between cells that hold terminals', () => {
    setup();
    const tabbable = () =>
      screen
        .getByTestId(TEST_IDS.matrix)
        .querySelectorAll<HTMLElement>('button:not([disabled]):not([tabindex="-1"])');
    expect([...tabbable()].map((b) => b.getAttribute('data-testid'))).toEqual([
      matrixCellTestId('s1', 'r1'),
    ]);
    const first = screen.getByTestId(matrixCellTestId('s1', 'r1'));
    first.focus();
    fireEvent.keyDown(first, { key: 'ArrowRight' });
    expect(document.activeElement).toBe(screen.getByTestId(matrixCellTestId('s1', 'r2')));
    // Down from 4.2.0 at s1: 4.2.0 at s2 holds terminals.
    fireEvent.keyDown(document.activeElement!, { key: 'ArrowDown' });
    expect(document.activeElement).toBe(screen.getByTestId(matrixCellTestId('s2', 'r2')));
    // The tab stop follows focus: coming back with Tab lands where the person left.
    expect([...tabbable()].map((b) => b.getAttribute('data-testid'))).toEqual([
      matrixCellTestId('s2', 'r2'),
    ]);
  });

  it('labels say "1 terminal", not "1 terminals"', () => {
    setup();
    expect(screen.getByTestId(matrixCellTestId('s1', 'r1')).getAttribute('aria-label')).toBe(
      'Store s1, 4.1.0: 1 terminal, 1 drift',
    );
    expect(screen.getByTestId(matrixCellTestId('s1', 'r2')).getAttribute('aria-label')).toBe(
      'Store s1, 4.2.0: 3 terminals',
    );
  });

  it('clicking a cell selects it, clicking the selected cell clears the selection', () => {
    const picked = setup({ storeId: 's1', releaseId: 'r2' });
    fireEvent.click(screen.getByTestId(matrixCellTestId('s1', 'r1')));
    fireEvent.click(screen.getByTestId(matrixCellTestId('s1', 'r2')));
    expect(picked).toEqual([{ storeId: 's1', releaseId: 'r1' }, null]);
  });
});
