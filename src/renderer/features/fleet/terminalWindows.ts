/**
 * The terminal table never asks for the whole fleet: it asks for the pages
 * (fixed windows of PAGE_SIZE rows) that the visible rows fall in. These are
 * the pure parts, so the page arithmetic is tested on its own.
 */
export const PAGE_SIZE = 100;

/** Pages covering the rows [first, last] (inclusive), in order, without repeats. */
export function pagesForRange(first: number, last: number, pageSize = PAGE_SIZE): number[] {
  if (last < first || last < 0) return [];
  const from = Math.floor(Math.max(0, first) / pageSize);
  const to = Math.floor(last / pageSize);
  const pages: number[] = [];
  for (let p = from; p <= to; p++) pages.push(p);
  return pages;
}

export function pageOf(
  rowIndex: number,
  pageSize = PAGE_SIZE,
): { page: number; offsetInPage: number } {
  return { page: Math.floor(rowIndex / pageSize), offsetInPage: rowIndex % pageSize };
}
