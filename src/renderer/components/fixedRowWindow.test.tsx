import { act, cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { useFixedRowWindow, visibleRowRange } from './fixedRowWindow.ts';

describe('visibleRowRange', () => {
  const base = { count: 50_000, rowHeight: 34, overscan: 10 };

  it('at the top: the rows in view and the overscan below, nothing above row 0', () => {
    // 272 px show rows 0..7 (8 × 34 px); 10 more below.
    expect(visibleRowRange({ ...base, scrollTop: 0, viewportHeight: 272 })).toEqual({
      first: 0,
      last: 17,
    });
  });

  it('a row cut at the bottom edge counts as in view', () => {
    expect(visibleRowRange({ ...base, overscan: 0, scrollTop: 0, viewportHeight: 273 })).toEqual({
      first: 0,
      last: 8,
    });
  });

  it('deep in the list: the window moves with scrollTop and keeps its size', () => {
    const range = visibleRowRange({ ...base, scrollTop: 34 * 25_000 + 5, viewportHeight: 272 });
    expect(range).toEqual({ first: 24_990, last: 25_018 });
    expect(range.last - range.first + 1).toBeLessThanOrEqual(8 + 1 + 2 * base.overscan);
  });

  it('at the very end: clamped to the last row', () => {
    expect(visibleRowRange({ ...base, scrollTop: 34 * 50_000, viewportHeight: 272 })).toEqual({
      first: 49_989,
      last: 49_999,
    });
  });

  it('an empty list or a zero row height mounts nothing', () => {
    expect(visibleRowRange({ ...base, count: 0, scrollTop: 0, viewportHeight: 272 })).toEqual({
      first: 0,
      last: -1,
    });
    expect(visibleRowRange({ ...base, rowHeight: 0, scrollTop: 0, viewportHeight: 272 })).toEqual({
      first: 0,
      last: -1,
    });
  });

  it('a negative scrollTop (elastic overscroll) is the top', () => {
    expect(visibleRowRange({ ...base, overscan: 0, scrollTop: -50, viewportHeight: 68 })).toEqual({
      first: 0,
      last: 1,
    });
  });
});

function List(props: { count: number }) {
  const { attachScrollBox, onScroll, totalHeight, rows } = useFixedRowWindow({
    count: props.count,
    rowHeight: 30,
    overscan: 2,
    initialViewportHeight: 90,
  });
  return (
    <div
      ref={attachScrollBox}
      onScroll={onScroll}
      data-testid="scroller"
      style={{ height: 90, overflow: 'auto' }}
    >
      <div data-testid="spacer" style={{ height: totalHeight, position: 'relative' }}>
        {rows.map((row) => (
          <div
            key={row.index}
            data-testid="row"
            style={{ transform: `translateY(${row.start}px)` }}
          >
            {`row ${row.index}`}
          </div>
        ))}
      </div>
    </div>
  );
}

function scrollTo(element: HTMLElement, top: number): void {
  // jsdom does no layout; give the box the scroll position a browser would report.
  Object.defineProperty(element, 'scrollTop', { configurable: true, value: top });
  fireEvent.scroll(element);
}

describe('useFixedRowWindow', () => {
  afterEach(cleanup);

  it('mounts only the rows in view of 50,000, and the spacer has the full height', () => {
    render(<List count={50_000} />);
    const rows = screen.getAllByTestId('row');
    // 90 px = 3 rows, plus 2 overscan below.
    expect(rows.map((r) => r.textContent)).toEqual(['row 0', 'row 1', 'row 2', 'row 3', 'row 4']);
    expect(screen.getByTestId('spacer').style.height).toBe(`${50_000 * 30}px`);
  });

  it('scrolling shows the rows at the new position, placed at their offset', () => {
    render(<List count={50_000} />);
    act(() => scrollTo(screen.getByTestId('scroller'), 30 * 40_000));
    const rows = screen.getAllByTestId('row');
    expect(rows.map((r) => r.textContent)).toEqual([
      'row 39998',
      'row 39999',
      'row 40000',
      'row 40001',
      'row 40002',
      'row 40003',
      'row 40004',
    ]);
    expect(rows[2]!.style.transform).toBe(`translateY(${30 * 40_000}px)`);
  });

  it('a shorter list (a filter) keeps the window inside it', () => {
    const { rerender } = render(<List count={50_000} />);
    act(() => scrollTo(screen.getByTestId('scroller'), 30 * 40_000));
    rerender(<List count={4} />);
    expect(screen.getAllByTestId('row').map((r) => r.textContent)).toEqual([
      'row 1',
      'row 2',
      'row 3',
    ]);
    act(() => scrollTo(screen.getByTestId('scroller'), 0));
    expect(screen.getAllByTestId('row').map((r) => r.textContent)).toEqual([
      'row 0',
      'row 1',
      'row 2',
      'row 3',
    ]);
  });

  it('an empty list mounts no row', () => {
    render(<List count={0} />);
    expect(screen.queryAllByTestId('row')).toHaveLength(0);
    expect(screen.getByTestId('spacer').style.height).toBe('0px');
  });
});
