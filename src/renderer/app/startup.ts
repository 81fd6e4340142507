/**
 * Sends the console's first back-end calls as this module is evaluated.
 * main.tsx, the small entry, imports it and only then loads the app's chunk,
 * so the calls travel while the app downloads and evaluates (see
 * startupCalls.ts).
 */
import { detectTransport } from '../api/client.ts';
import { startStartupCalls, type Startup } from './startupCalls.ts';

export const startup: Startup = startStartupCalls(detectTransport(), window.location.hash);
