/**
 * Runs the REAL central server (src/server/cli.ts, `npm run server`) as a
 * child process on 127.0.0.1, for sync tests and benchmarks. The console side
 * talks to it over HTTP only (main never imports server code), and a child
 * process can be killed with SIGKILL like a real crash. Test-only code.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { dirname, join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { bundleChild, bundleCompileCache, type ChildBundle } from '../../testing/bundleChild.ts';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../../..');

/** Names a bundle of the server (bundleCentralServer) that every start in the run uses. */
export const SERVER_CLI_ENV = 'SYNC_TEST_SERVER_CLI';
export const SERVER_CLI = process.env[SERVER_CLI_ENV] ?? join(ROOT, 'src/server/cli.ts');
/**
 * Restarted processes reuse compiled code (Node's on-disk compile cache):
 * restarts are the slow part of crash tests. Kept with the server's bundle.
 */
export const COMPILE_CACHE = {
  NODE_COMPILE_CACHE: process.env.NODE_COMPILE_CACHE ?? bundleCompileCache(SERVER_CLI),
};

/**
 * The real server (cli.ts and its two worker threads) bundled into plain JS
 * files. From .ts each start strips and loads hundreds of modules three times
 * over (main thread and both workers): measured on this 2-core machine, about
 * 2 s of CPU per start from source, 1 s from the bundle. The test runs
 * (vitest, Playwright) bundle it once in their global setup and start it
 * some forty times.
 */
export function bundleCentralServer(): Promise<ChildBundle> {
  const serverDir = join(ROOT, 'src', 'server');
  return bundleChild(join(serverDir, 'cli.ts'), {
    workers: [
      join(serverDir, 'sync', 'checkWorker.ts'),
      join(serverDir, 'db', 'checkpointWorker.ts'),
    ],
  });
}

export type CentralServerProcess = {
  url: string;
  port: number;
  child: ChildProcess;
  /** Lines printed so far (stdout + stderr), for failure messages. */
  output: string[];
  enrollmentCode: string | null;
  auditorToken: string | null;
  adminToken: string | null;
  /** SIGKILL: a crash, no shutdown hooks. */
  kill(): Promise<void>;
  /** SIGTERM and wait for the exit. */
  stop(): Promise<void>;
};

export async function startCentralServer(options: {
  dataDir: string;
  port?: number;
  isDemo?: boolean;
  env?: Record<string, string>;
  args?: string[];
  /** The server's entry: src/server/cli.ts, or a bundle of it (bundleChild) for a test that restarts it often. */
  cli?: string;
}): Promise<CentralServerProcess> {
  const args = [
    '--experimental-strip-types',
    '--no-warnings',
    options.cli ?? SERVER_CLI,
    '--port',
    String(options.port ?? 0),
    '--data',
    options.dataDir,
    ...(options.isDemo ? ['--demo'] : []),
    ...(options.args ?? []),
  ];
  const child = spawn(process.execPath, args, {
    cwd: ROOT,
    env: {
      ...process.env,
      NODE_COMPILE_CACHE:
        process.env.NODE_COMPILE_CACHE ?? bundleCompileCache(options.cli ?? SERVER_CLI),
      LOG_LEVEL: process.env.SERVER_LOG_LEVEL ?? 'warn',
      // Pushes are checked on the main thread and no push-check worker is
      // started: ~0.1 s of CPU less per start, and tests here start the server
      // some sixty times a run. The check is the same function either way; the
      // worker path, and that both paths answer alike, are pushChecker.test.ts's.
      PUSH_CHECK_INLINE_BELOW_BYTES: 'Infinity',
      ...options.env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output: string[] = [];
  const found: {
    url?: string;
    enrollmentCode?: string;
    auditorToken?: string;
    adminToken?: string;
  } = {};
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));

  const ready = new Promise<void>((resolveReady, rejectReady) => {
    const onLine = (line: string) => {
      output.push(line);
      const url = /(https?:\/\/(?:127\.0\.0\.1|localhost):\d+)/.exec(line);
      if (url && !found.url) found.url = url[1]!.replace('localhost', '127.0.0.1');
      const code = /enrollment code:\s*(\S+)/i.exec(line);
      if (code) found.enrollmentCode = code[1]!;
      const auditor = /auditor token:\s*(\S+)/i.exec(line);
      if (auditor) found.auditorToken = auditor[1]!;
      const admin = /admin token:\s*(\S+)/i.exec(line);
      if (admin) found.adminToken = admin[1]!;
      // Demo mode prints its codes after the URL, the admin token last; wait for all of them.
      if (
        found.url &&
        (!options.isDemo || (found.enrollmentCode && found.auditorToken && found.adminToken))
      )
        resolveReady();
    };
    createInterface({ input: child.stdout }).on('line', onLine);
    createInterface({ input: child.stderr }).on('line', (l) => output.push(l));
    void exited.then((code) =>
      rejectReady(
        new Error(
          `central server exited (${code}) before it was ready:\n${output.slice(-30).join('\n')}`,
        ),
      ),
    );
  });
  await ready;
  const url = found.url!;
  return {
    url,
    port: Number(new URL(url).port),
    child,
    output,
    enrollmentCode: found.enrollmentCode ?? null,
    auditorToken: found.auditorToken ?? null,
    adminToken: found.adminToken ?? null,
    async kill() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await exited;
    },
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}
