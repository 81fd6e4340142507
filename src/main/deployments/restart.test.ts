/**
 * Issue 5, acceptance 3 (offline and restart): the demo minor release 4.4.0 is
 * deployed canary first on Lille Euralille (4 lanes) through the console's
 * real back end running in a CHILD PROCESS, enrolled with a real central
 * server that is then stopped. The console is killed with SIGKILL right after
 * three acknowledged deployment actions picked from a fixed seed (printed on
 * failure; replay with DEPLOY_RESTART_SEED). Each time it restarts and must be
 * exactly where the last acknowledged action left it; the deployment goes on
 * to completed. Then the server comes back, the console syncs, and the central
 * log must hold every console journal event exactly once.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DeploymentView } from '../../shared/contract/deployments.ts';
import type { SyncStatus } from '../../shared/sync/status.ts';
import type { Result } from '../../shared/errors.ts';
import { seededRandom } from '../../shared/random.ts';
import { TECH } from '../app/testSupport.ts';
import { readCentralLog } from '../sync/testing/centralLog.ts';
import { startCentralServer, type CentralServerProcess } from '../sync/testing/centralServer.ts';
import { bundleChild, type ChildBundle } from '../testing/bundleChild.ts';
import type { ActionRequest } from './service.ts';
import { smokeRun } from './testing.ts';

const SEED = Number(process.env.DEPLOY_RESTART_SEED ?? 4_400);
const KILLS = 3;
/** Deployment calls in the walk below (plan, then every action); the kills fall after three of them. */
const ACTS = 20;
const CHILD = join(dirname(fileURLToPath(import.meta.url)), 'testing', 'consoleChild.ts');
const LILLE = 'st-lil-01';
const lane = (n: number) => `st-lil-01-t${n}`;
const context = `seed ${SEED} (replay with DEPLOY_RESTART_SEED=${SEED})`;

type ConsoleProcess = {
  deviceId: string;
  call(channel: string, input: unknown): Promise<Result<unknown>>;
  /** SIGKILL: a crash, nothing flushed beyond what was committed. */
  kill(): Promise<void>;
  /** Closes stdin: the console closes its database and exits. */
  close(): Promise<void>;
};

/**
 * The console child bundled into one JS file: it is started five times, and
 * from .ts each start strips and loads the whole back end's modules (about
 * 0.55 s of CPU to ready; bundled, about 0.15 s).
 */
let consoleChild: ChildBundle;

function startConsole(dataDir: string): Promise<ConsoleProcess> {
  const child: ChildProcess = spawn(
    process.execPath,
    ['--no-warnings', consoleChild.file, dataDir],
    {
      stdio: ['pipe', 'pipe', 'pipe'],
      env: { ...process.env, ...consoleChild.env },
    },
  );
  const stderr: string[] = [];
  createInterface({ input: child.stderr! }).on('line', (l) => stderr.push(l));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const waiting = new Map<number, (result: Result<unknown>) => void>();
  let nextId = 1;
  return new Promise((resolve, reject) => {
    void exited.then(() => {
      const message = `${context}: the console process exited\n${stderr.slice(-20).join('\n')}`;
      reject(new Error(message));
      for (const fail of waiting.values())
        fail({ ok: false, error: { code: 'internal', message } });
    });
    createInterface({ input: child.stdout! }).on('line', (line) => {
      if (line.startsWith('ready ')) {
        resolve({
          deviceId: line.slice('ready '.length),
          call(channel, input) {
            const id = nextId++;
            return new Promise((answer) => {
              waiting.set(id, answer);
              child.stdin!.write(
                `${JSON.stringify(channel === 'await-catalog' ? { id, op: channel } : { id, channel, input })}\n`,
              );
            });
          },
          async kill() {
            child.kill('SIGKILL');
            await exited;
          },
          async close() {
            child.stdin!.end();
            await exited;
          },
        });
        return;
      }
      const answer = JSON.parse(line) as Result<unknown> & { id: number };
      waiting.get(answer.id)?.(answer);
      waiting.delete(answer.id);
    });
  });
}

function ok<T>(result: Result<unknown>, what: string): T {
  if (!result.ok)
    throw new Error(
      `${context}: ${what} was refused: ${result.error.code}: ${result.error.message}`,
    );
  return result.value as T;
}

/** `count` distinct deployment calls (1-based, among ACTS) after which the console is killed. */
function killPoints(count: number): Set<number> {
  const random = seededRandom(SEED);
  const points = new Set<number>();
  while (points.size < count) points.add(1 + Math.floor(random() * ACTS));
  return points;
}

let root: string;
let server: CentralServerProcess;
beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'deploy-restart-'));
  [consoleChild, server] = await Promise.all([
    bundleChild(CHILD),
    startCentralServer({ dataDir: join(root, 'server'), isDemo: true }),
  ]);
});
afterAll(async () => {
  await server?.kill();
  consoleChild?.dispose();
  rmSync(root, { recursive: true, force: true });
});

