/**
 * Sends the console's first back-end calls as this module is evaluated.
 * main.tsx, the small entry, imports it and only then loads the app's chunk,
 * so the calls travel while the app downloads and evaluates (see
 * startupCalls.ts). Renderer errors are forwarded to the main log from here
 * on, before the app itself can throw.
 */
import { detectTransport } from '../api/client.ts';
import { forwardRendererErrors } from './forwardErrors.ts';
import { startStartupCalls, type Startup } from './startupCalls.ts';

const transport = detectTransport();
forwardRendererErrors(transport.api, window);

export const startup: Startup = startStartupCalls(transport, window.location.hash);
