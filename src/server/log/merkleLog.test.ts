// Proof bodies are compared with the in-memory reference as received: that is what is under test.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  consistencyPath,
  eventLeafHashHex,
  inclusionPath,
  leafHash,
  rootOfLeafHashes,
} from '../../shared/audit/merkle.ts';
import { createSimDevice, versionPayload } from '../testing/device.ts';
import { TEST_FLEET, enrollSim, startTestServer, type TestServer } from '../testing/harness.ts';
import { LOWEST_STORED_LEVEL } from './merkleLog.ts';

// Uneven batches, so tree sizes cross every boundary of the stored levels (16, 32, 64) at odd points.
const BATCHES = [1, 2, 5, 8, 13, 3, 31, 17, 20];
/** The device's events; the log holds 3 central actions before them (bootstrap, fleet import, enrollment code). */
const TOTAL = BATCHES.reduce((a, b) => a + b, 0);

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

let t: TestServer;
let leaves: Uint8Array[];
let sizes: number[];

beforeAll(async () => {
  t = await startTestServer();
  await t.call('POST', '/v1/admin/fleet', { token: t.adminToken, body: TEST_FLEET });
  const d = createSimDevice('S-1');
  const token = await enrollSim(t, d, 'S-1');
  for (let i = 0; i < TOTAL; i++) d.record('fleet.version.recorded', versionPayload(i));
  sizes = [];
  let from = 1;
  for (const n of BATCHES) {
    const res = await t.call('POST', '/v1/events', { token, body: d.pushBody(from, from + n - 1) });
    expect(res.status).toBe(200);
    sizes.push(res.body.treeHead.treeHead.size as number);
    from += n;
  }
  // Every entry of the log, the central actions before the device's events included.
  const rows = await t.server.store.db
    .selectFrom('log_entries')
    .select('hash')
    .orderBy('idx')
    .execute();
  expect(rows.length).toBe(TOTAL + 3);
  leaves = rows.map((e) => leafHash(Buffer.from(e.hash, 'hex')));
});
afterAll(() => t.close());

describe('the stored Merkle log (subtrees below the lowest stored level recomputed)', () => {
  it('stores no node row below the lowest stored level, and its root is the reference root', async () => {
    const low = await t.server.store.db
      .selectFrom('merkle_nodes')
      .select('level')
      .where('level', '<', LOWEST_STORED_LEVEL)
      .execute();
    expect(low).toEqual([]);
    const stored = await t.server.store.db.selectFrom('merkle_nodes').select('level').execute();
    // 100 device events after 3 central actions: 103 leaves, 6 subtrees of 16, 3 of 32, 1 of 64.
    expect(stored.length).toBe(10);
    const head = await t.server.store.db
      .selectFrom('log_head')
      .selectAll()
      .executeTakeFirstOrThrow();
    expect(head.size).toBe(TOTAL + 3);
    expect(head.root).toBe(hex(rootOfLeafHashes(leaves)));
  });

  it('signs after every push the reference root of the tree of that size', async () => {
    for (const size of sizes) {
      const row = await t.server.store.db
        .selectFrom('tree_heads')
        .select('root')
        .where('size', '=', size)
        .executeTakeFirstOrThrow();
      expect(row.root, `size ${size}`).toBe(hex(rootOfLeafHashes(leaves.slice(0, size))));
    }
  });

  it('serves for every index the same inclusion proof as the reference, at every signed size', async () => {
    for (const size of sizes) {
      for (let index = 0; index < size; index++) {
        const res = await t.call('GET', `/v1/log/proof/inclusion?index=${index}&size=${size}`);
        expect(res.status).toBe(200);
        expect(res.body.leafHash).toBe(hex(leaves[index]!));
        expect(res.body.path, `index ${index}, size ${size}`).toEqual(
          inclusionPath(leaves, index, size).map(hex),
        );
      }
    }
  });

  it('serves the same consistency proof as the reference between every pair of signed sizes', async () => {
    for (const first of sizes) {
      for (const second of sizes.filter((s) => s >= first)) {
        const res = await t.call(
          'GET',
          `/v1/log/proof/consistency?first=${first}&second=${second}`,
        );
        expect(res.status).toBe(200);
        expect(res.body.path, `${first} → ${second}`).toEqual(
          consistencyPath(leaves, first, second).map(hex),
        );
      }
    }
  });

  it('answers with a clear error, not a wrong proof, when an entry it must rehash is gone', async () => {
    const victim = 37;
    const row = await t.server.store.db
      .selectFrom('log_entries')
      .selectAll()
      .where('idx', '=', victim)
      .executeTakeFirstOrThrow();
    await t.server.store.db.deleteFrom('log_entries').where('idx', '=', victim).execute();
    try {
      const res = await t.call('GET', `/v1/log/proof/inclusion?index=${victim + 1}&size=${TOTAL}`);
      expect(res.status).toBe(500);
      expect(res.body.message).toMatch(
        /log entry at index 37 \(part of Merkle node 1:18\) is missing/,
      );
    } finally {
      await t.server.store.db.insertInto('log_entries').values(row).execute();
    }
    const res = await t.call('GET', `/v1/log/proof/inclusion?index=${victim}&size=${TOTAL}`);
    expect(res.body.leafHash).toBe(eventLeafHashHex(row.hash));
  });
});
