/**
 * Every state-changing admin route is a central action of the log: the
 * routes are read from the route table, each is called once with a valid
 * body by a named administrator, and exactly one new entry naming that
 * administrator must appear. A new admin route without a body in BODIES
 * fails here, so no catalog change can slip past the log again. The desk's
 * read of those actions (scope, paging, filters) shares the same server.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyBundle } from '../../shared/audit/bundle.ts';
import {
  ADMIN_ACTION_TYPES,
  CENTRAL_ACTION_TYPES,
  centralActionsOf,
} from '../../shared/audit/centralActions.ts';
import { SERVER_DEVICE_ID } from '../../shared/audit/serverEntry.ts';
import type { CentralActionsPage } from '../../shared/desk/centralActions.ts';
import { recordRevision } from '../revisions/service.ts';
import { SERVER_ROUTES, type RouteName } from '../routes.ts';
import { createSimDevice } from '../testing/device.ts';
import { TEST_ADMIN } from '../testing/admin.ts';
import { TEST_FLEET, enrollSim, startTestServer, type TestServer } from '../testing/harness.ts';
import { startTestPostgres, type TestPostgres } from '../testing/postgres.ts';
import {
  checklistRequirementBody,
  checklistTemplateBody,
  featureFlagBody,
  runbookBody,
  storeWindowsBody,
} from '../testing/publishBodies.ts';

/** The administrator who takes every action below: not the harness's, so the name is proved. */
const GRACE = { id: 'u-grace', name: 'Grace Hopper' };
const RELEASE_ID = 'rel-9.0.0';

type Req = { path: string; body?: unknown };
type Ctx = { t: TestServer; token: string };

let t: TestServer;
let graceToken: string;
let counter = 0;

async function ok(
  path: string,
  body: unknown,
  token = t.adminToken,
): Promise<{ [k: string]: unknown }> {
  const res = await t.call('POST', path, { token, body });
  expect(res.status, `${path} ${JSON.stringify(res.body)}`).toBe(200);
  return res.body as { [k: string]: unknown };
}

async function newWebhook(): Promise<string> {
  const out = await ok('/v1/admin/webhooks', {
    url: 'https://hooks.example.com/secret-path?token=abc',
    eventTypes: ['console.quarantined'],
  });
  return (out.subscription as { id: string }).id;
}

async function enrolledDesk(
  scope: string,
  role = 'auditor',
): Promise<{ deskId: string; token: string }> {
  const { code } = (await ok('/v1/admin/desk-enrollment-codes', { scope, role })) as {
    code: string;
  };
  const deskId = `desk-${counter++}`;
  const res = await t.call('POST', '/v1/desk/enroll', {
    body: { code, deskId, publicKey: createSimDevice('S-1').publicKey },
  });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return { deskId, token: res.body.deskToken as string };
}

/**
 * A valid request for every state-changing admin route, prepared by the
 * harness's administrator (its own entries are counted before the call).
 */
