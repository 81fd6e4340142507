/**
 * The release desk's progression over a real server on 127.0.0.1, on SQLite
 * and on PostgreSQL (the one-statement path): each store's state for one
 * release, counts per ring, windows by position, filters, and the scope and
 * bad-input answers. Decisions and deployments are seeded as the read models
 * hold them (their projection is tested in readModels/); a terminal's version
 * arrives through a real push.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Kysely } from 'kysely';
import {
  progressionPage,
  progressionStateOf,
  type ProgressionPage,
} from '../../shared/desk/progression.ts';
import type { ServerSchema } from '../db/schema.ts';
import { createSimDevice } from '../testing/device.ts';
import { createTestUsers, startTestServer, type TestServer } from '../testing/harness.ts';
import { startTestPostgres, type TestPostgres } from '../testing/postgres.ts';

const R = 'rel-2.0.0';

function pageOf(body: unknown): ProgressionPage {
  return progressionPage.parse(body);
}

function release(id: string, version: string, status = 'rolling_out') {
  return {
    id,
    version,
    type: 'minor',
    ring: 'pilot',
    status,
    plannedAt: null,
    actualAt: null,
    title: `Release ${version}`,
    notesMarkdown: '',
  };
}

/** Nine stores, one per state, in two regions; S-6 has two terminals, one on R. */
const STORES = [
  ['P-1', 'pilot', 'North'], // go
  ['P-2', 'pilot', 'North'], // no-go
  ['P-3', 'pilot', 'South'], // installed (by a pushed version)
  ['P-4', 'pilot', 'South'], // failed after an earlier go
  ['E-1', 'early', 'North'], // rolled back
  ['E-2', 'early', 'North'], // in progress (deployment under way)
  ['E-3', 'early', 'South'], // in progress (one of two terminals)
  ['G-1', 'general', 'North'], // scheduled (a planned deployment)
  ['G-2', 'general', 'South'], // not started
] as const;

const FLEET = {
  stores: STORES.map(([id, ring, region]) => ({
    id,
    name: `Store ${id}`,
    region,
    ring,
    timezone: 'Europe/Paris',
  })),
  terminals: STORES.flatMap(([id]) =>
    Array.from({ length: id === 'E-3' ? 2 : 1 }, (_, i) => ({
      id: `${id}-T${i}`,
      storeId: id,
      name: `Till ${i}`,
      model: 'X1',
      serial: `SN-${id}-${i}`,
      installed:
        id === 'E-3' && i === 0
          ? { releaseId: R, since: '2026-03-01T00:00:00Z' }
          : { releaseId: 'rel-1.0.0', since: '2026-01-01T00:00:00Z' },
      lastSeen: null,
    })),
  ),
};

function decision(storeId: string, value: string, logIdx: number, signedAt: string) {
  return {
    id: `dec-${storeId}-${logIdx}`,
    event_id: `ev-${storeId}-${logIdx}`,
    event_hash: 'h',
    release_id: R,
    store_id: storeId,
    decision: value,
    reason: 'r',
    conditions: '[]',
    verdict: value,
    criteria: '[]',
    signature_sha256: 's',
    basis: '{}',
    digest: 'd',
    signed_by: 'u-maya',
    signed_role: 'manager',
    signed_at: signedAt,
    log_idx: logIdx,
  };
}

function deployment(storeId: string, status: string, updatedAt: string) {
  return {
    id: `dep-${storeId}-${status}`,
    store_id: storeId,
    release_id: R,
    status,
    planned_at: '2026-03-01T08:00:00.000Z',
    updated_at: updatedAt,
    last_seq: 1,
    state: '{}',
  };
}

