import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { leafHash, type Sha256 } from '../../shared/audit/merkle.ts';
import { feedResponse, rootFromFeedProof, type FeedResponse } from '../../shared/sync/feed.ts';
import { createSimDevice, versionPayload, type SimDevice } from '../testing/device.ts';
import {
  TEST_FLEET,
  createTestUsers,
  enrollSim,
  startTestServer,
  type TestServer,
} from '../testing/harness.ts';
import { startTestPostgres, type TestPostgres } from '../testing/postgres.ts';

const sha256: Sha256 = (data) => createHash('sha256').update(data).digest();

/** The page's proof leads to its tree head's root. */
function proves(page: FeedResponse): boolean {
  if (page.entries.length === 0) return page.proof.length === 0;
  const root = rootFromFeedProof(
    page.entries.map((e) => e.index),
    page.entries.map((e) =>
      leafHash(Buffer.from('event' in e ? e.event.hash : e.withheld.hash, 'hex'), sha256),
    ),
    page.treeHead.treeHead.size,
    page.proof.map((h) => Buffer.from(h, 'hex')),
    sha256,
  );
  return root !== null && Buffer.from(root).toString('hex') === page.treeHead.treeHead.root;
}

let postgres: TestPostgres;
beforeAll(async () => {
  postgres = await startTestPostgres();
});
afterAll(() => postgres.stop());

describe.each(['sqlite', 'postgres'] as const)('GET /v1/feed on %s', (dialect) => {
  let t: TestServer;
  let a: { d: SimDevice; token: string };
  let b: { d: SimDevice; token: string };
  let other: { d: SimDevice; token: string };

  async function enrolled(storeId: string) {
    const d = createSimDevice(storeId);
    return { d, token: await enrollSim(t, d, storeId) };
  }
  async function push(x: { d: SimDevice; token: string }, n: number) {
    const from = x.d.events.length + 1;
    for (let i = 0; i < n; i++)
      x.d.record(
        'fleet.version.recorded',
        versionPayload(x.d.events.length, x.d.storeId === 'S-1' ? 'T-1' : 'T-2'),
      );
    const res = await t.call('POST', '/v1/events', {
      token: x.token,
      body: x.d.pushBody(from, x.d.events.length),
    });
    expect(res.status).toBe(200);
  }
  async function feed(token: string, query: string) {
    return t.call('GET', `/v1/feed${query}`, { token });
  }

  beforeAll(async () => {
    t = await startTestServer(
      dialect === 'postgres' ? { databaseUrl: await postgres.createDatabase() } : {},
    );
    expect(
      (await t.call('POST', '/v1/admin/fleet', { token: t.adminToken, body: TEST_FLEET })).status,
    ).toBe(200);
    await createTestUsers(t);
    a = await enrolled('S-1');
    b = await enrolled('S-1');
    other = await enrolled('S-2');
    // Interleaved in the log: A, S-2, B, A, S-2, B …
    for (let round = 0; round < 4; round++) {
      await push(a, 3);
      await push(other, 2);
      await push(b, 5);
    }
  });
  afterAll(() => t.close());

  it("gives a device the other devices' events of its store, in log order, paged, each page proved against the signed tree head", async () => {
    const seen: FeedResponse['entries'] = [];
    let after: number | null = null;
    let pages = 0;
    for (;;) {
      const res = await feed(a.token, `?limit=7${after === null ? '' : `&after=${after}`}`);
      expect(res.status).toBe(200);
      const page = feedResponse.parse(res.body);
      expect(proves(page)).toBe(true);
      seen.push(...page.entries);
      pages += 1;
      if (page.next === null) break;
      after = page.next;
    }
    expect(pages).toBe(3);
    const events = seen.map((e) => ('event' in e ? e.event : null));
    expect(events.every((e) => e?.deviceId === b.d.deviceId && e.storeId === 'S-1')).toBe(true);
    expect(events.map((e) => e?.seq)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    expect(events.map((e) => e?.hash)).toEqual(b.d.events.map((e) => e.hash));
    const indices = seen.map((e) => e.index);
    expect([...indices].sort((x, y) => x - y)).toEqual(indices);
    // Exactly as hashed: the served event equals the pushed one.
    expect(events[0]).toEqual(b.d.events[0]);
  });

  it("never serves another store's events; B sees only A's", async () => {
    const fromOther = feedResponse.parse((await feed(other.token, '?limit=5000')).body);
    expect(fromOther.entries.length).toBe(0);
    expect(fromOther.next).toBeNull();
    const fromB = feedResponse.parse((await feed(b.token, '')).body);
    expect(fromB.entries.map((e) => ('event' in e ? e.event.deviceId : null))).toEqual(
      Array(12).fill(a.d.deviceId),
    );
    expect(proves(fromB)).toBe(true);
  });

  it('proves a page against an older signed size when asked, and refuses a size never signed', async () => {
    const head = (await t.call('GET', '/v1/log/tree-head')).body.treeHead;
    await push(b, 2);
    const page = feedResponse.parse((await feed(a.token, `?size=${head.size}`)).body);
    expect(page.treeHead.treeHead).toEqual(head);
    expect(page.entries.length).toBe(20);
    expect(proves(page)).toBe(true);
    const latest = feedResponse.parse(
      (await feed(a.token, `?after=${page.entries.at(-1)!.index}`)).body,
    );
    expect(latest.entries.map((e) => ('event' in e ? e.event.seq : 0))).toEqual([21, 22]);
    expect(proves(latest)).toBe(true);
    const unsigned = await feed(a.token, `?size=${head.size + 1}`);
    expect(unsigned.status).toBe(400);
    expect(unsigned.body.code).toBe('invalid_input');
  });

  it('answers malformed queries 400, no token 401, another kind of token 403', async () => {
    for (const q of [
      '?after=-1',
      '?after=abc',
      '?limit=0',
      '?limit=5001',
      '?size=01',
      '?cursor=3',
      '?after=1&after=2',
    ]) {
      const res = await feed(a.token, q);
      expect(res.status, q).toBe(400);
      expect(res.body.code, q).toBe('invalid_input');
    }
    expect((await t.call('GET', '/v1/feed')).status).toBe(401);
    expect((await feed(t.adminToken, '')).status).toBe(403);
  });

  it("serves a quarantined event as its place in the device's chain only, still proved", async () => {
    const ghost = await enrolled('S-1');
    ghost.d.record('fleet.version.recorded', versionPayload(1), {
      actor: { userId: 'u-ghost', role: 'technician' },
    });
    ghost.d.record('fleet.version.recorded', versionPayload(2));
    const pushed = await t.call('POST', '/v1/events', {
      token: ghost.token,
      body: ghost.d.pushBody(1, 2),
    });
    expect(pushed.status).toBe(200);
    const last = feedResponse.parse((await feed(a.token, '?limit=5000')).body);
    const mine = last.entries.filter((e) =>
      'event' in e
        ? e.event.deviceId === ghost.d.deviceId
        : e.withheld.deviceId === ghost.d.deviceId,
    );
    expect(mine).toEqual([
      {
        index: expect.any(Number),
        withheld: {
          deviceId: ghost.d.deviceId,
          seq: 1,
          hash: ghost.d.events[0]!.hash,
          reason: 'actor_unknown',
        },
      },
      { index: expect.any(Number), event: ghost.d.events[1] },
    ]);
    expect(proves(last)).toBe(true);
  });
});
