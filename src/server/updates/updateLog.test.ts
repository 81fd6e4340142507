/**
 * Update manifests in the central log: publishing one appends a server entry
 * (signed with the log key) in the same transaction, its index comes back,
 * an inclusion proof for it verifies against a signed tree head, and an
 * audit bundle holding it verifies (audit:verify) while any forgery fails.
 */
import { TEST_ADMIN } from '../testing/admin.ts';
import { generateKeyPairSync, sign } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyBundle } from '../../shared/audit/bundle.ts';
import { checkpointText, treeHeadText } from '../../shared/audit/event.ts';
import { eventLeafHashHex, verifyInclusionHex } from '../../shared/audit/merkle.ts';
import { SERVER_DEVICE_ID } from '../../shared/audit/serverEntry.ts';
import type { SignedTreeHead } from '../../shared/sync/protocol.ts';
import type { SignedUpdateManifest } from '../../shared/updates/manifest.ts';
import { rebuildReadModels } from '../readModels/rebuild.ts';
import { publicKeyFromRaw, rawPublicKey, verifyEd25519 } from '../log/keys.ts';
import { createSimDevice, versionPayload } from '../testing/device.ts';
import { TEST_FLEET, enrollSim, startTestServer, type TestServer } from '../testing/harness.ts';
import { startTestPostgres } from '../testing/postgres.ts';

const sha = (c: string) => c.repeat(86) + '==';
const manifestBody = (version: string) => ({
  version,
  channel: 'alpha',
  files: [{ name: `c-${version}.AppImage`, size: 42, sha512: sha('A') }],
});

type Line = Record<string, unknown> & { kind: string };

async function publish(t: TestServer, version: string): Promise<SignedUpdateManifest> {
  const res = await t.call('POST', '/v1/admin/update-manifests', {
    token: t.adminToken,
    body: manifestBody(version),
  });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body as SignedUpdateManifest;
}

/** The inclusion proof of `index` under the newest signed tree head, checked as an auditor would. */
async function proveInLog(t: TestServer, index: number): Promise<{ body: string }> {
  const head = (await t.call('GET', '/v1/log/tree-head')).body as SignedTreeHead;
  const key = (await t.call('GET', '/v1/log/key')).body as { publicKey: string };
  expect(
    verifyEd25519(publicKeyFromRaw(key.publicKey), treeHeadText(head.treeHead), head.signature),
  ).toBe(true);
  const proof = await t.call(
    'GET',
    `/v1/log/proof/inclusion?index=${index}&size=${head.treeHead.size}`,
  );
  expect(proof.status).toBe(200);
  const p = proof.body as { index: number; size: number; leafHash: string; path: string[] };
  expect(verifyInclusionHex(p, head.treeHead.root)).toBe(true);
  return { body: p.leafHash };
}

async function completeBundle(t: TestServer): Promise<Line[]> {
  const res = await t.call('GET', '/v1/audit/bundle', { token: t.adminToken });
  expect(res.status).toBe(200);
  return (res.body as string)
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as Line);
}

const verify = (lines: Line[], t: TestServer) =>
  verifyBundle(
    lines.map((l) => JSON.stringify(l)),
    undefined,
    { trustedLogPublicKey: t.server.key.publicKey },
  );

