/**
 * In-console notices served to a store console (device token), and the
 * webhooks of central actions: a no-go, a rollback and a blocker bug at the
 * store become its notices (another store's do not), a release blocked by a
 * server entry reaches every store's notices and a webhook receiver on
 * loopback, signed; a change request waiting is a manager's notice.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditActor } from '../../shared/audit/event.ts';
import type { Notice } from '../../shared/notices/protocol.ts';
import type { WebhookPayload } from '../../shared/webhooks/events.ts';
import { appendServerEntry } from '../log/serverEntry.ts';
import { createSimDevice } from '../testing/device.ts';
import {
  TEST_FLEET,
  TEST_USERS,
  createTestUsers,
  enrollSim,
  startTestServer,
  type TestServer,
} from '../testing/harness.ts';
import { verify } from '../webhooks/signature.ts';
import {
  canaryPlan,
  eventOfAction,
  noGoPayload,
  plannedEvent,
  startReceiver,
  type Receiver,
} from '../webhooks/testing.ts';
import { createWebhookWorker } from '../webhooks/worker.ts';

const TECH: AuditActor = { userId: 'tech-1', role: 'technician' };
const MANAGER: AuditActor = { userId: 'u-mgr', role: 'manager' };

let t: TestServer;
let rx: Receiver;
let tokenS1: string;
let tokenS2: string;

beforeAll(async () => {
  t = await startTestServer({ webhookDelivery: false });
  await t.call('POST', '/v1/admin/fleet', { token: t.adminToken, body: TEST_FLEET });
  await createTestUsers(t, [
    ...TEST_USERS,
    { id: 'u-mgr', name: 'Maya', role: 'manager', pin: '123456', storeIds: [] },
  ]);
  rx = await startReceiver();
  const s1 = createSimDevice('S-1');
  tokenS1 = await enrollSim(t, s1, 'S-1');
  const s2 = createSimDevice('S-2');
  tokenS2 = await enrollSim(t, s2, 'S-2');
  const now = Date.now();
  const plan = canaryPlan('dep-1', 'S-1', 'rel-4.4.0', 'T-1');
  const planned = plannedEvent(plan);
  const act = (a: Record<string, unknown>, actor = TECH) => ({
    ...eventOfAction(plan.deploymentId, { ...a, at: now, actor } as never),
    actor,
  });
  for (const r of [
    { type: planned.type, payload: planned.payload, actor: TECH },
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
    { type: 'decision.recorded', payload: noGoPayload('d-1', 'rel-4.4.0'), actor: MANAGER },
  ])
    s1.record(r.type, r.payload, { actor: r.actor, at: new Date(now) });
  expect(
    (await t.call('POST', '/v1/events', { token: tokenS1, body: s1.pushBody(1, 6) })).status,
  ).toBe(200);
  s2.record('decision.recorded', noGoPayload('d-2', 'rel-4.4.0'), { actor: MANAGER });
  expect(
    (await t.call('POST', '/v1/events', { token: tokenS2, body: s2.pushBody(1, 1) })).status,
  ).toBe(200);
});
afterAll(async () => {
  await rx?.close();
  await t?.close();
});

async function notices(token: string, since = 0) {
  const res = await t.call('GET', `/v1/notices?since=${since}`, { token });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body as { notices: Notice[]; next: number };
}

describe('in-console notices', () => {
  it("gives a store its own no-go and rollback, not another store's, and nothing twice after `next`", async () => {
    const first = await notices(tokenS1);
    expect(first.notices.map((n) => [n.kind, n.releaseId, n.subjectId])).toEqual([
      ['rollback_started', 'rel-4.4.0', 'dep-1'],
      ['no_go_recorded', 'rel-4.4.0', 'd-1'],
    ]);
    expect(first.notices[0]!.text).toBe('Card payments fail');
    expect((await notices(tokenS2)).notices.map((n) => n.subjectId)).toEqual(['d-2']);
    expect((await notices(tokenS1, first.next)).notices).toEqual([]);
  });

  it('tells every store, and a subscribed receiver, that a release was blocked by a server entry', async () => {
    const sub = await t.call('POST', '/v1/admin/webhooks', {
      token: t.adminToken,
      body: { url: rx.url, eventTypes: ['release.blocked', 'promotion.override_used'] },
    });
    expect(sub.status).toBe(200);
    const before = [(await notices(tokenS1)).next, (await notices(tokenS2)).next];
    const at = new Date();
    await t.server.store.db.transaction().execute(async (trx) => {
      await appendServerEntry(trx, t.server.key, {
        type: 'release.blocked',
        payload: { releaseId: 'rel-4.4.0', reason: 'Payments outage' },
        at,
      });
    });
    await t.server.store.db.transaction().execute(async (trx) => {
      await appendServerEntry(trx, t.server.key, {
        type: 'release.promotion.overridden',
        payload: { releaseId: 'rel-4.4.0', ring: 'general', reason: 'CEO asked' },
        at,
      });
    });
    for (const [i, token] of [tokenS1, tokenS2].entries()) {
      const after = await notices(token, before[i]);
      expect(after.notices).toMatchObject([
        { kind: 'release_blocked', releaseId: 'rel-4.4.0', storeId: null, text: 'Payments outage' },
      ]);
    }
    const worker = createWebhookWorker(t.server.store.db, { clock: { now: () => Date.now() } });
    expect(await worker.drain()).toMatchObject({ delivered: 2, failed: 0 });
    const bodies = rx.received.map((r) => {
      expect(
        verify(
          sub.body.secret as string,
          r.headers as Record<string, string>,
          r.body,
          Math.floor(Date.now() / 1000),
        ),
      ).toBe(true);
      return JSON.parse(r.body) as WebhookPayload;
    });
    expect(bodies.map((b) => [b.type, b.data['releaseId'], b.data['reason']]).sort()).toEqual([
      ['promotion.override_used', 'rel-4.4.0', 'CEO asked'],
      ['release.blocked', 'rel-4.4.0', 'Payments outage'],
    ]);
  });

  it('refuses a bad position naming it, and a desk or no token', async () => {
    const bad = await t.call('GET', '/v1/notices?since=-1', { token: tokenS1 });
    expect(bad.status).toBe(400);
    expect(bad.body.message).toMatch(/since/);
    const unknown = await t.call('GET', '/v1/notices?after=3', { token: tokenS1 });
    expect(unknown.status).toBe(400);
    expect((await t.call('GET', '/v1/notices')).status).toBe(401);
    expect((await t.call('GET', '/v1/notices', { token: t.adminToken })).status).toBe(403);
  });
});
