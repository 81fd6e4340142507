import { describe, expect, it } from 'vitest';
import { nextMatrixPosition } from './matrixKeys.ts';

// 4 rows × 4 columns; '#' holds terminals, '.' is empty.
const LAYOUT = ['#.#.', '....', '.#..', '#..#'];
const grid = {
  rows: LAYOUT.length,
  cols: 4,
  isFocusable: (row: number, col: number) => LAYOUT[row]?.[col] === '#',
};

describe('moving in the release matrix from the keyboard', () => {
  it('left and right skip empty cells and stop at the row ends', () => {
    expect(nextMatrixPosition(grid, { row: 0, col: 0 }, 'ArrowRight')).toEqual({ row: 0, col: 2 });
    expect(nextMatrixPosition(grid, { row: 0, col: 2 }, 'ArrowRight')).toBeNull();
    expect(nextMatrixPosition(grid, { row: 0, col: 2 }, 'ArrowLeft')).toEqual({ row: 0, col: 0 });
  });

  it('up and down skip rows with nothing and prefer the same column, else the nearest', () => {
    expect(nextMatrixPosition(grid, { row: 0, col: 0 }, 'ArrowDown')).toEqual({ row: 2, col: 1 });
    expect(nextMatrixPosition(grid, { row: 2, col: 1 }, 'ArrowDown')).toEqual({ row: 3, col: 0 });
    expect(nextMatrixPosition(grid, { row: 3, col: 3 }, 'ArrowUp')).toEqual({ row: 2, col: 1 });
    expect(nextMatrixPosition(grid, { row: 0, col: 2 }, 'ArrowUp')).toBeNull();
  });

  it('Home and End go to the first and last cell of the row; the page keys jump rows', () => {
    expect(nextMatrixPosition(grid, { row: 3, col: 3 }, 'Home')).toEqual({ row: 3, col: 0 });
    expect(nextMatrixPosition(grid, { row: 3, col: 0 }, 'End')).toEqual({ row: 3, col: 3 });
    expect(nextMatrixPosition(grid, { row: 0, col: 0 }, 'PageDown', 3)).toEqual({ row: 3, col: 0 });
    expect(nextMatrixPosition(grid, { row: 3, col: 0 }, 'PageUp', 3)).toEqual({ row: 0, col: 0 });
  });
});