describe('a deployment offline, with the console killed three times', () => {
  it(`resumes at the last acknowledged step each time, completes, and the central log gets every event once (${context})`, async () => {
    const consoleDir = join(root, 'console');
    const auditor = server.auditorToken!;
    const code = (await (
      await fetch(`${server.url}/v1/admin/enrollment-codes`, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${server.adminToken!}`,
          'content-type': 'application/json',
        },
        body: JSON.stringify({ storeId: LILLE }),
      })
    ).json()) as { code: string };

    let consoleApp = await startConsole(consoleDir);
    ok(
      await consoleApp.call('sync:connect', { serverUrl: server.url, enrollmentCode: code.code }),
      'connecting',
    );
    ok(await consoleApp.call('await-catalog', null), 'waiting for the catalog');
    // From here on the console is offline: everything is recorded locally only.
    await server.stop();
    ok(await consoleApp.call('session:signIn', TECH), 'signing in');

    const kills = killPoints(KILLS);
    let acts = 0;
    let killed = 0;
    let deploymentId = '';
    /** One deployment call; after the chosen ones the console is killed, restarted, and must show the acknowledged state. */
    const deployment = async (
      channel: 'deployments:plan' | 'deployments:act',
      input: unknown,
    ): Promise<DeploymentView> => {
      const view = ok<DeploymentView>(
        await consoleApp.call(channel, input),
        `${channel} #${acts + 1} ${JSON.stringify(input)}`,
      );
      acts += 1;
      deploymentId = view.state.plan.deploymentId;
      if (kills.has(acts)) {
        await consoleApp.kill();
        killed += 1;
        consoleApp = await startConsole(consoleDir);
        ok(await consoleApp.call('session:signIn', TECH), 'signing in after the restart');
        const resumed = ok<DeploymentView>(
          await consoleApp.call('deployments:get', { deploymentId }),
          'reading the deployment after the restart',
        );
        expect(resumed.state, `${context}: after the kill that followed call #${acts}`).toEqual(
          view.state,
        );
      }
      return view;
    };
    const act = (action: ActionRequest) => deployment('deployments:act', { deploymentId, action });
    const runner = {
      dispatch: (channel: string, input: unknown) => consoleApp.call(channel, input),
    };

    await deployment('deployments:plan', { releaseId: 'rel-4.4.0', storeId: LILLE });
    await act({
      type: 'start',
      strategy: 'canary_first',
      canaryTerminalId: lane(1),
      overrideReason: null,
    });
    for (const wave of [[lane(1)], [lane(2), lane(3), lane(4)]]) {
      await act({ type: 'complete_step' }); // close the lane
      await act({ type: 'claim_intervention' });
      await act({
        type: 'proceed_intervention',
        notes: 'Sync shows 0 sales waiting; drawer counted',
      });
      await act({ type: 'complete_step' }); // install
      for (const terminalId of wave)
        await act({ type: 'record_version', terminalId, version: '4.4.0' });
      await act({ type: 'complete_step' }); // versions captured
      await act({
        type: 'record_smoke_result',
        runId: await smokeRun(runner, { terminalIds: wave }),
      });
      await act({ type: 'complete_step' }); // reopen
    }
    const done = ok<DeploymentView>(
      await consoleApp.call('deployments:get', { deploymentId }),
      'reading the deployment',
    );
    expect(done.state.status, context).toBe('completed');
    expect(
      done.state.terminals.map((t) => t.progress),
      context,
    ).toEqual(['new', 'new', 'new', 'new']);
    expect(acts, context).toBe(ACTS);
    expect(killed, context).toBe(KILLS);
    const deviceId = consoleApp.deviceId;
    await consoleApp.close();

    // The server returns: the console pushes everything it recorded offline.
    server = await startCentralServer({ dataDir: join(root, 'server'), port: server.port });
    consoleApp = await startConsole(consoleDir);
    ok(await consoleApp.call('session:signIn', TECH), 'signing in to sync');
    let status = ok<SyncStatus>(await consoleApp.call('sync:now', {}), 'syncing');
    for (let cycle = 0; status.pendingEvents > 0 && cycle < 20; cycle++)
      status = ok<SyncStatus>(await consoleApp.call('sync:now', {}), 'syncing');
    expect(status, context).toMatchObject({ pendingEvents: 0, alarm: null });
    await consoleApp.close();

    const local = new Database(join(consoleDir, 'console.sqlite'), { readonly: true });
    const journal = local.prepare('SELECT seq, hash FROM journal ORDER BY seq').all() as Array<{
      seq: number;
      hash: string;
    }>;
    const deploymentEvents = local
      .prepare("SELECT count(*) FROM journal WHERE type LIKE 'deployment.%'")
      .pluck()
      .get() as number;
    local.close();
    const log = await readCentralLog(server.url, auditor);
    expect(deploymentEvents, `${context}: one journal event per acknowledged deployment call`).toBe(
      ACTS,
    );
    expect(log.problems, context).toEqual([]);
    const central = (log.perDevice.get(deviceId) ?? []).map((e) => ({ seq: e.seq, hash: e.hash }));
    expect(central.length, context).toBe(journal.length);
    expect(new Set(central.map((e) => e.seq)).size, `${context}: no duplicate`).toBe(
      journal.length,
    );
    expect(central, `${context}: every event once, in order, with the same hash`).toEqual(journal);
    expect(journal.map((e) => e.seq)).toEqual(journal.map((_, i) => i + 1));
  }, 120_000);
});