const BODIES: Partial<Record<RouteName, (ctx: Ctx) => Promise<Req> | Req>> = {
  importFleet: () => ({ path: '/v1/admin/fleet', body: TEST_FLEET }),
  importFleetCsv: () => ({
    path: '/v1/admin/fleet/csv',
    body: {
      kind: 'stores',
      csv: 'id,name,region,ring,timezone\nS-3,Three,North,early,Europe/Paris\n',
    },
  }),
  publishRelease: () => ({
    path: '/v1/admin/releases',
    body: {
      id: RELEASE_ID,
      version: '9.0.0',
      type: 'major',
      ring: 'lab',
      status: 'planned',
      plannedAt: null,
      actualAt: null,
      title: 'Nine',
      notesMarkdown: '',
    },
  }),
  setRingTarget: () => ({
    path: '/v1/admin/ring-targets',
    body: { ring: 'lab', releaseId: RELEASE_ID },
  }),
  createUser: () => ({
    path: '/v1/admin/users',
    body: {
      id: `u-${counter++}`,
      name: 'Tess',
      role: 'technician',
      pin: '482913',
      storeIds: ['S-1'],
    },
  }),
  revokeUser: async () => {
    const userId = `u-${counter++}`;
    await ok('/v1/admin/users', {
      id: userId,
      name: 'R',
      role: 'technician',
      pin: '482913',
      storeIds: ['S-2'],
    });
    return { path: '/v1/admin/users/revoke', body: { userId } };
  },
  issueEnrollmentCode: () => ({ path: '/v1/admin/enrollment-codes', body: { storeId: 'S-1' } }),
  revokeDevice: async ({ t }) => {
    const device = createSimDevice('S-2');
    await enrollSim(t, device, 'S-2');
    return { path: '/v1/admin/devices/revoke', body: { deviceId: device.deviceId } };
  },
  issueAuditorToken: () => ({
    path: '/v1/admin/auditor-tokens',
    body: { label: 'external audit' },
  }),
  issueAdminToken: () => ({
    path: '/v1/admin/admin-tokens',
    body: { userId: GRACE.id, label: 'tablet' },
  }),
  approveRevision: async ({ t }) => {
    const docId = `tpl-approve-${counter++}`;
    const { number, contentHash } = await recordRevision(t.server.store.db, {
      kind: 'checklistTemplate',
      docId,
      content: { id: docId },
      authorId: TEST_ADMIN.id,
      at: new Date(),
      requiredApprovals: 1,
    });
    return {
      path: '/v1/admin/revisions/approve',
      body: { kind: 'checklistTemplate', docId, number, contentHash },
    };
  },
  publishRunbook: () => ({ path: '/v1/admin/runbooks', body: runbookBody(RELEASE_ID) }),
  publishFeatureFlag: () => ({
    path: '/v1/admin/feature-flags',
    body: featureFlagBody(RELEASE_ID, { 'S-1': true }),
  }),
  setStoreWindows: () => ({ path: '/v1/admin/store-windows', body: storeWindowsBody('S-1') }),
  publishChecklistTemplate: () => ({
    path: '/v1/admin/checklist-templates',
    body: checklistTemplateBody(),
  }),
  setChecklistRequirement: () => ({
    path: '/v1/admin/checklist-requirements',
    body: checklistRequirementBody(RELEASE_ID),
  }),
  setComplianceRule: () => ({
    path: '/v1/admin/compliance-rules',
    body: {
      id: 'rule-south-fiscal',
      name: 'Fiscal printer certification',
      region: 'South',
      releaseIds: [],
      checks: [{ kind: 'checklist', templateId: 'tpl-admin-smoke', terminalCount: 1 }],
    },
  }),
  publishUpdateManifest: () => ({
    path: '/v1/admin/update-manifests',
    body: {
      version: '9.1.0',
      channel: 'latest',
      files: [{ name: 'console-9.1.0.AppImage', size: 10, sha512: 'A'.repeat(86) + '==' }],
    },
  }),
  setConsoleUpdatePolicy: () => ({
    path: '/v1/admin/console-update-policy',
    body: {
      channels: { lab: 'alpha', pilot: 'beta', early: 'latest', general: 'latest' },
      stagedPercent: { lab: 100, pilot: 100, early: 50, general: 10 },
      pins: [],
      downgrades: [],
    },
  }),
  publishRisk: () => ({
    path: '/v1/admin/risks',
    body: {
      id: 'risk-card-reader',
      releaseId: RELEASE_ID,
      title: 'Card reader firmware',
      likelihood: 'medium',
      impact: 'high',
      owner: 'Payments team',
      mitigation: 'Firmware pinned in the lab ring first.',
      contingency: 'Roll back to the previous release.',
      rollbackStepId: null,
      status: 'open',
    },
  }),
  publishStoreNotes: () => ({
    path: '/v1/admin/store-notes',
    body: { releaseId: RELEASE_ID, markdown: 'Receipts now show the loyalty balance.' },
  }),
  importTestResults: () => ({
    path: `/v1/admin/releases/${RELEASE_ID}/test-results`,
    body: { xml: '<testsuite name="smoke"><testcase name="boots"/></testsuite>' },
  }),
  setReleasePlan: () => ({
    path: '/v1/admin/release-plans',
    body: {
      releaseId: RELEASE_ID,
      rings: [{ ring: 'pilot', start: '2026-12-01', end: '2026-12-04' }],
    },
  }),
  setCommsPlan: () => ({
    path: '/v1/admin/comms-plans',
    body: {
      releaseId: RELEASE_ID,
      communications: [
        {
          id: 'heads-up',
          audience: { roles: ['manager'], webhook: false },
          when: { anchor: 'instant', at: '2099-12-01T07:00:00Z' },
          message: 'The release arrives next week.',
        },
      ],
    },
  }),
  issueDeskEnrollmentCode: () => ({
    path: '/v1/admin/desk-enrollment-codes',
    body: { scope: 'region:South', role: 'support' },
  }),
  revokeDesk: async () => {
    const { deskId } = await enrolledDesk('region:South', 'support');
    return { path: '/v1/admin/desks/revoke', body: { deskId } };
  },
  createWebhook: () => ({
    path: '/v1/admin/webhooks',
    body: {
      url: 'https://hooks.example.com/secret-path?token=abc',
      eventTypes: ['decision.no_go_recorded'],
    },
  }),
  deleteWebhook: async () => ({ path: `/v1/admin/webhooks/${await newWebhook()}/delete` }),
  pauseWebhook: async () => ({ path: `/v1/admin/webhooks/${await newWebhook()}/pause` }),
  resumeWebhook: async () => ({ path: `/v1/admin/webhooks/${await newWebhook()}/resume` }),
  replayWebhook: async () => ({
    path: `/v1/admin/webhooks/${await newWebhook()}/replay`,
    body: { since: '2020-01-01T00:00:00Z' },
  }),
};