let t: TestServer;
let dir: string;
beforeAll(async () => {
  t = await startTestServer();
  dir = mkdtempSync(join(tmpdir(), 'dearpos-update-log-'));
  expect(
    (await t.call('POST', '/v1/admin/fleet', { token: t.adminToken, body: TEST_FLEET })).status,
  ).toBe(200);
  // Device events before and after, so the server entries sit among them.
  const d = createSimDevice('S-1');
  const token = await enrollSim(t, d, 'S-1');
  for (let i = 0; i < 5; i++) d.record('fleet.version.recorded', versionPayload(i));
  expect((await t.call('POST', '/v1/events', { token, body: d.pushBody(1, 3) })).status).toBe(200);
  await publish(t, '5.0.0');
  expect((await t.call('POST', '/v1/events', { token, body: d.pushBody(4, 5) })).status).toBe(200);
  await publish(t, '5.1.0');
});
afterAll(async () => {
  await t.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('update manifests appended to the central log', () => {
  it('returns the log index of the manifest, whose entry is proven included under a signed tree head', async () => {
    const first = (await t.call('GET', '/v1/updates/alpha/5.0.0/manifest'))
      .body as SignedUpdateManifest;
    const second = (await t.call('GET', '/v1/updates/alpha/5.1.0/manifest'))
      .body as SignedUpdateManifest;
    // 3 central actions (the administrator's bootstrap, the fleet import, the enrollment code),
    // 3 device events, then 5.0.0's entry; 2 more, then 5.1.0's.
    expect(first.logIndex).toBe(6);
    expect(second.logIndex).toBe(9);
    // Publishing the same files again answers the stored manifest and appends nothing.
    expect(await publish(t, '5.0.0')).toEqual(first);
    expect(((await t.call('GET', '/v1/log/tree-head')).body as SignedTreeHead).treeHead.size).toBe(
      10,
    );
    const proven = await proveInLog(t, first.logIndex!);
    const row = await t.server.store.db
      .selectFrom('log_entries')
      .select(['device_id', 'type', 'hash', 'body', 'quarantine_reason'])
      .where('idx', '=', first.logIndex!)
      .executeTakeFirstOrThrow();
    expect(proven.body).toBe(eventLeafHashHex(row.hash));
    expect(row).toMatchObject({
      device_id: SERVER_DEVICE_ID,
      type: 'console.update.published',
      quarantine_reason: null,
    });
    // The entry carries the signed manifest exactly as consoles receive it.
    expect(JSON.parse(row.body).payload).toEqual({
      manifest: first.manifest,
      signature: first.signature,
      actedBy: { adminId: TEST_ADMIN.id, role: 'admin', via: 'token' },
    });
  });

  it('keeps server entries out of every store feed and quarantine', async () => {
    const q = await t.call('GET', '/v1/admin/quarantine', { token: t.adminToken });
    if (q.status === 200) expect(JSON.stringify(q.body)).not.toContain('console.update.published');
    const stores = await t.server.store.db
      .selectFrom('log_entries')
      .select('store_id')
      .where('device_id', '=', SERVER_DEVICE_ID)
      .execute();
    expect(
      stores.map((s) => s.store_id).filter((s) => TEST_FLEET.stores.some((x) => x.id === s)),
    ).toEqual([]);
  });

  it('leaves server entries out of the read models when they are rebuilt from the log', async () => {
    const result = await rebuildReadModels(t.server.store.db, 'sqlite');
    expect(result.entries).toBe(10);
    const syncs = await t.server.store.db
      .selectFrom('rm_device_syncs')
      .select('device_id')
      .execute();
    expect(syncs.map((r) => r.device_id)).not.toContain(SERVER_DEVICE_ID);
  });

  it('a complete-log bundle holding the server entries passes audit:verify', () => {
    return completeBundle(t).then((lines) => {
      expect(verify(lines, t)).toMatchObject({ ok: true, events: 10 });
      const file = join(dir, 'complete.jsonl');
      writeFileSync(file, lines.map((l) => JSON.stringify(l)).join('\n') + '\n');
      const cli = spawnSync(
        process.execPath,
        ['--no-warnings', join(import.meta.dirname, '../../main/audit/verifyCli.ts'), file],
        { encoding: 'utf8' },
      );
      expect(cli.status, cli.stderr).toBe(0);
    });
  });

  it('fails verification when the manifest in the entry is tampered with', async () => {
    const lines = await completeBundle(t);
    const entry = lines.find(
      (l) =>
        l.kind === 'event' &&
        (l.event as { deviceId: string; type: string }).deviceId === SERVER_DEVICE_ID &&
        (l.event as { type: string }).type === 'console.update.published',
    )!;
    const event = entry.event as { payload: { manifest: { files: Array<{ size: number }> } } };
    event.payload.manifest.files[0]!.size = 43;
    const verdict = verify(lines, t);
    expect(verdict.ok).toBe(false);
    expect(verdict).toMatchObject({ reason: expect.stringMatching(/does not match its hash/) });
  });

  it('refuses server entries vouched for by any key but the log key (an attacker claiming to be the server)', async () => {
    const lines = await completeBundle(t);
    const attacker = generateKeyPairSync('ed25519').privateKey;
    // The entries untouched (the root still matches), the server device's key and checkpoints replaced by the attacker's.
    for (const l of lines) {
      if (l.kind === 'device' && l.deviceId === SERVER_DEVICE_ID)
        l.publicKey = rawPublicKey(attacker).toString('base64');
      if (l.kind === 'checkpoint' && l.deviceId === SERVER_DEVICE_ID)
        l.signature = sign(
          null,
          Buffer.from(checkpointText(SERVER_DEVICE_ID, l.seq as number, l.head as string)),
          attacker,
        ).toString('base64');
    }
    expect(verify(lines, t)).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/claims to be a server entry.*does not carry the log key/),
    });
  });

  it('refuses server entries no checkpoint signed with the log key covers', async () => {
    const lines = (await completeBundle(t)).filter(
      (l) => !(l.kind === 'checkpoint' && l.deviceId === SERVER_DEVICE_ID),
    );
    expect(verify(lines, t)).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/not covered by a checkpoint signed with the log key/),
    });
  });

  it('lets no console enrol as the server, and quarantines a device event naming the server as its actor', async () => {
    const before = verify(await completeBundle(t), t);
    expect(before.ok).toBe(true);
    const impostor = createSimDevice('S-1', { deviceId: SERVER_DEVICE_ID });
    await expect(enrollSim(t, impostor, 'S-1')).rejects.toThrow(/reserved for the central log/);
    const d = createSimDevice('S-1', { actor: { userId: 'server', role: 'technician' } });
    const token = await enrollSim(t, d, 'S-1');
    d.record('fleet.version.recorded', versionPayload(0));
    const res = await t.call('POST', '/v1/events', { token, body: d.pushBody(1, 1) });
    expect(res.status).toBe(200);
    expect((res.body as { quarantined: unknown[] }).quarantined).toEqual([
      { seq: 1, reason: 'actor_unknown' },
    ]);
    // The complete log still verifies: that event is judged by the actor rule, the server's are not.
    expect(verify(await completeBundle(t), t)).toMatchObject({
      ok: true,
      quarantined: (before as { quarantined: number }).quarantined + 1,
    });
  });
});

describe('on PostgreSQL', () => {
  it('appends the manifest in the publish transaction and proves it', async () => {
    const pg = await startTestPostgres();
    const server = await startTestServer({ databaseUrl: await pg.createDatabase() });
    try {
      const published = await publish(server, '6.0.0');
      // After the administrator's bootstrap at 0.
      expect(published.logIndex).toBe(1);
      expect((await publish(server, '6.1.0')).logIndex).toBe(2);
      await proveInLog(server, 2);
      expect(verify(await completeBundle(server), server)).toMatchObject({ ok: true, events: 3 });
    } finally {
      await server.close();
      pg.stop();
    }
  });
});
