/**
 * Sync throughput to the central server over loopback HTTP: 100,000 events
 * from one device pushed in batches of 1,000 (real ingest: schema, hash and
 * chain checks, signature, durable commit, Merkle append, signed tree head),
 * against the naive baseline of one event per request (measured on a sample
 * and extrapolated). SQLite, and PostgreSQL when it is installed.
 *
 * The simulated console sends what the real one sends (src/main/sync/engine.ts):
 * each event's canonical text, kept since it was recorded as the journal keeps
 * it, joined into the body by the console's own pushBodyText, with a checkpoint
 * signed per batch inside the timed loop. Both sides run in this process, so
 * the CPU figure is console + server.
 */
import { canonicalEventText } from '../src/shared/audit/canonicalEvent.ts';
import { pushBodyText } from '../src/main/sync/client.ts';
import { createServerLogger } from '../src/server/log.ts';
import { createSimDevice, versionPayload, type SimDevice } from '../src/server/testing/device.ts';
import {
  TEST_FLEET,
  enrollSim,
  startTestServer,
  type TestServer,
} from '../src/server/testing/harness.ts';
import { startTestPostgres } from '../src/server/testing/postgres.ts';
import { round, type Benchmark, type BenchResult } from './types.ts';

export const PUSH_EVENTS = 100_000;
export const PUSH_BATCH = 1000;
const BASELINE_SAMPLE = 1000;

/** What the console's journal holds per event: its canonical text and hash. */
type JournalRow = { body: string; hash: string };

async function prepare(
  t: TestServer,
  count: number,
): Promise<{ d: SimDevice; token: string; journal: JournalRow[] }> {
  await t.call('POST', '/v1/admin/fleet', { token: t.adminToken, body: TEST_FLEET });
  const d = createSimDevice('S-1');
  const token = await enrollSim(t, d, 'S-1');
  const journal: JournalRow[] = [];
  for (let i = 0; i < count; i++) {
    const e = d.record('fleet.version.recorded', versionPayload(i));
    journal.push({ body: canonicalEventText(e), hash: e.hash });
  }
  return { d, token, journal };
}

async function pushAll(
  t: TestServer,
  d: SimDevice,
  token: string,
  journal: readonly JournalRow[],
  from: number,
  to: number,
  batch: number,
): Promise<{ ms: number; cpuMs: number }> {
  const cpu = process.cpuUsage();
  const start = performance.now();
  for (let s = from; s <= to; s += batch) {
    const last = Math.min(to, s + batch - 1);
    // pushBody signs the checkpoint over the batch's last event, as the console does.
    const { checkpoint } = d.pushBody(last, last);
    const res = await t.call('POST', '/v1/events', {
      token,
      rawBody: pushBodyText(d.deviceId, journal.slice(s - 1, last), checkpoint),
    });
    if (res.status !== 200) throw new Error(`push failed: ${JSON.stringify(res.body)}`);
  }
  const used = process.cpuUsage(cpu);
  return { ms: performance.now() - start, cpuMs: (used.user + used.system) / 1000 };
}

export async function measurePush(
  databaseUrl?: string,
): Promise<{ ms: number; cpuMs: number; baselineMs: number }> {
  // Request logging off (as in syncConsole.ts): it would measure pino, not sync.
  const logger = createServerLogger({ level: 'warn' });
  const t = await startTestServer(databaseUrl ? { databaseUrl, logger } : { logger });
  try {
    const { d, token, journal } = await prepare(t, PUSH_EVENTS + BASELINE_SAMPLE);
    // Console and server share this process: cpuMs is both sides' CPU time.
    const { ms, cpuMs } = await pushAll(t, d, token, journal, 1, PUSH_EVENTS, PUSH_BATCH);
    const sample = await pushAll(
      t,
      d,
      token,
      journal,
      PUSH_EVENTS + 1,
      PUSH_EVENTS + BASELINE_SAMPLE,
      1,
    );
    return { ms, cpuMs, baselineMs: (sample.ms / BASELINE_SAMPLE) * PUSH_EVENTS };
  } finally {
    await t.close();
  }
}

function result(
  name: string,
  targetMs: number,
  m: { ms: number; cpuMs: number; baselineMs: number },
): BenchResult {
  const ratio = round(m.baselineMs / m.ms);
  return {
    name,
    value: round(m.ms, 0),
    unit: 'ms',
    baseline: round(m.baselineMs, 0),
    ratio,
    target: `≤ ${targetMs} ms and ≥ 10×`,
    isTargetMet: m.ms <= targetMs && ratio >= 10,
    notes: `${PUSH_EVENTS} events in batches of ${PUSH_BATCH} (CPU ${round(m.cpuMs, 0)} ms, console and server in one process); baseline = one event per request, ${BASELINE_SAMPLE} measured and extrapolated`,
  };
}

export const syncPushSqlite: Benchmark = {
  name: 'sync.push100k.sqlite',
  description:
    'push 100,000 events console → server over loopback on SQLite vs one event per request',
  run: async () => result('sync.push100k.sqlite', 3000, await measurePush()),
};

export const syncPushPostgres: Benchmark = {
  name: 'sync.push100k.postgres',
  description:
    'push 100,000 events console → server over loopback on PostgreSQL vs one event per request',
  async run() {
    const pg = await startTestPostgres({ durable: true });
    try {
      return result('sync.push100k.postgres', 5000, await measurePush(await pg.createDatabase()));
    } finally {
      pg.stop();
    }
  },
};
