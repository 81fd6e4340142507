/**
 * feed.catchup100k: a store console catching up on 100,000 events of the
 * other devices of its store right after a fresh enrollment. A producer
 * console records and pushes them (not timed); then a new console enrolls in
 * the same store and one sync cycle is timed: catalog pull, tree head check,
 * and the whole feed — every page fetched from the real central server
 * (SQLite, its own process, loopback), proved against the verified tree head,
 * each device chain and event hash checked, and applied to the fleet
 * projection one durable transaction per page (synchronous=FULL).
 *
 * Baseline: the same engine reading the feed one event per page (one request,
 * one proof, one transaction each), measured on a sample and extrapolated.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Change } from '../src/main/audit/journal.ts';
import { createLogger } from '../src/main/log.ts';
import type { FetchLike } from '../src/main/sync/client.ts';
import { openTestConsole, type TestConsole } from '../src/main/sync/testing/console.ts';
import { MAX_FEED_PAGE } from '../src/shared/sync/feed.ts';
import { createTestUsers } from '../src/server/testing/harness.ts';
import { startServerProcess, type ServerProcess } from './serverProcess.ts';
import { round, type Benchmark } from './types.ts';

const FEED_EVENTS = 100_000;

/** FEED_BENCH_PROFILE=<file>: a V8 CPU profile of the timed cycle only. */
async function startProfile(): Promise<(() => Promise<void>) | null> {
  const file = process.env.FEED_BENCH_PROFILE;
  if (!file) return null;
  const { Session } = await import('node:inspector/promises');
  const { writeFileSync } = await import('node:fs');
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.start');
  return async () => {
    const { profile } = await session.post('Profiler.stop');
    writeFileSync(file, JSON.stringify(profile));
    session.disconnect();
  };
}
const BASELINE_SAMPLE = 500;
const TERMINALS = 40;
const RELEASES = 10;

const FLEET = {
  stores: [
    { id: 'S-1', name: 'Store One', region: 'North', ring: 'pilot', timezone: 'Europe/Paris' },
  ],
  terminals: Array.from({ length: TERMINALS }, (_, i) => ({
    id: `T-${i}`,
    storeId: 'S-1',
    name: `Till ${i}`,
    model: 'X1',
    serial: `SN${i}`,
    installed: null,
    lastSeen: null,
  })),
};

function release(i: number) {
  return {
    id: `rel-5.${i}.0`,
    version: `5.${i}.0`,
    type: 'minor',
    ring: 'pilot',
    status: 'general',
    plannedAt: null,
    actualAt: null,
    title: `Release 5.${i}`,
    notesMarkdown: '',
  };
}

function versionChange(n: number): Change<'fleet.version.recorded', null> {
  const r = n % RELEASES;
  return {
    type: 'fleet.version.recorded',
    storeId: 'S-1',
    actor: { userId: 'u-tech', role: 'technician' },
    payload: {
      terminalId: `T-${n % TERMINALS}`,
      version: `5.${r}.0`,
      releaseId: `rel-5.${r}.0`,
      previousVersion: null,
      source: 'typed',
    },
    tables: [],
    apply: () => null,
  };
}

