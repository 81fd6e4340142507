/**
 * Serves the end-to-end tests from a private snapshot of out/web, so a
 * rebuild of out/web during the run (another terminal, another engineer)
 * cannot swap hashed chunks under a page that is still loading them.
 */
import { cp, mkdtemp, realpath, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

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
  // out/web is a link to the current build (scripts/buildWeb.ts): copy the build itself.
  await cp(await realpath(BUILT_WEB_DIR), snapshot, { recursive: true });
  // Workers inherit the environment set here.
  process.env.DEARPOS_E2E_STATIC_DIR = snapshot;
  return async () => {
    await rm(snapshot, { recursive: true, force: true });
  };
}
