import { request as httpRequest } from 'node:http';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SERVER_ROUTES, bodyLimitOf, type RouteDef } from '../routes.ts';
import { createSimDevice, versionPayload } from '../testing/device.ts';
import { TEST_FLEET, enrollSim, startTestServer, type TestServer } from '../testing/harness.ts';

/**
 * Sends `body` from `localAddress` and resolves with the status as soon as the answer arrives.
 * With `isHeadOnly`, only the first 64 KB of the announced body are ever sent: an answer then
 * proves the server decided without reading the body (a server that waited for it would never
 * answer, and the test would time out) — a proof that does not depend on how loaded the machine is.
 */
function send(
  url: string,
  options: {
    method?: string;
    path: string;
    body?: Buffer;
    token?: string;
    localAddress?: string;
    isHeadOnly?: boolean;
  },
): Promise<{ status: number; text: string }> {
  const target = new URL(options.path, url);
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      {
        host: target.hostname,
        port: target.port,
        path: target.pathname + target.search,
        method: options.method ?? 'POST',
        localAddress: options.localAddress,
        agent: false,
        headers: {
          ...(options.body ? { 'content-type': 'application/json' } : {}),
          ...(options.body ? { 'content-length': String(options.body.length) } : {}),
          ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') });
          req.destroy();
        });
      },
    );
    // The server may stop reading once it has answered: a broken upload is expected then.
    req.on('error', (error) => reject(error));
    if (options.body && options.isHeadOnly) req.write(options.body.subarray(0, 64 * 1024));
    else if (options.body) req.end(options.body);
    else req.end();
  });
}

describe('before any body is read', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer();
  });
  afterAll(() => t.close());

  it('refuses a 60 MB body of nested brackets without a token before reading it, without growing memory', async () => {
    const body = Buffer.alloc(60 * 1024 * 1024, '[');
    const rssBefore = process.memoryUsage().rss;
    const res = await send(t.url, { path: '/v1/admin/fleet', body, isHeadOnly: true });
    expect(res.status).toBe(401);
    expect(JSON.parse(res.text).code).toBe('unauthorized');
    // Before: 27 s and +3 GB. The server is in this process, so its growth shows here.
    expect(process.memoryUsage().rss - rssBefore).toBeLessThan(256 * 1024 * 1024);
    // And the server still answers at once.
    expect((await t.call('GET', '/v1/log/tree-head')).status).toBe(200);
  });

  it('every route that needs a token refuses a large body without one before reading it', async () => {
    const body = Buffer.alloc(8 * 1024 * 1024, '{');
    for (const route of Object.values(SERVER_ROUTES) as RouteDef[]) {
      if (route.method !== 'POST' || route.auth === 'public' || route.auth === 'enrollment')
        continue;
      const path = route.url.replace(':sha256', '0'.repeat(64));
      const res = await send(t.url, { path, body, isHeadOnly: true });
      expect(res.status, `${route.url}: ${res.text}`).toBe(401);
      expect(JSON.parse(res.text).code).toBe('unauthorized');
    }
  });

  it('refuses the same body from an admin with 413 before reading it, and a deep body under the limit with 400 after a few bytes', async () => {
    const huge = await send(t.url, {
      path: '/v1/admin/fleet',
      body: Buffer.alloc(60 * 1024 * 1024, '['),
      token: t.adminToken,
      isHeadOnly: true,
    });
    expect(huge.status).toBe(413);
    expect(JSON.parse(huge.text).code).toBe('payload_too_large');

    const rssBefore = process.memoryUsage().rss;
    // Only 64 KB of the 20 MB are sent: the depth limit answers from the first bytes.
    const deep = await send(t.url, {
      path: '/v1/admin/fleet',
      body: Buffer.alloc(20 * 1024 * 1024, '['),
      token: t.adminToken,
      isHeadOnly: true,
    });
    expect(deep.status).toBe(400);
    expect(JSON.parse(deep.text)).toMatchObject({ code: 'invalid_input' });
    expect(JSON.parse(deep.text).message).toMatch(/more than 64 levels/);
    expect(process.memoryUsage().rss - rssBefore).toBeLessThan(256 * 1024 * 1024);
  });

  it('answers 400 with a code, never 500, to any depth on any route', async () => {
    await t.call('POST', '/v1/admin/fleet', { token: t.adminToken, body: TEST_FLEET });
    const device = createSimDevice('S-1');
    const token = await enrollSim(t, device, 'S-1');
    // A push whose payload nests 2,000 levels: a 4.7 KB body that once answered 500.
    device.record('fleet.version.recorded', versionPayload(1));
    const push = device.pushBody(1, 1);
    const nested = '['.repeat(2000) + ']'.repeat(2000);
    const raw = JSON.stringify(push).replace(/"payload":\{/, `"payload":{"deep":${nested},`);
    expect(raw.length).toBeLessThan(10_000);
    const res = await t.call('POST', '/v1/events', { token, rawBody: raw });
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('invalid_input');
    // Every depth between the fast path's limit and far beyond it.
    for (const depth of [30, 40, 63, 64, 65, 100, 5000, 100_000]) {
      const inner = '['.repeat(depth) + ']'.repeat(depth);
      const body = JSON.stringify(push).replace(/"payload":\{/, `"payload":{"deep":${inner},`);
      const r = await t.call('POST', '/v1/events', { token, rawBody: body });
      expect(r.status, `depth ${depth}: ${JSON.stringify(r.body)}`).toBeLessThan(500);
      expect(r.status).toBeGreaterThanOrEqual(400);
      expect(typeof r.body.code).toBe('string');
      for (const [route, path, routeToken] of [
        [SERVER_ROUTES.enroll, '/v1/enroll', null],
        [SERVER_ROUTES.publishRelease, '/v1/admin/releases', t.adminToken],
        [SERVER_ROUTES.publishChecklistTemplate, '/v1/admin/checklist-templates', t.adminToken],
        [SERVER_ROUTES.evidenceUpload, `/v1/evidence/${'0'.repeat(64)}`, token],
      ] as const) {
        const other = await t.call('POST', path, { token: routeToken, rawBody: inner });
        // 100,000 levels is a 200 KB body: larger than some routes read at all.
        const isTooLarge = inner.length > bodyLimitOf(route);
        expect(other.status, `${path} depth ${depth}`).toBe(isTooLarge ? 413 : 400);
        expect(other.body.code).toBe(isTooLarge ? 'payload_too_large' : 'invalid_input');
      }
    }
  });
});

