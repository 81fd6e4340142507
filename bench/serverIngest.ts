/**
 * Server ingest on PostgreSQL with 20 devices pushing at once: events per
 * second and p99 acknowledgement latency per 1,000-event batch, against the
 * naive baseline of the same 20 devices pushing one event per request. The
 * server runs in its own process (serverProcess.ts), the devices in this one.
 */
import { createSimDevice, versionPayload, type SimDevice } from '../src/server/testing/device.ts';
import { TEST_FLEET } from '../src/server/testing/harness.ts';
import { startTestPostgres } from '../src/server/testing/postgres.ts';
import { startServerProcess, type ServerProcess } from './serverProcess.ts';
import { createBenchActors, enrollOnServer } from './syncPush.ts';
import { percentile, round, type Benchmark, type BenchResult } from './types.ts';

const DEVICES = 20;
const BATCHES = 5;
const BATCH = 1000;
const BASELINE_EVENTS = 50;

async function pushConcurrently(
  t: ServerProcess,
  devices: Array<{ d: SimDevice; token: string }>,
  from: number,
  count: number,
  batch: number,
): Promise<{ ms: number; latencies: number[] }> {
  const latencies: number[] = [];
  const start = performance.now();
  await Promise.all(
    devices.map(async ({ d, token }) => {
      for (let s = from; s < from + count; s += batch) {
        const t0 = performance.now();
        const res = await t.call('POST', '/v1/events', {
          token,
          body: d.pushBody(s, s + batch - 1),
        });
        if (res.status !== 200) throw new Error(`push failed: ${JSON.stringify(res.body)}`);
        latencies.push(performance.now() - t0);
      }
    }),
  );
  return { ms: performance.now() - start, latencies };
}

export const serverIngest: Benchmark = {
  name: 'server.ingest20devices.postgres',
  description:
    '20 devices pushing 1,000-event batches at once to one server on PostgreSQL vs one event per request',
  async run(): Promise<BenchResult> {
    const pg = await startTestPostgres({ durable: true });
    const t = await startServerProcess({ databaseUrl: await pg.createDatabase() });
    try {
      await t.call('POST', '/v1/admin/fleet', { token: t.adminToken, body: TEST_FLEET });
      await createBenchActors(t);
      const devices = await Promise.all(
        Array.from({ length: DEVICES }, async () => {
          const d = createSimDevice('S-1');
          for (let i = 0; i < BATCHES * BATCH + BASELINE_EVENTS; i++)
            d.record('fleet.version.recorded', versionPayload(i));
          return { d, token: await enrollOnServer(t, d, 'S-1') };
        }),
      );
      const real = await pushConcurrently(t, devices, 1, BATCHES * BATCH, BATCH);
      const naive = await pushConcurrently(t, devices, BATCHES * BATCH + 1, BASELINE_EVENTS, 1);
      const eventsPerSecond = (DEVICES * BATCHES * BATCH) / (real.ms / 1000);
      const baselinePerSecond = (DEVICES * BASELINE_EVENTS) / (naive.ms / 1000);
      const p99 = percentile(real.latencies, 99);
      return {
        name: 'server.ingest20devices.postgres',
        value: round(eventsPerSecond, 0),
        unit: 'events/s',
        baseline: round(baselinePerSecond, 0),
        ratio: round(eventsPerSecond / baselinePerSecond),
        target: 'reported (events/s, p99 ack latency)',
        isTargetMet: true,
        notes: `${DEVICES} devices × ${BATCHES} batches of ${BATCH}; p99 ack latency per batch ${round(p99, 0)} ms; baseline: ${DEVICES} devices × ${BASELINE_EVENTS} single-event requests`,
      };
    } finally {
      await t.close();
      pg.stop();
    }
  },
};
