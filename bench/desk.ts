/**
 * `desk.storeStates5k.postgres`: the desk query "stores in scope
 * with their state for release R" over 5,000 stores and 50,000 terminals on
 * durable PostgreSQL, through HTTP on loopback, page by page (200 stores a
 * page, every page of the scope and of one region), p95 per page; beside the
 * naive baseline that answers each store of the page with its own queries.
 */
import { sql } from 'kysely';
import { importFleet, publishRelease, setRingTarget } from '../src/server/catalog/service.ts';
import type { ServerSchema } from '../src/server/db/schema.ts';
import { createServerLogger } from '../src/server/log.ts';
import { startTestServer } from '../src/server/testing/harness.ts';
import { startTestPostgres } from '../src/server/testing/postgres.ts';
import { createSimDevice } from '../src/server/testing/device.ts';
import { percentile, round, type Benchmark, type BenchResult } from './types.ts';
import type { Kysely } from 'kysely';

const STORES = 5000;
const TERMINALS = 10;
const REGIONS = 10;
const PAGE = 200;
const ROUNDS = 3;

function release(i: number) {
  return {
    id: `rel-5.${i}.0`,
    version: `5.${i}.0`,
    type: 'minor',
    ring: 'general',
    status: 'rolling_out',
    plannedAt: null,
    actualAt: null,
    title: `Release 5.${i}`,
    notesMarkdown: '',
  };
}

/** Decisions, open deployments and console syncs for a share of the stores (written as the read models hold them). */
async function seedState(db: Kysely<ServerSchema>): Promise<void> {
  const decisions = [];
  const deployments = [];
  const syncs = [];
  for (let s = 0; s < STORES; s++) {
    const storeId = `S-${String(s).padStart(4, '0')}`;
    if (s % 3 === 0)
      decisions.push({
        id: `dec-${s}`,
        event_id: `ev-d-${s}`,
        event_hash: 'h',
        release_id: 'rel-5.1.0',
        store_id: storeId,
        decision: s % 6 === 0 ? 'go' : 'no-go',
        reason: 'r',
        conditions: '[]',
        verdict: 'go',
        criteria: '[]',
        signature_sha256: 's',
        basis: '{}',
        digest: 'd',
        signed_by: 'u-maya',
        signed_role: 'manager',
        signed_at: '2026-03-10T10:00:00.000Z',
        log_idx: s,
      });
    if (s % 4 === 0)
      deployments.push({
        id: `dep-${s}`,
        store_id: storeId,
        release_id: 'rel-5.1.0',
        status: 'in_progress',
        planned_at: '2026-03-10T08:00:00.000Z',
        updated_at: '2026-03-10T09:00:00.000Z',
        last_seq: 1,
        state: '{}',
      });
    for (let c = 0; c < 2; c++)
      syncs.push({
        device_id: `dev-${s}-${c}`,
        store_id: storeId,
        last_idx: s * 2 + c,
        last_seq: 10,
        last_at: '2026-03-10T11:00:00.000Z',
      });
  }
  for (let i = 0; i < decisions.length; i += 1000)
    await db
      .insertInto('rm_decisions')
      .values(decisions.slice(i, i + 1000))
      .execute();
  for (let i = 0; i < deployments.length; i += 1000)
    await db
      .insertInto('rm_deployments')
      .values(deployments.slice(i, i + 1000))
      .execute();
  for (let i = 0; i < syncs.length; i += 1000)
    await db
      .insertInto('rm_device_syncs')
      .values(syncs.slice(i, i + 1000))
      .execute();
  // Terminals: a third on 5.1.0, the rest on 5.0.0 (as captured versions would leave them).
  await sql`UPDATE rm_terminals SET release_id = CASE WHEN substr(terminal_id, length(terminal_id)) IN ('0', '1', '2') THEN 'rel-5.1.0' ELSE 'rel-5.0.0' END`.execute(
    db,
  );
  await sql`ANALYZE`.execute(db);
}

