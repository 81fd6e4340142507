import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkTiledLog } from '../../shared/audit/tlogCheck.ts';
import { createSimDevice, versionPayload } from '../testing/device.ts';
import { TEST_FLEET, enrollSim, startTestServer, type TestServer } from '../testing/harness.ts';
import { appendSyntheticEntries } from '../testing/syntheticLog.ts';
import { parseTilePath, tilePath } from './tiles.ts';

const PREFIX = '/v1/log/tlog/';

async function fetchFrom(t: TestServer, path: string): Promise<Uint8Array> {
  const res = await fetch(t.url + PREFIX + path);
  if (!res.ok) throw new Error(`${path}: ${res.status} ${await res.text()}`);
  return new Uint8Array(await res.arrayBuffer());
}

async function check(t: TestServer) {
  const vkey = await (await fetch(t.url + PREFIX + 'vkey')).text();
  return checkTiledLog({ fetchBytes: (p) => fetchFrom(t, p), verifierKey: vkey });
}

describe('tile paths as tlog-tiles spells them', () => {
  it('reads and writes the x-prefixed 3-digit groups and partial widths', () => {
    expect(parseTilePath('0/x001/x234/067')).toEqual({
      kind: 'hashes',
      level: 0,
      index: 1234067,
      width: 256,
    });
    expect(parseTilePath('entries/x001/234.p/17')).toEqual({
      kind: 'entries',
      index: 1234,
      width: 17,
    });
    expect(tilePath({ kind: 'hashes', level: 2, index: 5, width: 1 })).toBe('2/005.p/1');
    expect(tilePath({ kind: 'entries', index: 1234067, width: 256 })).toBe('entries/x001/x234/067');
  });

  it.each([
    '00/000',
    '64/000',
    '0/1',
    '0/0001',
    '0/001/002',
    '0/x001',
    '0/000.p/0',
    '0/000.p/256',
    '0/000.p/07',
    'leaves/000',
    '0',
  ])('refuses %s', (path) => {
    expect(() => parseTilePath(path)).toThrow(/not a tile path/);
  });
});

describe('the log served as tiles, checked by an independent checker', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer();
  });
  afterAll(() => t.close());

  it('an empty log has a signed checkpoint of size 0 and no tiles', async () => {
    const empty = await startTestServer({}, { isEmpty: true });
    try {
      const result = await check(empty);
      expect(result).toMatchObject({ size: 0, tilesFetched: 0 });
      const res = await empty.call('GET', `${PREFIX}tile/0/000.p/1`);
      expect(res.status).toBe(404);
      expect(res.body.code).toBe('not_found');
    } finally {
      await empty.close();
    }
  });

  it("real pushes: the tiles combine to the tree head's root, and every entry is the event's hash", async () => {
    await t.call('POST', '/v1/admin/fleet', { token: t.adminToken, body: TEST_FLEET });
    const d = createSimDevice('S-1');
    const token = await enrollSim(t, d, 'S-1');
    for (let i = 0; i < 300; i++) d.record('fleet.version.recorded', versionPayload(i));
    expect((await t.call('POST', '/v1/events', { token, body: d.pushBody(1, 300) })).status).toBe(
      200,
    );
    const head = (await t.call('GET', '/v1/log/tree-head')).body.treeHead;
    const result = await check(t);
    expect(result.size).toBe(head.size);
    expect(Buffer.from(result.rootBase64, 'base64').toString('hex')).toBe(head.root);
    expect(result.entriesChecked).toBe(head.size);

    const checkpoint = await t.call('GET', `${PREFIX}checkpoint`);
    expect(checkpoint.headers.get('content-type')).toMatch(/^text\/plain; charset=utf-8/);
    const lines = (checkpoint.body as string).split('\n');
    expect(lines[1]).toBe(String(head.size));
    expect(lines[3]).toBe('');
    expect(lines[4]).toMatch(/^\u2014 dearpos\/central-log\/[0-9a-f]{16} [A-Za-z0-9+/]{91}=$/);

    // After the three central actions (bootstrap, fleet import, enrollment code), the first
    // bundle's fourth entry is the device's first event's hash, length-prefixed.
    const bundle = await fetchFrom(t, 'tile/entries/000');
    expect(bundle.length).toBe(256 * 34);
    expect(Buffer.from(bundle.subarray(3 * 34 + 2, 4 * 34)).toString('hex')).toBe(
      d.events[0]!.hash,
    );
    const full = await fetch(`${t.url}${PREFIX}tile/0/000`);
    expect(full.headers.get('cache-control')).toContain('immutable');
  });

  it('a 70,000-entry log: the tiles of the specification example, all verified', async () => {
    const big = await startTestServer({}, { isEmpty: true });
    try {
      await appendSyntheticEntries(big.server, 70_000);
      const result = await check(big);
      expect(result.size).toBe(70_000);
      // 273 full level-0 tiles + 1 partial (112) and as many bundles, 1 full + 1 partial (17) at level 1, 1 partial (1) at level 2.
      expect(result.tilesFetched).toBe(274 * 2 + 2 + 1);
      expect((await fetchFrom(big, 'tile/0/273.p/112')).length).toBe(112 * 32);
      expect((await fetchFrom(big, 'tile/1/000')).length).toBe(8192);
      expect((await fetchFrom(big, 'tile/1/001.p/17')).length).toBe(17 * 32);
      expect((await fetchFrom(big, 'tile/2/000.p/1')).length).toBe(32);
      // A partial tile of a smaller, earlier size still exists; one beyond the log does not.
      expect((await fetchFrom(big, 'tile/0/273.p/5')).length).toBe(5 * 32);
      for (const path of ['tile/0/273', 'tile/0/273.p/113', 'tile/1/001', 'tile/3/000.p/1']) {
        const res = await big.call('GET', PREFIX + path);
        expect(res.status, path).toBe(404);
        expect(res.body.message).toContain('outside the log');
      }
      const bad = await big.call('GET', `${PREFIX}tile/0/01`);
      expect(bad.status).toBe(400);
      expect(bad.body.code).toBe('invalid_input');
    } finally {
      await big.close();
    }
  });

  it('a checkpoint checked with another key, or a forged verifier key, is refused', async () => {
    const other = await startTestServer();
    try {
      const otherKey = await (await fetch(other.url + PREFIX + 'vkey')).text();
      await expect(
        checkTiledLog({ fetchBytes: (p) => fetchFrom(t, p), verifierKey: otherKey }),
      ).rejects.toThrow(/no signature by/);
      const own = (await (await fetch(t.url + PREFIX + 'vkey')).text()).trim();
      const [name, , ...key] = own.split('+');
      await expect(
        checkTiledLog({
          fetchBytes: (p) => fetchFrom(t, p),
          verifierKey: `${name}+00000000+${key.join('+')}`,
        }),
      ).rejects.toThrow(/ID does not match/);
    } finally {
      await other.close();
    }
  });

  it('a stored event hash changed after the fact breaks the check', async () => {
    await t.server.store.db
      .updateTable('log_entries')
      .set({ hash: 'f'.repeat(64) })
      .where('idx', '=', 100)
      .execute();
    await expect(check(t)).rejects.toThrow(/does not hash/);
  });
});