async function seed(
  t: TestServer,
): Promise<{ all: string; north: string; pushAgain: () => Promise<void> }> {
  const admin = { token: t.adminToken };
  expect((await t.call('POST', '/v1/admin/fleet', { ...admin, body: FLEET })).status).toBe(200);
  for (const r of [release('rel-1.0.0', '1.0.0'), release(R, '2.0.0')])
    expect((await t.call('POST', '/v1/admin/releases', { ...admin, body: r })).status).toBe(200);
  await t.call('POST', '/v1/admin/ring-targets', {
    ...admin,
    body: { ring: 'pilot', releaseId: R },
  });
  await createTestUsers(t);
  // P-3's only terminal reports R through a real push.
  const device = createSimDevice('P-3');
  const code = await t.call('POST', '/v1/admin/enrollment-codes', {
    ...admin,
    body: { storeId: 'P-3' },
  });
  const enrolled = await t.call('POST', '/v1/enroll', {
    body: {
      code: code.body.code,
      deviceId: device.deviceId,
      publicKey: device.publicKey,
      name: 'P-3 console',
    },
  });
  expect(enrolled.status, JSON.stringify(enrolled.body)).toBe(200);
  device.record('fleet.version.recorded', {
    terminalId: 'P-3-T0',
    version: '2.0.0',
    releaseId: R,
    previousVersion: '1.0.0',
    source: 'typed',
  });
  const push = await t.call('POST', '/v1/events', {
    token: enrolled.body.deviceToken,
    body: device.pushBody(1, 1),
  });
  expect(push.status, JSON.stringify(push.body)).toBe(200);

  const db: Kysely<ServerSchema> = t.server.store.db;
  await db
    .insertInto('rm_decisions')
    .values([
      decision('P-1', 'no-go', 1, '2026-03-02T10:00:00.000Z'),
      // The later decision wins: P-1 re-decided go.
      decision('P-1', 'go', 2, '2026-03-03T10:00:00.000Z'),
      decision('P-2', 'no-go', 3, '2026-03-02T10:00:00.000Z'),
      decision('P-4', 'go', 4, '2026-03-02T10:00:00.000Z'),
    ])
    .execute();
  await db
    .insertInto('rm_deployments')
    .values([
      deployment('P-4', 'failed', '2026-03-04T10:00:00.000Z'),
      deployment('E-1', 'rolled_back', '2026-03-02T10:00:00.000Z'),
      deployment('E-2', 'in_progress', '2026-03-02T10:00:00.000Z'),
      deployment('G-1', 'planned', '2026-03-02T10:00:00.000Z'),
    ])
    .execute();

  const desk = async (scope: string, deskId: string) => {
    const c = await t.call('POST', '/v1/admin/desk-enrollment-codes', {
      ...admin,
      body: { scope, role: 'release' },
    });
    const d = await t.call('POST', '/v1/desk/enroll', {
      body: { code: c.body.code, deskId, publicKey: createSimDevice('P-1').publicKey },
    });
    expect(d.status, JSON.stringify(d.body)).toBe(200);
    return d.body.deskToken as string;
  };
  // Another version record from P-3: an entry appended to the log, as every desk action or push is.
  const pushAgain = async () => {
    device.record('fleet.version.recorded', {
      terminalId: 'P-3-T0',
      version: '2.0.0',
      releaseId: R,
      previousVersion: '2.0.0',
      source: 'typed',
    });
    const again = await t.call('POST', '/v1/events', {
      token: enrolled.body.deviceToken,
      body: device.pushBody(2, 2),
    });
    expect(again.status, JSON.stringify(again.body)).toBe(200);
  };
  return {
    all: await desk('all', 'desk-all'),
    north: await desk('region:North', 'desk-north'),
    pushAgain,
  };
}

const EXPECTED: Record<string, string> = {
  'P-1': 'go',
  'P-2': 'no_go',
  'P-3': 'installed',
  'P-4': 'failed',
  'E-1': 'rolled_back',
  'E-2': 'in_progress',
  'E-3': 'in_progress',
  'G-1': 'scheduled',
  'G-2': 'not_started',
};