/** Every route an admin token may change something with: POST, admin auth. */
const ADMIN_WRITES = (Object.keys(SERVER_ROUTES) as RouteName[]).filter((name) => {
  const def = SERVER_ROUTES[name];
  return def.method === 'POST' && def.auth === 'admin';
});

type Entry = { index: number; type: string; storeId: string; payload: { [k: string]: unknown } };

async function serverEntries(): Promise<Entry[]> {
  const rows = await t.server.store.db
    .selectFrom('log_entries')
    .select(['idx', 'type', 'store_id', 'body'])
    .where('device_id', '=', SERVER_DEVICE_ID)
    .orderBy('idx')
    .execute();
  return rows.map((r) => ({
    index: Number(r.idx),
    type: r.type,
    storeId: r.store_id,
    payload: (JSON.parse(r.body) as { payload: { [k: string]: unknown } }).payload,
  }));
}

/** One logged action per admin route, in the order they were called. */
const logged: Array<{ route: RouteName; entry: Entry }> = [];

beforeAll(async () => {
  t = await startTestServer();
  await ok('/v1/admin/fleet', TEST_FLEET);
  await ok('/v1/admin/users', {
    id: GRACE.id,
    name: GRACE.name,
    role: 'admin',
    pin: '482913',
    storeIds: [],
  });
  graceToken = (await ok('/v1/admin/admin-tokens', { userId: GRACE.id })).token as string;
});
afterAll(() => t.close());

