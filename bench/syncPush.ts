/**
 * Sync throughput to the central server over loopback HTTP: 100,000 events
 * from one device pushed in batches of 1,000 (real ingest: schema, hash and
 * chain checks, signature, durable commit, Merkle append, signed tree head),
 * against the naive baseline of one event per request (measured on a sample
 * and extrapolated). SQLite, and PostgreSQL when it is installed.
 *
 * The simulated console sends what the real one sends (src/main/sync/engine.ts):
 * each event's canonical text, kept since it was recorded as the journal keeps
 * it, joined into the body by the console's own pushBodyBytes, with a checkpoint
 * signed per batch inside the timed loop, sent by the console's own sync
 * client (client.ts) through its own push pipeline (pushPipeline.ts: the next
 * batch is prepared and sent while the server commits the previous one, at
 * most two in flight, acks in order).
 * The server runs in its own process (serverProcess.ts), as it runs on its own
 * machine in production; both processes' CPU time is reported.
 */
import { canonicalEventText } from '../src/shared/audit/canonicalEvent.ts';
import { createSyncClient, pushBodyBytes } from '../src/main/sync/client.ts';
import { PUSH_PIPELINE_DEPTH, runPushPipeline } from '../src/main/sync/pushPipeline.ts';
import { createSimDevice, versionPayload, type SimDevice } from '../src/server/testing/device.ts';
import { TEST_FLEET, createTestUsers } from '../src/server/testing/harness.ts';
import { startTestPostgres } from '../src/server/testing/postgres.ts';
import { startServerProcess, type ServerProcess } from './serverProcess.ts';
import { round, type Benchmark, type BenchResult } from './types.ts';

const PUSH_EVENTS = 100_000;
const PUSH_BATCH = 1000;
const BASELINE_SAMPLE = 1000;

/** What the console's journal holds per event: its canonical text and hash. */
type JournalRow = { body: string; hash: string };

/** Enrolls a simulated device for `storeId` (the admin and enrollment calls a console's operator makes). */
export async function enrollOnServer(
  t: ServerProcess,
  device: { deviceId: string; publicKey: string },
  storeId: string,
): Promise<string> {
  const code = await t.call('POST', '/v1/admin/enrollment-codes', {
    token: t.adminToken,
    body: { storeId },
  });
  if (code.status !== 200) throw new Error(`enrollment code: ${JSON.stringify(code.body)}`);
  const res = await t.call('POST', '/v1/enroll', {
    body: {
      code: (code.body as { code: string }).code,
      deviceId: device.deviceId,
      publicKey: device.publicKey,
    },
  });
  if (res.status !== 200) throw new Error(`enroll: ${JSON.stringify(res.body)}`);
  return (res.body as { deviceToken: string }).deviceToken;
}

/**
 * The users the simulated devices and test consoles act as (TEST_USERS), in
 * the catalog: the server judges every pushed event by the actor rule, and
 * events by unknown users would be measured on the rare quarantine path.
 */
export async function createBenchActors(
  t: Pick<ServerProcess, 'call' | 'adminToken'>,
): Promise<void> {
  await createTestUsers(t);
}

async function prepare(
  t: ServerProcess,
  count: number,
): Promise<{ d: SimDevice; token: string; journal: JournalRow[] }> {
  await t.call('POST', '/v1/admin/fleet', { token: t.adminToken, body: TEST_FLEET });
  await createBenchActors(t);
  const d = createSimDevice('S-1');
  const token = await enrollOnServer(t, d, 'S-1');
  const journal: JournalRow[] = [];
  for (let i = 0; i < count; i++) {
    const e = d.record('fleet.version.recorded', versionPayload(i));
    // Decoded from its UTF-8 bytes, as the console reads it back from SQLite: one flat string.
    // (canonicalEventText's result is a rope of concatenations, which every write would flatten
    // again inside the timed loop, a cost the real console never pays.)
    journal.push({
      body: Buffer.from(canonicalEventText(e), 'utf8').toString('utf8'),
      hash: e.hash,
    });
  }
  return { d, token, journal };
}

