import { request as httpRequest } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SERVER_ROUTES } from '../routes.ts';
import { createSimDevice, versionPayload } from '../testing/device.ts';
import {
  TEST_FLEET,
  enrollSim,
  openApiResponseChecker,
  startTestServer,
  type TestServer,
} from '../testing/harness.ts';

type Doc = {
  openapi: string;
  paths: Record<
    string,
    Record<string, { responses: Record<string, { content?: Record<string, { schema: unknown }> }> }>
  >;
};

describe('operations', () => {
  let t: TestServer;
  let auditorToken: string;
  beforeAll(async () => {
    t = await startTestServer();
    auditorToken = (
      await t.call('POST', '/v1/admin/auditor-tokens', {
        token: t.adminToken,
        body: { label: 'metrics' },
      })
    ).body.token;
  });
  afterAll(() => t.close());

  it('serves an OpenAPI 3.1 description of every route in the route table, with its responses', async () => {
    const res = await fetch(`${t.url}/docs/openapi.json`);
    expect(res.status).toBe(200);
    const doc = (await res.json()) as Doc;
    expect(doc.openapi).toBe('3.1.0');
    // Every reference points at a schema the document holds (a recursive one, JsonValue, is a component).
    const refs = [...JSON.stringify(doc).matchAll(/"\$ref":"#\/components\/schemas\/([^"]+)"/g)];
    expect(refs.length).toBeGreaterThan(0);
    const components = (doc as { components?: { schemas?: Record<string, unknown> } }).components;
    for (const [, name] of refs) expect(components?.schemas?.[name!], name).toBeDefined();
    for (const [name, route] of Object.entries(SERVER_ROUTES)) {
      if (name === 'openapi') continue;
      const path = route.url.replace(/:([A-Za-z0-9_]+)/g, '{$1}').replace(/\*$/, '{*}');
      const op = doc.paths[path]?.[route.method.toLowerCase()];
      expect(op, `${route.method} ${route.url}`).toBeDefined();
      expect(Object.keys(op!.responses)).toEqual(expect.arrayContaining(['200', '4XX', '5XX']));
    }
  });

  it('checks responses against the description: an undeclared body or status fails the test that received it', async () => {
    const doc = (await (await fetch(`${t.url}/docs/openapi.json`)).json()) as Doc;
    const check = openApiResponseChecker(doc);
    const key = await t.call('GET', '/v1/log/key');
    expect(() => check('GET', '/v1/log/key', 200, 'application/json', key.body)).not.toThrow();
    expect(() =>
      check('GET', '/v1/log/key', 200, 'application/json', { ...key.body, extra: 1 }),
    ).toThrow(/does not match its OpenAPI schema/);
    expect(() =>
      check('GET', '/v1/log/key', 401, 'application/json', { code: 'nope', message: 'x' }),
    ).toThrow(/does not match/);
    expect(() => check('GET', '/v1/log/key', 302, 'text/html', '')).toThrow(/declares no 302/);
    expect(() => check('GET', '/v1/nowhere', 200, 'application/json', { code: 'x' })).toThrow(
      /no such operation/,
    );
  });

  it('answers /healthz, and /readyz with every check, failing while an added check fails', async () => {
    expect((await t.call('GET', '/healthz')).body).toEqual({ status: 'ok' });
    const ready = await t.call('GET', '/readyz');
    expect(ready.status).toBe(200);
    expect((ready.body.checks as Array<{ name: string }>).map((c) => c.name)).toEqual([
      'database',
      'migrations',
      'logKey',
      'logIntegrity',
    ]);
    let isIntact = false;
    const remove = t.server.addReadinessCheck('extraCheck', () =>
      isIntact
        ? { ok: true }
        : { ok: false, reason: 'stored entry 3 does not match the tree head' },
    );
    const failing = await t.call('GET', '/readyz');
    expect(failing.status).toBe(503);
    expect(failing.body.status).toBe('not_ready');
    expect(failing.body.checks).toContainEqual({
      name: 'extraCheck',
      ok: false,
      reason: 'stored entry 3 does not match the tree head',
    });
    isIntact = true;
    expect((await t.call('GET', '/readyz')).status).toBe(200);
    isIntact = false;
    remove();
    expect((await t.call('GET', '/readyz')).status).toBe(200);
    t.server.addReadinessCheck('throws', () => {
      throw new Error('monitor crashed');
    });
    const thrown = await t.call('GET', '/readyz');
    expect(thrown.status).toBe(503);
    expect(thrown.body.checks).toContainEqual({
      name: 'throws',
      ok: false,
      reason: 'monitor crashed',
    });
    t.server.addReadinessCheck('throws', () => ({ ok: true }));
  });

  it('exports Prometheus metrics to auditors: events ingested, ack latency, log size, sync lag per device, refusals by code', async () => {
    expect((await t.call('GET', '/metrics')).status).toBe(401);
    await t.call('POST', '/v1/admin/fleet', { token: t.adminToken, body: TEST_FLEET });
    const device = createSimDevice('S-1');
    const token = await enrollSim(t, device, 'S-1');
    for (let i = 0; i < 5; i++) device.record('fleet.version.recorded', versionPayload(i));
    expect(
      (await t.call('POST', '/v1/events', { token, body: device.pushBody(1, 5) })).status,
    ).toBe(200);
    expect((await t.call('GET', '/v1/changes?cursor=x', { token })).status).toBe(400);
    const res = await fetch(`${t.url}/metrics`, {
      headers: { authorization: `Bearer ${auditorToken}` },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain/);
    const text = await res.text();
    expect(text).toMatch(/^dearpos_ingest_events_total 5$/m);
    expect(text).toMatch(/^dearpos_push_ack_seconds_count 1$/m);
    // The log also holds the server's entries of central actions (bootstrap, tokens, fleet, codes).
    const central = await t.server.store.db
      .selectFrom('log_entries')
      .select('idx')
      .where('device_id', '=', 'server')
      .execute();
    expect(central.length).toBeGreaterThan(0);
    expect(text).toMatch(new RegExp(`^dearpos_log_size ${5 + central.length}$`, 'm'));
    expect(text).toMatch(
      new RegExp(
        `^dearpos_device_sync_lag_seconds\\{device="${device.deviceId}"\\} [0-9.e+-]+$`,
        'm',
      ),
    );
    expect(text).toMatch(/^dearpos_refusals_total\{code="unauthorized"\} 1$/m);
    expect(text).toMatch(/^dearpos_refusals_total\{code="invalid_input"\} 1$/m);
  });
});

describe('graceful shutdown', () => {
  it('lets a push in flight finish with its ack, then refuses the next request', async () => {
    const t = await startTestServer();
    await t.call('POST', '/v1/admin/fleet', { token: t.adminToken, body: TEST_FLEET });
    const device = createSimDevice('S-1');
    const token = await enrollSim(t, device, 'S-1');
    for (let i = 0; i < 200; i++) device.record('fleet.version.recorded', versionPayload(i));
    const body = Buffer.from(JSON.stringify(device.pushBody(1, 200)));
    const target = new URL('/v1/events', t.url);
    const answer = new Promise<{ status: number; text: string }>((resolve, reject) => {
      const req = httpRequest(
        {
          host: target.hostname,
          port: target.port,
          path: target.pathname,
          method: 'POST',
          agent: false,
          headers: {
            'content-type': 'application/json',
            'content-length': String(body.length),
            authorization: `Bearer ${token}`,
          },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () =>
            resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString() }),
          );
        },
      );
      req.on('error', reject);
      // Half the body now; the rest once the server is closing.
      req.write(body.subarray(0, body.length >> 1));
      void (async () => {
        while (t.server.inFlightRequests() === 0) await new Promise(setImmediate);
        const closing = t.server.close();
        req.end(body.subarray(body.length >> 1));
        await closing;
      })();
    });
    const res = await answer;
    expect(res.status, res.text).toBe(200);
    expect(JSON.parse(res.text).ackSeq).toBe(200);
    await expect(fetch(`${t.url}/v1/log/tree-head`)).rejects.toThrow();
    await t.close();
  });
});
