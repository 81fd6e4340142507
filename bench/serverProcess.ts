/**
 * The central server in its own process for the sync benchmarks. In
 * production the server and the consoles are different machines: running the
 * server in the benchmark's process would make the two sides take turns on
 * one core (and one event loop), which no deployment does. The parent talks
 * to it over loopback HTTP only, exactly as a console does, and asks it over
 * the IPC channel for its CPU time, so a benchmark can report both sides.
 *
 * Run as a module (`fork`), this file starts the test server (harness.ts,
 * request logging off: it would measure pino, not sync) and reports
 * `{url, adminToken}`.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { assertNever } from '../src/shared/errors.ts';
import type { LooseBody } from '../src/server/testing/harness.ts';

export type ServerProcessOptions = {
  databaseUrl?: string;
  dataDir?: string;
  /** false: pushes do not maintain the read models (readmodels.ingest20devices.postgres's comparison). */
  readModels?: boolean;
};

export type ServerProcess = {
  url: string;
  adminToken: string;
  call(
    method: 'GET' | 'POST',
    path: string,
    options?: { token?: string | null; body?: unknown; rawBody?: string },
  ): Promise<{ status: number; body: LooseBody }>;
  /** CPU time (user + system) the server process has used so far, in ms. */
  cpuMs(): Promise<number>;
  /** The same, and the part of it spent on the server's main (event loop) thread. */
  cpu(): Promise<{ processMs: number; mainThreadMs: number }>;
  close(): Promise<void>;
};

type Ready = { kind: 'ready'; url: string; adminToken: string };
type Cpu = { kind: 'cpu'; ms: number; mainMs: number };
type Failed = { kind: 'failed'; message: string };
type FromChild = Ready | Cpu | Failed;
type ToChild = { kind: 'cpu' } | { kind: 'close' };

function nextMessage<K extends FromChild['kind']>(
  child: ChildProcess,
  kind: K,
): Promise<Extract<FromChild, { kind: K }>> {
  return new Promise((resolve, reject) => {
    const onMessage = (m: FromChild) => {
      if (m.kind === 'failed') {
        cleanup();
        reject(new Error(`server process: ${m.message}`));
      } else if (m.kind === kind) {
        cleanup();
        resolve(m as Extract<FromChild, { kind: K }>);
      }
    };
    const onExit = (code: number | null) => {
      cleanup();
      reject(new Error(`server process exited (code ${code}) before answering "${kind}"`));
    };
    const cleanup = () => {
      child.off('message', onMessage);
      child.off('exit', onExit);
    };
    child.on('message', onMessage);
    child.on('exit', onExit);
  });
}

export async function startServerProcess(
  options: ServerProcessOptions = {},
): Promise<ServerProcess> {
  // SERVER_CPU_PROF=<folder> writes a V8 CPU profile of the server process there (for profiling the ingest).
  const profileDir = process.env.SERVER_CPU_PROF;
  const child = fork(fileURLToPath(import.meta.url), [JSON.stringify(options)], {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    ...(profileDir
      ? { execArgv: [...process.execArgv, '--cpu-prof', `--cpu-prof-dir=${profileDir}`] }
      : {}),
  });
  const ready = await nextMessage(child, 'ready');
  const send = (m: ToChild) => child.send(m);
  return {
    url: ready.url,
    adminToken: ready.adminToken,
    async call(method, path, o = {}) {
      const headers: Record<string, string> = {};
      if (o.token) headers.authorization = `Bearer ${o.token}`;
      const requestBody = o.rawBody ?? (o.body === undefined ? undefined : JSON.stringify(o.body));
      if (requestBody !== undefined) headers['content-type'] = 'application/json';
      const res = await fetch(ready.url + path, { method, headers, body: requestBody });
      const text = await res.text();
      const body: LooseBody = JSON.parse(text);
      return { status: res.status, body };
    },
    async cpuMs() {
      const answer = nextMessage(child, 'cpu');
      send({ kind: 'cpu' });
      return (await answer).ms;
    },
    async cpu() {
      const answer = nextMessage(child, 'cpu');
      send({ kind: 'cpu' });
      const m = await answer;
      return { processMs: m.ms, mainThreadMs: m.mainMs };
    },
    async close() {
      const exited = new Promise<void>((resolve) => {
        if (child.exitCode !== null) resolve();
        else child.once('exit', () => resolve());
      });
      if (child.connected) send({ kind: 'close' });
      await exited;
    },
  };
}

async function runChild(): Promise<void> {
  const options = JSON.parse(process.argv[2] ?? '{}') as ServerProcessOptions;
  const { startTestServer } = await import('../src/server/testing/harness.ts');
  const { createServerLogger } = await import('../src/server/log.ts');
  const reply = (m: FromChild) => process.send!(m);
  try {
    const t = await startTestServer({
      ...(options.databaseUrl ? { databaseUrl: options.databaseUrl } : {}),
      ...(options.dataDir ? { dataDir: options.dataDir } : {}),
      ...(options.readModels === false ? { readModels: false } : {}),
      logger: createServerLogger({ level: 'warn' }),
      // For comparisons: SERVER_PUSH_CHECK=inline checks every push on the main thread, =worker checks
      // pushes of 64 KB and more on the check worker, on either database (else the server's default).
      ...(process.env.SERVER_PUSH_CHECK === 'inline'
        ? { pushCheck: { inlineBelowBytes: Infinity } }
        : {}),
      ...(process.env.SERVER_PUSH_CHECK === 'worker'
        ? { pushCheck: { inlineBelowBytes: 64 * 1024 } }
        : {}),
    });
    process.on('message', (m: ToChild) => {
      switch (m.kind) {
        case 'cpu': {
          const used = process.cpuUsage();
          const main = process.threadCpuUsage();
          reply({
            kind: 'cpu',
            ms: (used.user + used.system) / 1000,
            mainMs: (main.user + main.system) / 1000,
          });
          break;
        }
        case 'close':
          void t.close().finally(() => process.exit(0));
          break;
        default:
          assertNever(m, 'message to the server process');
      }
    });
    // The parent going away (a crashed benchmark) must not leave the server running.
    process.on('disconnect', () => void t.close().finally(() => process.exit(0)));
    reply({ kind: 'ready', url: t.url, adminToken: t.adminToken });
  } catch (error) {
    reply({ kind: 'failed', message: (error as Error).message });
    process.exit(1);
  }
}

if (import.meta.main && process.send) await runChild();
