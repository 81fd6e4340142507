/**
 * Renders a component the way the app does (Mantine theme), in jsdom. jsdom
 * lacks matchMedia and ResizeObserver, which Mantine reads at mount.
 */
import type { ReactElement } from 'react';
import { MantineProvider } from '@mantine/core';
import { render, type RenderResult } from '@testing-library/react';
import { theme } from '../app/theme.ts';

function installDomGaps(): void {
  if (!window.matchMedia) {
    window.matchMedia = (query: string) =>
      ({
        matches: false,
        media: query,
        onchange: null,
        addListener: () => undefined,
        removeListener: () => undefined,
        addEventListener: () => undefined,
        removeEventListener: () => undefined,
        dispatchEvent: () => false,
      }) as MediaQueryList;
  }
  if (!('ResizeObserver' in window)) {
    (window as unknown as { ResizeObserver: unknown }).ResizeObserver = class {
      observe(): void {}
      unobserve(): void {}
      disconnect(): void {}
    };
  }
}

export function renderWithMantine(ui: ReactElement): RenderResult {
  installDomGaps();
  return render(<MantineProvider theme={theme}>{ui}</MantineProvider>);
}