describe('refusal messages', () => {
  it('use "an" before a vowel: "An auditor token may not call …"', async () => {
    const t = await startTestServer();
    try {
      await t.call('POST', '/v1/admin/fleet', { token: t.adminToken, body: TEST_FLEET });
      const device = createSimDevice('S-1', { actor: { userId: 'u-admin', role: 'admin' } });
      const token = await enrollSim(t, device, 'S-1');
      device.record('fleet.version.recorded', versionPayload(1));
      // A role the type does not allow is not refused: appended and quarantined (sync/actorCheck.ts).
      const push = await t.call('POST', '/v1/events', { token, body: device.pushBody(1, 1) });
      expect(push.status).toBe(200);
      expect(push.body.quarantined).toEqual([{ seq: 1, reason: 'role_not_allowed_for_type' }]);
      const auditor = await t.call('POST', '/v1/admin/auditor-tokens', {
        token: t.adminToken,
        body: { label: 'a' },
      });
      const refused = await t.call('GET', '/v1/admin/devices', { token: auditor.body.token });
      expect(refused.status).toBe(403);
      expect(refused.body.message).toBe('An auditor token may not call GET /v1/admin/devices.');
      const byDevice = await t.call('GET', '/v1/admin/devices', { token });
      expect(byDevice.body.message).toBe('A device token may not call GET /v1/admin/devices.');
    } finally {
      await t.close();
    }
  });
});

describe('rate limits', () => {
  it('throttle a caller spraying random tokens by its address, while an enrolled device from the same address carries on', async () => {
    const t = await startTestServer({ rateLimit: { perSecond: 1, burst: 50 } });
    try {
      await t.call('POST', '/v1/admin/fleet', { token: t.adminToken, body: TEST_FLEET });
      const device = createSimDevice('S-1');
      const deviceToken = await enrollSim(t, device, 'S-1');
      const statuses = new Map<number, number>();
      for (let i = 0; i < 300; i++) {
        const token = `dpd_${randomBytes(32).toString('base64url')}`;
        const r = await t.call('GET', '/v1/changes?cursor=0', { token });
        statuses.set(r.status, (statuses.get(r.status) ?? 0) + 1);
      }
      // Before: 300 fresh buckets, none throttled. The enrollment calls above used 2 of the 50.
      expect(statuses.get(429)).toBeGreaterThanOrEqual(250);
      expect((statuses.get(401) ?? 0) + (statuses.get(429) ?? 0)).toBe(300);
      // Guessing enrollment codes is throttled the same way.
      const guess = await t.call('POST', '/v1/enroll', {
        body: { code: 'AAAA-BBBB', deviceId: 'x', publicKey: device.publicKey },
      });
      expect(guess.status).toBe(429);
      expect(Number(guess.headers.get('retry-after'))).toBeGreaterThan(0);
      // The device is counted as itself, not as its address.
      expect((await t.call('GET', '/v1/changes?cursor=0', { token: deviceToken })).status).toBe(
        200,
      );
    } finally {
      await t.close();
    }
  });

  it('behind a trusted reverse proxy, limits each caller by its forwarded address', async () => {
    const t = await startTestServer({
      rateLimit: { perSecond: 0.01, burst: 2 },
      trustProxy: '127.0.0.1',
    });
    try {
      const get = (from: string) =>
        fetch(`${t.url}/v1/log/key`, { headers: { 'x-forwarded-for': from } });
      expect((await get('203.0.113.7')).status).toBe(200);
      expect((await get('203.0.113.7')).status).toBe(200);
      expect((await get('203.0.113.7')).status).toBe(429);
      expect((await get('203.0.113.8')).status).toBe(200);
    } finally {
      await t.close();
    }
  });

  it('keeps recent buckets when the store fills: only the least recently seen keys go', async () => {
    const t = await startTestServer({ rateLimit: { perSecond: 0.01, burst: 2, cacheSize: 30 } });
    try {
      const get = (host: number) =>
        send(t.url, { method: 'GET', path: '/v1/log/key', localAddress: `127.0.0.${host}` });
      // 20 addresses use up their buckets.
      for (let host = 10; host < 30; host++) {
        expect((await get(host)).status).toBe(200);
        expect((await get(host)).status).toBe(200);
        expect((await get(host)).status).toBe(429);
      }
      // 20 more addresses: 40 keys in a store of 30.
      for (let host = 100; host < 120; host++) expect((await get(host)).status).toBe(200);
      // The 10 most recent of the first 20 are still throttled (before: a full store was cleared for everyone).
      for (let host = 20; host < 30; host++) expect((await get(host)).status).toBe(429);
    } finally {
      await t.close();
    }
  });
});
