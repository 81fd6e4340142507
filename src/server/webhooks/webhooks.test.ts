/**
 * Webhooks against a real receiver on 127.0.0.1: notifications written in
 * the push transaction, signed as Standard Webhooks says, retried with
 * backoff, paused after repeated failures, replayed on request, every
 * attempt recorded once. The worker's clock is stepped, never slept on.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { AuditActor } from '../../shared/audit/event.ts';
import type { WebhookPayload } from '../../shared/webhooks/events.ts';
import { createSimDevice, type SimDevice } from '../testing/device.ts';
import {
  TEST_FLEET,
  TEST_USERS,
  createTestUsers,
  enrollSim,
  startTestServer,
  type TestServer,
} from '../testing/harness.ts';
import { startTestPostgres, type TestPostgres } from '../testing/postgres.ts';
import { sign, verify } from './signature.ts';
import {
  canaryPlan,
  eventOfAction,
  noGoPayload,
  plannedEvent,
  startReceiver,
  type Receiver,
} from './testing.ts';
import { createWebhookWorker, type WebhookWorkerOptions } from './worker.ts';

const MANAGER: AuditActor = { userId: 'u-mgr', role: 'manager' };
const TECH: AuditActor = { userId: 'tech-1', role: 'technician' };
const GHOST: AuditActor = { userId: 'nobody', role: 'technician' };
const MIN = 60_000;

let t: TestServer;
let device: SimDevice;
let token: string;
let pushed = 0;
// The server stamps new messages with its real clock; the worker's clock starts ahead of it and is stepped.
let nowMs = 0;
const clock = { now: () => nowMs };

async function push(
  records: Array<{
    type: string;
    payload: Record<string, unknown>;
    actor?: AuditActor;
    at?: number;
  }>,
): Promise<void> {
  for (const r of records)
    device.record(r.type, r.payload, { actor: r.actor ?? TECH, at: new Date(r.at ?? nowMs) });
  const res = await t.call('POST', '/v1/events', {
    token,
    body: device.pushBody(pushed + 1, device.events.length),
  });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  pushed = device.events.length;
}

async function subscribe(
  url: string,
  eventTypes: string[],
  extra: Record<string, unknown> = {},
): Promise<{ id: string; secret: string }> {
  const res = await t.call('POST', '/v1/admin/webhooks', {
    token: t.adminToken,
    body: { url, eventTypes, ...extra },
  });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return { id: res.body.subscription.id, secret: res.body.secret };
}

async function deliveries(id: string) {
  const res = await t.call('GET', `/v1/admin/webhooks/${id}/deliveries?limit=1000`, {
    token: t.adminToken,
  });
  expect(res.status).toBe(200);
  return res.body.deliveries as Array<{
    messageId: string;
    attempt: number;
    outcome: string;
    error: string | null;
  }>;
}

function worker(options: WebhookWorkerOptions = {}) {
  return createWebhookWorker(t.server.store.db, {
    clock,
    random: () => 0.5,
    backoffBaseMs: 1_000,
    backoffCapMs: 60_000,
    timeoutMs: 2_000,
    ...options,
  });
}

/** Quarantined events (unknown actor): the cheapest notifiable facts. */
async function pushQuarantined(n: number): Promise<void> {
  await push(
    Array.from({ length: n }, (_, i) => ({
      type: 'fleet.version.recorded',
      payload: {
        terminalId: 'T-1',
        version: `4.${i}.0`,
        releaseId: `rel-4.${i}.0`,
        previousVersion: null,
        source: 'typed',
      },
      actor: GHOST,
    })),
  );
}

const receivers: Receiver[] = [];
async function receiver(): Promise<Receiver> {
  const r = await startReceiver();
  receivers.push(r);
  return r;
}

async function startOn(dialect: 'sqlite' | 'postgres'): Promise<void> {
  if (dialect === 'postgres') pg ??= await startTestPostgres();
  t = await startTestServer({
    webhookDelivery: false,
    ...(dialect === 'postgres' ? { databaseUrl: await pg!.createDatabase() } : {}),
  });
  await t.call('POST', '/v1/admin/fleet', { token: t.adminToken, body: TEST_FLEET });
  await createTestUsers(t, [
    ...TEST_USERS,
    { id: 'u-mgr', name: 'Maya', role: 'manager', pin: '123456', storeIds: [] },
  ]);
  device = createSimDevice('S-1');
  token = await enrollSim(t, device, 'S-1');
  pushed = 0;
  nowMs = Math.max(nowMs, Date.now() + 10 * MIN);
}

