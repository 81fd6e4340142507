/**
 * The release desk against a real server on 127.0.0.1 (one server for the
 * file): pilot stores decide go and no-go through real pushes, the desk's
 * promotion is refused with its reasons, an override is its own audited
 * entry, a 25 % stage serves the new target only to the cohort's consoles,
 * a block reaches every store's catalog, and every refusal (desk role,
 * scope, acting user, bad input) answers its code and changes nothing.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { isInCohort } from '../../shared/releases/cohort.ts';
import { logEntriesResponse, type CatalogChange } from '../../shared/sync/protocol.ts';
import { releaseDeskActionResponse } from '../../shared/releases/deskProtocol.ts';
import { runAdmin } from '../admin.ts';
import { createSimDevice, type SimDevice } from '../testing/device.ts';
import {
  enrollSim,
  pullAllChanges,
  startTestServer,
  type LooseBody,
  type TestServer,
} from '../testing/harness.ts';
import { startTestPostgres, type TestPostgres } from '../testing/postgres.ts';
import { noGoPayload } from '../webhooks/testing.ts';

let t: TestServer;
let deskAll: string;
let deskNorth: string;
let deskSupport: string;

const PILOT = ['P-1', 'P-2', 'P-3', 'P-4', 'P-5'];
const EARLY = Array.from({ length: 12 }, (_, i) => `E-${i + 1}`);
const MANAGER = { userId: 'mgr-1', role: 'manager' } as const;

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

const devices = new Map<string, { device: SimDevice; token: string }>();
async function deviceOf(storeId: string) {
  let d = devices.get(storeId);
  if (!d) {
    const device = createSimDevice(storeId);
    d = { device, token: await enrollSim(t, device, storeId) };
    devices.set(storeId, d);
  }
  return d;
}

async function record(storeId: string, type: string, payload: Record<string, unknown>) {
  const { device, token } = await deviceOf(storeId);
  device.record(type, payload, { actor: MANAGER });
  const n = device.events.length;
  const res = await t.call('POST', '/v1/events', { token, body: device.pushBody(n, n) });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  expect(res.body.quarantined).toEqual([]);
}

let decisionCount = 0;
function decide(storeId: string, releaseId: string, decision: 'go' | 'no-go') {
  const payload = noGoPayload(`dec-${++decisionCount}`, releaseId);
  return record(
    storeId,
    'decision.recorded',
    decision === 'go' ? { ...payload, decision: 'go', verdict: 'go' } : payload,
  );
}

function desk(token: string, method: 'GET' | 'POST', path: string, body?: unknown) {
  return t.call(method, path, { token, ...(body !== undefined ? { body } : {}) });
}

/** Everything a refused action could have touched: the log, the catalog and the desk's tables. */
async function everything(): Promise<string> {
  const db = t.server.store.db;
  const head = await t.call('GET', '/v1/log/tree-head');
  const tables = await Promise.all([
    db
      .selectFrom('catalog_changes')
      .select(['cursor', 'entity', 'value'])
      .orderBy('cursor')
      .execute(),
    db.selectFrom('ring_targets').selectAll().orderBy('ring').execute(),
    db.selectFrom('ring_rollouts').selectAll().orderBy('ring').execute(),
    db.selectFrom('release_lifecycles').selectAll().orderBy('release_id').execute(),
    db.selectFrom('deployment_windows').selectAll().orderBy('store_id').execute(),
    db.selectFrom('release_promotions').selectAll().orderBy('id').execute(),
    db.selectFrom('ring_policies').selectAll().execute(),
    db.selectFrom('release_committees').selectAll().execute(),
    db.selectFrom('committee_sign_offs').selectAll().execute(),
  ]);
  return JSON.stringify([head.body.treeHead, tables]);
}

