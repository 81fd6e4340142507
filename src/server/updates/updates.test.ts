import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runAdmin } from '../admin.ts';
import { publicKeyFromRaw, verifyEd25519 } from '../log/keys.ts';
import {
  TEST_FLEET,
  enrollSim,
  pullAllChanges,
  startTestServer,
  type TestServer,
} from '../testing/harness.ts';
import { createSimDevice } from '../testing/device.ts';
import { startTestPostgres } from '../testing/postgres.ts';
import { manifestSigningText, type SignedUpdateManifest } from '../../shared/updates/manifest.ts';

let t: TestServer;
let files: string;
beforeAll(async () => {
  t = await startTestServer();
  files = mkdtempSync(join(tmpdir(), 'dearpos-update-files-'));
  expect(
    (await t.call('POST', '/v1/admin/fleet', { token: t.adminToken, body: TEST_FLEET })).status,
  ).toBe(200);
});
afterAll(async () => {
  await t.close();
  rmSync(files, { recursive: true, force: true });
});

const sha = (c: string) => c.repeat(86) + '==';
const policy = (overrides: Record<string, unknown> = {}) => ({
  channels: { lab: 'alpha', pilot: 'beta', early: 'latest', general: 'latest' },
  stagedPercent: { lab: 100, pilot: 100, early: 50, general: 10 },
  pins: [],
  downgrades: [],
  ...overrides,
});

describe('update manifests signed with the central log key', () => {
  it('signs a published manifest with the key GET /v1/log/key serves, and serves it byte for byte', async () => {
    const published = await t.call('POST', '/v1/admin/update-manifests', {
      token: t.adminToken,
      body: {
        version: '3.0.0',
        channel: 'beta',
        files: [{ name: 'c-3.0.0.exe', size: 42, sha512: sha('B') }],
      },
    });
    expect(published.status).toBe(200);
    const served = await t.call('GET', '/v1/updates/beta/3.0.0/manifest');
    expect(served.status).toBe(200);
    expect(served.body).toEqual(published.body);
    const { manifest, signature } = served.body as SignedUpdateManifest;
    const key = (await t.call('GET', '/v1/log/key')).body as { logId: string; publicKey: string };
    expect(manifest).toMatchObject({
      kind: 'update-manifest',
      v: 1,
      logId: key.logId,
      version: '3.0.0',
      channel: 'beta',
    });
    expect(
      verifyEd25519(publicKeyFromRaw(key.publicKey), manifestSigningText(manifest), signature),
    ).toBe(true);
  });

  it('never changes a published version: the same files answer the stored manifest, other files are a conflict', async () => {
    const body = {
      version: '3.0.1',
      channel: 'latest',
      files: [{ name: 'c.AppImage', size: 7, sha512: sha('C') }],
    };
    const first = await t.call('POST', '/v1/admin/update-manifests', { token: t.adminToken, body });
    const again = await t.call('POST', '/v1/admin/update-manifests', { token: t.adminToken, body });
    expect(again.body).toEqual(first.body);
    const other = await t.call('POST', '/v1/admin/update-manifests', {
      token: t.adminToken,
      body: { ...body, files: [{ ...body.files[0], sha512: sha('D') }] },
    });
    expect(other.status).toBe(409);
    expect(other.body).toMatchObject({ code: 'conflict' });
    const served = await t.call('GET', '/v1/updates/latest/3.0.1/manifest');
    expect(served.body).toEqual(first.body);
  });

  it('refuses a channel that is not one of ours, an unknown version, a bad file name and a bad hash', async () => {
    const gamma = await t.call('GET', '/v1/updates/gamma/3.0.0/manifest');
    expect(gamma.status).toBe(400);
    expect(gamma.body).toMatchObject({
      code: 'invalid_input',
      message: expect.stringContaining('alpha, beta, latest') as unknown,
    });
    const unknown = await t.call('GET', '/v1/updates/latest/9.9.9/manifest');
    expect(unknown.status).toBe(404);
    for (const files of [
      [{ name: '../evil.exe', size: 1, sha512: sha('E') }],
      [{ name: 'ok.exe', size: 1, sha512: 'not-base64' }],
      [],
    ]) {
      const res = await t.call('POST', '/v1/admin/update-manifests', {
        token: t.adminToken,
        body: { version: '3.0.2', channel: 'latest', files },
      });
      expect(res.status).toBe(400);
      expect(res.body).toMatchObject({ code: 'invalid_input' });
    }
    const gone = await t.call('GET', '/v1/updates/latest/3.0.2/manifest');
    expect(gone.status).toBe(404);
  });

  it('publish-update on the command line hashes the files and signs with the same log key', async () => {
    const file = join(files, 'DearPOS-3.1.0-x86_64.AppImage');
    writeFileSync(file, Buffer.from('an AppImage, byte for byte'.repeat(100)));
    const code = await runAdmin([
      'publish-update',
      '--as',
      'test-admin',
      '--data',
      t.dataDir,
      '--channel',
      'latest',
      '--version',
      '3.1.0',
      '--file',
      file,
    ]);
    expect(code).toBe(0);
    const served = await t.call('GET', '/v1/updates/latest/3.1.0/manifest');
    expect(served.status).toBe(200);
    const { manifest, signature } = served.body as SignedUpdateManifest;
    expect(manifest.files).toEqual([
      {
        name: 'DearPOS-3.1.0-x86_64.AppImage',
        size: 2600,
        sha512: (await import('node:crypto'))
          .createHash('sha512')
          .update(Buffer.from('an AppImage, byte for byte'.repeat(100)))
          .digest('base64'),
      },
    ]);
    expect(
      verifyEd25519(
        publicKeyFromRaw(t.server.key.publicKey),
        manifestSigningText(manifest),
        signature,
      ),
    ).toBe(true);
    expect(
      await runAdmin([
        'publish-update',
        '--as',
        'test-admin',
        '--data',
        t.dataDir,
        '--channel',
        'latest',
        '--version',
        '3.1.1',
        '--file',
        join(files, 'missing'),
      ]),
    ).toBe(1);
    expect((await t.call('GET', '/v1/updates/latest/3.1.1/manifest')).status).toBe(404);
  });
});

