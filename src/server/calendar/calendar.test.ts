/**
 * The release calendar against a real server on 127.0.0.1 (one server for
 * the file, then one on PostgreSQL): an administrator plans a release per
 * ring (API and command line), the ring's target moves and its stores decide,
 * and the desk reads the plan beside what happened, the freezes and windows
 * of its scope, and a store's trading days across a daylight-saving night.
 * Bad input names its field and changes nothing.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { releaseCalendar, startDriftDays } from '../../shared/releases/calendar.ts';
import { runAdmin } from '../admin.ts';
import { createSimDevice, type SimDevice } from '../testing/device.ts';
import { enrollSim, startTestServer, type TestServer } from '../testing/harness.ts';
import { startTestPostgres, type TestPostgres } from '../testing/postgres.ts';
import { noGoPayload } from '../webhooks/testing.ts';

const MANAGER = { userId: 'mgr-1', role: 'manager' } as const;
const ALL_DAY = { open: '00:00', close: '24:00' };

function store(id: string, ring: string, region: string) {
  return { id, name: `Store ${id}`, region, ring, timezone: 'Europe/Paris' };
}
function release(id: string, version: string) {
  return {
    id,
    version,
    type: 'minor',
    ring: 'pilot',
    status: 'rolling_out',
    plannedAt: null,
    actualAt: null,
    title: `Release ${version}`,
    notesMarkdown: '',
  };
}
function storeWindows(storeId: string, freezes: Array<{ name: string; from: string; to: string }>) {
  return {
    storeId,
    tradingHours: {
      sun: ALL_DAY,
      mon: ALL_DAY,
      tue: ALL_DAY,
      wed: ALL_DAY,
      thu: ALL_DAY,
      fri: ALL_DAY,
      sat: null,
    },
    freezes,
  };
}

/** A fleet, a release planned and promoted to pilot, two go and one no-go; returns the desk tokens. */
async function seed(t: TestServer): Promise<{ all: string; north: string }> {
  const admin = { token: t.adminToken };
  const ok = async (path: string, body: unknown) => {
    const res = await t.call('POST', path, { ...admin, body });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return res.body as Record<string, unknown>;
  };
  await ok('/v1/admin/fleet', {
    stores: [
      store('P-1', 'pilot', 'North'),
      store('P-2', 'pilot', 'North'),
      store('P-3', 'pilot', 'North'),
      store('E-1', 'early', 'South'),
    ],
    terminals: [],
  });
  await ok('/v1/admin/releases', release('rel-2', '2.0.0'));
  await ok('/v1/admin/users', {
    id: 'admin-1',
    name: 'Ada Admin',
    role: 'admin',
    pin: '135790',
    storeIds: [],
  });
  await ok('/v1/admin/users', {
    id: 'mgr-1',
    name: 'Maya Manager',
    role: 'manager',
    pin: '135790',
    storeIds: [],
  });
  await ok('/v1/admin/release-plans', {
    releaseId: 'rel-2',
    rings: [
      { ring: 'pilot', start: '2026-12-01', end: '2026-12-04' },
      { ring: 'early', start: '2026-12-07', end: '2026-12-11' },
    ],
  });
  await ok('/v1/admin/store-windows', storeWindows('P-1', [xmasFreeze]));
  await ok('/v1/admin/store-windows', storeWindows('P-2', [xmasFreeze]));
  await ok('/v1/admin/store-windows', storeWindows('E-1', [southFreeze]));
  await ok('/v1/admin/ring-targets', { ring: 'pilot', releaseId: 'rel-2' });
  const devices = new Map<string, { device: SimDevice; token: string }>();
  for (const [storeId, decision] of [
    ['P-1', 'go'],
    ['P-2', 'go'],
    ['P-3', 'no-go'],
  ] as const) {
    const device = createSimDevice(storeId);
    const token = await enrollSim(t, device, storeId);
    devices.set(storeId, { device, token });
    const payload = noGoPayload(`dec-${storeId}`, 'rel-2');
    device.record(
      'decision.recorded',
      decision === 'go' ? { ...payload, decision: 'go', verdict: 'go' } : payload,
      { actor: MANAGER },
    );
    const res = await t.call('POST', '/v1/events', { token, body: device.pushBody(1, 1) });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
  }
  const enroll = async (scope: string, deskId: string) => {
    const code = await ok('/v1/admin/desk-enrollment-codes', { scope, role: 'release' });
    const res = await t.call('POST', '/v1/desk/enroll', {
      body: { code: code.code, deskId, publicKey: createSimDevice('x').publicKey },
    });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return res.body.deskToken as string;
  };
  const all = await enroll('all', 'desk-all');
  const windows = await t.call('POST', '/v1/desk/releases/rel-2/windows', {
    token: all,
    body: {
      actedBy: 'admin-1',
      start: '2026-12-02T22:00',
      end: '2026-12-03T05:00',
      storeIds: ['P-1', 'P-2'],
    },
  });
  expect(windows.status, JSON.stringify(windows.body)).toBe(200);
  return { all, north: await enroll('region:North', 'desk-north') };
}

