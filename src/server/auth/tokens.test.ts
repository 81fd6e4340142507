import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renewTokenResponse, tokenExpiresAt } from '../../shared/sync/protocol.ts';
import { createSimDevice } from '../testing/device.ts';
import { TEST_FLEET, enrollSim, startTestServer, type TestServer } from '../testing/harness.ts';
import { DEFAULT_TOKEN_POLICY } from './tokens.ts';

const DAY = 24 * 60 * 60 * 1000;

describe('token expiry and rotation', () => {
  let t: TestServer;
  let clock = Date.now();
  beforeAll(async () => {
    t = await startTestServer({ now: () => new Date(clock) });
    await t.call('POST', '/v1/admin/fleet', { token: t.adminToken, body: TEST_FLEET });
  });
  afterAll(() => t.close());

  it('a device token carries its expiry, renews itself before it, and the old one stops working', async () => {
    clock = Date.now();
    const device = createSimDevice('S-1');
    const token = await enrollSim(t, device, 'S-1');
    const expiresAt = tokenExpiresAt(token);
    expect(expiresAt).not.toBeNull();
    expect(
      Math.abs(expiresAt!.getTime() - (clock + DEFAULT_TOKEN_POLICY.deviceLifetimeMs)),
    ).toBeLessThan(60_000);
    clock += 25 * DAY;
    expect((await t.call('GET', '/v1/changes?cursor=0', { token })).status).toBe(200);
    const renewed = await t.call('POST', '/v1/device/token', { token });
    expect(renewed.status).toBe(200);
    const { deviceToken, expiresAt: renewedUntil } = renewTokenResponse.parse(renewed.body);
    expect(renewedUntil).toBe(tokenExpiresAt(deviceToken)!.toISOString());
    expect(Date.parse(renewedUntil)).toBeGreaterThan(clock + 29 * DAY);
    expect((await t.call('GET', '/v1/changes?cursor=0', { token })).status).toBe(401);
    expect((await t.call('POST', '/v1/device/token', { token })).status).toBe(401);
    expect(
      (await t.call('GET', '/v1/changes?cursor=0', { token: renewed.body.deviceToken })).status,
    ).toBe(200);
  });

  it('an expired device token can do nothing but renew, within the grace window; after it, only a new enrollment helps', async () => {
    clock = Date.now();
    const device = createSimDevice('S-1');
    const token = await enrollSim(t, device, 'S-1');
    clock += 40 * DAY; // offline past expiry
    const refused = await t.call('GET', '/v1/changes?cursor=0', { token });
    expect(refused.status).toBe(401);
    expect(refused.body.message).toMatch(/expired/);
    const renewed = await t.call('POST', '/v1/device/token', { token });
    expect(renewed.status).toBe(200);
    expect(
      (await t.call('GET', '/v1/changes?cursor=0', { token: renewed.body.deviceToken })).status,
    ).toBe(200);

    clock = Date.now();
    const late = createSimDevice('S-1');
    const lateToken = await enrollSim(t, late, 'S-1');
    clock += DEFAULT_TOKEN_POLICY.deviceLifetimeMs + DEFAULT_TOKEN_POLICY.deviceGraceMs + 1 * DAY;
    const tooLate = await t.call('POST', '/v1/device/token', { token: lateToken });
    expect(tooLate.status).toBe(401);
    expect(tooLate.body.message).toMatch(/Enroll the console again/);
  });

  it('an edited expiry makes the token unknown: the server stores only its hash', async () => {
    clock = Date.now();
    const token = await enrollSim(t, createSimDevice('S-1'), 'S-1');
    const later = (parseInt(token.split('_')[1]!, 36) + 365 * 24 * 3600).toString(36);
    const forged = token.replace(/^dpde_[0-9a-z]+_/, `dpde_${later}_`);
    expect(tokenExpiresAt(forged)!.getTime()).toBeGreaterThan(tokenExpiresAt(token)!.getTime());
    expect((await t.call('GET', '/v1/changes?cursor=0', { token: forged })).status).toBe(401);
  });

  it('auditor tokens expire (default or chosen lifetime); admin tokens do not', async () => {
    clock = Date.now();
    const short = await t.call('POST', '/v1/admin/auditor-tokens', {
      token: t.adminToken,
      body: { label: 'quarterly audit', ttlDays: 2 },
    });
    expect(short.status).toBe(200);
    expect(Date.parse(String(short.body.expiresAt))).toBeLessThanOrEqual(clock + 2 * DAY);
    const standard = await t.call('POST', '/v1/admin/auditor-tokens', {
      token: t.adminToken,
      body: { label: 'standing' },
    });
    const head = '/v1/audit/bundle?storeId=S-1';
    expect((await t.call('GET', head, { token: short.body.token })).status).toBe(200);
    clock += 3 * DAY;
    const expired = await t.call('GET', head, { token: short.body.token });
    expect(expired.status).toBe(401);
    expect(expired.body.message).toMatch(/expired/);
    // Renewal is for device tokens only.
    const notDevice = await t.call('POST', '/v1/device/token', { token: standard.body.token });
    expect(notDevice.status).toBe(403);
    expect(notDevice.body.message).toMatch(
      /^An auditor token may not call POST \/v1\/device\/token/,
    );
    expect((await t.call('GET', head, { token: standard.body.token })).status).toBe(200);
    clock += DEFAULT_TOKEN_POLICY.auditorLifetimeMs;
    expect((await t.call('GET', head, { token: standard.body.token })).status).toBe(401);
    expect((await t.call('GET', head, { token: t.adminToken })).status).toBe(200);
  });
});