let pg: TestPostgres | undefined;
afterAll(async () => {
  for (const r of receivers) await r.close();
  pg?.stop();
});
/** Each test starts with no subscription, so earlier tests' messages stay out of its way. */
async function deleteSubscriptions(): Promise<void> {
  const list = await t.call('GET', '/v1/admin/webhooks', { token: t.adminToken });
  for (const s of list.body.subscriptions as Array<{ id: string }>)
    await t.call('POST', `/v1/admin/webhooks/${s.id}/delete`, { token: t.adminToken });
}

describe('Standard Webhooks signature', () => {
  it('matches the reference vector of the Standard Webhooks libraries', () => {
    expect(
      sign(
        'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
        'msg_p5jXN8AQM9LWM0D4loKWxJek',
        1614265330,
        '{"test": 2432232314}',
      ),
    ).toBe('v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=');
  });

  it('verifies only the right secret, body and fresh timestamp', () => {
    const secret = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
    const headers = {
      'webhook-id': 'msg_1',
      'webhook-timestamp': '1700000000',
      'webhook-signature': `v1a,xyz ${sign(secret, 'msg_1', 1700000000, '{}')}`,
    };
    expect(verify(secret, headers, '{}', 1700000010)).toBe(true);
    expect(verify(secret, headers, '{ }', 1700000010)).toBe(false);
    expect(verify('whsec_' + 'A'.repeat(32), headers, '{}', 1700000010)).toBe(false);
    expect(verify(secret, headers, '{}', 1700000000 + 6 * 60)).toBe(false);
  });
});

