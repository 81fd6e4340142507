/**
 * A throwaway PostgreSQL server for tests and benchmarks, from Debian's
 * postgresql package (PG_BIN, default /usr/lib/postgresql/15/bin): initdb in a
 * temp folder, pg_ctl start on a free 127.0.0.1 port, one database per call
 * to `createDatabase`, stop and delete on `stop`. As root it runs as the
 * `postgres` user (initdb refuses root). A missing PostgreSQL is an error,
 * never a skip: CI must run these tests.
 *
 * Under vitest one cluster serves the whole run (postgresGlobalSetup.ts,
 * named by DEARPOS_TEST_PG_PORT): initdb and start cost ~1 s of CPU and 2–25 s
 * of waiting per test file, and some twenty files need PostgreSQL. Each file
 * still gets databases of its own, so files share nothing but the server.
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, chownSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';

export type TestPostgres = {
  port: number;
  /** Creates a fresh database and returns its postgres:// URL. */
  createDatabase(name?: string): Promise<string>;
  stop(): void;
};

const PG_BIN = process.env.PG_BIN ?? '/usr/lib/postgresql/15/bin';

/** The port of the cluster postgresGlobalSetup.ts started for the whole test run. */
export const SHARED_PG_PORT_ENV = 'DEARPOS_TEST_PG_PORT';

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const address = s.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      s.close(() => resolve(port));
    });
  });
}

function uidOf(user: string): { uid: number; gid: number } {
  const uid = Number(execFileSync('id', ['-u', user]).toString().trim());
  const gid = Number(execFileSync('id', ['-g', user]).toString().trim());
  return { uid, gid };
}

/**
 * Starts a throwaway PostgreSQL cluster as the `postgres` user. Tests run it
 * with fsync off (a crash of the machine is not what they test); benchmarks
 * pass `durable: true` so a commit costs what it costs in production.
 */
export async function startTestPostgres(
  options: { durable?: boolean } = {},
): Promise<TestPostgres> {
  const sharedPort = process.env[SHARED_PG_PORT_ENV];
  if (sharedPort && !options.durable) return sharedCluster(Number(sharedPort));
  if (!existsSync(join(PG_BIN, 'initdb'))) {
    throw new Error(
      `PostgreSQL is not installed (no ${PG_BIN}/initdb). Install Debian's postgresql package (.ci/run does) or set PG_BIN; these tests never skip.`,
    );
  }
  const isRoot = process.getuid?.() === 0;
  const dir = mkdtempSync(join(tmpdir(), 'dearpos-pg-'));
  const data = join(dir, 'data');
  const asPg = (cmd: string, args: string[]) =>
    isRoot
      ? execFileSync('runuser', ['-u', 'postgres', '--', join(PG_BIN, cmd), ...args], {
          stdio: 'pipe',
        })
      : execFileSync(join(PG_BIN, cmd), args, { stdio: 'pipe' });
  if (isRoot) {
    const { uid, gid } = uidOf('postgres');
    chownSync(dir, uid, gid);
  }
  chmodSync(dir, 0o700);
  asPg('initdb', ['-D', data, '-A', 'trust', '-U', 'postgres', '--no-sync', '-E', 'UTF8']);
  const port = await freePort();
  // Tests: fsync off, a throwaway cluster. Benchmarks: PostgreSQL's durable defaults.
  const durability = options.durable
    ? ''
    : ' -c fsync=off -c synchronous_commit=off -c full_page_writes=off';
  // 300: the run's shared cluster serves up to three test files at once, each with its own pools.
  const opts = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c max_connections=300${durability}`;
  asPg('pg_ctl', ['-D', data, '-o', opts, '-l', join(dir, 'log'), '-w', '-t', '60', 'start']);
  let counter = 0;
  let stopped = false;
  const stop = () => {
    if (stopped) return;
    stopped = true;
    try {
      asPg('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  };
  return {
    port,
    createDatabase(name) {
      counter += 1;
      return createDatabaseOn(port, name ?? `test_${process.pid}_${counter}`);
    },
    stop,
  };
}

async function createDatabaseOn(port: number, db: string): Promise<string> {
  const client = new pg.Client({ host: '127.0.0.1', port, user: 'postgres', database: 'postgres' });
  await client.connect();
  try {
    await client.query(`CREATE DATABASE ${db}`);
  } finally {
    await client.end();
  }
  return `postgres://postgres@127.0.0.1:${port}/${db}`;
}

/**
 * The run's shared cluster: fresh databases with names no other file can
 * pick (files share worker processes, so a pid and a counter are not
 * enough); `stop` leaves the cluster to the global teardown.
 */
function sharedCluster(port: number): TestPostgres {
  return {
    port,
    createDatabase: (name) =>
      createDatabaseOn(port, name ?? `test_${randomBytes(6).toString('hex')}`),
    stop: () => undefined,
  };
}
