import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App.tsx';
import type { Startup } from './startupCalls.ts';

/** Renders the console into `root`; main.tsx loads this module as a chunk of its own. */
export function mountApp(root: HTMLElement, startup: Startup): void {
  createRoot(root).render(
    <StrictMode>
      <App startup={startup} />
    </StrictMode>,
  );
}