// The outbox, the claim and the log are SQL: every delivery behaviour runs on both databases.
describe.each(['sqlite', 'postgres'] as const)('webhook delivery on %s', (dialect) => {
  beforeAll(() => startOn(dialect));
  afterAll(() => t.close());
  beforeEach(deleteSubscriptions);
  it('a no-go and a rollback reach the receiver once each, signed with the subscription secret', async () => {
    const rx = await receiver();
    const sub = await subscribe(rx.url, ['decision.no_go_recorded', 'deployment.rollback_started']);
    const plan = canaryPlan('dep-rb-1', 'S-1', 'rel-4.4.0', 'T-1');
    const planned = plannedEvent(plan);
    const act = (a: Record<string, unknown>, actor = TECH) => ({
      ...eventOfAction(plan.deploymentId, { ...a, at: nowMs, actor } as never),
      actor,
    });
    await push([
      { type: planned.type, payload: planned.payload },
      act({
        type: 'start',
        strategy: 'canary_first',
        canaryTerminalId: 'T-1',
        window: { basis: 'open' },
        ring: { basis: 'in_ring' },
      }),
      act({ type: 'claim_intervention' }, MANAGER),
      act({ type: 'proceed_intervention', notes: 'Lane closed' }, MANAGER),
      act({ type: 'roll_back', reason: 'Card payments fail' }),
      {
        type: 'decision.recorded',
        payload: noGoPayload('d-nogo-1', 'rel-4.4.0'),
        actor: MANAGER,
      },
    ]);
    // The rollback was accepted by the deployment's state machine, not superseded.
    const dep = await t.server.store.db
      .selectFrom('rm_deployments')
      .select(['state'])
      .where('id', '=', 'dep-rb-1')
      .executeTakeFirstOrThrow();
    expect(JSON.parse(dep.state)).toMatchObject({ phase: 'rollback' });
    // Written with the push, before any worker ran.
    const queued = await t.server.store.db
      .selectFrom('webhook_messages')
      .select(['event_type'])
      .where('subscription_id', '=', sub.id)
      .execute();
    expect(queued.map((q) => q.event_type).sort()).toEqual([
      'decision.no_go_recorded',
      'deployment.rollback_started',
    ]);

    const round = await worker().drain();
    expect(round).toMatchObject({ delivered: 2, failed: 0 });
    expect(rx.received).toHaveLength(2);
    for (const r of rx.received) {
      const h = r.headers as Record<string, string>;
      expect(verify(sub.secret, h, r.body, Math.floor(nowMs / 1000))).toBe(true);
      expect(h['webhook-id']).toMatch(/^msg_[0-9a-f]{32}$/);
      expect(h['webhook-timestamp']).toBe(String(Math.floor(nowMs / 1000)));
    }
    const bodies = rx.received.map((r) => JSON.parse(r.body) as WebhookPayload);
    const byType = Object.fromEntries(bodies.map((b) => [b.type, b]));
    expect(byType['decision.no_go_recorded']!.data).toMatchObject({
      storeId: 'S-1',
      releaseId: 'rel-4.4.0',
      decisionId: 'd-nogo-1',
    });
    expect(byType['deployment.rollback_started']!.data).toMatchObject({
      storeId: 'S-1',
      releaseId: 'rel-4.4.0',
      deploymentId: 'dep-rb-1',
      reason: 'Card payments fail',
    });
    const log = await deliveries(sub.id);
    expect(log.map((d) => [d.attempt, d.outcome])).toEqual([
      [1, 'delivered'],
      [1, 'delivered'],
    ]);
    // Nothing is due any more.
    nowMs += 60 * MIN;
    expect((await worker().runOnce()).claimed).toBe(0);
  });

  it('a receiver that is down for a while gets every message once it is back, each recorded once', async () => {
    const rx = await receiver();
    const sub = await subscribe(rx.url, ['console.quarantined']);
    await rx.down();
    await pushQuarantined(5);
    const w = worker({ pauseAfter: 1_000 });
    expect(await w.runOnce()).toMatchObject({ claimed: 5, failed: 5 });
    // Backoff: with the jitter at 0.5, attempt 1 waits 500 ms; not a moment earlier.
    nowMs += 499;
    expect((await w.runOnce()).claimed).toBe(0);
    nowMs += 1;
    expect(await w.runOnce()).toMatchObject({ claimed: 5, failed: 5 });
    nowMs += 1_000; // attempt 2 waited 1,000 ms
    expect(await w.runOnce()).toMatchObject({ claimed: 5, failed: 5 });
    await rx.up();
    nowMs += 2_000;
    expect(await w.drain()).toMatchObject({ delivered: 5, failed: 0 });
    const ids = rx.received.map((r) => r.id);
    expect(new Set(ids).size).toBe(5);
    expect(ids).toHaveLength(5);
    const log = await deliveries(sub.id);
    expect(log).toHaveLength(20);
    for (const id of new Set(ids)) {
      const mine = log.filter((d) => d.messageId === id);
      expect(mine.map((d) => `${d.attempt}:${d.outcome}`).sort()).toEqual([
        '1:failed',
        '2:failed',
        '3:failed',
        '4:delivered',
      ]);
    }
    expect(log.find((d) => d.outcome === 'failed')!.error).toMatch(/ECONNREFUSED/);
  });

  it('a receiver that answers too slowly times out and the message is retried', async () => {
    const rx = await receiver();
    const sub = await subscribe(rx.url, ['console.quarantined']);
    await pushQuarantined(1);
    rx.mode = 'slow';
    const w = worker({ timeoutMs: 200 });
    expect(await w.runOnce()).toMatchObject({ claimed: 1, failed: 1 });
    rx.mode = 'ok';
    rx.releaseSlow();
    nowMs += 1_000;
    expect(await w.runOnce()).toMatchObject({ claimed: 1, delivered: 1 });
    const log = await deliveries(sub.id);
    expect(log.map((d) => [d.attempt, d.outcome, d.error])).toEqual([
      [2, 'delivered', null],
      [1, 'failed', 'no answer within 200 ms'],
    ]);
  });

  it('pauses a subscription after repeated failures and delivers everything after resume', async () => {
    const rx = await receiver();
    rx.mode = 'failing';
    const sub = await subscribe(rx.url, ['console.quarantined']);
    await pushQuarantined(2);
    const w = worker({ pauseAfter: 3 });
    expect(await w.runOnce()).toMatchObject({ failed: 2, paused: 0 });
    nowMs += 60_000;
    expect(await w.runOnce()).toMatchObject({ failed: 2, paused: 1 });
    const listed = await t.call('GET', '/v1/admin/webhooks', { token: t.adminToken });
    const subs = listed.body.subscriptions as Array<{
      id: string;
      pausedAt: string | null;
      pauseReason: string | null;
    }>;
    const view = subs.find((s) => s.id === sub.id)!;
    expect(view).toMatchObject({ consecutiveFailures: 4, pending: 2, delivered: 0 });
    expect(view.pausedAt).not.toBeNull();
    expect(view.pauseReason).toMatch(/4 deliveries in a row failed/);
    // Paused: nothing is sent however long it waits.
    nowMs += 24 * 60 * MIN;
    expect((await w.runOnce()).claimed).toBe(0);
    rx.mode = 'ok';
    const resumed = await t.call('POST', `/v1/admin/webhooks/${sub.id}/resume`, {
      token: t.adminToken,
    });
    expect(resumed.status).toBe(200);
    expect(resumed.body.subscription).toMatchObject({ pausedAt: null, consecutiveFailures: 0 });
    expect(await w.drain()).toMatchObject({ delivered: 2 });
    expect(rx.received).toHaveLength(2);
  });

  it('an administrator pauses by hand, and replay sends a delivered message again under the same id', async () => {
    const rx = await receiver();
    const sub = await subscribe(rx.url, ['console.quarantined']);
    const paused = await t.call('POST', `/v1/admin/webhooks/${sub.id}/pause`, {
      token: t.adminToken,
    });
    expect(paused.body.subscription.pauseReason).toBe('paused by an administrator');
    await pushQuarantined(1);
    const w = worker();
    expect((await w.runOnce()).claimed).toBe(0);
    await t.call('POST', `/v1/admin/webhooks/${sub.id}/resume`, { token: t.adminToken });
    expect(await w.drain()).toMatchObject({ delivered: 1 });
    const id = rx.received[0]!.id;
    const replay = await t.call('POST', `/v1/admin/webhooks/${sub.id}/replay`, {
      token: t.adminToken,
      body: { messageIds: [id] },
    });
    expect(replay.body).toEqual({ requeued: 1 });
    expect(await w.drain()).toMatchObject({ delivered: 1 });
    expect(rx.received.map((r) => r.id)).toEqual([id, id]);
    expect((await deliveries(sub.id)).map((d) => [d.attempt, d.outcome])).toEqual([
      [2, 'delivered'],
      [1, 'delivered'],
    ]);
  });

  it('notifies once when a deployment waits at an intervention longer than the threshold', async () => {
    const rx = await receiver();
    await subscribe(rx.url, ['deployment.intervention_waiting'], { waitMinutes: 30 });
    const plan = canaryPlan('dep-wait-1', 'S-1', 'rel-4.4.0', 'T-1');
    const planned = plannedEvent(plan);
    const startedAt = nowMs;
    await push([
      { type: planned.type, payload: planned.payload },
      eventOfAction(plan.deploymentId, {
        type: 'start',
        strategy: 'canary_first',
        canaryTerminalId: 'T-1',
        window: { basis: 'open' },
        ring: { basis: 'in_ring' },
        at: nowMs,
        actor: TECH,
      }),
    ]);
    const w = worker();
    nowMs = startedAt + 29 * MIN;
    expect((await w.drain()).delivered).toBe(0);
    nowMs = startedAt + 31 * MIN;
    expect((await w.drain()).delivered).toBe(1);
    nowMs = startedAt + 90 * MIN;
    expect((await w.drain()).delivered).toBe(0);
    const body = JSON.parse(rx.received[0]!.body) as WebhookPayload;
    expect(body).toMatchObject({
      type: 'deployment.intervention_waiting',
      data: { deploymentId: 'dep-wait-1', storeId: 'S-1', waitedMinutes: 31, thresholdMinutes: 30 },
    });
  });
});

