import { sign } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkpointText } from '../../shared/audit/event.ts';
import { ServerError } from '../errors.ts';
import { createSimDevice, versionPayload, type SimDevice } from '../testing/device.ts';
import { TEST_FLEET, enrollSim, startTestServer, type TestServer } from '../testing/harness.ts';
import { createPushChecker } from './pushChecker.ts';

type Body = ReturnType<SimDevice['pushBody']>;

function resign(d: SimDevice, body: Body): Body {
  body.checkpoint.signature = sign(
    null,
    Buffer.from(checkpointText(d.deviceId, body.checkpoint.seq, body.checkpoint.head)),
    d.privateKey,
  ).toString('base64');
  return body;
}

async function serverWith(inlineBelowBytes: number): Promise<TestServer> {
  const t = await startTestServer({ pushCheck: { inlineBelowBytes } });
  const imported = await t.call('POST', '/v1/admin/fleet', {
    token: t.adminToken,
    body: TEST_FLEET,
  });
  expect(imported.status).toBe(200);
  return t;
}

describe('push checks inline and on the check worker', () => {
  let inline: TestServer;
  let worker: TestServer;
  beforeAll(async () => {
    // Infinity: every push checked on the main thread; 0: every push on the worker.
    [inline, worker] = await Promise.all([serverWith(Infinity), serverWith(0)]);
  });
  afterAll(async () => {
    await Promise.all([inline.close(), worker.close()]);
  });

  it('give the same status, code, message and extra for every refusal and the same acks, storing nothing on a refusal', async () => {
    const d = createSimDevice('S-1');
    for (let i = 0; i < 6; i++) d.record('fleet.version.recorded', versionPayload(i));
    const tokens = [await enrollSim(inline, d, 'S-1'), await enrollSim(worker, d, 'S-1')] as const;
    // Another history for the same device id, signed with the real key: equivocation and bad_prev.
    const evil = createSimDevice('S-1', { deviceId: d.deviceId });
    for (let i = 0; i < 6; i++) evil.record('fleet.version.recorded', versionPayload(100 + i));
    const mutated = (from: number, to: number, mutate: (b: Body) => void) => {
      const b = structuredClone(d.pushBody(from, to));
      mutate(b);
      return JSON.stringify(b);
    };
    const valid = (from: number, to: number) => JSON.stringify(d.pushBody(from, to));
    const steps: Array<[string, string, number]> = [
      ['empty body', '', 400],
      ['not JSON', '{"deviceId": ', 400],
      ['prototype poisoning', `{"__proto__":{"admin":true},"deviceId":"${d.deviceId}"}`, 400],
      ['constructor poisoning', '{"constructor":{"prototype":{"admin":true}}}', 400],
      ['a JSON array', '[1,2,3]', 400],
      ['an extra field', mutated(1, 3, (b) => Object.assign(b, { extra: 1 })), 400],
      ['no events', mutated(1, 3, (b) => (b.events = [])), 400],
      ['another device id', mutated(1, 3, (b) => (b.deviceId = 'someone-else')), 403],
      ['an event of another device', mutated(1, 3, (b) => (b.events[1]!.deviceId = 'other')), 403],
      ['an event for another store', mutated(1, 3, (b) => (b.events[2]!.storeId = 'S-2')), 403],
      ['an unknown type', mutated(1, 3, (b) => (b.events[0]!.type = 'nope.happened')), 403],
      // A role the type does not allow is quarantined, not refused; changed after hashing, the hash refuses it.
      [
        'a role changed after hashing',
        mutated(1, 3, (b) => (b.events[1]!.actor.role = 'support')),
        422,
      ],
      [
        'an invalid payload',
        mutated(1, 3, (b) => (b.events[2]!.payload = { terminalId: 'T-1' })),
        400,
      ],
      [
        'an altered payload',
        mutated(1, 3, (b) => ((b.events[1]!.payload as { version: string }).version = '9.9.9')),
        422,
      ],
      ['non-consecutive seqs', mutated(1, 3, (b) => b.events.splice(1, 1)), 400],
      [
        'a broken prev in the batch',
        JSON.stringify(
          resign(d, {
            ...d.pushBody(1, 3),
            events: [d.events[0]!, evil.events[1]!, evil.events[2]!],
          }),
        ),
        422,
      ],
      [
        'a checkpoint short of the last event',
        mutated(1, 3, (b) => (b.checkpoint = d.pushBody(1, 2).checkpoint)),
        400,
      ],
      [
        'a checkpoint signed by another key',
        mutated(1, 3, (b) => (b.checkpoint.signature = Buffer.alloc(64, 7).toString('base64'))),
        422,
      ],
      ['a gap before any event is stored', valid(2, 3), 409],
      ['seq 1..3', valid(1, 3), 200],
      ['a gap after seq 3', valid(5, 6), 409],
      ['another history at seq 2', JSON.stringify(resign(d, evil.pushBody(2, 2))), 409],
      [
        'an event not linking to the stored chain',
        JSON.stringify(resign(d, evil.pushBody(4, 4))),
        422,
      ],
      ['seq 1..3 again', valid(1, 3), 200],
      ['seq 3..6, one of them stored', valid(3, 6), 200],
    ];
    for (const [name, rawBody, status] of steps) {
      const [a, b] = await Promise.all(
        [inline, worker].map((t, i) =>
          t.call('POST', '/v1/events', { token: tokens[i]!, rawBody }),
        ),
      );
      expect(a!.status, name).toBe(status);
      expect(b!.status, name).toBe(status);
      if (status === 200) {
        // Tree heads are signed by each server's own key at its own time.
        const { treeHead: headA, ...ackA } = a!.body;
        const { treeHead: headB, ...ackB } = b!.body;
        expect(ackB, name).toEqual(ackA);
        expect(headB.size, name).toBe(headA.size);
        expect(headB.root, name).toBe(headA.root);
      } else {
        expect(b!.body, name).toEqual(a!.body);
        expect(typeof a!.body.message, name).toBe('string');
      }
    }
    for (const t of [inline, worker]) {
      const stored = await t.server.store.db
        .selectFrom('log_entries')
        .select(['seq', 'hash'])
        .where('device_id', '=', d.deviceId)
        .orderBy('seq')
        .execute();
      expect(stored.map((r) => [Number(r.seq), r.hash])).toEqual(
        d.events.map((e) => [e.seq, e.hash]),
      );
      const evidence = await t.server.store.db
        .selectFrom('equivocations')
        .select('seq')
        .where('device_id', '=', d.deviceId)
        .execute();
      expect(evidence.map((r) => Number(r.seq))).toEqual([2]);
    }
  });

  it('refuse an unreadable body in Fastify’s words, and only after the token (401 before 400)', async () => {
    const d = createSimDevice('S-1');
    const token = await enrollSim(worker, d, 'S-1');
    const inlineToken = await enrollSim(inline, d, 'S-1');
    const unreadable = await worker.call('POST', '/v1/events', { token, rawBody: '{"a":' });
    expect(unreadable.body).toEqual({
      code: 'invalid_input',
      message:
        "The request could not be read: Body is not valid JSON but content-type is set to 'application/json'",
    });
    // A prototype-poisoning key is refused as unreadable (secure-json-parse, as Fastify's default
    // parser does), never parsed into an object for the shape check to judge.
    for (const rawBody of [
      `{"__proto__":{"admin":true},"deviceId":"${d.deviceId}"}`,
      '{"deviceId":"x","events":[{"constructor":{"prototype":{"admin":true}}}]}',
    ]) {
      expect((await worker.call('POST', '/v1/events', { token, rawBody })).body).toEqual(
        unreadable.body,
      );
      expect(
        (await inline.call('POST', '/v1/events', { token: inlineToken, rawBody })).body.message,
      ).toBe(unreadable.body.message);
    }
    // Other routes still parse JSON with Fastify's default parser: the same answer.
    const enroll = await worker.call('POST', '/v1/enroll', { rawBody: '{"a":' });
    expect(enroll.status).toBe(400);
    expect(enroll.body).toEqual(unreadable.body);
    const anonymous = await worker.call('POST', '/v1/events', { rawBody: '{"a":' });
    expect(anonymous.status).toBe(401);
  });
});