/** The naive desk query: every store of the page answered with its own four queries. */
async function naivePage(
  db: Kysely<ServerSchema>,
  after: string,
  releaseId: string,
): Promise<number> {
  const stores = await db
    .selectFrom('stores')
    .select(['id', 'data'])
    .where('id', '>', after)
    .orderBy('id')
    .limit(PAGE)
    .execute();
  for (const s of stores) {
    await db
      .selectFrom('rm_terminals')
      .select(['release_id', (eb) => eb.fn.countAll().as('n')])
      .where('store_id', '=', s.id)
      .groupBy('release_id')
      .execute();
    await db
      .selectFrom('rm_decisions')
      .selectAll()
      .where('store_id', '=', s.id)
      .where('release_id', '=', releaseId)
      .orderBy('log_idx', 'desc')
      .limit(1)
      .execute();
    await db
      .selectFrom('rm_deployments')
      .select((eb) => eb.fn.countAll().as('n'))
      .where('store_id', '=', s.id)
      .where('release_id', '=', releaseId)
      .where('status', 'not in', ['completed', 'rolled_back', 'failed', 'aborted'])
      .execute();
    await db.selectFrom('rm_device_syncs').selectAll().where('store_id', '=', s.id).execute();
  }
  return stores.length;
}

export const deskStoreStates: Benchmark = {
  name: 'desk.storeStates5k.postgres',
  description:
    'desk "stores in scope with their state for release R" over 5,000 stores / 50,000 terminals on PostgreSQL, 200-store pages over HTTP (p95) vs per-store queries',
  async run(): Promise<BenchResult> {
    const pg = await startTestPostgres({ durable: true });
    const t = await startTestServer({
      databaseUrl: await pg.createDatabase(),
      rateLimit: false,
      logger: createServerLogger({ level: 'warn' }),
    });
    try {
      const db = t.server.store.db;
      const now = new Date();
      for (let i = 0; i < 2; i++) await publishRelease(db, release(i), now);
      await setRingTarget(db, { ring: 'general', releaseId: 'rel-5.1.0' }, now);
      const stores = Array.from({ length: STORES }, (_, s) => ({
        id: `S-${String(s).padStart(4, '0')}`,
        name: `Store ${s}`,
        region: `Region ${s % REGIONS}`,
        ring: 'general' as const,
        timezone: 'Europe/Paris',
      }));
      const terminals = stores.flatMap((s) =>
        Array.from({ length: TERMINALS }, (_, i) => ({
          id: `${s.id}-T${i}`,
          storeId: s.id,
          name: `Lane ${i}`,
          model: 'X1',
          serial: `SN-${s.id}-${i}`,
          installed: { releaseId: 'rel-5.0.0', since: '2026-01-01T00:00:00Z' },
          lastSeen: null,
        })),
      );
      await importFleet(db, { stores, terminals }, now);
      await seedState(db);
      const code = await t.call('POST', '/v1/admin/desk-enrollment-codes', {
        token: t.adminToken,
        body: { scope: 'all', role: 'release' },
      });
      const desk = await t.call('POST', '/v1/desk/enroll', {
        body: {
          code: code.body.code,
          deskId: 'bench-desk',
          publicKey: createSimDevice('S-0000').publicKey,
        },
      });
      const token = desk.body.deskToken as string;

      const latencies: number[] = [];
      let pages = 0;
      for (let round_ = 0; round_ < ROUNDS; round_++) {
        for (const region of [null, 'Region 3']) {
          let after: string | null = null;
          do {
            const q = `releaseId=rel-5.1.0&limit=${PAGE}${after ? `&after=${after}` : ''}${region ? `&region=${encodeURIComponent(region)}` : ''}`;
            const t0 = performance.now();
            const res = await t.call('GET', `/v1/desk/stores?${q}`, { token });
            latencies.push(performance.now() - t0);
            if (res.status !== 200) throw new Error(`desk stores: ${JSON.stringify(res.body)}`);
            after = res.body.next as string | null;
            pages++;
          } while (after !== null);
        }
      }
      const naive: number[] = [];
      for (let i = 0; i < 8; i++) {
        const t0 = performance.now();
        await naivePage(db, `S-${String(i * 600).padStart(4, '0')}`, 'rel-5.1.0');
        naive.push(performance.now() - t0);
      }
      const p95 = percentile(latencies, 95);
      const naiveP95 = percentile(naive, 95);
      return {
        name: 'desk.storeStates5k.postgres',
        value: round(p95),
        unit: 'ms',
        baseline: round(naiveP95),
        ratio: round(naiveP95 / p95),
        target: 'p95 ≤ 50 ms',
        isTargetMet: p95 <= 50,
        notes: `${pages} pages of ${PAGE} stores over HTTP (all stores and one region, ${ROUNDS} rounds), median ${round(percentile(latencies, 50))} ms; baseline: 4 queries per store of a page, in process (no HTTP), ${naive.length} pages`,
      };
    } finally {
      await t.close();
      pg.stop();
    }
  },
};
