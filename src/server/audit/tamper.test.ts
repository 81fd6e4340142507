import { createHash, createPublicKey, verify } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyBundle, type BundleCrypto } from '../../shared/audit/bundle.ts';
import type { SignedTreeHead } from '../../shared/sync/protocol.ts';
import { createSimDevice, versionPayload } from '../testing/device.ts';
import { TEST_FLEET, enrollSim, startTestServer, type TestServer } from '../testing/harness.ts';
import { buildCompleteBundle } from './bundle.ts';

const nodeCrypto: BundleCrypto = {
  sha256: (d) => createHash('sha256').update(d).digest(),
  ed25519Verify: (pub, msg, sig) =>
    verify(
      null,
      msg,
      createPublicKey({
        key: Buffer.concat([Buffer.from('302a300506032b6570032100', 'hex'), pub]),
        format: 'der',
        type: 'spki',
      }),
      sig,
    ),
};

let t: TestServer;
let known: SignedTreeHead;

beforeAll(async () => {
  t = await startTestServer();
  await t.call('POST', '/v1/admin/fleet', { token: t.adminToken, body: TEST_FLEET });
  for (const storeId of ['S-1', 'S-2', 'S-1']) {
    const d = createSimDevice(storeId);
    const token = await enrollSim(t, d, storeId);
    for (let i = 0; i < 40; i++)
      d.record('fleet.version.recorded', versionPayload(i, storeId === 'S-1' ? 'T-1' : 'T-2'));
    for (let from = 1; from <= 40; from += 8)
      expect(
        (await t.call('POST', '/v1/events', { token, body: d.pushBody(from, from + 7) })).status,
      ).toBe(200);
  }
  known = (await t.call('GET', '/v1/log/tree-head')).body as SignedTreeHead;
});
afterAll(() => t.close());

class Rollback extends Error {}

const TAMPERS = [
  'editBody',
  'editBodyAndHash',
  'editHash',
  'deleteRow',
  'insertRow',
  'appendRow',
  'reorderRows',
  'editTreeHeadRoot',
  'truncate',
] as const;
type Tamper = (typeof TAMPERS)[number];

describe('tampering with the server database', () => {
  it('an untouched database verifies as a complete log against the last signed tree head', async () => {
    const lines = await buildCompleteBundle(t.server.store.db, t.server.key, t.server.now);
    const result = verifyBundle(lines, nodeCrypto, {
      trustedLogPublicKey: t.server.key.publicKey,
      knownTreeHead: known.treeHead,
    });
    // 120 device events and 5 central actions (bootstrap, fleet import, 3 enrollment codes) of the server.
    expect(result).toMatchObject({ ok: true, events: 125, devices: 4 });
  });

  it('is detected in 1,000 of 1,000 random trials (edit, delete, insert, reorder rows)', async () => {
    const seed = Number(process.env.TAMPER_SEED ?? 9162);
    let x = seed;
    const rnd = () => {
      x = (x * 1103515245 + 12345) % 2147483648;
      return x / 2147483648;
    };
    const size = known.treeHead.size;
    const pick = () => Math.floor(rnd() * size);
    const sha = (s: string) => createHash('sha256').update(s).digest('hex');
    const seen = new Map<Tamper, number>();
    for (let trial = 0; trial < 1000; trial++) {
      const kind = TAMPERS[Math.floor(rnd() * TAMPERS.length)]!;
      seen.set(kind, (seen.get(kind) ?? 0) + 1);
      let verdict: ReturnType<typeof verifyBundle> | null = null;
      await t.server.store.db
        .transaction()
        .execute(async (trx) => {
          const row = await trx
            .selectFrom('log_entries')
            .selectAll()
            .where('idx', '=', pick())
            .executeTakeFirstOrThrow();
          const edited = (() => {
            const body = JSON.parse(row.body) as { payload: { version: string } };
            body.payload.version = `${Math.floor(rnd() * 90) + 10}.0.${trial}`;
            return JSON.stringify(body);
          })();
          switch (kind) {
            case 'editBody':
              await trx
                .updateTable('log_entries')
                .set({ body: edited })
                .where('idx', '=', row.idx)
                .execute();
              break;
            case 'editBodyAndHash':
              await trx
                .updateTable('log_entries')
                .set({ body: edited, hash: sha(edited) })
                .where('idx', '=', row.idx)
                .execute();
              break;
            case 'editHash':
              await trx
                .updateTable('log_entries')
                .set({ hash: sha(`${trial}`) })
                .where('idx', '=', row.idx)
                .execute();
              break;
            case 'deleteRow':
              await trx.deleteFrom('log_entries').where('idx', '=', row.idx).execute();
              break;
            case 'insertRow':
            case 'appendRow': {
              const at = kind === 'appendRow' ? size : row.idx;
              // Shift the tail up by one (through negative indexes so the primary key never collides).
              await sql`UPDATE log_entries SET idx = -idx - 1 WHERE idx >= ${at}`.execute(trx);
              await sql`UPDATE log_entries SET idx = -idx WHERE idx < 0`.execute(trx);
              await trx
                .insertInto('log_entries')
                .values({
                  ...row,
                  idx: at,
                  seq: 1_000_000 + trial,
                  body: edited,
                  hash: sha(edited),
                })
                .execute();
              break;
            }
            case 'reorderRows': {
              let other = pick();
              while (other === row.idx) other = pick();
              await trx
                .updateTable('log_entries')
                .set({ idx: -1 })
                .where('idx', '=', row.idx)
                .execute();
              await trx
                .updateTable('log_entries')
                .set({ idx: row.idx })
                .where('idx', '=', other)
                .execute();
              await trx
                .updateTable('log_entries')
                .set({ idx: other })
                .where('idx', '=', -1)
                .execute();
              break;
            }
            case 'editTreeHeadRoot':
              await trx
                .updateTable('tree_heads')
                .set({ root: sha(`root ${trial}`) })
                .where('size', '=', size)
                .execute();
              break;
            case 'truncate':
              // Drop the newest entries and the tree heads that covered them: what remains is a validly signed, older log.
              await trx.deleteFrom('log_entries').where('idx', '>=', row.idx).execute();
              await trx.deleteFrom('tree_heads').where('size', '>', row.idx).execute();
              break;
            default:
              throw new Error(`unknown tamper ${String(kind)}`);
          }
          const lines = await buildCompleteBundle(trx, t.server.key, t.server.now);
          verdict = verifyBundle(lines, nodeCrypto, {
            trustedLogPublicKey: t.server.key.publicKey,
            knownTreeHead: known.treeHead,
          });
          throw new Rollback();
        })
        .catch((error: unknown) => {
          if (!(error instanceof Rollback)) throw error;
        });
      expect(verdict, `seed ${seed}, trial ${trial}: ${kind} was not detected`).toMatchObject({
        ok: false,
      });
    }
    expect(seen.size).toBe(TAMPERS.length);
    // The rollbacks left the real database intact.
    const lines = await buildCompleteBundle(t.server.store.db, t.server.key, t.server.now);
    expect(verifyBundle(lines, nodeCrypto, { knownTreeHead: known.treeHead }).ok).toBe(true);
  });
});
