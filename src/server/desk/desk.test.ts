/**
 * Desks enrolled for a region or for every store read the read
 * models through paged queries; every call checks the token's scope (403
 * scope_denied outside it) and a malformed parameter answers 400, never 500.
 * A real server on 127.0.0.1, the admin command line on the same data folder.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { deskStoresPage } from '../../shared/desk/protocol.ts';
import { runAdmin } from '../admin.ts';
import { createSimDevice, versionPayload } from '../testing/device.ts';
import { TEST_FLEET, enrollSim, startTestServer, type TestServer } from '../testing/harness.ts';

let t: TestServer;
let north: string;
let all: string;
const device = createSimDevice('S-1');

function release(i: number) {
  return {
    id: `rel-1.${i}.0`,
    version: `1.${i}.0`,
    type: 'minor',
    ring: 'pilot',
    status: 'rolling_out',
    plannedAt: null,
    actualAt: null,
    title: `Release 1.${i}`,
    notesMarkdown: '',
  };
}

async function enrollDesk(code: string, deskId: string): Promise<string> {
  const d = createSimDevice('S-1');
  const res = await t.call('POST', '/v1/desk/enroll', {
    body: { code, deskId, publicKey: d.publicKey, name: `${deskId} laptop` },
  });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body.deskToken as string;
}

beforeAll(async () => {
  t = await startTestServer();
  await t.call('POST', '/v1/admin/fleet', { token: t.adminToken, body: TEST_FLEET });
  for (let i = 0; i < 3; i++)
    await t.call('POST', '/v1/admin/releases', { token: t.adminToken, body: release(i) });
  await t.call('POST', '/v1/admin/ring-targets', {
    token: t.adminToken,
    body: { ring: 'pilot', releaseId: 'rel-1.2.0' },
  });
  // The actor the device signs as exists in the catalog (unknown actors are quarantined).
  await t.call('POST', '/v1/admin/users', {
    token: t.adminToken,
    body: { id: 'tech-1', name: 'Tess Tech', role: 'technician', pin: '135790', storeIds: [] },
  });
  const token = await enrollSim(t, device, 'S-1');
  device.record('fleet.version.recorded', versionPayload(1, 'T-1'));
  expect((await t.call('POST', '/v1/events', { token, body: device.pushBody(1, 1) })).status).toBe(
    200,
  );

  const code = await t.call('POST', '/v1/admin/desk-enrollment-codes', {
    token: t.adminToken,
    body: { scope: 'region:North', role: 'support' },
  });
  expect(code.status, JSON.stringify(code.body)).toBe(200);
  north = await enrollDesk(code.body.code as string, 'desk-north');

  // The same operation from the admin command line (the server keeps running on the same folder).
  const out: string[] = [];
  const write = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
    out.push(String(chunk));
    return true;
  });
  try {
    const rc = await runAdmin([
      'desk-enrollment-code',
      '--as',
      'test-admin',
      '--desk',
      '--scope',
      'all',
      '--role',
      'auditor',
      '--data',
      t.dataDir,
    ]);
    expect(rc).toBe(0);
  } finally {
    write.mockRestore();
  }
  const cliCode = /desk enrollment code: (\S+)/.exec(out.join(''))![1]!;
  expect(out.join('')).toContain('scope: all');
  all = await enrollDesk(cliCode, 'desk-all');
});
afterAll(() => t.close());

describe('desk scopes', () => {
  it("a region desk sees its region's stores with their state for the chosen release", async () => {
    const res = await t.call('GET', '/v1/desk/stores?releaseId=rel-1.1.0', { token: north });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.stores).toEqual([
      {
        storeId: 'S-1',
        name: 'Store One',
        region: 'North',
        ring: 'pilot',
        terminals: 1,
        installed: 1,
        // T-1 runs 1.1.0 while the pilot ring targets 1.2.0.
        drifting: 1,
        latestDecision: null,
        openDeployments: 0,
        superseded: 0,
        consoles: [
          { deviceId: device.deviceId, name: 'S-1 console 1', lastSyncAt: expect.any(String) },
        ],
      },
    ]);
    expect(res.body.next).toBeNull();
  });

  it('counts the records of a store that lost a conflict in the central log', async () => {
    // The row the projection writes when a later entry loses to an earlier one (the
    // conflicts themselves are played by real consoles in src/main/crossDevice/).
    await t.server.store.db
      .insertInto('rm_superseded')
      .values({
        event_id: 'ev-lost',
        log_idx: 1,
        store_id: 'S-1',
        device_id: device.deviceId,
        type: 'deployment.intervention.claimed',
        reason: 'already_claimed',
        won_by: 'ev-won',
      })
      .execute();
    try {
      const res = await t.call('GET', '/v1/desk/stores?releaseId=rel-1.1.0', { token: north });
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      expect(res.body.stores).toMatchObject([{ storeId: 'S-1', superseded: 1 }]);
    } finally {
      await t.server.store.db
        .deleteFrom('rm_superseded')
        .where('event_id', '=', 'ev-lost')
        .execute();
    }
  });

  it('an all-stores desk pages through every store by keyset', async () => {
    const first = await t.call('GET', '/v1/desk/stores?releaseId=rel-1.1.0&limit=1', {
      token: all,
    });
    expect(deskStoresPage.parse(first.body).stores.map((s) => s.storeId)).toEqual(['S-1']);
    expect(first.body.next).toBe('S-1');
    const second = await t.call('GET', '/v1/desk/stores?releaseId=rel-1.1.0&limit=1&after=S-1', {
      token: all,
    });
    expect(deskStoresPage.parse(second.body).stores.map((s) => s.storeId)).toEqual(['S-2']);
    expect(second.body.stores[0]).toMatchObject({ installed: 0, terminals: 1, consoles: [] });
    expect(second.body.next).toBeNull();
  });

  it('outside its scope a desk gets 403 scope_denied, on every read', async () => {
    for (const path of [
      '/v1/desk/stores?releaseId=rel-1.1.0&region=South',
      '/v1/desk/stores/S-2/terminals',
      '/v1/desk/stores/S-2/records',
      '/v1/desk/stores/NO-SUCH-STORE/terminals',
    ]) {
      const res = await t.call('GET', path, { token: north });
      expect(res.status, path).toBe(403);
      expect(res.body.code, path).toBe('scope_denied');
    }
    const own = await t.call('GET', '/v1/desk/stores/S-1/terminals', { token: north });
    expect(own.status).toBe(200);
    expect(own.body.terminals).toEqual([
      {
        terminalId: 'T-1',
        releaseId: 'rel-1.1.0',
        version: '1.1.0',
        since: expect.any(String),
        lastSeen: expect.any(String),
      },
    ]);
    const records = await t.call('GET', '/v1/desk/stores/S-1/records', { token: north });
    expect(records.status).toBe(200);
    expect(records.body.records).toEqual([]);
  });

  it('malformed parameters answer 400 with a code, never 500', async () => {
    for (const path of [
      '/v1/desk/stores',
      '/v1/desk/stores?releaseId=rel-1.1.0&limit=abc',
      '/v1/desk/stores?releaseId=rel-1.1.0&limit=100000',
      '/v1/desk/stores?releaseId=rel-1.1.0&limit=0',
      '/v1/desk/stores?releaseId=rel-1.1.0&bogus=1',
      '/v1/desk/stores?releaseId=' + 'x'.repeat(500),
      '/v1/desk/stores?releaseId=rel-1.1.0&after=%00%01',
      '/v1/desk/stores/S-1/terminals?limit=-1',
      '/v1/desk/stores/S-1/records?limit=1e9',
      '/v1/desk/stores/S%20-1/terminals',
    ]) {
      const res = await t.call('GET', path, { token: all });
      expect(res.status, path).toBe(400);
      expect(res.body.code, path).toBe('invalid_input');
    }
  });

  it('only desk tokens read desk routes, and desk tokens read nothing else', async () => {
    const deviceToken = await enrollSim(t, createSimDevice('S-1'), 'S-1');
    for (const token of [deviceToken, t.adminToken, null, 'dpk_unknown-token-0000000000']) {
      const res = await t.call('GET', '/v1/desk/stores?releaseId=rel-1.1.0', { token });
      expect([401, 403]).toContain(res.status);
    }
    expect((await t.call('GET', '/v1/changes?cursor=0', { token: north })).status).toBe(403);
    expect((await t.call('GET', '/v1/admin/devices', { token: all })).status).toBe(403);
  });

  it('desk enrollment codes are single-use and checked', async () => {
    const bad = await t.call('POST', '/v1/admin/desk-enrollment-codes', {
      token: t.adminToken,
      body: { scope: 'region:', role: 'support' },
    });
    expect(bad.status).toBe(400);
    const badRole = await t.call('POST', '/v1/admin/desk-enrollment-codes', {
      token: t.adminToken,
      body: { scope: 'all', role: 'technician' },
    });
    expect(badRole.status).toBe(400);
    const nowhere = await t.call('POST', '/v1/admin/desk-enrollment-codes', {
      token: t.adminToken,
      body: { scope: 'region:Atlantis', role: 'support' },
    });
    expect(nowhere.status).toBe(404);
    const code = await t.call('POST', '/v1/admin/desk-enrollment-codes', {
      token: t.adminToken,
      body: { scope: 'region:South', role: 'release' },
    });
    await enrollDesk(code.body.code as string, 'desk-south');
    const again = await t.call('POST', '/v1/desk/enroll', {
      body: { code: code.body.code, deskId: 'desk-south-2', publicKey: device.publicKey },
    });
    expect(again.status).toBe(400);
    expect(again.body.code).toBe('enrollment_code_invalid');
  });
});
