/**
 * Serves the end-to-end tests from a private snapshot of out/web, so a
 * rebuild of out/web during the run (another terminal, another engineer)
 * cannot swap hashed chunks under a page that is still loading them; bundles
 * the central server once; keeps in-process central servers to warnings.
 */
import { cp, mkdtemp, realpath, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { bundleCentralServer, SERVER_CLI_ENV } from '../src/main/sync/testing/centralServer.ts';

export const BUILT_WEB_DIR = resolve(import.meta.dirname, '../out/web');

export default async function globalSetup(): Promise<() => Promise<void>> {
  const isBuilt = await stat(join(BUILT_WEB_DIR, 'index.html')).then(
    () => true,
    () => false,
  );
  if (!isBuilt)
    throw new Error(
      'out/web is not built: run the end-to-end tests with `npm run test:e2e`, which builds it first.',
    );
  const snapshot = await mkdtemp(join(tmpdir(), 'dearpos-e2e-web-'));
  // The central server the specs start as a child process, bundled once for the run
  // (bundleCentralServer says what a start from source costs).
  const hasOwnServer = process.env[SERVER_CLI_ENV] !== undefined;
  const [server] = await Promise.all([
    hasOwnServer ? null : bundleCentralServer(),
    // out/web is a link to the current build (scripts/buildWeb.ts): copy the build itself.
    realpath(BUILT_WEB_DIR).then((built) => cp(built, snapshot, { recursive: true })),
  ]);
  if (server) process.env[SERVER_CLI_ENV] = server.file;
  // Workers inherit the environment set here.
  process.env.DEARPOS_E2E_STATIC_DIR = snapshot;
  // Central servers started in the workers' own process (startTestServer) log every request at
  // info level; pino's JSON lines then cost CPU and flood the report. Warnings and errors stay.
  process.env.LOG_LEVEL ??= 'warn';
  return async () => {
    await rm(snapshot, { recursive: true, force: true });
    server?.dispose();
  };
}