async function enrollDesk(scope: string, role: string, deskId: string): Promise<string> {
  const code = await t.call('POST', '/v1/admin/desk-enrollment-codes', {
    token: t.adminToken,
    body: { scope, role },
  });
  expect(code.status, JSON.stringify(code.body)).toBe(200);
  const res = await t.call('POST', '/v1/desk/enroll', {
    body: { code: code.body.code, deskId, publicKey: createSimDevice('x').publicKey },
  });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body.deskToken as string;
}

/** The last ring target for `ring` a store's console holds after pulling everything. */
function targetOf(changes: CatalogChange[], ring: string): string | null {
  let target: string | null = null;
  for (const c of changes) {
    if (c.entity !== 'ringTarget') continue;
    if (c.op === 'delete' && c.id === ring) target = null;
    if (c.op === 'upsert' && c.value.ring === ring) target = c.value.releaseId;
  }
  return target;
}

async function logEntries(): Promise<LooseBody[]> {
  const head = await t.call('GET', '/v1/log/tree-head');
  const res = await t.call('GET', `/v1/log/entries?start=0&end=${head.body.treeHead.size}`, {
    token: t.adminToken,
  });
  expect(res.status).toBe(200);
  return logEntriesResponse.parse(res.body).entries.map((e): LooseBody => e.event);
}

beforeAll(async () => {
  t = await startTestServer();
  const fleet = {
    stores: [
      ...PILOT.map((id) => store(id, 'pilot', 'North')),
      ...EARLY.map((id, i) => store(id, 'early', i < 6 ? 'North' : 'South')),
      store('G-1', 'general', 'South'),
    ],
    terminals: [],
  };
  expect(
    (await t.call('POST', '/v1/admin/fleet', { token: t.adminToken, body: fleet })).status,
  ).toBe(200);
  for (const [id, version] of [
    ['rel-1', '1.0.0'],
    ['rel-2', '2.0.0'],
    ['rel-3', '3.0.0'],
  ] as const)
    await t.call('POST', '/v1/admin/releases', { token: t.adminToken, body: release(id, version) });
  for (const user of [
    { id: 'admin-1', name: 'Ada Admin', role: 'admin', pin: '135790', storeIds: [] },
    { id: 'admin-2', name: 'Bo Admin', role: 'admin', pin: '135790', storeIds: [] },
    { id: 'mgr-1', name: 'Maya Manager', role: 'manager', pin: '135790', storeIds: [] },
    { id: 'tech-1', name: 'Tess Tech', role: 'technician', pin: '135790', storeIds: [] },
  ])
    expect(
      (await t.call('POST', '/v1/admin/users', { token: t.adminToken, body: user })).status,
    ).toBe(200);
  // The early ring runs rel-1; pilot has no decision for it, so the admin overrides the gate.
  const seeded = await t.call('POST', '/v1/admin/ring-targets', {
    token: t.adminToken,
    body: { ring: 'early', releaseId: 'rel-1', override: { reason: 'Baseline of the test fleet' } },
  });
  expect(seeded.status, JSON.stringify(seeded.body)).toBe(200);
  expect(seeded.body.logIndex).toEqual(expect.any(Number));
  deskAll = await enrollDesk('all', 'release', 'desk-release');
  deskNorth = await enrollDesk('region:North', 'release', 'desk-release-north');
  deskSupport = await enrollDesk('all', 'support', 'desk-support');
  // Pilot: three go, two no-go for rel-2.
  for (const [i, id] of PILOT.entries()) await decide(id, 'rel-2', i < 3 ? 'go' : 'no-go');
});

afterAll(() => t?.close());