function behaves(name: string, start: () => Promise<{ t: TestServer; stop: () => void }>) {
  describe(name, () => {
    let t: TestServer;
    let stop: () => void;
    let tokens: { all: string; north: string; pushAgain: () => Promise<void> };
    beforeAll(async () => {
      ({ t, stop } = await start());
      tokens = await seed(t);
    }, 60_000);
    afterAll(async () => {
      await t.close();
      stop();
    });

    it('gives every store in scope its state for the release, and counts per ring', async () => {
      const res = await t.call('GET', `/v1/desk/progression?releaseId=${R}`, { token: tokens.all });
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      const page = pageOf(res.body);
      expect(Object.fromEntries(page.stores.map((s) => [s.storeId, s.state]))).toEqual(EXPECTED);
      const pilot = page.rings.find((r) => r.ring === 'pilot')!;
      expect(pilot).toMatchObject({ targetReleaseId: R, stores: 4 });
      expect(pilot.counts).toMatchObject({
        go: 1,
        no_go: 1,
        installed: 1,
        failed: 1,
        not_started: 0,
      });
      const general = page.rings.find((r) => r.ring === 'general')!;
      expect(general.counts).toMatchObject({ scheduled: 1, not_started: 1 });
      const e3 = page.stores.find((s) => s.storeId === 'E-3');
      expect(e3).toMatchObject({ terminals: 2, installed: 1, decision: null, deployment: null });
      const p1 = page.stores.find((s) => s.storeId === 'P-1');
      expect(p1?.decision).toEqual({
        decision: 'go',
        signedBy: 'u-maya',
        signedAt: '2026-03-03T10:00:00.000Z',
      });
    });

    it('windows by position after the ring and state filters, the counts staying whole', async () => {
      const res = await t.call(
        'GET',
        `/v1/desk/progression?releaseId=${R}&ring=early&state=in_progress&offset=1&limit=5`,
        { token: tokens.all },
      );
      expect(res.status).toBe(200);
      const page = pageOf(res.body);
      expect(page.total).toBe(2);
      expect(page.stores.map((s) => s.storeId)).toEqual(['E-3']);
      expect(page.rings.find((r) => r.ring === 'pilot')?.stores).toBe(4);
    });

    it("a region desk sees its region's stores only, and is refused another region", async () => {
      const res = await t.call('GET', `/v1/desk/progression?releaseId=${R}`, {
        token: tokens.north,
      });
      expect(pageOf(res.body).stores.map((s) => s.storeId)).toEqual([
        'E-1',
        'E-2',
        'G-1',
        'P-1',
        'P-2',
      ]);
      const other = await t.call('GET', `/v1/desk/progression?releaseId=${R}&region=South`, {
        token: tokens.north,
      });
      expect(other.status).toBe(403);
      expect(other.body.code).toBe('scope_denied');
    });

    it('names the bad parameter, refuses an unknown release and a non-desk token', async () => {
      const bad = await t.call('GET', `/v1/desk/progression?releaseId=${R}&state=sleeping`, {
        token: tokens.all,
      });
      expect(bad.status).toBe(400);
      expect(bad.body.code).toBe('invalid_input');
      expect(bad.body.message).toContain('state');
      const unknown = await t.call('GET', '/v1/desk/progression?releaseId=rel-9.9.9', {
        token: tokens.all,
      });
      expect(unknown.status).toBe(404);
      expect(unknown.body.code).toBe('not_found');
      const admin = await t.call('GET', `/v1/desk/progression?releaseId=${R}`, {
        token: t.adminToken,
      });
      expect(admin.status).toBe(403);
    });

    it('a release blocked on the release desk is blocked at every store; a scheduled window makes a store scheduled', async () => {
      const db: Kysely<ServerSchema> = t.server.store.db;
      await db
        .insertInto('release_lifecycles')
        .values({
          release_id: 'rel-1.0.0',
          state: 'blocked',
          blocked_from: 'candidate',
          block_reason: 'Card payments fail',
          updated_at: '2026-03-05T10:00:00.000Z',
          log_index: 1,
        })
        .execute();
      const blocked = await t.call('GET', '/v1/desk/progression?releaseId=rel-1.0.0', {
        token: tokens.all,
      });
      expect(new Set(pageOf(blocked.body).stores.map((s) => s.state))).toEqual(
        new Set(['blocked']),
      );
      await db
        .insertInto('deployment_windows')
        .values({
          release_id: R,
          store_id: 'G-2',
          start_local: '2026-03-10T22:00',
          end_local: '2026-03-11T04:00',
          set_at: '2026-03-05T10:00:00.000Z',
          log_index: 2,
        })
        .execute();
      // The progression of a release is kept while the log and the catalog stay put: the next entry recomputes it.
      await tokens.pushAgain();
      const res = await t.call('GET', `/v1/desk/progression?releaseId=${R}&search=G-2`, {
        token: tokens.all,
      });
      expect(pageOf(res.body).stores.map((s) => s.state)).toEqual(['scheduled']);
    });

    it('a paused release is blocked at every store', async () => {
      await t.call('POST', '/v1/admin/releases', {
        token: t.adminToken,
        body: release('rel-3.0.0', '3.0.0', 'paused'),
      });
      const res = await t.call('GET', '/v1/desk/progression?releaseId=rel-3.0.0', {
        token: tokens.all,
      });
      expect(new Set(pageOf(res.body).stores.map((s) => s.state))).toEqual(new Set(['blocked']));
    });

    it('keeps the stores through catalog changes that leave the fleet alone, and shows a fleet change at once', async () => {
      const admin = { token: t.adminToken };
      const search = async (needle: string) =>
        pageOf(
          (
            await t.call('GET', `/v1/desk/progression?releaseId=${R}&search=${needle}`, {
              token: tokens.all,
            })
          ).body,
        ).stores;
      expect((await search('G-2'))[0]).toMatchObject({ terminals: 1 });
      // A ring target and a release change the catalog, not the fleet.
      await t.call('POST', '/v1/admin/ring-targets', {
        ...admin,
        body: { ring: 'lab', releaseId: 'rel-1.0.0' },
      });
      await t.call('POST', '/v1/admin/releases', { ...admin, body: release('rel-4.0.0', '4.0.0') });
      expect((await search('G-2'))[0]).toMatchObject({ terminals: 1 });
      // A second terminal at G-2 and a new store: both shown on the next call.
      const terminal = (id: string, storeId: string) => ({
        id,
        storeId,
        name: 'Till 9',
        model: 'X1',
        serial: `SN-${id}`,
        installed: { releaseId: R, since: '2026-03-01T00:00:00Z' },
        lastSeen: null,
      });
      const imported = await t.call('POST', '/v1/admin/fleet', {
        ...admin,
        body: {
          stores: [
            {
              id: 'G-3',
              name: 'Store G-3',
              region: 'North',
              ring: 'general',
              timezone: 'Europe/Paris',
            },
          ],
          terminals: [terminal('G-2-T9', 'G-2'), terminal('G-3-T0', 'G-3')],
        },
      });
      expect(imported.status, JSON.stringify(imported.body)).toBe(200);
      expect((await search('G-2'))[0]).toMatchObject({ terminals: 2, installed: 1 });
      expect((await search('G-3'))[0]).toMatchObject({ terminals: 1, installed: 1 });
    });
  });
}

