/**
 * The desk's store states on PostgreSQL come from one statement (one round
 * trip per page); the plain path runs the five queries one by one. On the same
 * real database both must give the same rows and the same page, and a page
 * served from a stale store list (the catalog moved) is read again.
 */
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importFleet, publishRelease, setRingTarget } from '../catalog/service.ts';
import { openServerDb, type ServerDb } from '../db/open.ts';
import { startTestPostgres, type TestPostgres } from '../testing/postgres.ts';
import {
  foldStoreStates,
  storesPage,
  storeStateRows,
  storeStateRowsPostgres,
  type DeskPrincipal,
  type StoreData,
} from './queries.ts';

let pg: TestPostgres;
let server: ServerDb;
const STORES: StoreData[] = Array.from({ length: 12 }, (_, s) => ({
  id: `S-${String(s).padStart(2, '0')}`,
  name: `Store ${s}`,
  region: s % 2 === 0 ? 'North' : 'South',
  ring: s % 3 === 0 ? 'pilot' : 'general',
}));
const NOW = new Date('2026-03-10T12:00:00.000Z');

beforeAll(async () => {
  pg = await startTestPostgres();
  server = await openServerDb({ dataDir: '', databaseUrl: await pg.createDatabase() });
  const db = server.db;
  for (const [i, ring] of [
    [0, 'general'],
    [1, 'pilot'],
  ] as const)
    await publishRelease(
      db,
      {
        id: `rel-5.${i}.0`,
        version: `5.${i}.0`,
        type: 'minor',
        ring,
        status: 'rolling_out',
        plannedAt: null,
        actualAt: null,
        title: `Release 5.${i}`,
        notesMarkdown: '',
      },
      NOW,
    );
  await setRingTarget(db, { ring: 'pilot', releaseId: 'rel-5.1.0' }, NOW);
  await importFleet(
    db,
    {
      stores: STORES.map((s) => ({ ...s, timezone: 'Europe/Paris' })),
      terminals: STORES.flatMap((s, si) =>
        Array.from({ length: si % 4 }, (_, i) => ({
          id: `${s.id}-T${i}`,
          storeId: s.id,
          name: `Lane ${i}`,
          model: 'X1',
          serial: `SN-${s.id}-${i}`,
          installed: {
            releaseId: i % 2 ? 'rel-5.1.0' : 'rel-5.0.0',
            since: '2026-01-01T00:00:00Z',
          },
          lastSeen: null,
        })),
      ),
    },
    NOW,
  );
  // Two decisions for one store (the later in the log wins), open and closed deployments, syncs.
  await db
    .insertInto('rm_decisions')
    .values(
      [
        ['S-00', 'go', 7],
        ['S-00', 'no-go', 3],
        ['S-05', 'no-go', 4],
      ].map(([store, decision, idx], i) => ({
        id: `dec-${i}`,
        event_id: `ev-${i}`,
        event_hash: 'h',
        release_id: 'rel-5.1.0',
        store_id: store as string,
        decision: decision as string,
        reason: 'r',
        conditions: '[]',
        verdict: 'go',
        criteria: '[]',
        signature_sha256: 's',
        basis: '{}',
        digest: 'd',
        signed_by: `u-${i}`,
        signed_role: 'manager',
        signed_at: `2026-03-10T10:0${i}:00.000Z`,
        log_idx: idx as number,
      })),
    )
    .execute();
  await db
    .insertInto('rm_deployments')
    .values(
      ['in_progress', 'completed', 'planned'].map((status, i) => ({
        id: `dep-${i}`,
        store_id: i < 2 ? 'S-02' : 'S-03',
        release_id: 'rel-5.1.0',
        status,
        planned_at: NOW.toISOString(),
        updated_at: NOW.toISOString(),
        last_seq: 1,
        state: '{}',
      })),
    )
    .execute();
  await db
    .insertInto('rm_device_syncs')
    .values(
      ['dev-b', 'dev-a', 'dev-c'].map((device, i) => ({
        device_id: device,
        store_id: i < 2 ? 'S-04' : 'S-07',
        last_idx: i,
        last_seq: 1,
        last_at: `2026-03-10T11:0${i}:00.000Z`,
      })),
    )
    .execute();
}, 120_000);

afterAll(async () => {
  await server?.close();
  pg?.stop();
});

const ALL: DeskPrincipal = {
  kind: 'desk',
  deskId: 'desk-all',
  role: 'release',
  scope: { kind: 'all' },
  tokenHash: 'h',
};

describe('desk store states on PostgreSQL', () => {
  it('one statement gives the same states as the five queries', async () => {
    for (const releaseId of ['rel-5.1.0', 'rel-5.0.0', 'rel-none']) {
      const plain = foldStoreStates(
        STORES,
        releaseId,
        await storeStateRows(server.db, STORES, releaseId),
      );
      const one = foldStoreStates(
        STORES,
        releaseId,
        await storeStateRowsPostgres(server.db, STORES, releaseId),
      );
      expect(one).toEqual(plain);
    }
    const states = foldStoreStates(
      STORES,
      'rel-5.1.0',
      await storeStateRowsPostgres(server.db, STORES, 'rel-5.1.0'),
    );
    const s0 = states.find((s) => s.storeId === 'S-00')!;
    expect(s0.latestDecision?.decision).toBe('go');
    expect(states.find((s) => s.storeId === 'S-02')!.openDeployments).toBe(1);
    expect(states.find((s) => s.storeId === 'S-04')!.consoles.map((c) => c.deviceId)).toEqual([
      'dev-a',
      'dev-b',
    ]);
    expect(states.find((s) => s.storeId === 'S-03')!).toMatchObject({
      terminals: 3,
      installed: 1,
      drifting: 2,
    });
  });

  it('pages through the cached store list, and reads again when the catalog moved', async () => {
    const first = await storesPage(server.db, ALL, { releaseId: 'rel-5.1.0', limit: '5' }, NOW);
    // The second call is served from the cached list in one statement: same answer.
    const again = await storesPage(server.db, ALL, { releaseId: 'rel-5.1.0', limit: '5' }, NOW);
    expect(again).toEqual(first);
    expect(first.stores.map((s) => s.storeId)).toEqual(STORES.slice(0, 5).map((s) => s.id));
    // A catalog write of a store (its change row and the moved cursor, as importFleet writes them): the rename shows at once.
    await sql`UPDATE stores SET data = jsonb_set(data::jsonb, '{name}', '"Renamed"')::text WHERE id = 'S-01'`.execute(
      server.db,
    );
    await sql`UPDATE catalog_head SET cursor = cursor + 1 WHERE id = 1`.execute(server.db);
    await sql`INSERT INTO catalog_changes (cursor, entity, entity_id, op, store_id, value, at)
      SELECT cursor, 'store', 'S-01', 'upsert', 'S-01', (SELECT data FROM stores WHERE id = 'S-01'), ${NOW.toISOString()}
      FROM catalog_head WHERE id = 1`.execute(server.db);
    const moved = await storesPage(server.db, ALL, { releaseId: 'rel-5.1.0', limit: '5' }, NOW);
    expect(moved.stores[1]!.name).toBe('Renamed');
    expect(moved.next).toBe('S-04');
  });
});
