/**
 * The desk's view of the flags a store runs: the catalog's values as the
 * store's console received them, overlaid by the feature-flag change requests
 * approved for that store in the central log. A real server on 127.0.0.1, on
 * SQLite and on PostgreSQL.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSimDevice } from '../testing/device.ts';
import {
  createTestUsers,
  enrollSim,
  startTestServer,
  TEST_FLEET,
  type TestServer,
} from '../testing/harness.ts';
import { startTestPostgres, type TestPostgres } from '../testing/postgres.ts';

let postgres: TestPostgres;
beforeAll(async () => {
  postgres = await startTestPostgres();
});
afterAll(() => postgres.stop());

const RELEASE = {
  id: 'rel-2.0.0',
  version: '2.0.0',
  type: 'major',
  ring: 'pilot',
  status: 'rolling_out',
  plannedAt: null,
  actualAt: null,
  title: 'Release 2',
  notesMarkdown: '',
};

describe.each(['sqlite', 'postgres'] as const)('desk store flags on %s', (dialect) => {
  let t: TestServer;
  let desk: string;
  let northDesk: string;
  let device: ReturnType<typeof createSimDevice>;

  async function deskToken(scope: string, deskId: string): Promise<string> {
    const code = await t.call('POST', '/v1/admin/desk-enrollment-codes', {
      token: t.adminToken,
      body: { scope, role: 'release' },
    });
    expect(code.status, JSON.stringify(code.body)).toBe(200);
    const enrolled = await t.call('POST', '/v1/desk/enroll', {
      body: {
        code: code.body.code,
        deskId,
        publicKey: createSimDevice('S-2').publicKey,
        name: deskId,
      },
    });
    expect(enrolled.status, JSON.stringify(enrolled.body)).toBe(200);
    return enrolled.body.deskToken as string;
  }

  beforeAll(async () => {
    device = createSimDevice('S-2');
    const databaseUrl = dialect === 'postgres' ? await postgres.createDatabase() : undefined;
    t = await startTestServer(databaseUrl ? { databaseUrl } : {});
    await t.call('POST', '/v1/admin/fleet', { token: t.adminToken, body: TEST_FLEET });
    await t.call('POST', '/v1/admin/releases', { token: t.adminToken, body: RELEASE });
    await createTestUsers(t, [
      { id: 'tech-1', name: 'Test technician', role: 'technician', pin: '123456', storeIds: [] },
      // An administrator who approves at the store's console is a user of that store.
      { id: 'adm-1', name: 'Ada Admin', role: 'admin', pin: '123456', storeIds: ['S-2'] },
    ]);
    const flag = (key: string, byStore: Record<string, boolean>) => ({
      releaseId: RELEASE.id,
      key,
      description: `The ${key} flag`,
      defaultValue: false,
      byRing: { general: true },
      byStore,
    });
    for (const body of [flag('assist-mode', {}), flag('new-receipt', { 'S-1': false })]) {
      const res = await t.call('POST', '/v1/admin/feature-flags', { token: t.adminToken, body });
      expect(res.status, JSON.stringify(res.body)).toBe(200);
    }
    desk = await deskToken('all', 'desk-release');
    northDesk = await deskToken('region:North', 'desk-north');
  });
  afterAll(() => t.close());

  const flagsOf = async (storeId: string, token = desk) => {
    const res = await t.call('GET', `/v1/desk/stores/${storeId}/flags?releaseId=${RELEASE.id}`, {
      token,
    });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return (res.body.flags as Array<Record<string, unknown>>).map((f) => [
      f['key'],
      f['value'],
      f['source'],
    ]);
  };

  it('an approved change request turns the flag for its store only; a pending one changes nothing', async () => {
    expect(await flagsOf('S-2')).toEqual([
      ['assist-mode', true, 'ring'],
      ['new-receipt', true, 'ring'],
    ]);
    const token = await enrollSim(t, device, 'S-2');
    const deviation = {
      kind: 'feature_flag_change',
      storeId: 'S-2',
      releaseId: RELEASE.id,
      flagKey: 'assist-mode',
      value: false,
    };
    device.record('change_request.requested', {
      changeRequestId: 'cr-1',
      deviation,
      impactNote: 'Assisted checkout off while lane 3 is rebuilt',
      risk: 'low',
    });
    let res = await t.call('POST', '/v1/events', { token, body: device.pushBody(1, 1) });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect((await flagsOf('S-2'))[0]).toEqual(['assist-mode', true, 'ring']);

    device.record(
      'change_request.approved',
      { changeRequestId: 'cr-1', note: 'Fine for the rebuild' },
      { actor: { userId: 'adm-1', role: 'admin' } },
    );
    res = await t.call('POST', '/v1/events', { token, body: device.pushBody(2, 2) });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(await flagsOf('S-2')).toEqual([
      ['assist-mode', false, 'change_request'],
      ['new-receipt', true, 'ring'],
    ]);
    // S-1's own override and ring stay as the catalog says.
    expect(await flagsOf('S-1')).toEqual([
      ['assist-mode', false, 'default'],
      ['new-receipt', false, 'store'],
    ]);
  });

  it('a store outside the desk scope is 403 scope_denied, a bad release id 400', async () => {
    const outside = await t.call('GET', `/v1/desk/stores/S-2/flags?releaseId=${RELEASE.id}`, {
      token: northDesk,
    });
    expect(outside.status).toBe(403);
    expect(outside.body.code).toBe('scope_denied');
    const bad = await t.call('GET', '/v1/desk/stores/S-1/flags?releaseId=no%20such', {
      token: desk,
    });
    expect(bad.status).toBe(400);
    expect(bad.body.message).toContain('releaseId');
  });
});