describe('the console update policy in the catalog', () => {
  it('reaches a store console with the catalog pull (S-1 is a pilot store: beta)', async () => {
    const device = createSimDevice('S-1');
    const token = await enrollSim(t, device, 'S-1');
    const published = await t.call('POST', '/v1/admin/console-update-policy', {
      token: t.adminToken,
      body: policy({
        pins: [
          { scope: { storeId: 'S-1' }, version: '3.0.0', reason: 'Black Friday', by: 'admin-anna' },
        ],
      }),
    });
    expect(published.status, JSON.stringify(published.body)).toBe(200);
    const changes = await pullAllChanges(t, token);
    const last = changes.filter((c) => c.entity === 'consoleUpdatePolicy').at(-1);
    expect(last).toMatchObject({
      op: 'upsert',
      value: { stagedPercent: { general: 10 }, pins: [{ version: '3.0.0', by: 'admin-anna' }] },
    });
  });

  it('refuses a pin or a downgrade to a version never published on the channel the scope follows, and changes nothing', async () => {
    const before = await t.call('GET', '/v1/admin/devices', { token: t.adminToken });
    expect(before.status).toBe(200);
    // 3.0.0 is published on beta only; the general ring follows latest.
    const pin = await t.call('POST', '/v1/admin/console-update-policy', {
      token: t.adminToken,
      body: policy({
        pins: [{ scope: { ring: 'general' }, version: '3.0.0', reason: 'x', by: 'a' }],
      }),
    });
    expect(pin.status).toBe(400);
    expect(pin.body).toMatchObject({
      code: 'invalid_input',
      message: expect.stringContaining('never published on latest') as unknown,
    });
    const downgrade = await t.call('POST', '/v1/admin/console-update-policy', {
      token: t.adminToken,
      body: policy({
        downgrades: [{ scope: { storeId: 'S-1' }, toVersion: '1.0.0', reason: 'x', by: 'a' }],
      }),
    });
    expect(downgrade.status).toBe(400);
    const badChannel = await t.call('POST', '/v1/admin/console-update-policy', {
      token: t.adminToken,
      body: policy({
        channels: { lab: 'gamma', pilot: 'beta', early: 'latest', general: 'latest' },
      }),
    });
    expect(badChannel.status).toBe(400);
    const unknownStore = await t.call('POST', '/v1/admin/console-update-policy', {
      token: t.adminToken,
      body: policy({
        pins: [{ scope: { storeId: 'S-404' }, version: '3.0.1', reason: 'x', by: 'a' }],
      }),
    });
    expect(unknownStore.status).toBe(404);
    // The policy in force is still the one published above.
    const device = createSimDevice('S-1');
    const changes = await pullAllChanges(t, await enrollSim(t, device, 'S-1'));
    const policies = changes.filter((c) => c.entity === 'consoleUpdatePolicy');
    expect(policies.at(-1)).toMatchObject({ value: { pins: [{ version: '3.0.0' }] } });
  });

  it('set-update-policy on the command line publishes the same way and refuses the same things', async () => {
    const good = join(files, 'policy.json');
    writeFileSync(
      good,
      JSON.stringify(
        policy({
          downgrades: [
            {
              scope: { ring: 'early' },
              toVersion: '3.0.1',
              reason: 'crash in 3.1.0',
              by: 'admin-bo',
            },
          ],
        }),
      ),
    );
    expect(
      await runAdmin([
        'set-update-policy',
        '--as',
        'test-admin',
        '--data',
        t.dataDir,
        '--json',
        good,
      ]),
    ).toBe(0);
    const bad = join(files, 'bad.json');
    writeFileSync(
      bad,
      JSON.stringify(policy({ stagedPercent: { lab: 101, pilot: 0, early: 0, general: 0 } })),
    );
    expect(
      await runAdmin([
        'set-update-policy',
        '--as',
        'test-admin',
        '--data',
        t.dataDir,
        '--json',
        bad,
      ]),
    ).toBe(1);
  });
});

describe('on PostgreSQL', () => {
  it('publishes, serves and refuses the same way', async () => {
    const pg = await startTestPostgres();
    const server = await startTestServer({ databaseUrl: await pg.createDatabase() });
    try {
      const body = {
        version: '4.0.0',
        channel: 'alpha',
        files: [{ name: 'c.dmg', size: 3, sha512: sha('F') }],
      };
      const published = await server.call('POST', '/v1/admin/update-manifests', {
        token: server.adminToken,
        body,
      });
      expect(published.status).toBe(200);
      expect((await server.call('GET', '/v1/updates/alpha/4.0.0/manifest')).body).toEqual(
        published.body,
      );
      const other = await server.call('POST', '/v1/admin/update-manifests', {
        token: server.adminToken,
        body: { ...body, files: [{ name: 'c.dmg', size: 4, sha512: sha('F') }] },
      });
      expect(other.status).toBe(409);
      const pin = await server.call('POST', '/v1/admin/console-update-policy', {
        token: server.adminToken,
        body: policy({
          pins: [{ scope: { ring: 'lab' }, version: '4.0.0', reason: 'hold', by: 'a' }],
        }),
      });
      expect(pin.status, JSON.stringify(pin.body)).toBe(200);
    } finally {
      await server.close();
      pg.stop();
    }
  });
});
