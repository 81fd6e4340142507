import { spawn, type ChildProcess } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bytesToHex, hexToBytes } from '../../shared/audit/hex.ts';
import {
  leafHash,
  rootOfLeafHashes,
  verifyConsistencyHex,
  verifyInclusionHex,
} from '../../shared/audit/merkle.ts';
import { pushResponse } from '../../shared/sync/protocol.ts';
import { issueEnrollmentCode } from '../auth/enroll.ts';
import { importFleet } from '../catalog/service.ts';
import { openServerDb, type ServerDb } from '../db/open.ts';
import { createSimDevice, versionPayload } from '../testing/device.ts';
import { TEST_FLEET } from '../testing/harness.ts';
import { startTestPostgres, type TestPostgres } from '../testing/postgres.ts';

const DEVICES = 20;
const EVENTS_PER_DEVICE = 60;
const BATCH = 10;

let postgres: TestPostgres;
let databaseUrl: string;
let store: ServerDb;
const children: ChildProcess[] = [];
const dataDirs: string[] = [];

function startServerProcess(env: Record<string, string>): Promise<string> {
  const dataDir = mkdtempSync(join(tmpdir(), 'dearpos-srv-'));
  dataDirs.push(dataDir);
  const child = spawn(
    process.execPath,
    [
      '--experimental-strip-types',
      '--no-warnings',
      'src/server/cli.ts',
      '--port',
      '0',
      '--data',
      dataDir,
    ],
    {
      env: { ...process.env, ...env, LOG_LEVEL: 'warn' },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  children.push(child);
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /audit log on (http:\/\/[0-9.:]+)/.exec(out);
      if (m) resolve(m[1]!);
    });
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.once('exit', (code) => reject(new Error(`server exited with ${code}: ${err}`)));
  });
}

beforeAll(async () => {
  postgres = await startTestPostgres();
  databaseUrl = await postgres.createDatabase();
  store = await openServerDb({ dataDir: '', databaseUrl });
  await importFleet(store.db, TEST_FLEET, new Date());
});

afterAll(async () => {
  for (const c of children) c.kill('SIGKILL');
  await store?.close();
  postgres?.stop();
  for (const d of dataDirs) rmSync(d, { recursive: true, force: true });
});

describe('two server processes on one PostgreSQL', () => {
  it('take concurrent pushes from 20 devices into one gapless log whose proofs all verify', async () => {
    const pem = generateKeyPairSync('ed25519').privateKey.export({
      format: 'pem',
      type: 'pkcs8',
    }) as string;
    const env = { DATABASE_URL: databaseUrl, LOG_PRIVATE_KEY: pem };
    const urls = await Promise.all([startServerProcess(env), startServerProcess(env)]);

    const devices = await Promise.all(
      Array.from({ length: DEVICES }, async (_, i) => {
        const storeId = i % 2 === 0 ? 'S-1' : 'S-2';
        const d = createSimDevice(storeId);
        for (let k = 0; k < EVENTS_PER_DEVICE; k++)
          d.record('fleet.version.recorded', versionPayload(k, storeId === 'S-1' ? 'T-1' : 'T-2'));
        const { code } = await issueEnrollmentCode(store.db, storeId, { now: new Date() });
        const res = await fetch(`${urls[i % 2]}/v1/enroll`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ code, deviceId: d.deviceId, publicKey: d.publicKey }),
        });
        const body = (await res.json()) as { deviceToken: string };
        return { d, token: body.deviceToken };
      }),
    );

    // Every device pushes its batches alternately through both processes, all devices at once.
    await Promise.all(
      devices.map(async ({ d, token }, i) => {
        for (let from = 1, n = 0; from <= EVENTS_PER_DEVICE; from += BATCH, n++) {
          const res = await fetch(`${urls[(i + n) % 2]}/v1/events`, {
            method: 'POST',
            headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
            body: JSON.stringify(d.pushBody(from, from + BATCH - 1)),
          });
          expect(res.status, await res.clone().text()).toBe(200);
          expect(pushResponse.parse(await res.json()).ackSeq).toBe(from + BATCH - 1);
        }
      }),
    );

    const total = DEVICES * EVENTS_PER_DEVICE;
    const rows = await store.db
      .selectFrom('log_entries')
      .select(['idx', 'hash', 'device_id', 'seq'])
      .orderBy('idx')
      .execute();
    expect(rows.map((r) => r.idx)).toEqual(Array.from({ length: total }, (_, i) => i));
    expect(new Set(rows.map((r) => `${r.device_id}:${r.seq}`)).size).toBe(total);

    const head = (await (await fetch(`${urls[0]}/v1/log/tree-head`)).json()) as {
      treeHead: { size: number; root: string };
    };
    expect(head.treeHead.size).toBe(total);
    const leaves = rows.map((r) => leafHash(hexToBytes(r.hash)));
    expect(bytesToHex(rootOfLeafHashes(leaves))).toBe(head.treeHead.root);

    for (let index = 0; index < total; index += 37) {
      const proof = await (
        await fetch(`${urls[index % 2]}/v1/log/proof/inclusion?index=${index}&size=${total}`)
      ).json();
      expect(verifyInclusionHex(proof as never, head.treeHead.root), `inclusion ${index}`).toBe(
        true,
      );
    }
    // Every tree head either process signed is a prefix of the final one.
    const heads = await store.db
      .selectFrom('tree_heads')
      .select(['size', 'root'])
      .where('size', '>', 0)
      .orderBy('size')
      .execute();
    expect(heads.length).toBeGreaterThan(DEVICES);
    for (const h of heads) {
      const proof = await (
        await fetch(`${urls[h.size % 2]}/v1/log/proof/consistency?first=${h.size}&second=${total}`)
      ).json();
      expect(
        verifyConsistencyHex(proof as never, h.root, head.treeHead.root),
        `consistency ${h.size}`,
      ).toBe(true);
    }
  });
});
