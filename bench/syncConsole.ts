/**
 * The console's side of sync, end to end: 100,000 journal events read from the
 * console's SQLite journal, pushed by the real sync engine (batches of 1,000,
 * signed checkpoints, acks persisted, signed tree head checked for
 * consistency, inclusion of the last event verified) to the real central
 * server on SQLite over loopback, in its own process (serverProcess.ts), as it
 * runs on its own machine in production. The engine pipelines its pushes
 * (pushPipeline.ts). Baseline: the same engine sending one event per request,
 * each after the previous ack, measured on a sample and extrapolated.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLogger } from '../src/main/log.ts';
import { TEST_FLEET } from '../src/server/testing/harness.ts';
import { openTestConsole, type TestConsole } from '../src/main/sync/testing/console.ts';
import { startServerProcess, type ServerProcess } from './serverProcess.ts';
import { createBenchActors } from './syncPush.ts';
import { PUSH_PIPELINE_DEPTH } from '../src/main/sync/pushPipeline.ts';
import { round, type Benchmark } from './types.ts';

const CONSOLE_EVENTS = 100_000;
const BASELINE_SAMPLE = 1_000;

async function enrolledConsole(
  t: ServerProcess,
  dir: string,
  batchSize: number,
  pushPipelineDepth: number,
): Promise<TestConsole> {
  mkdirSync(dir, { recursive: true });
  const c = await openTestConsole(dir, {
    batchSize,
    pushPipelineDepth,
    log: createLogger({ level: 'warn' }),
  });
  const code = await t.call('POST', '/v1/admin/enrollment-codes', {
    token: t.adminToken,
    body: { storeId: 'S-1' },
  });
  await c.engine.connect({
    serverUrl: t.url,
    enrollmentCode: (code.body as { code: string }).code,
  });
  return c;
}

async function measureConsoleSync(
  events = CONSOLE_EVENTS,
  sample = BASELINE_SAMPLE,
): Promise<{ ms: number; cpuMs: number; serverCpuMs: number; baselineMs: number }> {
  const root = mkdtempSync(join(tmpdir(), 'bench-sync-console-'));
  const t = await startServerProcess({ dataDir: join(root, 'server') });
  try {
    await t.call('POST', '/v1/admin/fleet', { token: t.adminToken, body: TEST_FLEET });
    await createBenchActors(t);
    const real = await enrolledConsole(t, join(root, 'real'), 1000, PUSH_PIPELINE_DEPTH);
    real.record(events);
    const serverCpu = await t.cpuMs();
    const cpu = process.cpuUsage();
    const start = performance.now();
    const outcome = await real.engine.syncOnce();
    const ms = performance.now() - start;
    const used = process.cpuUsage(cpu);
    const cpuMs = (used.user + used.system) / 1000;
    const serverCpuMs = (await t.cpuMs()) - serverCpu;
    if (!outcome.ok || real.engine.status().pendingEvents !== 0)
      throw new Error(`sync failed: ${JSON.stringify(outcome)}`);
    await real.close();

    const naive = await enrolledConsole(t, join(root, 'naive'), 1, 1);
    naive.record(sample);
    const sampleStart = performance.now();
    const naiveOutcome = await naive.engine.syncOnce();
    const sampleMs = performance.now() - sampleStart;
    if (!naiveOutcome.ok) throw new Error(`baseline sync failed: ${JSON.stringify(naiveOutcome)}`);
    await naive.close();
    return { ms, cpuMs, serverCpuMs, baselineMs: (sampleMs / sample) * events };
  } finally {
    await t.close();
    rmSync(root, { recursive: true, force: true });
  }
}

export const syncConsoleSqlite: Benchmark = {
  name: 'sync.console100k.sqlite',
  description:
    'console sync engine: 100,000 journal events → central server (SQLite) over loopback vs one event per request',
  async run() {
    const m = await measureConsoleSync();
    const ratio = round(m.baselineMs / m.ms);
    return {
      name: 'sync.console100k.sqlite',
      value: round(m.ms, 0),
      unit: 'ms',
      baseline: round(m.baselineMs, 0),
      ratio,
      target: '≤ 3000 ms and ≥ 10×',
      isTargetMet: m.ms <= 3000 && ratio >= 10,
      notes: `${CONSOLE_EVENTS} events read from the console journal, batches of 1000 with signed checkpoints, up to ${PUSH_PIPELINE_DEPTH} in flight, ack persisted, tree head consistency + inclusion checked; CPU: console ${round(m.cpuMs, 0)} ms, server process ${round(m.serverCpuMs, 0)} ms; baseline = the same engine with one event per request, each after the previous ack, ${BASELINE_SAMPLE} measured and extrapolated`,
    };
  },
};

if (import.meta.main) {
  const r = await syncConsoleSqlite.run();
  process.stdout.write(`${JSON.stringify(r)}\n`);
}
