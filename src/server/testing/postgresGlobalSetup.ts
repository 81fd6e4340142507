/**
 * Vitest global setup of the node project: one throwaway PostgreSQL cluster
 * for the whole run, named to the test files by DEARPOS_TEST_PG_PORT (the
 * workers inherit the environment set here); startTestPostgres() then hands
 * out fresh databases on it instead of running initdb once per file.
 */
import { SHARED_PG_PORT_ENV, startTestPostgres } from './postgres.ts';

export default async function postgresGlobalSetup(): Promise<() => void> {
  delete process.env[SHARED_PG_PORT_ENV];
  const cluster = await startTestPostgres();
  process.env[SHARED_PG_PORT_ENV] = String(cluster.port);
  return () => {
    delete process.env[SHARED_PG_PORT_ENV];
    cluster.stop();
  };
}