describe('release desk', () => {
  it('refuses a promotion below the policy share with the reasons, then passes once the evidence allows', async () => {
    const before = await everything();
    const refused = await desk(deskAll, 'POST', '/v1/desk/releases/rel-2/promote', {
      actedBy: 'admin-1',
      ring: 'early',
    });
    expect(refused.status).toBe(409);
    expect(refused.body.code).toBe('promotion_gated');
    expect(refused.body.reasons).toEqual([
      {
        code: 'go_share',
        ring: 'pilot',
        goStores: 3,
        stores: 5,
        actualPercent: 60,
        requiredPercent: 80,
      },
    ]);
    expect(refused.body.message).toContain('3 of 5 stores of the pilot ring decided go');
    expect(await everything()).toBe(before);

    // The policy for early lowered to 60 %: the same evidence now passes (staged to 25 %).
    const policy = await desk(deskAll, 'POST', '/v1/desk/ring-policies', {
      actedBy: 'admin-1',
      ring: 'early',
      minGoPercent: 60,
    });
    expect(policy.status, JSON.stringify(policy.body)).toBe(200);
    const promoted = await desk(deskAll, 'POST', '/v1/desk/releases/rel-2/promote', {
      actedBy: 'admin-1',
      ring: 'early',
      percent: 25,
    });
    expect(promoted.status, JSON.stringify(promoted.body)).toBe(200);
    const state = releaseDeskActionResponse.parse(promoted.body).state;
    expect(state.rollouts).toEqual([{ ring: 'early', previousReleaseId: 'rel-1', percent: 25 }]);
    // Never moved on the desk before, it was planned: the early ring runs it now.
    expect(state.lifecycle.state).toBe('released:early');
    expect(state.promotions.at(-1)).toMatchObject({
      ring: 'early',
      isOverride: false,
      actedBy: 'admin-1',
    });
    const entries = await logEntries();
    const entry = entries.find((e) => e.type === 'release.promoted');
    expect(entry.payload).toMatchObject({
      releaseId: 'rel-2',
      ring: 'early',
      previousReleaseId: 'rel-1',
      percent: 25,
      actedBy: { userId: 'admin-1', role: 'admin', deskId: 'desk-release' },
    });
  });

  it('serves the new target only to the consoles of stores inside the 25 % cohort; raising it adds the rest', async () => {
    const inside = EARLY.find((id) => isInCohort('rel-2', id, 25));
    const outside = EARLY.find((id) => !isInCohort('rel-2', id, 25));
    expect(inside && outside).toBeTruthy();
    const a = await deviceOf(inside!);
    const b = await deviceOf(outside!);
    expect(targetOf(await pullAllChanges(t, a.token), 'early')).toBe('rel-2');
    expect(targetOf(await pullAllChanges(t, b.token), 'early')).toBe('rel-1');

    const staged = await desk(deskAll, 'POST', '/v1/desk/releases/rel-2/stage', {
      actedBy: 'admin-1',
      ring: 'early',
      percent: 100,
    });
    expect(staged.status, JSON.stringify(staged.body)).toBe(200);
    expect(targetOf(await pullAllChanges(t, b.token), 'early')).toBe('rel-2');
    expect(targetOf(await pullAllChanges(t, a.token), 'early')).toBe('rel-2');
  });

  it('an open S1/S2 bug report gates every ring; the admin override is its own audited entry', async () => {
    await record('P-1', 'feedback.bug_report.drafted', {
      bugReportId: 'bug-1',
      runId: 'run-1',
      terminalId: 'T-1',
      itemId: 'pay',
      releaseId: 'rel-3',
      severity: 'blocker',
      title: 'Card payments fail',
      description: '',
      answerText: 'fail',
      evidence: [],
    });
    const refused = await desk(deskAll, 'POST', '/v1/desk/releases/rel-3/promote', {
      actedBy: 'admin-1',
      ring: 'lab',
    });
    expect(refused.status).toBe(409);
    expect(refused.body.reasons).toEqual([
      { code: 'open_blockers', count: 1, reportIds: ['bug-1'] },
    ]);
    const overridden = await desk(deskAll, 'POST', '/v1/desk/releases/rel-3/promote', {
      actedBy: 'admin-2',
      ring: 'lab',
      override: { reason: 'Lab has no card readers' },
    });
    expect(overridden.status, JSON.stringify(overridden.body)).toBe(200);
    expect(releaseDeskActionResponse.parse(overridden.body).state.promotions.at(-1)).toMatchObject({
      ring: 'lab',
      isOverride: true,
      overrideReason: 'Lab has no card readers',
      gateReasons: [{ code: 'open_blockers', count: 1, reportIds: ['bug-1'] }],
      actedBy: 'admin-2',
      logIndex: overridden.body.logIndex,
    });
    const entry = (await logEntries()).find(
      (e) => e.type === 'release.promotion.overridden' && e.payload.ring === 'lab',
    );
    expect(entry.payload.override).toEqual({ reason: 'Lab has no card readers' });
    expect(entry.payload.actedBy.userId).toBe('admin-2');

    // The admin route goes through the same gate, and an override there is audited too.
    const before = await everything();
    const adminRefused = await t.call('POST', '/v1/admin/ring-targets', {
      token: t.adminToken,
      body: { ring: 'pilot', releaseId: 'rel-3' },
    });
    expect(adminRefused.status).toBe(409);
    expect(adminRefused.body.code).toBe('promotion_gated');
    expect(await everything()).toBe(before);
  });

  it('blocks with a reason that every store pulls, refuses promotions while blocked, and unblocks back', async () => {
    const blocked = await desk(deskAll, 'POST', '/v1/desk/releases/rel-2/block', {
      actedBy: 'admin-1',
      reason: 'Receipts print blank',
    });
    expect(blocked.status, JSON.stringify(blocked.body)).toBe(200);
    expect(blocked.body.state.lifecycle).toMatchObject({
      state: 'blocked',
      blockedFrom: 'released:early',
      blockReason: 'Receipts print blank',
    });
    const pulled = await pullAllChanges(t, (await deviceOf('G-1')).token);
    expect(pulled.filter((c) => c.entity === 'releaseBlock').at(-1)).toEqual({
      entity: 'releaseBlock',
      op: 'upsert',
      value: expect.objectContaining({
        releaseId: 'rel-2',
        reason: 'Receipts print blank',
        blockedBy: 'admin-1',
      }),
    });
    const refused = await desk(deskAll, 'POST', '/v1/desk/releases/rel-2/promote', {
      actedBy: 'admin-1',
      ring: 'general',
    });
    expect(refused.body.code).toBe('release_blocked');
    const unblocked = await desk(deskAll, 'POST', '/v1/desk/releases/rel-2/unblock', {
      actedBy: 'admin-1',
    });
    expect(unblocked.status).toBe(200);
    expect(unblocked.body.state.lifecycle.state).toBe('released:early');
    const again = await pullAllChanges(t, (await deviceOf('G-1')).token);
    expect(again.filter((c) => c.entity === 'releaseBlock').at(-1)).toEqual({
      entity: 'releaseBlock',
      op: 'delete',
      id: 'rel-2',
    });
  });

  it('moves the lifecycle only along the table, and the move to general needs the committee quorum on current evidence', async () => {
    // A release no ring runs yet (rel-1 is the early ring's since the setup's override).
    await t.call('POST', '/v1/admin/releases', {
      token: t.adminToken,
      body: release('rel-4', '4.0.0'),
    });
    const ok = await desk(deskAll, 'POST', '/v1/desk/releases/rel-4/lifecycle', {
      actedBy: 'admin-1',
      to: 'feature_freeze',
    });
    expect(ok.status).toBe(200);
    const bad = await desk(deskAll, 'POST', '/v1/desk/releases/rel-4/lifecycle', {
      actedBy: 'admin-1',
      to: 'general',
    });
    expect(bad.status).toBe(409);
    expect(bad.body.code).toBe('invalid_transition');

    const committee = await desk(deskAll, 'POST', '/v1/desk/release-committees', {
      actedBy: 'admin-1',
      releaseId: null,
      committee: { name: 'Release board', approvers: ['admin-1', 'admin-2'], quorum: 2 },
    });
    expect(committee.status, JSON.stringify(committee.body)).toBe(200);
    const state = (await desk(deskAll, 'GET', '/v1/desk/releases/rel-2/state')).body;
    expect(state.committee).toMatchObject({ name: 'Release board', isDefault: true });
    const digest = state.signOffEvidence.digest as string;

    const stale = await desk(deskAll, 'POST', '/v1/desk/releases/rel-2/sign-off', {
      actedBy: 'admin-1',
      digest: 'f'.repeat(64),
    });
    expect(stale.body.code).toBe('conflict');
    const first = await desk(deskAll, 'POST', '/v1/desk/releases/rel-2/sign-off', {
      actedBy: 'admin-1',
      digest,
    });
    expect(first.status, JSON.stringify(first.body)).toBe(200);
    expect(first.body.state.quorum).toMatchObject({
      current: ['admin-1'],
      missing: ['admin-2'],
      isMet: false,
    });
    // The early ring runs rel-2 since the first test's promotion: its lifecycle followed.
    expect(state.lifecycle.state).toBe('released:early');
    const short = await desk(deskAll, 'POST', '/v1/desk/releases/rel-2/lifecycle', {
      actedBy: 'admin-1',
      to: 'general',
    });
    expect(short.body.code).toBe('quorum_not_met');

    // An early store decides: the evidence changes, admin-1's sign-off no longer counts.
    await decide('E-1', 'rel-2', 'go');
    const second = await desk(deskAll, 'POST', '/v1/desk/releases/rel-2/sign-off', {
      actedBy: 'admin-2',
      digest: (await desk(deskAll, 'GET', '/v1/desk/releases/rel-2/state')).body.signOffEvidence
        .digest,
    });
    expect(second.body.state.quorum).toMatchObject({
      current: ['admin-2'],
      stale: ['admin-1'],
      isMet: false,
    });
    const resigned = await desk(deskAll, 'POST', '/v1/desk/releases/rel-2/sign-off', {
      actedBy: 'admin-1',
      digest: second.body.state.signOffEvidence.digest,
    });
    expect(resigned.body.state.quorum.isMet).toBe(true);
    const general = await desk(deskAll, 'POST', '/v1/desk/releases/rel-2/lifecycle', {
      actedBy: 'admin-1',
      to: 'general',
    });
    expect(general.status, JSON.stringify(general.body)).toBe(200);
    expect(general.body.state.lifecycle.state).toBe('general');
  });

  it('schedules a window for a store in scope; only that store pulls it', async () => {
    const res = await desk(deskNorth, 'POST', '/v1/desk/releases/rel-3/windows', {
      actedBy: 'admin-1',
      start: '2026-03-28T22:00',
      end: '2026-03-29T04:00',
      storeIds: ['P-2'],
    });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.state.windows).toEqual([
      {
        storeId: 'P-2',
        start: '2026-03-28T22:00',
        end: '2026-03-29T04:00',
        status: expect.any(String),
      },
    ]);
    const mine = await pullAllChanges(t, (await deviceOf('P-2')).token);
    expect(mine.filter((c) => c.entity === 'deploymentWindow')).toHaveLength(1);
    const other = await pullAllChanges(t, (await deviceOf('P-3')).token);
    expect(other.filter((c) => c.entity === 'deploymentWindow')).toHaveLength(0);
  });

  it('refuses the wrong desk role, a scope too small, the wrong acting user and bad input, changing nothing', async () => {
    const before = await everything();
    const cases: Array<[string, string, string, unknown, number, string]> = [
      [
        deskSupport,
        'POST',
        '/v1/desk/releases/rel-3/promote',
        { actedBy: 'admin-1', ring: 'pilot' },
        403,
        'role_denied',
      ],
      [
        deskNorth,
        'POST',
        '/v1/desk/releases/rel-3/block',
        { actedBy: 'admin-1', reason: 'Bad build' },
        403,
        'scope_denied',
      ],
      [
        deskNorth,
        'POST',
        '/v1/desk/releases/rel-3/windows',
        {
          actedBy: 'admin-1',
          start: '2026-04-01T22:00',
          end: '2026-04-02T04:00',
          storeIds: ['E-12'],
        },
        403,
        'scope_denied',
      ],
      [
        deskAll,
        'POST',
        '/v1/desk/releases/rel-3/block',
        { actedBy: 'mgr-1', reason: 'Bad build' },
        403,
        'actor_denied',
      ],
      [
        deskAll,
        'POST',
        '/v1/desk/releases/rel-3/block',
        { actedBy: 'nobody', reason: 'Bad build' },
        403,
        'actor_denied',
      ],
      [
        deskAll,
        'POST',
        '/v1/desk/releases/rel-3/stage',
        { actedBy: 'admin-1', ring: 'lab', percent: 150 },
        400,
        'invalid_input',
      ],
      [
        deskAll,
        'POST',
        '/v1/desk/releases/rel-3/stage',
        { actedBy: 'admin-1', ring: 'lab', percent: -1 },
        400,
        'invalid_input',
      ],
      [
        deskAll,
        'POST',
        '/v1/desk/releases/rel-3/windows',
        {
          actedBy: 'admin-1',
          start: '2026-04-02T04:00',
          end: '2026-04-01T22:00',
          storeIds: ['P-1'],
        },
        400,
        'invalid_input',
      ],
      [
        deskAll,
        'POST',
        '/v1/desk/releases/rel-9/block',
        { actedBy: 'admin-1', reason: 'Bad build' },
        404,
        'not_found',
      ],
    ];
    for (const [token, method, path, body, status, code] of cases) {
      const res = await desk(token, method as 'POST', path, body);
      expect([res.status, res.body.code], `${path} ${JSON.stringify(body)}`).toEqual([
        status,
        code,
      ]);
      if (status === 400)
        expect(res.body.fieldErrors[0].field).toBe(path.endsWith('stage') ? 'percent' : 'end');
    }
    expect(await everything()).toBe(before);
  });

  it('the admin command line goes through the same gate: refused with the reasons, then overridden with a reason', async () => {
    const err: string[] = [];
    const out: string[] = [];
    const errSpy = vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => {
      err.push(String(chunk));
      return true;
    });
    const outSpy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
      out.push(String(chunk));
      return true;
    });
    try {
      const args = [
        'set-ring-target',
        '--data',
        t.dataDir,
        '--ring',
        'pilot',
        '--release',
        'rel-3',
        '--as',
        'test-admin',
      ];
      expect(await runAdmin(args)).toBe(1);
      expect(err.join('')).toContain('promotion_gated');
      expect(await runAdmin([...args, '--override-reason', 'Hotfix for the pilot printers'])).toBe(
        0,
      );
      expect(out.join('')).toMatch(/gate overridden: central log entry \d+/);
      expect(await runAdmin(['release-state', '--data', t.dataDir, '--release', 'rel-3'])).toBe(0);
    } finally {
      errSpy.mockRestore();
      outSpy.mockRestore();
    }
    const state = JSON.parse(out.filter((chunk) => chunk.startsWith('{')).join('')) as {
      promotions: Array<{
        ring: string;
        isOverride: boolean;
        actedBy: string;
        overrideReason: string;
      }>;
    };
    expect(state.promotions.at(-1)).toMatchObject({
      ring: 'pilot',
      isOverride: true,
      // The administrator named with --as, not the channel they used.
      actedBy: 'test-admin',
      overrideReason: 'Hotfix for the pilot printers',
    });
  });
});

