import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SERVER_DEVICE_ID } from '../../shared/audit/serverEntry.ts';
import { runDemo } from '../demo.ts';
import { verifyBundle } from '../../shared/audit/bundle.ts';
import { startTestServer, type TestServer } from '../testing/harness.ts';

let t: TestServer;
beforeAll(async () => {
  t = await startTestServer();
});
afterAll(() => t.close());

async function count(table: 'stores' | 'terminals' | 'catalog_changes'): Promise<number> {
  const r = await t.server.store.db
    .selectFrom(table)
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

describe('fleet import', () => {
  it('imports stores and terminals from CSV', async () => {
    const stores =
      'id,name,region,ring,timezone\nP-1,Paris,Europe,pilot,Europe/Paris\nL-1,Lyon,Europe,general,Europe/Paris\n';
    const terminals =
      'id,storeId,name,model,serial,installedReleaseId,installedSince,lastSeen\nP-1-t1,P-1,Lane 1,A920,SN-1,,,\n';
    expect(
      (
        await t.call('POST', '/v1/admin/fleet/csv', {
          token: t.adminToken,
          body: { kind: 'stores', csv: stores },
        })
      ).body,
    ).toEqual({ stores: 2, terminals: 0 });
    expect(
      (
        await t.call('POST', '/v1/admin/fleet/csv', {
          token: t.adminToken,
          body: { kind: 'terminals', csv: terminals },
        })
      ).body,
    ).toEqual({ stores: 0, terminals: 1 });
  });

  it('reports every bad row, refuses spreadsheet formulas, and imports nothing', async () => {
    const before = [await count('stores'), await count('catalog_changes')];
    const csv = [
      'id,name,region,ring,timezone',
      'G-1,Good,Europe,pilot,Europe/Paris',
      'B-1,=HYPERLINK("http://x"),Europe,pilot,Europe/Paris',
      'B-2,Bad ring,Europe,moon,Europe/Paris',
      'G-1,Twice,Europe,pilot,Europe/Paris',
    ].join('\n');
    const res = await t.call('POST', '/v1/admin/fleet/csv', {
      token: t.adminToken,
      body: { kind: 'stores', csv },
    });
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('invalid_input');
    const rows = (res.body.rowErrors as Array<{ row: number; message: string }>).map((e) => e.row);
    expect(rows).toEqual([2, 3, 4]);
    expect(res.body.rowErrors[0].message).toMatch(/formula/);
    expect([await count('stores'), await count('catalog_changes')]).toEqual(before);

    const json = await t.call('POST', '/v1/admin/fleet', {
      token: t.adminToken,
      body: {
        stores: [{ id: 'J-1', name: 'J', region: 'R', ring: 'lab', timezone: 'UTC' }],
        terminals: [
          {
            id: 'x',
            storeId: 'NOPE',
            name: 'n',
            model: 'm',
            serial: 's',
            installed: null,
            lastSeen: null,
          },
        ],
      },
    });
    expect(json.status).toBe(400);
    expect(json.body.rowErrors).toEqual([
      { row: 2, message: 'terminal x: there is no store NOPE' },
    ]);
    expect([await count('stores'), await count('catalog_changes')]).toEqual(before);
  });
});

describe('--demo', () => {
  it('loads the demo catalog and pushes a verifiable history from two devices through HTTP', async () => {
    const demo = await runDemo(t.server, t.url);
    expect(demo.eventsPushed).toBeGreaterThanOrEqual(200);
    expect(demo.enrollmentCode).toMatch(/^[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}$/);
    const res = await fetch(`${t.url}/v1/audit/bundle`, {
      headers: { authorization: `Bearer ${demo.auditorToken}` },
    });
    const result = verifyBundle((await res.text()).trim().split('\n'));
    // Beside the two devices' events, the server's central actions: the test server's
    // administrator, the catalog loaded and the admin token issued as the demo's administrator.
    const central = await t.server.store.db
      .selectFrom('log_entries')
      .select(['type', 'body'])
      .where('device_id', '=', SERVER_DEVICE_ID)
      .orderBy('idx')
      .execute();
    expect(
      central
        .slice(-2)
        .map((e) => [
          e.type,
          (JSON.parse(e.body) as { payload: { actedBy: { adminId: string } } }).payload.actedBy
            .adminId,
        ]),
    ).toEqual([
      ['admin.fleet.imported', 'u-ada'],
      ['admin.adminToken.issued', 'u-ada'],
    ]);
    expect(result).toMatchObject({
      ok: true,
      events: demo.eventsPushed + central.length,
      devices: 3,
    });
    const enroll = await t.call('POST', '/v1/enroll', {
      body: {
        code: demo.enrollmentCode,
        deviceId: 'console-1',
        publicKey: Buffer.alloc(32, 9).toString('base64'),
      },
    });
    expect(enroll.status).toBe(200);
    expect(enroll.body.storeId).toBe(demo.storeId);
  });
});
