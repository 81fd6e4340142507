/**
 * The window's size, position and maximised state, remembered between
 * starts. Pure (no electron import) so it is tested under Node; main.ts reads
 * and writes the file and asks Electron for the displays.
 *
 * A remembered position is used only if the window would still show on one
 * of today's displays (a laptop undocked from its second screen must not
 * open the console off-screen).
 */
import { z } from 'zod';

export type Rect = { x: number; y: number; width: number; height: number };
export type WindowState = { bounds: Rect; isMaximized: boolean };

const DEFAULT_SIZE = { width: 1440, height: 900 } as const;
const MIN_SIZE = { width: 1024, height: 640 } as const;
/** How much of the title bar must lie on a display for the position to count as visible. */
const MIN_VISIBLE = 100;

const stored = z
  .object({
    bounds: z
      .object({
        x: z.number().int(),
        y: z.number().int(),
        width: z.number().int().positive(),
        height: z.number().int().positive(),
      })
      .strict(),
    isMaximized: z.boolean(),
  })
  .strict();

/** The remembered state from the file's text; null when missing or not ours (then the defaults apply). */
export function parseWindowState(text: string | null): WindowState | null {
  if (text === null) return null;
  try {
    const parsed = stored.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

/**
 * The options to open the window with: the remembered size (never below the
 * minimum, never above the display it lands on) and position when visible,
 * otherwise the default size centred by Electron.
 */
export function restoreWindowState(
  state: WindowState | null,
  workAreas: readonly Rect[],
): { width: number; height: number; x?: number; y?: number; isMaximized: boolean } {
  if (!state) return { ...DEFAULT_SIZE, isMaximized: false };
  const { bounds } = state;
  const area = workAreas.find(
    (a) =>
      bounds.x + bounds.width - MIN_VISIBLE >= a.x &&
      bounds.x + MIN_VISIBLE <= a.x + a.width &&
      bounds.y >= a.y &&
      bounds.y + MIN_VISIBLE <= a.y + a.height,
  );
  if (!area) {
    return {
      width: Math.max(MIN_SIZE.width, Math.min(bounds.width, DEFAULT_SIZE.width)),
      height: Math.max(MIN_SIZE.height, Math.min(bounds.height, DEFAULT_SIZE.height)),
      isMaximized: state.isMaximized,
    };
  }
  return {
    x: bounds.x,
    y: bounds.y,
    width: Math.max(MIN_SIZE.width, Math.min(bounds.width, area.width)),
    height: Math.max(MIN_SIZE.height, Math.min(bounds.height, area.height)),
    isMaximized: state.isMaximized,
  };
}