describe('every state-changing admin route', () => {
  it('is read from the route table, and each has a valid body here', () => {
    expect(ADMIN_WRITES.length).toBeGreaterThan(25);
    expect(ADMIN_WRITES.filter((name) => BODIES[name] === undefined)).toEqual([]);
  });

  it('logs exactly one central action naming the administrator who called it', async () => {
    for (const route of ADMIN_WRITES) {
      const build = BODIES[route];
      if (!build)
        throw new Error(`${route}: no body in BODIES (add one: every admin route is logged)`);
      const req = await build({ t, token: graceToken });
      const before = (await serverEntries()).length;
      const res = await t.call('POST', req.path, { token: graceToken, body: req.body });
      expect(res.status, `${route}: ${JSON.stringify(res.body)}`).toBe(200);
      const added = (await serverEntries()).slice(before);
      expect(added, route).toHaveLength(1);
      const entry = added[0]!;
      expect(entry.payload.actedBy, route).toEqual({
        adminId: GRACE.id,
        role: 'admin',
        via: 'token',
      });
      expect(CENTRAL_ACTION_TYPES as readonly string[], route).toContain(entry.type);
      logged.push({ route, entry });
    }
    // Each of the newly logged kinds appears, and none of them carries a secret.
    const types = new Set(logged.map((l) => l.entry.type));
    for (const type of [
      'admin.deskEnrollmentCode.issued',
      'admin.desk.revoked',
      'admin.webhook.created',
      'admin.webhook.deleted',
      'admin.webhook.paused',
      'admin.webhook.resumed',
      'admin.webhook.replayed',
      'admin.releasePlan.set',
      'admin.testResults.imported',
    ] as const)
      expect(types).toContain(type);
    const text = JSON.stringify(logged);
    expect(text).not.toContain('whsec_');
    expect(text).not.toContain('secret-path');
    expect(logged.find((l) => l.route === 'createWebhook')!.entry.payload).toMatchObject({
      origin: 'https://hooks.example.com',
      eventTypes: ['decision.no_go_recorded'],
    });
    expect(logged.find((l) => l.route === 'setReleasePlan')!.entry.payload).toMatchObject({
      releaseId: RELEASE_ID,
      rings: [{ ring: 'pilot', start: '2026-12-01', end: '2026-12-04' }],
    });
  });

  it('a refused change logs nothing: unknown webhook, unpublished release plan, unknown desk', async () => {
    const before = (await serverEntries()).length;
    const refused = [
      await t.call('POST', '/v1/admin/webhooks/wh_nope/pause', { token: graceToken }),
      await t.call('POST', '/v1/admin/release-plans', {
        token: graceToken,
        body: {
          releaseId: 'rel-nope',
          rings: [{ ring: 'pilot', start: '2026-12-01', end: '2026-12-04' }],
        },
      }),
      await t.call('POST', '/v1/admin/desks/revoke', {
        token: graceToken,
        body: { deskId: 'desk-nope' },
      }),
      await t.call('POST', '/v1/admin/desk-enrollment-codes', {
        token: graceToken,
        body: { scope: 'region:Atlantis', role: 'support' },
      }),
    ];
    expect(refused.map((r): [number, string] => [r.status, r.body.code as string])).toEqual([
      [404, 'not_found'],
      [400, 'invalid_input'],
      [404, 'not_found'],
      [404, 'not_found'],
    ]);
    expect(await serverEntries()).toHaveLength(before);
  });

  it('audit:verify proves them and names the administrator for every new kind', async () => {
    const bundle = await t.call('GET', '/v1/audit/bundle', { token: t.adminToken });
    expect(bundle.status).toBe(200);
    const lines = (bundle.body as string).split('\n').filter((l) => l.trim() !== '');
    const verdict = verifyBundle(lines, undefined, { trustedLogPublicKey: t.server.key.publicKey });
    expect(verdict.ok, JSON.stringify(verdict)).toBe(true);
    const listed = centralActionsOf(lines).filter((a) => a.adminId === GRACE.id);
    expect(listed.map((a) => a.index)).toEqual(logged.map((l) => l.entry.index));
    // Every admin.* type the server writes is one the list knows (and the console translates).
    for (const { entry } of logged)
      if (entry.type.startsWith('admin.'))
        expect(ADMIN_ACTION_TYPES as readonly string[]).toContain(entry.type);
  });
});