const xmasFreeze = { name: 'Christmas trading', from: '2026-12-19T00:00', to: '2026-12-27T00:00' };
const southFreeze = { name: 'South inventory', from: '2026-12-14T06:00', to: '2026-12-15T06:00' };

let t: TestServer;
let desks: { all: string; north: string };

beforeAll(async () => {
  t = await startTestServer();
  desks = await seed(t);
});
afterAll(() => t?.close());

async function calendar(token: string, query: string) {
  return t.call('GET', `/v1/desk/calendar?${query}`, { token });
}

describe('release calendar', () => {
  it('shows each ring planned against actual: target moved, first and last go, go stores', async () => {
    const res = await calendar(desks.all, 'from=2026-12-01&to=2026-12-31');
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const body = releaseCalendar.parse(res.body);
    const pilot = body.rings.find((r) => r.ring === 'pilot')!;
    expect(pilot).toMatchObject({
      releaseId: 'rel-2',
      version: '2.0.0',
      plannedStart: '2026-12-01',
      plannedEnd: '2026-12-04',
      goStores: 2,
      stores: 3,
    });
    expect(pilot.targetAt).not.toBeNull();
    expect(pilot.firstGoAt! <= pilot.lastGoAt!).toBe(true);
    expect(startDriftDays(pilot)).toBe(
      startDriftDays({ plannedStart: '2026-12-01', targetAt: pilot.targetAt }),
    );
    const early = body.rings.find((r) => r.ring === 'early')!;
    expect(early).toMatchObject({ plannedStart: '2026-12-07', targetAt: null, goStores: 0 });
    // A span that touches neither the plan nor what happened shows nothing of it.
    const before = releaseCalendar.parse(
      (await calendar(desks.all, 'from=2026-10-01&to=2026-10-31')).body,
    );
    expect(before.rings).toEqual([]);
  });

  it("lists the scope's freezes and deployment windows, identical ones counted together", async () => {
    const all = releaseCalendar.parse(
      (await calendar(desks.all, 'from=2026-12-01&to=2026-12-31')).body,
    );
    expect(all.freezes).toEqual([
      { ...southFreeze, stores: 1 },
      { ...xmasFreeze, stores: 2 },
    ]);
    expect(all.deploymentWindows).toEqual([
      {
        releaseId: 'rel-2',
        version: '2.0.0',
        start: '2026-12-02T22:00',
        end: '2026-12-03T05:00',
        stores: 2,
      },
    ]);
    const north = releaseCalendar.parse(
      (await calendar(desks.north, 'from=2026-12-01&to=2026-12-31')).body,
    );
    expect(north.freezes).toEqual([{ ...xmasFreeze, stores: 2 }]);
    expect(north.rings.find((r) => r.ring === 'early')!.stores).toBe(0);
  });

  it("shows a store's trading days in its own time, an hour shorter on the spring night and longer in autumn", async () => {
    const spring = releaseCalendar.parse(
      (await calendar(desks.all, 'from=2027-03-27&to=2027-03-29&storeId=P-1')).body,
    );
    expect(spring.store).toMatchObject({
      id: 'P-1',
      timezone: 'Europe/Paris',
      hasTradingHours: true,
    });
    expect(spring.store!.tradingDays).toEqual([
      { date: '2027-03-27', open: null, close: null, minutes: 0 },
      { date: '2027-03-28', open: '00:00', close: '24:00', minutes: 23 * 60 },
      { date: '2027-03-29', open: '00:00', close: '24:00', minutes: 24 * 60 },
    ]);
    const autumn = releaseCalendar.parse(
      (await calendar(desks.all, 'from=2026-10-25&to=2026-10-25&storeId=P-1')).body,
    );
    expect(autumn.store!.tradingDays[0]!.minutes).toBe(25 * 60);
    const none = releaseCalendar.parse(
      (await calendar(desks.all, 'from=2026-12-01&to=2026-12-02&storeId=P-3')).body,
    );
    expect(none.store).toMatchObject({ hasTradingHours: false, tradingDays: [] });
  });

  it('refuses a store outside the desk scope like an unknown one', async () => {
    for (const storeId of ['E-1', 'NOPE']) {
      const res = await calendar(desks.north, `from=2026-12-01&to=2026-12-31&storeId=${storeId}`);
      expect([res.status, res.body.code]).toEqual([403, 'scope_denied']);
    }
  });

  it('names the field of bad input (reversed plan, unknown ring, reversed range, reversed window) and changes nothing', async () => {
    const plans = () =>
      t.server.store.db.selectFrom('release_ring_plans').selectAll().orderBy('ring').execute();
    const before = JSON.stringify(await plans());
    const cases: Array<[unknown, string]> = [
      [
        { releaseId: 'rel-2', rings: [{ ring: 'pilot', start: '2026-12-09', end: '2026-12-01' }] },
        'rings.0.end',
      ],
      [
        { releaseId: 'rel-2', rings: [{ ring: 'canary', start: '2026-12-01', end: '2026-12-09' }] },
        'rings.0.ring',
      ],
      [
        { releaseId: 'rel-2', rings: [{ ring: 'pilot', start: '2026-02-30', end: '2026-03-09' }] },
        'rings.0.start',
      ],
      [
        { releaseId: 'rel-9', rings: [{ ring: 'pilot', start: '2026-12-01', end: '2026-12-09' }] },
        'releaseId',
      ],
    ];
    for (const [body, field] of cases) {
      const res = await t.call('POST', '/v1/admin/release-plans', { token: t.adminToken, body });
      expect([res.status, res.body.code, res.body.fieldErrors?.[0]?.field]).toEqual([
        400,
        'invalid_input',
        field,
      ]);
    }
    expect(JSON.stringify(await plans())).toBe(before);

    const reversed = await calendar(desks.all, 'from=2026-12-31&to=2026-12-01');
    expect([reversed.status, reversed.body.fieldErrors[0].field]).toEqual([400, 'to']);
    expect(reversed.body.message).toContain('the range ends before it starts');
    const tooLong = await calendar(desks.all, 'from=2026-01-01&to=2026-12-31');
    expect([tooLong.status, tooLong.body.fieldErrors[0].field]).toEqual([400, 'to']);

    const window = await t.call('POST', '/v1/desk/releases/rel-2/windows', {
      token: desks.all,
      body: {
        actedBy: 'admin-1',
        start: '2026-12-03T05:00',
        end: '2026-12-02T22:00',
        storeIds: ['P-3'],
      },
    });
    expect([window.status, window.body.fieldErrors[0].field]).toEqual([400, 'end']);
    const after = releaseCalendar.parse(
      (await calendar(desks.all, 'from=2026-12-01&to=2026-12-31')).body,
    );
    expect(after.deploymentWindows).toHaveLength(1);
  });

  it('sets a plan from the command line, the same rules as the API', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'dearpos-plan-'));
    const out: string[] = [];
    const err: string[] = [];
    const outSpy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
      out.push(String(chunk));
      return true;
    });
    const errSpy = vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => {
      err.push(String(chunk));
      return true;
    });
    try {
      const file = join(dir, 'plan.json');
      writeFileSync(
        file,
        JSON.stringify({
          releaseId: 'rel-2',
          rings: [{ ring: 'general', start: '2026-12-14', end: '2026-12-18' }],
        }),
      );
      expect(
        await runAdmin([
          'set-release-plan',
          '--as',
          'test-admin',
          '--data',
          t.dataDir,
          '--json',
          file,
        ]),
      ).toBe(0);
      expect(out.join('')).toContain('release rel-2 planned: general 2026-12-14..2026-12-18');
      writeFileSync(
        file,
        JSON.stringify({
          releaseId: 'rel-2',
          rings: [{ ring: 'general', start: '2026-12-18', end: '2026-12-14' }],
        }),
      );
      expect(
        await runAdmin([
          'set-release-plan',
          '--as',
          'test-admin',
          '--data',
          t.dataDir,
          '--json',
          file,
        ]),
      ).toBe(1);
      expect(err.join('')).toContain('rings.0.end');
    } finally {
      outSpy.mockRestore();
      errSpy.mockRestore();
      rmSync(dir, { recursive: true, force: true });
    }
    const body = releaseCalendar.parse(
      (await calendar(desks.all, 'from=2026-12-01&to=2026-12-31')).body,
    );
    expect(body.rings.find((r) => r.ring === 'general')).toMatchObject({
      plannedStart: '2026-12-14',
      plannedEnd: '2026-12-18',
    });
  });
});