describe('release desk on PostgreSQL', () => {
  let pg: TestPostgres;
  let server: TestServer;
  afterAll(async () => {
    await server?.close();
    pg?.stop();
  });

  it('promotes staged, serves the cohort its target, blocks, signs off and refuses bad input, on PostgreSQL', async () => {
    pg = await startTestPostgres();
    server = await startTestServer({ databaseUrl: await pg.createDatabase() });
    const call = server.call.bind(server);
    const admin = { token: server.adminToken };
    const fleet = {
      stores: ['L-1', 'L-2', 'L-3', 'L-4', 'L-5', 'L-6', 'L-7', 'L-8'].map((id) =>
        store(id, 'lab', 'North'),
      ),
      terminals: [],
    };
    expect((await call('POST', '/v1/admin/fleet', { ...admin, body: fleet })).status).toBe(200);
    for (const [id, version] of [
      ['rel-1', '1.0.0'],
      ['rel-2', '2.0.0'],
    ] as const)
      await call('POST', '/v1/admin/releases', { ...admin, body: release(id, version) });
    await call('POST', '/v1/admin/users', {
      ...admin,
      body: { id: 'admin-1', name: 'Ada Admin', role: 'admin', pin: '135790', storeIds: [] },
    });
    expect(
      (
        await call('POST', '/v1/admin/ring-targets', {
          ...admin,
          body: { ring: 'lab', releaseId: 'rel-1' },
        })
      ).status,
    ).toBe(200);
    const code = await call('POST', '/v1/admin/desk-enrollment-codes', {
      ...admin,
      body: { scope: 'all', role: 'release' },
    });
    const enrolled = await call('POST', '/v1/desk/enroll', {
      body: { code: code.body.code, deskId: 'desk-pg', publicKey: createSimDevice('x').publicKey },
    });
    const token = enrolled.body.deskToken as string;

    const promoted = await call('POST', '/v1/desk/releases/rel-2/promote', {
      token,
      body: { actedBy: 'admin-1', ring: 'lab', percent: 25 },
    });
    expect(promoted.status, JSON.stringify(promoted.body)).toBe(200);
    const inside = fleet.stores.find((s) => isInCohort('rel-2', s.id, 25))!;
    const outside = fleet.stores.find((s) => !isInCohort('rel-2', s.id, 25))!;
    for (const [s, expected] of [
      [inside, 'rel-2'],
      [outside, 'rel-1'],
    ] as const) {
      const device = createSimDevice(s.id);
      const deviceToken = await enrollSim(server, device, s.id);
      expect(targetOf(await pullAllChanges(server, deviceToken), 'lab')).toBe(expected);
    }
    const blocked = await call('POST', '/v1/desk/releases/rel-2/block', {
      token,
      body: { actedBy: 'admin-1', reason: 'Receipts print blank' },
    });
    expect(blocked.body.state.lifecycle.state).toBe('blocked');
    await call('POST', '/v1/desk/release-committees', {
      token,
      body: {
        actedBy: 'admin-1',
        releaseId: 'rel-2',
        committee: { name: 'Board', approvers: ['admin-1'], quorum: 1 },
      },
    });
    const digest = (await call('GET', '/v1/desk/releases/rel-2/state', { token })).body
      .signOffEvidence.digest;
    const signed = await call('POST', '/v1/desk/releases/rel-2/sign-off', {
      token,
      body: { actedBy: 'admin-1', digest },
    });
    expect(signed.body.state.quorum.isMet).toBe(true);
    const windows = await call('POST', '/v1/desk/releases/rel-2/windows', {
      token,
      body: {
        actedBy: 'admin-1',
        start: '2026-10-24T22:00',
        end: '2026-10-25T04:00',
        cohort: { ring: 'lab' },
      },
    });
    expect(
      releaseDeskActionResponse.parse(windows.body).state.windows.map((w) => w.storeId),
    ).toContain(inside.id);
    const bad = await call('POST', '/v1/desk/releases/rel-2/stage', {
      token,
      body: { actedBy: 'admin-1', ring: 'lab', percent: 101 },
    });
    expect([bad.status, bad.body.fieldErrors[0].field]).toEqual([400, 'percent']);
  });
});