describe('webhook subscriptions: bad input and who may call', () => {
  beforeAll(() => startOn('sqlite'));
  afterAll(() => t.close());
  beforeEach(deleteSubscriptions);
  it('refuses a URL that is not http(s), naming the field, and stores nothing', async () => {
    for (const url of [
      'ftp://example.com/hook',
      'file:///etc/passwd',
      'javascript:alert(1)',
      'not a url',
    ]) {
      const res = await t.call('POST', '/v1/admin/webhooks', {
        token: t.adminToken,
        body: { url, eventTypes: ['console.quarantined'] },
      });
      expect(res.status).toBe(400);
      expect(res.body.code).toBe('invalid_input');
      expect(res.body.message).toMatch(/at url/);
    }
    const list = await t.call('GET', '/v1/admin/webhooks', { token: t.adminToken });
    expect(list.body.subscriptions).toEqual([]);
  });

  it('refuses an unknown event type and a malformed secret, naming the field', async () => {
    const unknown = await t.call('POST', '/v1/admin/webhooks', {
      token: t.adminToken,
      body: { url: 'https://hooks.example.com/x', eventTypes: ['release.exploded'] },
    });
    expect(unknown.status).toBe(400);
    expect(unknown.body.message).toMatch(/at eventTypes\.0/);
    const secret = await t.call('POST', '/v1/admin/webhooks', {
      token: t.adminToken,
      body: {
        url: 'https://hooks.example.com/x',
        eventTypes: ['console.quarantined'],
        secret: 'whsec_short',
      },
    });
    expect(secret.status).toBe(400);
    expect(secret.body.message).toMatch(/at secret/);
  });

  it('accepts a given secret and never lists it', async () => {
    const given = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
    const sub = await subscribe('https://hooks.example.com/x', ['console.quarantined'], {
      secret: given,
    });
    expect(sub.secret).toBe(given);
    const list = await t.call('GET', '/v1/admin/webhooks', { token: t.adminToken });
    expect(JSON.stringify(list.body)).not.toContain('MfKQ9r8');
  });

  it('answers 403 with a code to a device or auditor token, 404 for an unknown subscription', async () => {
    const auditor = (
      await t.call('POST', '/v1/admin/auditor-tokens', {
        token: t.adminToken,
        body: { label: 'wh' },
      })
    ).body.token as string;
    for (const who of [token, auditor]) {
      const res = await t.call('POST', '/v1/admin/webhooks', {
        token: who,
        body: { url: 'https://hooks.example.com/x', eventTypes: ['console.quarantined'] },
      });
      expect(res.status).toBe(403);
      expect(res.body.code).toBe('forbidden');
    }
    const missing = await t.call('POST', '/v1/admin/webhooks/wh_missing/pause', {
      token: t.adminToken,
    });
    expect(missing.status).toBe(404);
    expect(missing.body.code).toBe('not_found');
  });
});

