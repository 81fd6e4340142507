/**
 * `webhooks.deliver10k` (deliveries/s): 10,000 outbox messages to a receiver
 * on loopback that refuses the first attempt of 10 % of them (HTTP 503). The
 * real path is the delivery worker (src/server/webhooks/worker.ts: batches
 * claimed with one UPDATE, POSTs in parallel, outcomes recorded in one
 * transaction per round); the worker's clock is stepped past the backoff
 * between rounds, so only delivery work is timed. The naive baseline sends
 * one message at a time, awaiting each POST and writing each log row on its
 * own (with fetch, what such a loop is usually written with). Both must deliver every message, each recorded delivered exactly once
 * in the delivery log; otherwise the benchmark fails.
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Kysely } from 'kysely';
import type { ServerSchema } from '../src/server/db/schema.ts';
import { openServerDb } from '../src/server/db/open.ts';
import { enqueueNotifications, type Notification } from '../src/server/webhooks/outbox.ts';
import { signedHeaders } from '../src/server/webhooks/signature.ts';
import { createSubscription } from '../src/server/webhooks/subscriptions.ts';
import { createWebhookWorker } from '../src/server/webhooks/worker.ts';
import { round, type Benchmark, type BenchResult } from './types.ts';

const MESSAGES = 10_000;
/** The baseline's rate is steady after a few hundred messages; 1,000 keep its run under half a minute. */
const BASELINE_MESSAGES = 1_000;
const FAILING_SHARE = 10; // one message in ten fails its first attempt

