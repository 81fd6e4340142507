/**
 * Crash test of issue 3 (acceptance 3): during a 10,000-event sync the console
 * process is killed with SIGKILL 100 times and the REAL central server 20
 * times, at random points from a fixed seed (printed on failure; replay with
 * SYNC_KILL_SEED). Afterwards the server holds exactly 10,000 events of the
 * console: no duplicate, no gap, every chain and the tree head verify.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seededRandom } from '../../shared/random.ts';
import { bundleChild, type ChildBundle } from '../testing/bundleChild.ts';
import { readCentralLog } from './testing/centralLog.ts';
import {
  bundleCentralServer,
  SERVER_CLI,
  startCentralServer,
  type CentralServerProcess,
} from './testing/centralServer.ts';
import { openTestConsole } from './testing/console.ts';

const SEED = Number(process.env.SYNC_KILL_SEED ?? 9_162);
const EVENTS = 10_000;
const CONSOLE_KILLS = 100;
const SERVER_KILLS = 20;
const BATCH = 50;
const CHILD_SOURCE = join(dirname(fileURLToPath(import.meta.url)), 'testing', 'syncChild.ts');

let root: string;
/**
 * The sync child bundled into one JS file: it is started ~100 times, and from
 * .ts each start costs ~0.65 s of CPU (type stripping, hundreds of modules),
 * bundled ~0.15 s.
 */
let syncChild: ChildBundle;
/** The sync child alive right now, if any. */
let running: ChildProcess | null = null;
let server: CentralServerProcess;
/**
 * The real central server (src/server/cli.ts and its worker threads) bundled
 * the same way, for the 20 restarts: from .ts each start strips and loads
 * hundreds of modules on each thread (startCentralServer starts no push-check
 * worker: this test's 50-event pushes are checked on the main thread anyway,
 * under 64 KB). The run's global setup has usually bundled it already
 * (SERVER_CLI names it); otherwise this file bundles its own.
 */
let serverCli: string;
let ownServerBundle: ChildBundle | null = null;
/** Printed by the first (demo) start; valid across restarts. */
let auditor: string;

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'sync-kill-'));
  [syncChild, ownServerBundle, server] = await Promise.all([
    bundleChild(CHILD_SOURCE),
    SERVER_CLI.endsWith('.mjs') ? null : bundleCentralServer(),
    startCentralServer({ dataDir: join(root, 'server'), isDemo: true }),
  ]);
  serverCli = ownServerBundle?.file ?? SERVER_CLI;
  auditor = server.auditorToken!;
}, 120_000);
afterAll(async () => {
  // A test that failed or timed out mid-run leaves its child syncing against a server that is gone.
  running?.kill('SIGKILL');
  await server?.kill();
  syncChild?.dispose();
  ownServerBundle?.dispose();
  rmSync(root, { recursive: true, force: true });
});

type Run = { killed: boolean; sawDone: boolean; ackedLines: number };

/** Runs the sync child; kills it (SIGKILL) after `killAfterAcks` progress lines, or lets it finish. */
function runChild(
  consoleDir: string,
  killAfterAcks: number | null,
  onAck: () => Promise<void>,
): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ['--no-warnings', syncChild.file, consoleDir, String(BATCH)],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
        env: { ...process.env, ...syncChild.env, LOG_LEVEL: 'silent' },
      },
    );
    running = child;
    const run: Run = { killed: false, sawDone: false, ackedLines: 0 };
    const stderr: string[] = [];
    createInterface({ input: child.stderr }).on('line', (l) => stderr.push(l));
    let chain = Promise.resolve();
    createInterface({ input: child.stdout }).on('line', (line) => {
      chain = chain.then(async () => {
        if (run.killed) return;
        if (line === 'done') run.sawDone = true;
        if (line.startsWith('alarm')) reject(new Error(`seed ${SEED}: ${line}`));
        const isAck = line.startsWith('acked');
        if (isAck) {
          run.ackedLines += 1;
          await onAck();
        }
        if (
          killAfterAcks !== null &&
          ((killAfterAcks === 0 && line === 'started') ||
            (isAck && run.ackedLines >= killAfterAcks))
        ) {
          run.killed = true;
          child.kill('SIGKILL');
        }
      });
    });
    child.on('exit', (code, signal) => {
      void chain.then(() => {
        if (signal === 'SIGKILL' || code === 0) resolve(run);
        else
          reject(
            new Error(
              `seed ${SEED}: sync child exited ${code} ${signal}\n${stderr.slice(-20).join('\n')}`,
            ),
          );
      });
    });
  });
}

describe('kill -9 during sync', () => {
  it(`10,000 events survive ${CONSOLE_KILLS} console and ${SERVER_KILLS} server kills exactly once (seed ${SEED})`, async () => {
    const consoleDir = join(root, 'console');
    mkdirSync(consoleDir);
    const setup = await openTestConsole(consoleDir);
    await setup.engine.connect({ serverUrl: server.url, enrollmentCode: server.enrollmentCode! });
    setup.record(EVENTS);
    await setup.close();
    // Every later server start ends in SIGKILL, which never reaches the exit
    // that writes Node's compile cache: one graceful stop here writes it for
    // the 20 restarts (measured ~0.09 CPU-s less per start).
    await server.stop();
    server = await startCentralServer({
      dataDir: join(root, 'server'),
      port: server.port,
      cli: serverCli,
    });

    const random = seededRandom(SEED);
    let consoleKills = 0;
    let serverKills = 0;
    const restartServer = async () => {
      await server.kill();
      serverKills += 1;
      server = await startCentralServer({
        dataDir: join(root, 'server'),
        port: server.port,
        cli: serverCli,
      });
    };
    while (consoleKills < CONSOLE_KILLS) {
      const run = await runChild(consoleDir, Math.floor(random() * 3), async () => {
        // Spread the server kills over the console runs.
        if (serverKills < SERVER_KILLS && random() < 0.3) await restartServer();
      });
      if (run.killed) consoleKills += 1;
      if (run.sawDone) break;
    }
    while (serverKills < SERVER_KILLS) await restartServer();
    const final = await runChild(consoleDir, null, () => Promise.resolve());
    expect(final.sawDone).toBe(true);

    const context = `seed ${SEED} (replay with SYNC_KILL_SEED=${SEED}): ${consoleKills} console kills, ${serverKills} server kills`;
    expect(consoleKills, context).toBe(CONSOLE_KILLS);
    expect(serverKills, context).toBe(SERVER_KILLS);
    const check = await openTestConsole(consoleDir);
    try {
      expect(check.journal.verify(), context).toMatchObject({ ok: true, count: EVENTS });
      const log = await readCentralLog(server.url, auditor);
      expect(log.problems, context).toEqual([]);
      const seqs = (log.perDevice.get(check.journal.deviceId) ?? []).map((e) => e.seq);
      expect(seqs.length, context).toBe(EVENTS);
      expect(new Set(seqs).size, context).toBe(EVENTS);
      expect(seqs[0]).toBe(1);
      expect(seqs.at(-1)).toBe(EVENTS);
      const status = check.engine.status();
      expect(status, context).toMatchObject({
        pendingEvents: 0,
        alarm: null,
        treeHead: { size: log.size },
      });
    } finally {
      await check.close();
    }
    // A bound for hangs on a shared, loaded machine (9 min at load average 25, 15 min at 35), not a speed target.
  }, 1_200_000);
});
