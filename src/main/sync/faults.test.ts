/**
 * Fault tests of issue 3 (acceptance 3), against the REAL central server
 * behind the loopback fault proxy. Each runs from a fixed seed that is printed
 * on failure; replay one with SYNC_FAULT_SEED=<seed>.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { seededRandom } from '../../shared/random.ts';
import { backoffDelayMs } from './backoff.ts';
import { readCentralLog } from './testing/centralLog.ts';
import { startCentralServer, type CentralServerProcess } from './testing/centralServer.ts';
import { openTestConsole, type TestConsole } from './testing/console.ts';
import {
  NO_FAULT,
  randomFaultPlan,
  startFaultProxy,
  type FaultProxy,
} from './testing/faultProxy.ts';

const SEED = Number(process.env.SYNC_FAULT_SEED ?? 20_261_123);

let root: string;
let server: CentralServerProcess;
let proxy: FaultProxy;
let c: TestConsole;
/** Virtual time spent in injected latency (the proxy waits 1/1000 of it for real). */
let virtualLatencyMs = 0;

beforeEach(async () => {
  root = mkdtempSync(join(tmpdir(), 'sync-faults-'));
  server = await startCentralServer({ dataDir: join(root, 'server'), isDemo: true });
  virtualLatencyMs = 0;
  proxy = await startFaultProxy({
    target: server.url,
    delay: (ms) => {
      virtualLatencyMs += ms;
      return new Promise((r) => setTimeout(r, Math.ceil(ms / 1000)));
    },
  });
  mkdirSync(join(root, 'console'));
  c = await openTestConsole(join(root, 'console'), { batchSize: 100, timeoutMs: 10_000 });
  await c.engine.connect({ serverUrl: proxy.url, enrollmentCode: server.enrollmentCode! });
});
afterEach(async () => {
  await c.close();
  await proxy.close();
  await server.kill();
  rmSync(root, { recursive: true, force: true });
});

async function expectExactlyOnce(count: number, seed: number) {
  const log = await readCentralLog(server.url, server.auditorToken!);
  const context = `seed ${seed} (replay with SYNC_FAULT_SEED=${seed}); proxy ${JSON.stringify(proxy.stats)}`;
  expect(log.problems, context).toEqual([]);
  const seqs = (log.perDevice.get(c.journal.deviceId) ?? []).map((e) => e.seq);
  expect(seqs.length, `${context}: events of this console in the central log`).toBe(count);
  expect(new Set(seqs).size, `${context}: duplicates`).toBe(count);
  expect(seqs, context).toEqual(Array.from({ length: count }, (_, i) => i + 1));
  expect(c.engine.status(), context).toMatchObject({
    pendingEvents: 0,
    alarm: null,
    treeHead: { size: log.size },
  });
}

describe('sync under faults (real server, fault proxy)', () => {
  it(`requests delivered 1–3 times, responses dropped after the commit, batches reordered: 0 duplicates, same final state (seed ${SEED})`, async () => {
    const random = seededRandom(SEED);
    proxy.setPlan(randomFaultPlan(random, { duplicate: 0.35, dropResponse: 0.25, holdBack: 0.15 }));
    c.record(1_500);
    // Each cycle is one attempt; a real loop would wait the backoff between them (nothing sleeps here).
    const cycles = await c.drain(300);
    proxy.setPlan(() => NO_FAULT);
    await c.drain(2);
    expect(proxy.stats.duplicated, `seed ${SEED}`).toBeGreaterThan(0);
    expect(proxy.stats.dropped, `seed ${SEED}`).toBeGreaterThan(0);
    expect(proxy.stats.heldBack, `seed ${SEED}`).toBeGreaterThan(0);
    expect(cycles).toBeGreaterThan(1);
    await expectExactlyOnce(1_500, SEED);
  });

  it(`10% of requests failing and up to 5 s of latency: the queue drains to 0 (seed ${SEED + 1})`, async () => {
    const random = seededRandom(SEED + 1);
    proxy.setPlan(randomFaultPlan(random, { fail: 0.1, maxLatencyMs: 5_000 }));
    c.record(1_000);
    let virtualBackoffMs = 0;
    let cycles = 0;
    while (c.engine.status().pendingEvents > 0) {
      cycles += 1;
      expect(
        cycles,
        `seed ${SEED + 1}: still ${c.engine.status().pendingEvents} pending`,
      ).toBeLessThan(500);
      const outcome = await c.engine.syncOnce();
      if (!outcome.ok) virtualBackoffMs += c.engine.nextDelayMs();
    }
    expect(proxy.stats.failed, `seed ${SEED + 1}`).toBeGreaterThan(0);
    expect(virtualLatencyMs).toBeGreaterThan(0);
    // Once the faults stop, a clean cycle confirms the final state.
    proxy.setPlan(() => NO_FAULT);
    await c.drain(2);
    await expectExactlyOnce(1_000, SEED + 1);
    // The virtual time stays bounded: the backoff never exceeded its cap per failure.
    expect(virtualBackoffMs).toBeLessThanOrEqual(
      proxy.stats.failed * backoffDelayMs(40, () => 0.999_999) + 1,
    );
  });
});