/** A receiver that answers 503 to the first attempt of every tenth message id, 204 otherwise. */
async function startFlakyReceiver(): Promise<{
  url: string;
  received: Map<string, number>;
  server: Server;
}> {
  const refused = new Set<string>();
  const received = new Map<string, number>();
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      const id = String(req.headers['webhook-id']);
      const isFlaky = createHash('sha256').update(id).digest()[0]! % FAILING_SHARE === 0;
      if (isFlaky && !refused.has(id)) {
        refused.add(id);
        res.writeHead(503).end();
        return;
      }
      received.set(id, (received.get(id) ?? 0) + 1);
      res.writeHead(204).end();
    });
  });
  server.keepAliveTimeout = 10_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`,
    received,
    server,
  };
}

async function seed(db: Kysely<ServerSchema>, url: string, count: number, now: Date) {
  const { subscription } = await createSubscription(
    db,
    { url, eventTypes: ['console.quarantined'] },
    now,
  );
  const notifications: Notification[] = Array.from({ length: count }, (_, i) => ({
    eventType: 'console.quarantined',
    key: `bench:${i}`,
    payload: {
      type: 'console.quarantined',
      timestamp: now.toISOString(),
      data: {
        logIndex: i,
        storeId: `S-${i % 500}`,
        deviceId: `dev-${i % 2000}`,
        seq: i,
        reason: 'actor_unknown',
      },
    },
  }));
  await enqueueNotifications(db, notifications, now, [
    { id: subscription.id, event_types: '["console.quarantined"]', wait_minutes: 60 },
  ]);
  return subscription.id;
}

async function check(
  db: Kysely<ServerSchema>,
  received: Map<string, number>,
  count: number,
  what: string,
): Promise<void> {
  const delivered = await db
    .selectFrom('webhook_deliveries')
    .select(['message_id'])
    .where('outcome', '=', 'delivered')
    .execute();
  const unique = new Set(delivered.map((d) => d.message_id));
  const pending = await db
    .selectFrom('webhook_messages')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('delivered_at', 'is', null)
    .executeTakeFirstOrThrow();
  if (received.size !== count || unique.size !== count || delivered.length !== count)
    throw new Error(
      `${what}: ${received.size} of ${count} received, ${unique.size} delivered, ${delivered.length} delivered rows`,
    );
  if (Number(pending.n) !== 0) throw new Error(`${what}: ${pending.n} messages still pending`);
  if ([...received.values()].some((n) => n !== 1))
    throw new Error(`${what}: a message reached the receiver twice`);
}

async function measure(
  count: number,
  deliver: (
    db: Kysely<ServerSchema>,
    clock: { now(): number; step(ms: number): void },
  ) => Promise<void>,
  what: string,
): Promise<{ perSecond: number; failedFirst: number }> {
  const dir = mkdtempSync(join(tmpdir(), 'dearpos-bench-webhooks-'));
  const store = await openServerDb({ dataDir: dir });
  const rx = await startFlakyReceiver();
  try {
    let nowMs = Date.now();
    const clock = { now: () => nowMs, step: (ms: number) => void (nowMs += ms) };
    await seed(store.db, rx.url, count, new Date(nowMs));
    const started = performance.now();
    await deliver(store.db, clock);
    const seconds = (performance.now() - started) / 1000;
    await check(store.db, rx.received, count, what);
    const failed = await store.db
      .selectFrom('webhook_deliveries')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('outcome', '=', 'failed')
      .executeTakeFirstOrThrow();
    return { perSecond: count / seconds, failedFirst: Number(failed.n) };
  } finally {
    rx.server.closeAllConnections();
    await new Promise<void>((resolve) => rx.server.close(() => resolve()));
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The real worker: rounds until nothing is pending, the clock stepped past the backoff cap between rounds. */
async function viaWorker(
  db: Kysely<ServerSchema>,
  clock: { now(): number; step(ms: number): void },
) {
  const worker = createWebhookWorker(db, {
    clock,
    backoffCapMs: 60_000,
    pauseAfter: 1_000_000,
  });
  for (let round = 0; round < 100; round++) {
    await worker.drain();
    const pending = await db
      .selectFrom('webhook_messages')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('delivered_at', 'is', null)
      .executeTakeFirstOrThrow();
    if (Number(pending.n) === 0) return;
    clock.step(61_000 + 60_000 + 10_000); // past the backoff cap and the claim lease
  }
}

/** One at a time: POST, await, write the log row, retry at once on failure. */
async function oneAtATime(db: Kysely<ServerSchema>, clock: { now(): number }) {
  const messages = await db
    .selectFrom('webhook_messages as m')
    .innerJoin('webhook_subscriptions as s', 's.id', 'm.subscription_id')
    .select(['m.id', 'm.body', 'm.subscription_id', 's.url', 's.secret'])
    .orderBy('m.id')
    .execute();
  for (const m of messages) {
    for (let attempt = 1; ; attempt++) {
      const res = await fetch(m.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          ...signedHeaders(m.secret, m.id, Math.floor(clock.now() / 1000), m.body),
        },
        body: m.body,
      });
      await res.arrayBuffer();
      const ok = res.status >= 200 && res.status < 300;
      await db
        .insertInto('webhook_deliveries')
        .values({
          message_id: m.id,
          attempt,
          subscription_id: m.subscription_id,
          attempted_at: new Date(clock.now()).toISOString(),
          status_code: res.status,
          outcome: ok ? 'delivered' : 'failed',
          error: ok ? null : `HTTP ${res.status}`,
          duration_ms: 0,
        })
        .execute();
      if (ok) {
        await db
          .updateTable('webhook_messages')
          .set({ delivered_at: new Date(clock.now()).toISOString(), attempts: attempt })
          .where('id', '=', m.id)
          .execute();
        break;
      }
    }
  }
}

export const webhooksDeliver10k: Benchmark = {
  name: 'webhooks.deliver10k',
  description:
    '10,000 signed webhook deliveries (10 % refused at first) through the delivery worker vs one at a time',
  async run(): Promise<BenchResult> {
    const real = await measure(MESSAGES, viaWorker, 'worker');
    const naive = await measure(BASELINE_MESSAGES, oneAtATime, 'baseline');
    const value = round(real.perSecond, 0);
    const baseline = round(naive.perSecond, 0);
    const ratio = round(real.perSecond / naive.perSecond, 1);
    return {
      name: 'webhooks.deliver10k',
      value,
      unit: 'deliveries/s',
      baseline,
      ratio,
      // The issue sets no rate; on the shared 2-core machine the rate follows the load (360–835/s
      // measured), the ratio to the baseline run beside it much less (12–17×).
      target: '≥ 5× one at a time, every message delivered and recorded once',
      isTargetMet: ratio >= 5,
      notes: `worker: ${MESSAGES} messages, ${real.failedFirst} first attempts refused and retried; baseline on ${BASELINE_MESSAGES} messages (${naive.failedFirst} refused), same SQLite file kind and receiver`,
    };
  },
};
