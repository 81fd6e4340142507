/**
 * The entry: kept small on purpose. It sends the first back-end calls
 * (app/startup.ts) and only then loads the app, a chunk of its own, so the
 * answers travel while React, Mantine and the screens download and evaluate.
 * Nothing here may import the app statically: that would put it back in
 * this chunk, evaluated before the calls go out.
 */
import '@mantine/core/styles.css';
import '@mantine/notifications/styles.css';
import { startup } from './app/startup.ts';
import { STARTUP_WAIT_MS } from './app/startupCalls.ts';

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root element');
const rootElement = root;

void import('./app/mount.tsx')
  .then(async ({ mountApp }) => {
    // The first answers are usually in by now: render once they are, so the
    // first render is the finished screen rather than a loader replaced at once.
    await startup.settled(STARTUP_WAIT_MS);
    mountApp(rootElement, startup);
  })
  .catch((error: unknown) => {
    // No React to show it with: a plain message, and the cause to the browser's error reporting.
    rootElement.textContent =
      'The console could not start. Reload the page; if it happens again, restart the console.';
    reportError(error);
  });