behaves('progression on SQLite', async () => ({ t: await startTestServer(), stop: () => {} }));

let pg: TestPostgres | null = null;
behaves('progression on PostgreSQL', async () => {
  pg = await startTestPostgres();
  const t = await startTestServer({ databaseUrl: await pg.createDatabase() });
  return { t, stop: () => pg?.stop() };
});

describe('one store state', () => {
  const base = {
    isReleaseBlocked: false,
    isRingTarget: false,
    terminals: 2,
    installed: 0,
    decision: null,
    deployment: null,
  };
  it('a go after a failed run is go; a run that failed after the go is failed', () => {
    const failed = { status: 'failed', updatedAt: '2026-03-02T00:00:00Z' };
    expect(
      progressionStateOf({
        ...base,
        deployment: failed,
        decision: { decision: 'go', signedAt: '2026-03-03T00:00:00Z' },
      }),
    ).toBe('go');
    expect(
      progressionStateOf({
        ...base,
        deployment: failed,
        decision: { decision: 'go', signedAt: '2026-03-01T00:00:00Z' },
      }),
    ).toBe('failed');
  });
  it("the ring's target with nothing done is scheduled; a finished run with nothing installed is not started", () => {
    expect(progressionStateOf({ ...base, isRingTarget: true })).toBe('scheduled');
    expect(
      progressionStateOf({
        ...base,
        deployment: { status: 'aborted', updatedAt: '2026-03-02T00:00:00Z' },
      }),
    ).toBe('not_started');
  });
});