describe('the check worker', () => {
  const crashingWorker = new URL('./testing/crashingCheckWorker.ts', import.meta.url);

  it('that dies mid-request answers that push 500 internal, stores nothing, and a fresh worker takes the next push', async () => {
    const t = await startTestServer({
      pushCheck: { inlineBelowBytes: 0, workerUrl: crashingWorker },
    });
    try {
      await t.call('POST', '/v1/admin/fleet', { token: t.adminToken, body: TEST_FLEET });
      const d = createSimDevice('S-1');
      d.record('fleet.version.recorded', versionPayload(1));
      const token = await enrollSim(t, d, 'S-1');
      const crashed = await t.call('POST', '/v1/events', { token, rawBody: '{"crash":true}' });
      expect(crashed.status).toBe(500);
      expect(crashed.body.code).toBe('internal');
      const pushed = await t.call('POST', '/v1/events', { token, body: d.pushBody(1, 1) });
      expect(pushed.status).toBe(200);
      expect(pushed.body.ackSeq).toBe(1);
      // The push's one event after three central actions (bootstrap, fleet import, enrollment code).
      expect((await t.call('GET', '/v1/log/tree-head')).body.treeHead.size).toBe(4);
    } finally {
      await t.close();
    }
  });

  it('is ready before the server answers, and a worker that cannot start fails the start instead of a push', async () => {
    const checker = createPushChecker({ inlineBelowBytes: 0 });
    await expect(checker.ready()).resolves.toBeUndefined();
    await checker.close();
    const broken = createPushChecker({
      inlineBelowBytes: 0,
      workerUrl: new URL('./testing/noSuchWorker.ts', import.meta.url),
    });
    await expect(broken.ready()).rejects.toThrow(/stopped while starting/);
    await broken.close();
  });

  it('rebuilds a refusal as the same ServerError, and fails checks still pending when closed', async () => {
    const checker = createPushChecker({ inlineBelowBytes: 0 });
    const principal = { deviceId: 'D-1', storeId: 'S-1' };
    const refused = await checker
      .check(Buffer.from('{"deviceId":"D-2"}'), principal)
      .catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(ServerError);
    expect((refused as ServerError).code).toBe('invalid_input');
    const pending = checker.check(Buffer.from('[]'), principal).catch((e: unknown) => e);
    await checker.close();
    const outcome = await pending;
    expect(outcome).toBeInstanceOf(Error);
    expect(outcome).not.toBeInstanceOf(ServerError);
  });
});
