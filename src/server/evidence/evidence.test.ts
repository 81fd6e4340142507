import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSimDevice } from '../testing/device.ts';
import { TEST_FLEET, enrollSim, startTestServer, type TestServer } from '../testing/harness.ts';
import { startTestPostgres, type TestPostgres } from '../testing/postgres.ts';

const PNG =
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==';
const sha = (base64: string) =>
  createHash('sha256').update(Buffer.from(base64, 'base64')).digest('hex');

let postgres: TestPostgres;
beforeAll(async () => {
  postgres = await startTestPostgres();
});
afterAll(() => postgres.stop());

describe.each(['sqlite', 'postgres'] as const)('on %s', (dialect) => {
  let t: TestServer;
  let deviceToken: string;
  let otherStoreToken: string;
  let auditorToken: string;

  beforeAll(async () => {
    t = await startTestServer(
      dialect === 'postgres' ? { databaseUrl: await postgres.createDatabase() } : {},
    );
    await t.call('POST', '/v1/admin/fleet', { token: t.adminToken, body: TEST_FLEET });
    deviceToken = await enrollSim(t, createSimDevice('S-1'), 'S-1');
    otherStoreToken = await enrollSim(t, createSimDevice('S-2'), 'S-2');
    auditorToken = (
      await t.call('POST', '/v1/admin/auditor-tokens', {
        token: t.adminToken,
        body: { label: 'a' },
      })
    ).body.token;
  });
  afterAll(() => t.close());

  async function storedCount(): Promise<number> {
    const row = await t.server.store.db
      .selectFrom('evidence_files')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }

  describe('evidence files on the central server', () => {
    it('stores a file once under its SHA-256, acknowledges repeats, and serves the same bytes to auditors', async () => {
      const address = `/v1/evidence/${sha(PNG)}`;
      const first = await t.call('POST', address, {
        token: deviceToken,
        body: { mimeType: 'image/png', dataBase64: PNG },
      });
      expect(first).toMatchObject({
        status: 200,
        body: { sha256: sha(PNG), byteLength: 70 },
      });
      const again = await t.call('POST', address, {
        token: deviceToken,
        body: { mimeType: 'image/png', dataBase64: PNG },
      });
      expect({ status: again.status, body: again.body }).toEqual({
        status: first.status,
        body: first.body,
      });
      expect(await storedCount()).toBe(1);

      const res = await fetch(`${t.url}${address}`, {
        headers: { authorization: `Bearer ${auditorToken}` },
      });
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('image/png');
      expect(Buffer.from(await res.arrayBuffer()).toString('base64')).toBe(PNG);
    });

    it('answers a store the same whether or not another store already uploaded the same bytes', async () => {
      // Two PNG files no other test uploads (PNG with one byte changed; the server sniffs the header only).
      const variant = (delta: number) => {
        const bytes = Buffer.from(PNG, 'base64');
        bytes[bytes.length - 20] = (bytes[bytes.length - 20]! + delta) % 256;
        return bytes.toString('base64');
      };
      const fresh = variant(1);
      const otherBase64 = variant(2);
      const upload = (token: string, base64: string) =>
        t.call('POST', `/v1/evidence/${sha(base64)}`, {
          token,
          body: { mimeType: 'image/png', dataBase64: base64 },
        });
      // S-1 uploads a file first; S-2 then uploads the same bytes. S-2 also
      // uploads a file nobody holds. Both of S-2's answers look alike.
      const heldElsewhere = await upload(deviceToken, fresh).then(() =>
        upload(otherStoreToken, fresh),
      );
      const heldNowhere = await upload(otherStoreToken, otherBase64);
      expect(heldElsewhere.status).toBe(200);
      expect(heldNowhere.status).toBe(200);
      expect(Object.keys(heldElsewhere.body as object).sort()).toEqual(['byteLength', 'sha256']);
      expect(heldElsewhere.body).toEqual({ sha256: sha(fresh), byteLength: 70 });
      expect(heldNowhere.body).toEqual({ sha256: sha(otherBase64), byteLength: 70 });
      // The first sender stays on record; the second upload changed nothing.
      const row = await t.server.store.db
        .selectFrom('evidence_files')
        .select('store_id')
        .where('sha256', '=', sha(fresh))
        .executeTakeFirstOrThrow();
      expect(row.store_id).toBe('S-1');
    });

    it('refuses bytes that do not hash to the address, non-images, a wrong type and malformed input, storing nothing', async () => {
      const before = await storedCount();
      const notImage = Buffer.from('%PDF-1.7 hello').toString('base64');
      const cases: Array<[string, unknown, number, string]> = [
        [
          `/v1/evidence/${'0'.repeat(64)}`,
          { mimeType: 'image/png', dataBase64: PNG },
          422,
          'bad_hash',
        ],
        [
          `/v1/evidence/${sha(notImage)}`,
          { mimeType: 'image/png', dataBase64: notImage },
          400,
          'invalid_input',
        ],
        [
          `/v1/evidence/${sha(PNG)}`,
          { mimeType: 'image/jpeg', dataBase64: PNG },
          400,
          'invalid_input',
        ],
        [
          `/v1/evidence/${sha(PNG)}`,
          { mimeType: 'image/gif', dataBase64: PNG },
          400,
          'invalid_input',
        ],
        [
          `/v1/evidence/${sha(PNG)}`,
          { mimeType: 'image/png', dataBase64: PNG, extra: 1 },
          400,
          'invalid_input',
        ],
        [
          '/v1/evidence/not-a-hash',
          { mimeType: 'image/png', dataBase64: PNG },
          400,
          'invalid_input',
        ],
      ];
      for (const [path, body, status, code] of cases) {
        const res = await t.call('POST', path, { token: deviceToken, body });
        expect(res.status, path).toBe(status);
        expect(res.body.code, path).toBe(code);
      }
      expect(await storedCount()).toBe(before);
      const tooBig = Buffer.concat([
        Buffer.from([0xff, 0xd8, 0xff]),
        Buffer.alloc(800 * 1024),
      ]).toString('base64');
      const res = await t.call('POST', `/v1/evidence/${sha(tooBig)}`, {
        token: deviceToken,
        body: { mimeType: 'image/jpeg', dataBase64: tooBig },
      });
      expect(res.status).toBe(413);
      expect(await storedCount()).toBe(before);
    });

    it('serves nothing for an unknown hash, and nothing without an auditor or admin token', async () => {
      expect(
        (await t.call('GET', `/v1/evidence/${'1'.repeat(64)}`, { token: auditorToken })).status,
      ).toBe(404);
      expect((await t.call('GET', `/v1/evidence/${sha(PNG)}`, { token: deviceToken })).status).toBe(
        403,
      );
      expect((await t.call('GET', `/v1/evidence/${sha(PNG)}`)).status).toBe(401);
    });
  });
});