describe('the desk list of central actions', () => {
  let all: string;
  let north: string;
  let south: string;
  beforeAll(async () => {
    // Runs after the route tour above (vitest keeps file order): the log holds its actions.
    all = (await enrolledDesk('all')).token;
    north = (await enrolledDesk('region:North', 'release')).token;
    south = (await enrolledDesk('region:South', 'support')).token;
  });

  async function page(token: string, query = ''): Promise<CentralActionsPage> {
    const res = await t.call('GET', `/v1/desk/central-actions${query}`, { token });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return res.body as CentralActionsPage;
  }

  async function walk(token: string, query: string): Promise<CentralActionsPage['actions']> {
    const out: CentralActionsPage['actions'] = [];
    let before: number | null = null;
    for (;;) {
      const p = await page(token, `?limit=7${query}${before === null ? '' : `&before=${before}`}`);
      out.push(...p.actions);
      if (p.next === null) return out;
      before = p.next;
    }
  }

  it('a desk for every store sees every action, newest first, paged by log index, with the name', async () => {
    const first = await page(all);
    const every = await walk(all, '');
    expect(every.length).toBeGreaterThan(40);
    expect(first.actions).toEqual(every.slice(0, 50));
    const indexes = every.map((a) => a.index);
    expect(indexes).toEqual([...indexes].sort((a, b) => b - a));
    const graces = every.filter((a) => a.adminId === GRACE.id).map((a) => a.index);
    expect(graces.sort((a, b) => a - b)).toEqual(logged.map((l) => l.entry.index));
    const plan = every.find((a) => a.type === 'admin.releasePlan.set')!;
    expect(plan).toMatchObject({
      adminId: GRACE.id,
      adminName: GRACE.name,
      via: 'token',
      subject: { kind: 'release', id: RELEASE_ID },
      storeId: null,
    });
    expect(first.admins).toEqual(
      expect.arrayContaining([
        { id: GRACE.id, name: GRACE.name },
        { id: TEST_ADMIN.id, name: TEST_ADMIN.name },
      ]),
    );
  });

  it("a region desk sees its region's stores and the chain-wide actions, never another region's", async () => {
    const northSeen = await walk(north, `&adminId=${GRACE.id}`);
    const southSeen = await walk(south, `&adminId=${GRACE.id}`);
    const typeOf = (route: RouteName) => logged.find((l) => l.route === route)!.entry.index;
    const northIdx = new Set(northSeen.map((a) => a.index));
    const southIdx = new Set(southSeen.map((a) => a.index));
    // S-1 is North, S-2 South; a South compliance rule, a South desk code, a device of S-2.
    for (const route of ['issueEnrollmentCode', 'setStoreWindows', 'createUser'] as const) {
      expect(northIdx.has(typeOf(route)), route).toBe(true);
      expect(southIdx.has(typeOf(route)), route).toBe(false);
    }
    for (const route of [
      'setComplianceRule',
      'issueDeskEnrollmentCode',
      'revokeDevice',
      'revokeUser',
    ] as const) {
      expect(southIdx.has(typeOf(route)), route).toBe(true);
      expect(northIdx.has(typeOf(route)), route).toBe(false);
    }
    for (const route of ['publishRelease', 'setReleasePlan', 'createWebhook'] as const) {
      expect(northIdx.has(typeOf(route)), route).toBe(true);
      expect(southIdx.has(typeOf(route)), route).toBe(true);
    }
  });

  it('filters by type and by administrator', async () => {
    const byType = await walk(all, '&type=admin.webhook.created');
    expect(byType.length).toBeGreaterThanOrEqual(5);
    expect(new Set(byType.map((a) => a.type))).toEqual(new Set(['admin.webhook.created']));
    const byHarness = await walk(all, `&adminId=${TEST_ADMIN.id}`);
    expect(byHarness.length).toBeGreaterThan(0);
    expect(new Set(byHarness.map((a) => a.adminId))).toEqual(new Set([TEST_ADMIN.id]));
    const none = await page(all, '?adminId=u-nobody');
    expect(none).toMatchObject({ actions: [], next: null });
  });

  it('lists what an administrator does at a release desk too (a block), and audit:verify counts it', async () => {
    const releaseDesk = await enrolledDesk('all', 'release');
    const blocked = await t.call('POST', `/v1/desk/releases/${RELEASE_ID}/block`, {
      token: releaseDesk.token,
      body: { actedBy: TEST_ADMIN.id, reason: 'Card payments fail at checkout' },
    });
    expect(blocked.status, JSON.stringify(blocked.body)).toBe(200);
    const newest = (await page(north, '?limit=1')).actions[0]!;
    expect(newest).toMatchObject({
      type: 'release.blocked',
      adminId: TEST_ADMIN.id,
      adminName: TEST_ADMIN.name,
      via: 'desk',
      subject: { kind: 'release', id: RELEASE_ID },
    });
    const bundle = await t.call('GET', '/v1/audit/bundle', { token: t.adminToken });
    const lines = (bundle.body as string).split('\n').filter((l) => l.trim() !== '');
    expect(centralActionsOf(lines).at(-1)).toMatchObject({
      index: newest.index,
      type: 'release.blocked',
      adminId: TEST_ADMIN.id,
    });
  });

  it('refuses a bad query with the field named, and any caller but a desk', async () => {
    const bad = await t.call('GET', '/v1/desk/central-actions?type=admin.nothing.done', {
      token: all,
    });
    expect(bad.status).toBe(400);
    expect(bad.body.code).toBe('invalid_input');
    expect(bad.body.message).toContain('type');
    const tooMany = await t.call('GET', '/v1/desk/central-actions?limit=1000', { token: all });
    expect(tooMany.status).toBe(400);
    const admin = await t.call('GET', '/v1/desk/central-actions', { token: graceToken });
    expect(admin.status).toBe(403);
    const nobody = await t.call('GET', '/v1/desk/central-actions');
    expect(nobody.status).toBe(401);
  });
});

