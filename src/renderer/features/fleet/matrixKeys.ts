/**
 * Keyboard movement in the release matrix: the grid is one tab stop, and the
 * arrow keys move between the cells that hold terminals (an empty cell has
 * nothing to open, so focus skips it). Pure, so the moves are tested without
 * a browser.
 */
import { assertNever } from '#shared/errors.ts';

export type MatrixPosition = { row: number; col: number };

export const MATRIX_MOVE_KEYS = [
  'ArrowLeft',
  'ArrowRight',
  'ArrowUp',
  'ArrowDown',
  'Home',
  'End',
  'PageUp',
  'PageDown',
] as const;
export type MatrixMoveKey = (typeof MATRIX_MOVE_KEYS)[number];

export function isMatrixMoveKey(key: string): key is MatrixMoveKey {
  return (MATRIX_MOVE_KEYS as readonly string[]).includes(key);
}

/**
 * Where `key` moves focus from `from`, in a grid of `rows` × `cols` whose
 * cell (row, col) can take focus when `isFocusable(row, col)`; null when
 * there is nowhere to go. Left/right: the next focusable cell in the row;
 * up/down: the nearest row with a focusable cell in the same column (else
 * the nearest focusable cell of that row); Home/End: the row's first/last;
 * PageUp/PageDown: `page` rows at a time.
 */
export function nextMatrixPosition(
  grid: { rows: number; cols: number; isFocusable: (row: number, col: number) => boolean },
  from: MatrixPosition,
  key: MatrixMoveKey,
  page = 10,
): MatrixPosition | null {
  const { rows, cols, isFocusable } = grid;
  const inRow = (row: number, start: number, step: 1 | -1): MatrixPosition | null => {
    for (let col = start; col >= 0 && col < cols; col += step)
      if (isFocusable(row, col)) return { row, col };
    return null;
  };
  /** The focusable cell of `row` closest to column `col`, preferring the same column. */
  const nearestInRow = (row: number, col: number): MatrixPosition | null => {
    for (let d = 0; d < cols; d++) {
      if (col - d >= 0 && isFocusable(row, col - d)) return { row, col: col - d };
      if (col + d < cols && isFocusable(row, col + d)) return { row, col: col + d };
    }
    return null;
  };
  const vertical = (start: number, step: 1 | -1): MatrixPosition | null => {
    for (let row = start; row >= 0 && row < rows; row += step) {
      const found = nearestInRow(row, from.col);
      if (found !== null) return found;
    }
    return null;
  };
  switch (key) {
    case 'ArrowLeft':
      return inRow(from.row, from.col - 1, -1);
    case 'ArrowRight':
      return inRow(from.row, from.col + 1, 1);
    case 'ArrowUp':
      return vertical(from.row - 1, -1);
    case 'ArrowDown':
      return vertical(from.row + 1, 1);
    case 'Home':
      return inRow(from.row, 0, 1);
    case 'End':
      return inRow(from.row, cols - 1, -1);
    case 'PageUp':
      return vertical(Math.max(0, from.row - page), 1) ?? vertical(from.row - 1, -1);
    case 'PageDown':
      return vertical(Math.min(rows - 1, from.row + page), -1) ?? vertical(from.row + 1, 1);
    default:
      return assertNever(key, 'matrix key');
  }
}
