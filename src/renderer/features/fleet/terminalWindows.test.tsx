import { describe, expect, it } from 'vitest';
import { pageOf, pagesForRange } from './terminalWindows.ts';

describe('terminal table windows', () => {
  it('rows inside one page need one page', () => {
    expect(pagesForRange(0, 25, 100)).toEqual([0]);
  });

  it('rows straddling a page boundary need both pages', () => {
    expect(pagesForRange(95, 130, 100)).toEqual([0, 1]);
  });

  it('deep in a 50,000-row table only the pages in view are asked for', () => {
    expect(pagesForRange(49_960, 49_999, 100)).toEqual([499]);
  });

  it('an empty range needs nothing', () => {
    expect(pagesForRange(0, -1, 100)).toEqual([]);
  });

  it('maps a row index to its page and position', () => {
    expect(pageOf(12_345, 100)).toEqual({ page: 123, offsetInPage: 45 });
  });
});
