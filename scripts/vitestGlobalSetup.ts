/**
 * Vitest's global setup for the node project: what every test file would
 * otherwise build for itself, built once for the run, side by side.
 * - One PostgreSQL cluster (src/server/testing/postgresGlobalSetup.ts).
 * - One bundle of the central server, named by SYNC_TEST_SERVER_CLI, which
 *   startCentralServer() then runs (see bundleCentralServer).
 * The workers inherit the environment set here.
 */
import { bundleCentralServer, SERVER_CLI_ENV } from '../src/main/sync/testing/centralServer.ts';
import postgresGlobalSetup from '../src/server/testing/postgresGlobalSetup.ts';

export default async function vitestGlobalSetup(): Promise<() => void> {
  const hasOwnServer = process.env[SERVER_CLI_ENV] !== undefined;
  const [stopPostgres, bundle] = await Promise.all([
    postgresGlobalSetup(),
    hasOwnServer ? null : bundleCentralServer(),
  ]);
  if (bundle) process.env[SERVER_CLI_ENV] = bundle.file;
  return () => {
    stopPostgres();
    if (bundle) {
      delete process.env[SERVER_CLI_ENV];
      bundle.dispose();
    }
  };
}