describe('release calendar on PostgreSQL', () => {
  let pg: TestPostgres;
  let server: TestServer;
  afterAll(async () => {
    await server?.close();
    pg?.stop();
  });

  it('plans, promotes, decides and reads the same calendar on PostgreSQL', async () => {
    pg = await startTestPostgres();
    server = await startTestServer({ databaseUrl: await pg.createDatabase() });
    const seeded = await seed(server);
    const res = await server.call(
      'GET',
      '/v1/desk/calendar?from=2026-12-01&to=2026-12-31&storeId=P-1',
      {
        token: seeded.all,
      },
    );
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const body = releaseCalendar.parse(res.body);
    expect(body.rings.find((r) => r.ring === 'pilot')).toMatchObject({ goStores: 2, stores: 3 });
    expect(body.freezes.map((f) => f.stores)).toEqual([1, 2]);
    expect(body.deploymentWindows[0]!.stores).toBe(2);
    expect(body.store!.tradingDays).toHaveLength(31);
    const bad = await server.call('POST', '/v1/admin/release-plans', {
      token: server.adminToken,
      body: {
        releaseId: 'rel-2',
        rings: [{ ring: 'pilot', start: '2026-12-09', end: '2026-12-01' }],
      },
    });
    expect([bad.status, bad.body.fieldErrors[0].field]).toEqual([400, 'rings.0.end']);
  });
});