/** resends: batches sent again because they reached the server before the batch ahead of them. */
type Timing = {
  ms: number;
  consoleCpuMs: number;
  serverCpuMs: number;
  serverMainThreadCpuMs: number;
  resends: number;
};

async function pushAll(
  t: ServerProcess,
  d: SimDevice,
  token: string,
  journal: readonly JournalRow[],
  from: number,
  to: number,
  batch: number,
  depth: number,
): Promise<Timing> {
  // The console's own HTTP client (keep-alive node:http, every answer parsed with the protocol's schema).
  const client = createSyncClient(t.url);
  const serverCpu = await t.cpu();
  const cpu = process.cpuUsage();
  const start = performance.now();
  let next = from;
  let acked = from - 1;
  let resends = 0;
  await runPushPipeline<{ last: number; body: Buffer; ackedAtSend: number }>({
    depth,
    prepare() {
      if (next > to) return null;
      const last = Math.min(to, next + batch - 1);
      // pushBody signs the checkpoint over the batch's last event, as the console does.
      const { checkpoint } = d.pushBody(last, last);
      const body = pushBodyBytes(d.deviceId, journal.slice(next - 1, last), checkpoint);
      next = last + 1;
      return { last, body, ackedAtSend: acked };
    },
    send: ({ body }) => client.pushSerialized(token, body),
    settle(b, outcome) {
      if (!outcome.ok) {
        // As the engine does: a batch that reached the server before the one sent ahead of it is resent after that ack.
        const code = (outcome.error as { body?: { code?: string } }).body?.code;
        if (code === 'seq_gap' && acked > b.ackedAtSend) return 'resend';
        throw outcome.error;
      }
      if (outcome.ack.ackSeq !== b.last)
        throw new Error(`ack ${outcome.ack.ackSeq} for a batch ending at ${b.last}`);
      acked = b.last;
      return 'next';
    },
    restart() {
      resends += 1;
      next = acked + 1;
    },
  });
  const ms = performance.now() - start;
  const used = process.cpuUsage(cpu);
  const serverCpuAfter = await t.cpu();
  return {
    ms,
    consoleCpuMs: (used.user + used.system) / 1000,
    serverCpuMs: serverCpuAfter.processMs - serverCpu.processMs,
    serverMainThreadCpuMs: serverCpuAfter.mainThreadMs - serverCpu.mainThreadMs,
    resends,
  };
}

async function measurePush(databaseUrl?: string): Promise<Timing & { baselineMs: number }> {
  const t = await startServerProcess(databaseUrl ? { databaseUrl } : {});
  try {
    const { d, token, journal } = await prepare(t, PUSH_EVENTS + BASELINE_SAMPLE);
    const timing = await pushAll(
      t,
      d,
      token,
      journal,
      1,
      PUSH_EVENTS,
      PUSH_BATCH,
      PUSH_PIPELINE_DEPTH,
    );
    // The naive baseline: one event per request, each waiting for its ack.
    const sample = await pushAll(
      t,
      d,
      token,
      journal,
      PUSH_EVENTS + 1,
      PUSH_EVENTS + BASELINE_SAMPLE,
      1,
      1,
    );
    return { ...timing, baselineMs: (sample.ms / BASELINE_SAMPLE) * PUSH_EVENTS };
  } finally {
    await t.close();
  }
}

function result(name: string, targetMs: number, m: Timing & { baselineMs: number }): BenchResult {
  const ratio = round(m.baselineMs / m.ms);
  return {
    name,
    value: round(m.ms, 0),
    unit: 'ms',
    baseline: round(m.baselineMs, 0),
    ratio,
    target: `≤ ${targetMs} ms and ≥ 10×`,
    isTargetMet: m.ms <= targetMs && ratio >= 10,
    notes: `${PUSH_EVENTS} events in batches of ${PUSH_BATCH}, up to ${PUSH_PIPELINE_DEPTH} in flight; CPU: server process ${round(m.serverCpuMs, 0)} ms (main thread ${round(m.serverMainThreadCpuMs, 0)} ms), console ${round(m.consoleCpuMs, 0)} ms; ${m.resends} resends; baseline = one event per request, ${BASELINE_SAMPLE} measured and extrapolated`,
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
