/**
 * Windowing for long lists whose rows all have the same height (the terminal
 * table, the release matrix). With a fixed height the rows in view follow
 * from two numbers, scrollTop and the viewport's height, so nothing here is
 * sized by the list: no per-row measurement array (a general virtualizer
 * builds one entry per row, 50,000 of them, on the first render) and no
 * layout read during render (the viewport's height comes from a
 * ResizeObserver, after layout).
 */
import { useCallback, useEffect, useRef, useState, type RefCallback, type UIEvent } from 'react';

/** The rows to mount: indexes first..last inclusive (last < first when there are none). */
export type RowRange = { first: number; last: number };

export type WindowedRow = { index: number; start: number };

/** Rows that intersect [scrollTop, scrollTop + viewportHeight), widened by overscan on each side and clamped to the list. */
export function visibleRowRange(input: {
  count: number;
  rowHeight: number;
  scrollTop: number;
  viewportHeight: number;
  overscan: number;
}): RowRange {
  const { count, rowHeight, overscan } = input;
  if (count <= 0 || rowHeight <= 0) return { first: 0, last: -1 };
  const top = Math.max(0, input.scrollTop);
  const height = Math.max(0, input.viewportHeight);
  const firstInView = Math.min(count - 1, Math.floor(top / rowHeight));
  const lastInView = Math.min(
    count - 1,
    Math.max(firstInView, Math.ceil((top + height) / rowHeight) - 1),
  );
  return {
    first: Math.max(0, firstInView - overscan),
    last: Math.min(count - 1, lastInView + overscan),
  };
}

function isSameRange(a: RowRange, b: RowRange): boolean {
  return a.first === b.first && a.last === b.last;
}

export type FixedRowWindow = {
  /** Pass as the scrolling element's (overflow: auto) `ref`; it may mount later than the hook (after a loading state). */
  attachScrollBox: RefCallback<HTMLDivElement>;
  /** Back to the first row, e.g. after a new filter; call from effects or handlers. */
  scrollToTop: () => void;
  /** Put on the same element's onScroll. */
  onScroll: (event: UIEvent<HTMLElement>) => void;
  /** Height of the inner spacer: every row, mounted or not. */
  totalHeight: number;
  /** The rows to mount, with their offset from the top of the spacer. */
  rows: WindowedRow[];
  range: RowRange;
};

/**
 * `initialViewportHeight` is the guess for the very first render, before the
 * scroll box has been laid out: a good guess means the first commit already
 * shows the right rows, with no second render before the first paint.
 */
export function useFixedRowWindow(options: {
  count: number;
  rowHeight: number;
  overscan: number;
  initialViewportHeight: number;
}): FixedRowWindow {
  const { count, rowHeight, overscan } = options;
  const scrollElement = useRef<HTMLDivElement | null>(null);
  // What the scroll box last reported; the state below is a copy taken only when it shows other rows.
  const live = useRef({ scrollTop: 0, height: options.initialViewportHeight });
  const [viewport, setViewport] = useState(() => ({
    scrollTop: 0,
    height: options.initialViewportHeight,
  }));
  // The range is derived during render, so a new count (first data, a filter) needs no second render.
  const rangeOf = (at: { scrollTop: number; height: number }): RowRange =>
    visibleRowRange({
      count,
      rowHeight,
      overscan,
      scrollTop: at.scrollTop,
      viewportHeight: at.height,
    });
  const range = rangeOf(viewport);
  const rangeOfRef = useRef(rangeOf);
  useEffect(() => {
    rangeOfRef.current = rangeOf;
  });

  // Re-render only when other rows come into view: scrolling within a row, or a resize that shows no new row, renders nothing.
  const update = useCallback(() => {
    const next = { ...live.current };
    setViewport((previous) =>
      isSameRange(rangeOfRef.current(previous), rangeOfRef.current(next)) ? previous : next,
    );
  }, []);

  // A callback ref rather than an effect: the scroll box can appear after the first render (below a loading state).
  const attachScrollBox = useCallback<RefCallback<HTMLDivElement>>(
    (element) => {
      scrollElement.current = element;
      if (!element) return;
      // A newly mounted box starts at the top (read nothing here: reading scrollTop would force a layout).
      live.current.scrollTop = 0;
      update();
      if (typeof ResizeObserver === 'undefined') return;
      // The first callback comes after the first layout with the real height; no layout is forced here.
      const observer = new ResizeObserver((entries) => {
        const entry = entries[entries.length - 1];
        if (!entry) return;
        live.current.height = entry.contentRect.height;
        update();
      });
      observer.observe(element);
      return () => {
        observer.disconnect();
        scrollElement.current = null;
      };
    },
    [update],
  );

  const onScroll = useCallback(
    (event: UIEvent<HTMLElement>) => {
      live.current.scrollTop = event.currentTarget.scrollTop;
      update();
    },
    [update],
  );

  // Only when scrolled: scrollTo forces a layout of the whole page, which on a first render costs more than the render.
  const scrollToTop = useCallback(() => {
    if (live.current.scrollTop !== 0) scrollElement.current?.scrollTo({ top: 0 });
  }, []);

  const rows: WindowedRow[] = [];
  for (let index = range.first; index <= range.last; index++)
    rows.push({ index, start: index * rowHeight });
  return {
    attachScrollBox,
    scrollToTop,
    onScroll,
    totalHeight: Math.max(0, count) * rowHeight,
    rows,
    range,
  };
}