describe('the desk list on PostgreSQL', () => {
  let pg: TestPostgres;
  let p: TestServer;
  beforeAll(async () => {
    pg = await startTestPostgres();
    p = await startTestServer({ databaseUrl: await pg.createDatabase() });
  });
  afterAll(async () => {
    await p.close();
    pg.stop();
  });

  it('reads the same actions with the same scope, filters and pages', async () => {
    const post = async (path: string, body: unknown) => {
      const res = await p.call('POST', path, { token: p.adminToken, body });
      expect(res.status, `${path} ${JSON.stringify(res.body)}`).toBe(200);
      return res.body as { code: string };
    };
    await post('/v1/admin/fleet', TEST_FLEET);
    await post('/v1/admin/enrollment-codes', { storeId: 'S-2' });
    const { code } = await post('/v1/admin/desk-enrollment-codes', {
      scope: 'region:North',
      role: 'auditor',
    });
    const enrolled = await p.call('POST', '/v1/desk/enroll', {
      body: { code, deskId: 'desk-pg', publicKey: createSimDevice('S-1').publicKey },
    });
    expect(enrolled.status).toBe(200);
    const read = async (query: string) => {
      const res = await p.call('GET', `/v1/desk/central-actions${query}`, {
        token: enrolled.body.deskToken as string,
      });
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      return res.body as CentralActionsPage;
    };
    // North sees the bootstrap, the fleet and its own desk code; not the S-2 (South) code.
    const all = await read('');
    expect(all.actions.map((a) => a.type)).toEqual([
      'admin.deskEnrollmentCode.issued',
      'admin.fleet.imported',
      'admin.user.created',
    ]);
    expect(all.actions[0]).toMatchObject({ adminId: TEST_ADMIN.id, adminName: TEST_ADMIN.name });
    const paged = await read('?limit=1');
    expect(paged.actions.map((a) => a.index)).toEqual([all.actions[0]!.index]);
    const older = await read(`?limit=5&before=${paged.next}`);
    expect(older.actions.map((a) => a.index)).toEqual(all.actions.slice(1).map((a) => a.index));
    expect((await read('?type=admin.fleet.imported')).actions).toHaveLength(1);
  });
});