describe("the server's own delivery worker", () => {
  it('delivers a notification without anyone driving it', async () => {
    const server = await startTestServer();
    const rx = await receiver();
    try {
      await server.call('POST', '/v1/admin/fleet', { token: server.adminToken, body: TEST_FLEET });
      const created = await server.call('POST', '/v1/admin/webhooks', {
        token: server.adminToken,
        body: { url: rx.url, eventTypes: ['console.quarantined'] },
      });
      expect(created.status).toBe(200);
      const arrived = new Promise<void>((resolve) => {
        const check = setInterval(() => {
          if (rx.received.length > 0) {
            clearInterval(check);
            resolve();
          }
        }, 20);
      });
      const d = createSimDevice('S-1');
      const tok = await enrollSim(server, d, 'S-1');
      d.record(
        'fleet.version.recorded',
        {
          terminalId: 'T-1',
          version: '4.4.0',
          releaseId: 'rel-4.4.0',
          previousVersion: null,
          source: 'typed',
        },
        { actor: GHOST },
      );
      expect(
        (await server.call('POST', '/v1/events', { token: tok, body: d.pushBody(1, 1) })).status,
      ).toBe(200);
      await arrived;
      const h = rx.received[0]!.headers as Record<string, string>;
      expect(
        verify(
          created.body.secret as string,
          h,
          rx.received[0]!.body,
          Math.floor(Date.now() / 1000),
        ),
      ).toBe(true);
    } finally {
      await server.close();
    }
  });
});
