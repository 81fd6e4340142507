/**
 * Device names: given at enrollment, validated, stored, and shown in the
 * admin device list (HTTP and the admin command line). Real HTTP on
 * 127.0.0.1, on a real SQLite file and on a real PostgreSQL.
 */
import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSimDevice } from '../testing/device.ts';
import { TEST_FLEET, startTestServer, type TestServer } from '../testing/harness.ts';
import { startTestPostgres, type TestPostgres } from '../testing/postgres.ts';

const CLI = resolve(import.meta.dirname, '../cli.ts');

let postgres: TestPostgres;
beforeAll(async () => {
  postgres = await startTestPostgres();
});
afterAll(() => postgres.stop());

describe.each(['sqlite', 'postgres'] as const)('device names at enrollment, on %s', (dialect) => {
  let t: TestServer;
  let databaseUrl: string | undefined;
  beforeAll(async () => {
    databaseUrl = dialect === 'postgres' ? await postgres.createDatabase() : undefined;
    t = await startTestServer(databaseUrl ? { databaseUrl } : {});
    await t.call('POST', '/v1/admin/fleet', { token: t.adminToken, body: TEST_FLEET });
  });
  afterAll(async () => {
    await t.close();
  });

  async function newCode(storeId: string): Promise<string> {
    const res = await t.call('POST', '/v1/admin/enrollment-codes', {
      token: t.adminToken,
      body: { storeId },
    });
    return (res.body as { code: string }).code;
  }

  async function enroll(code: string, name?: string) {
    const device = createSimDevice('S-1');
    const res = await t.call('POST', '/v1/enroll', {
      body: {
        code,
        deviceId: device.deviceId,
        publicKey: device.publicKey,
        ...(name === undefined ? {} : { name }),
      },
    });
    return { device, res };
  }

  type ListedDevice = { id: string; storeId: string; name: string | null };

  async function listDevices(): Promise<ListedDevice[]> {
    const res = await t.call('GET', '/v1/admin/devices', { token: t.adminToken });
    expect(res.status).toBe(200);
    return (res.body as { devices: ListedDevice[] }).devices;
  }

  it('stores the name a console gives and lists it for admins over HTTP and on the command line', async () => {
    const { device, res } = await enroll(await newCode('S-1'), '  Back office PC  ');
    expect(res.status).toBe(200);
    const listed = (await listDevices()).find((d) => d.id === device.deviceId);
    expect(listed).toMatchObject({ storeId: 'S-1', name: 'Back office PC' });

    const cli = spawnSync(
      process.execPath,
      ['--experimental-strip-types', '--no-warnings', CLI, 'admin', 'list-devices'],
      {
        env: {
          ...process.env,
          DATA_DIR: t.dataDir,
          ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}),
        },
        encoding: 'utf8',
      },
    );
    expect(cli.stderr).toBe('');
    expect(cli.status).toBe(0);
    const line = cli.stdout.split('\n').find((l) => l.startsWith(device.deviceId));
    expect(line?.split('\t')).toEqual([
      device.deviceId,
      'S-1',
      'Back office PC',
      'last seq 0',
      'active',
    ]);
  });

  it('names a console that gives no name after its store and a number, not after its computer', async () => {
    const first = await enroll(await newCode('S-2'));
    const second = await enroll(await newCode('S-2'));
    expect(first.res.status).toBe(200);
    expect(second.res.status).toBe(200);
    const devices = await listDevices();
    expect(devices.find((d) => d.id === first.device.deviceId)?.name).toBe('S-2 console 1');
    expect(devices.find((d) => d.id === second.device.deviceId)?.name).toBe('S-2 console 2');
  });

  it.each([
    ['empty', '   '],
    ['too long', 'x'.repeat(65)],
    ['a line break', 'Till\nPC'],
    ['a control character', 'Till\u0007PC'],
    ['an invisible formatting character', 'Till\u202ePC'],
  ])(
    'refuses a name that is %s with a clear error, and leaves the code unused',
    async (_what, name) => {
      const code = await newCode('S-1');
      const before = (await listDevices()).length;
      const refused = await enroll(code, name);
      expect(refused.res.status).toBe(400);
      expect(refused.res.body).toMatchObject({ code: 'invalid_input' });
      expect((refused.res.body as { message: string }).message).toMatch(/name/);
      expect((await listDevices()).length).toBe(before);
      // Nothing was spent: the same code still enrolls a console.
      const accepted = await enroll(code, 'Till PC');
      expect(accepted.res.status).toBe(200);
    },
  );

  it('accepts up to 64 printable characters, accents and symbols included', async () => {
    const name = 'Caisse é ü ø № 7 — arrière-boutique'.padEnd(64, '·');
    const { device, res } = await enroll(await newCode('S-1'), name);
    expect(res.status).toBe(200);
    expect((await listDevices()).find((d) => d.id === device.deviceId)?.name).toBe(name);
  });
});