async function enrolledConsole(
  t: ServerProcess,
  dir: string,
  feedPageSize: number,
  fetchImpl?: FetchLike,
) {
  mkdirSync(dir, { recursive: true });
  const c = await openTestConsole(dir, {
    feedPageSize,
    log: createLogger({ level: 'silent' }),
    ...(fetchImpl ? { fetch: fetchImpl } : {}),
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

/** The address a fetch call was given, whichever form it took. */
function urlText(url: Parameters<FetchLike>[0]): string {
  return typeof url === 'string' ? url : url instanceof URL ? url.href : url.url;
}

function foreignCount(c: TestConsole): number {
  return c.db.sqlite.prepare('SELECT count(*) FROM foreign_events').pluck().get() as number;
}

async function measureFeedCatchup(events = FEED_EVENTS, sample = BASELINE_SAMPLE) {
  const root = mkdtempSync(join(tmpdir(), 'bench-feed-'));
  const t = await startServerProcess({ dataDir: join(root, 'server') });
  try {
    await t.call('POST', '/v1/admin/fleet', { token: t.adminToken, body: FLEET });
    // The console's events are by u-tech: unknown to the server, they would be quarantined.
    await createTestUsers(t);
    for (let i = 0; i < RELEASES; i++)
      await t.call('POST', '/v1/admin/releases', { token: t.adminToken, body: release(i) });
    // The other device of the store: its events reach the central log first (not timed).
    const producer = await enrolledConsole(t, join(root, 'producer'), MAX_FEED_PAGE);
    for (let i = 0; i < events; i += 5000)
      producer.journal.recordMany(
        Array.from({ length: Math.min(5000, events - i) }, (_, k) => versionChange(i + k)),
      );
    await producer.drain();
    await producer.close();

    const fresh = await enrolledConsole(t, join(root, 'fresh'), MAX_FEED_PAGE);
    const serverCpu = await t.cpuMs();
    const cpu = process.cpuUsage();
    const start = performance.now();
    const profile = await startProfile();
    const outcome = await fresh.engine.syncOnce();
    const ms = performance.now() - start;
    await profile?.();
    const used = process.cpuUsage(cpu);
    const serverCpuMs = (await t.cpuMs()) - serverCpu;
    if (!outcome.ok) throw new Error(`catch-up failed: ${JSON.stringify(outcome)}`);
    const received = foreignCount(fresh);
    if (received !== events) throw new Error(`caught up ${received} of ${events} events`);
    const current = fresh.db.sqlite
      .prepare('SELECT count(*) FROM terminal_current WHERE version IS NOT NULL')
      .pluck()
      .get() as number;
    if (current !== TERMINALS) throw new Error(`only ${current} terminals show a version`);
    await fresh.close();

    // Baseline: one event per page; the sample ends by failing the feed request after it.
    let feedCalls = 0;
    const naive = await enrolledConsole(t, join(root, 'naive'), 1, (url, init) => {
      if (urlText(url).includes('/v1/feed') && ++feedCalls > sample)
        return Promise.reject(new TypeError('sample complete'));
      return fetch(url, init);
    });
    const naiveStart = performance.now();
    await naive.engine.syncOnce();
    const naiveMs = performance.now() - naiveStart;
    const naiveEvents = foreignCount(naive);
    await naive.close();
    if (naiveEvents !== sample) throw new Error(`baseline applied ${naiveEvents} of ${sample}`);
    return {
      ms,
      cpuMs: (used.user + used.system) / 1000,
      serverCpuMs,
      baselineMs: (naiveMs / naiveEvents) * events,
      naiveEvents,
    };
  } finally {
    await t.close();
    rmSync(root, { recursive: true, force: true });
  }
}

export const feedCatchup: Benchmark = {
  name: 'feed.catchup100k',
  description:
    "a freshly enrolled store console catching up on 100,000 of its store's events through the scope feed (SQLite server over loopback, durable) vs one event per page",
  async run() {
    const m = await measureFeedCatchup();
    const ratio = round(m.baselineMs / m.ms);
    return {
      name: 'feed.catchup100k',
      value: round(m.ms, 0),
      unit: 'ms',
      baseline: round(m.baselineMs, 0),
      ratio,
      target: '≤ 3000 ms',
      isTargetMet: m.ms <= 3000,
      notes: `one sync cycle of a fresh console: catalog, tree head, ${FEED_EVENTS} feed events in pages of ${MAX_FEED_PAGE} (feed proof, chains, hashes checked; one synchronous=FULL transaction per page; fleet projection of ${TERMINALS} terminals); CPU: console ${round(m.cpuMs, 0)} ms, server process ${round(m.serverCpuMs, 0)} ms; baseline = the same engine with one event per page, ${m.naiveEvents} measured and extrapolated`,
    };
  },
};

if (import.meta.main) {
  const r = await feedCatchup.run();
  process.stdout.write(`${JSON.stringify(r)}\n`);
}
