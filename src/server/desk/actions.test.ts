/**
 * Desk actions: a server entry naming the acting user, in the store's feed
 * when it concerns a store, in both audit bundles; a refused action (desk
 * role, acting user, scope) changes nothing at all.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyBundle } from '../../shared/audit/bundle.ts';
import { SERVER_DEVICE_ID, SERVER_STORE_ID } from '../../shared/audit/serverEntry.ts';
import { feedResponse } from '../../shared/sync/feed.ts';
import { ServerError } from '../errors.ts';
import { createSimDevice, versionPayload } from '../testing/device.ts';
import { TEST_FLEET, enrollSim, startTestServer, type TestServer } from '../testing/harness.ts';
import { appendDeskAction, type DeskAction } from './actions.ts';
import type { DeskPrincipal } from './queries.ts';

let t: TestServer;
let storeToken: string;
const device = createSimDevice('S-1');

const northSupport: DeskPrincipal = {
  kind: 'desk',
  deskId: 'desk-north',
  scope: { kind: 'region', region: 'North' },
  role: 'support',
  tokenHash: 'test',
};

function action(overrides: Partial<DeskAction> = {}): DeskAction {
  return {
    desk: northSupport,
    allowedDeskRoles: ['support'],
    actedBy: 'sup-1',
    allowedUserRoles: ['support', 'admin'],
    storeId: 'S-1',
    type: 'feedback.report.triaged',
    payload: { reportId: 'rep-1', severity: 'S2' },
    at: new Date('2026-03-01T10:00:00Z'),
    ...overrides,
  };
}

function append(a: DeskAction) {
  return t.server.store.db.transaction().execute((trx) => appendDeskAction(trx, t.server.key, a));
}

/** Everything a refused action could have touched. */
async function logState(): Promise<string> {
  const head = await t.call('GET', '/v1/log/tree-head');
  const rows = await t.server.store.db
    .selectFrom('log_entries')
    .select(['idx', 'hash'])
    .orderBy('idx')
    .execute();
  const cps = await t.server.store.db.selectFrom('checkpoints').select('seq').execute();
  return JSON.stringify([head.body.treeHead.size, head.body.treeHead.root, rows, cps.length]);
}

async function bundle(query: string) {
  const res = await t.call('GET', `/v1/audit/bundle${query}`, { token: t.adminToken });
  expect(res.status).toBe(200);
  return (res.body as string).split('\n').filter((l) => l.trim() !== '');
}

beforeAll(async () => {
  t = await startTestServer();
  await t.call('POST', '/v1/admin/fleet', { token: t.adminToken, body: TEST_FLEET });
  for (const user of [
    { id: 'tech-1', name: 'Tess Tech', role: 'technician', pin: '135790', storeIds: [] },
    { id: 'sup-1', name: 'Sam Support', role: 'support', pin: '135790', storeIds: [] },
    { id: 'sup-gone', name: 'Gone Support', role: 'support', pin: '135790', storeIds: [] },
    { id: 'sup-s2', name: 'South Support', role: 'support', pin: '135790', storeIds: ['S-2'] },
  ]) {
    const res = await t.call('POST', '/v1/admin/users', { token: t.adminToken, body: user });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
  }
  await t.call('POST', '/v1/admin/users/revoke', {
    token: t.adminToken,
    body: { userId: 'sup-gone' },
  });
  storeToken = await enrollSim(t, device, 'S-1');
  device.record('fleet.version.recorded', versionPayload(1, 'T-1'));
  const push = await t.call('POST', '/v1/events', {
    token: storeToken,
    body: device.pushBody(1, 1),
  });
  expect(push.status).toBe(200);
});
afterAll(() => t.close());

describe('appendDeskAction', () => {
  it("appends a server entry naming the acting user, served in the store's feed", async () => {
    const out = await append(action());
    expect(out.actedBy).toEqual({ userId: 'sup-1', role: 'support', deskId: 'desk-north' });
    const central = await append(
      action({ storeId: null, type: 'feedback.comment.added', payload: { text: 'internal' } }),
    );
    expect(central.seq).toBe(out.seq + 1);

    const page = feedResponse.parse(
      (await t.call('GET', '/v1/feed?limit=100', { token: storeToken })).body,
    );
    const served = page.entries.flatMap((e) => ('event' in e ? [e] : []));
    // The store's own device's event is not served back to it; the central entry reaches no store.
    expect(served).toHaveLength(1);
    expect(served[0]!.index).toBe(out.index);
    expect(served[0]!.event).toMatchObject({
      deviceId: SERVER_DEVICE_ID,
      storeId: 'S-1',
      type: 'feedback.report.triaged',
      payload: {
        reportId: 'rep-1',
        severity: 'S2',
        actedBy: { userId: 'sup-1', role: 'support', deskId: 'desk-north' },
      },
    });
    const row = await t.server.store.db
      .selectFrom('log_entries')
      .select('store_id')
      .where('idx', '=', central.index)
      .executeTakeFirstOrThrow();
    expect(row.store_id).toBe(SERVER_STORE_ID);
  });

  it('both audit bundles verify: the store one holds only its own server entries', async () => {
    // Another store's entry between two of S-1's: the S-1 bundle skips it.
    await append(
      action({
        desk: { ...northSupport, scope: { kind: 'all' } },
        storeId: 'S-2',
        payload: { reportId: 'rep-2' },
      }),
    );
    await append(action({ payload: { reportId: 'rep-3', severity: 'S4' } }));
    const options = { trustedLogPublicKey: t.server.key.publicKey };
    const complete = verifyBundle(await bundle(''), undefined, options);
    expect(complete.ok, JSON.stringify(complete)).toBe(true);
    const storeLines = await bundle('?storeId=S-1');
    const store = verifyBundle(storeLines, undefined, options);
    expect(store.ok, JSON.stringify(store)).toBe(true);
    const serverEvents = storeLines
      .map((l) => JSON.parse(l) as { kind: string; event?: { deviceId: string; storeId: string } })
      .filter((l) => l.kind === 'event' && l.event?.deviceId === SERVER_DEVICE_ID);
    expect(serverEvents.map((l) => l.event!.storeId)).toEqual(['S-1', 'S-1']);

    // A server entry whose checkpoint was left out of the store bundle is refused.
    const withoutCheckpoint = storeLines.filter((l) => {
      const line = JSON.parse(l) as { kind: string; deviceId?: string };
      return !(line.kind === 'checkpoint' && line.deviceId === SERVER_DEVICE_ID);
    });
    const refused = verifyBundle(withoutCheckpoint, undefined, options);
    expect(refused.ok).toBe(false);
  });

  it.each([
    [
      'a desk of another role',
      { desk: { ...northSupport, role: 'release' as const } },
      'role_denied',
    ],
    ['an unknown user', { actedBy: 'nobody' }, 'actor_denied'],
    ['a revoked user', { actedBy: 'sup-gone' }, 'actor_denied'],
    ['a user without the role', { actedBy: 'tech-1' }, 'actor_denied'],
    ['a user not assigned to the store', { actedBy: 'sup-s2' }, 'actor_denied'],
    ['a store outside the scope', { storeId: 'S-2' }, 'scope_denied'],
    ['an unknown store', { storeId: 'S-404' }, 'scope_denied'],
  ])('refuses %s with %s and changes nothing', async (_what, overrides, code) => {
    const before = await logState();
    const error = await append(action(overrides)).then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ServerError);
    expect((error as ServerError).code).toBe(code);
    expect((error as ServerError).status).toBe(403);
    expect(await logState()).toBe(before);
  });
});
