import { describe, expect, it } from 'vitest';
import { parseWindowState, restoreWindowState } from './windowState.ts';

const laptop = { x: 0, y: 0, width: 1920, height: 1080 };
const secondScreen = { x: 1920, y: 0, width: 2560, height: 1440 };

describe('window state', () => {
  it('opens at the default size the first time, and after a damaged file', () => {
    expect(restoreWindowState(parseWindowState(null), [laptop])).toEqual({
      width: 1440,
      height: 900,
      isMaximized: false,
    });
    for (const text of ['{', '[]', '{"bounds":{"x":0},"isMaximized":false}']) {
      expect(parseWindowState(text)).toBeNull();
    }
  });

  it('reopens where it was, maximised or not', () => {
    const text = JSON.stringify({
      bounds: { x: 2000, y: 40, width: 1600, height: 1000 },
      isMaximized: true,
    });
    expect(restoreWindowState(parseWindowState(text), [laptop, secondScreen])).toEqual({
      x: 2000,
      y: 40,
      width: 1600,
      height: 1000,
      isMaximized: true,
    });
  });

  it('a position on a display that is gone is dropped, the size kept within bounds', () => {
    const state = { bounds: { x: 2000, y: 40, width: 2400, height: 1300 }, isMaximized: false };
    expect(restoreWindowState(state, [laptop])).toEqual({
      width: 1440,
      height: 900,
      isMaximized: false,
    });
  });

  it('never opens smaller than the minimum or larger than its display', () => {
    const state = { bounds: { x: 10, y: 10, width: 300, height: 5000 }, isMaximized: false };
    expect(restoreWindowState(state, [laptop])).toEqual({
      x: 10,
      y: 10,
      width: 1024,
      height: 1080,
      isMaximized: false,
    });
  });
});
