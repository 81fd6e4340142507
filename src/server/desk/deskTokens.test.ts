/**
 * Desk tokens expire like device tokens, renew themselves (rotated: the old
 * one is dead at once, also within the grace window after expiry), and an
 * administrator revokes one desk at once over HTTP or the command line.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  deskEnrollResponse,
  deskRenewTokenResponse,
  revokeDeskResponse,
} from '../../shared/desk/protocol.ts';
import { tokenExpiresAt } from '../../shared/sync/protocol.ts';
import { runAdmin } from '../admin.ts';
import { DEFAULT_TOKEN_POLICY } from '../auth/tokens.ts';
import { createSimDevice } from '../testing/device.ts';
import { TEST_FLEET, startTestServer, type TestServer } from '../testing/harness.ts';

const DAY = 24 * 60 * 60 * 1000;
const STORES = '/v1/desk/stores?releaseId=rel-1.0.0';

let t: TestServer;
let clock = Date.now();
let counter = 0;
beforeAll(async () => {
  t = await startTestServer({ now: () => new Date(clock) });
  await t.call('POST', '/v1/admin/fleet', { token: t.adminToken, body: TEST_FLEET });
});
afterAll(() => t.close());

async function enrollDesk(): Promise<{ deskId: string; token: string; expiresAt: string }> {
  const code = await t.call('POST', '/v1/admin/desk-enrollment-codes', {
    token: t.adminToken,
    body: { scope: 'all', role: 'release' },
  });
  const deskId = `desk-${++counter}`;
  const res = await t.call('POST', '/v1/desk/enroll', {
    body: { code: code.body.code, deskId, publicKey: createSimDevice('S-1').publicKey },
  });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  const body = deskEnrollResponse.parse(res.body);
  return { deskId, token: body.deskToken, expiresAt: body.expiresAt };
}

describe('desk tokens', () => {
  it('carry their expiry (30 days), renew before it, and the old token stops working at once', async () => {
    clock = Date.now();
    const desk = await enrollDesk();
    expect(tokenExpiresAt(desk.token)!.toISOString()).toBe(desk.expiresAt);
    expect(Date.parse(desk.expiresAt) - clock).toBeGreaterThan(
      DEFAULT_TOKEN_POLICY.deviceLifetimeMs - 60_000,
    );
    clock += 25 * DAY;
    expect((await t.call('GET', STORES, { token: desk.token })).status).toBe(200);
    const renewed = await t.call('POST', '/v1/desk/token', { token: desk.token });
    expect(renewed.status, JSON.stringify(renewed.body)).toBe(200);
    const { deskToken, expiresAt } = deskRenewTokenResponse.parse(renewed.body);
    expect(Date.parse(expiresAt)).toBeGreaterThan(clock + 29 * DAY);
    expect((await t.call('GET', STORES, { token: desk.token })).status).toBe(401);
    expect((await t.call('POST', '/v1/desk/token', { token: desk.token })).status).toBe(401);
    expect((await t.call('GET', STORES, { token: deskToken })).status).toBe(200);
  });

  it('an expired desk token is refused with 401 unauthorized and its expiry, may still renew in the grace window, and not after it', async () => {
    clock = Date.now();
    const desk = await enrollDesk();
    clock += 31 * DAY;
    const refused = await t.call('GET', STORES, { token: desk.token });
    expect(refused.status).toBe(401);
    expect(refused.body).toMatchObject({
      code: 'unauthorized',
      message: expect.stringMatching(/^This desk token expired on .*: renew it/),
    });
    const renewed = await t.call('POST', '/v1/desk/token', { token: desk.token });
    expect(renewed.status).toBe(200);
    expect((await t.call('GET', STORES, { token: renewed.body.deskToken })).status).toBe(200);

    clock = Date.now();
    const late = await enrollDesk();
    clock += DEFAULT_TOKEN_POLICY.deviceLifetimeMs + DEFAULT_TOKEN_POLICY.deviceGraceMs + DAY;
    const tooLate = await t.call('POST', '/v1/desk/token', { token: late.token });
    expect(tooLate.status).toBe(401);
    expect(tooLate.body.message).toMatch(/can no longer be renewed/);
  });

  it('a device token cannot renew itself as a desk, nor a desk token as a device', async () => {
    clock = Date.now();
    const desk = await enrollDesk();
    expect((await t.call('POST', '/v1/device/token', { token: desk.token })).status).toBe(403);
    expect((await t.call('GET', STORES, { token: desk.token })).status).toBe(200);
  });

  it('an administrator revokes one desk over HTTP: its token gets 401 at once, renewal too; other desks go on', async () => {
    clock = Date.now();
    const revoked = await enrollDesk();
    const other = await enrollDesk();
    const res = await t.call('POST', '/v1/admin/desks/revoke', {
      token: t.adminToken,
      body: { deskId: revoked.deskId },
    });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(revokeDeskResponse.parse(res.body).deskId).toBe(revoked.deskId);
    const refused = await t.call('GET', STORES, { token: revoked.token });
    expect(refused.status).toBe(401);
    expect(refused.body.code).toBe('unauthorized');
    expect((await t.call('POST', '/v1/desk/token', { token: revoked.token })).status).toBe(401);
    expect((await t.call('GET', STORES, { token: other.token })).status).toBe(200);

    const unknown = await t.call('POST', '/v1/admin/desks/revoke', {
      token: t.adminToken,
      body: { deskId: 'desk-nobody' },
    });
    expect(unknown.status).toBe(404);
    expect(unknown.body.code).toBe('not_found');
    const malformed = await t.call('POST', '/v1/admin/desks/revoke', {
      token: t.adminToken,
      body: { deskId: 'desk-1', extra: true },
    });
    expect(malformed.status).toBe(400);
  });

  it('`admin revoke-desk <id>` on the command line revokes it just the same', async () => {
    clock = Date.now();
    const desk = await enrollDesk();
    const out: string[] = [];
    const write = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
      out.push(String(chunk));
      return true;
    });
    let rc: number;
    try {
      rc = await runAdmin(['revoke-desk', desk.deskId, '--as', 'test-admin', '--data', t.dataDir]);
    } finally {
      write.mockRestore();
    }
    expect(rc).toBe(0);
    expect(out.join('')).toMatch(new RegExp(`^desk ${desk.deskId} revoked at `));
    expect((await t.call('GET', STORES, { token: desk.token })).status).toBe(401);
  });
});
